import "server-only";
import bcrypt from "bcryptjs";
import { env } from "@/lib/env";

// Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
let dummyHash: string | undefined;

export const hashPassword = (password: string) => bcrypt.hash(password, env.PILLBOX_PASSWORD_HASH_COST);

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const matches = await bcrypt.compare(password, hash ?? (dummyHash ??= bcrypt.hashSync("pillbox-dummy-password", env.PILLBOX_PASSWORD_HASH_COST)));
  return matches && hash != null;
}
