import type { DefaultSession } from "next-auth";
import type { Role } from "@/lib/db/generated/enums";

declare module "next-auth" {
  interface User {
    role: Role;
    sessionVersion?: number;
  }
  interface Session {
    user: { id: string; role: Role; sessionVersion: number } & DefaultSession["user"];
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    id: string;
    role: Role;
    /** the user's sessionVersion at sign-in */
    sv?: number;
  }
}
