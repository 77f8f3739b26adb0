import "server-only";
import bcrypt from "bcryptjs";
import { env } from "@/lib/env";

// Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
// Made once, on first need, without blocking the event loop.
let dummyHash: Promise<string> | undefined;

export const hashPassword = (password: string) => bcrypt.hash(password, env.PILLBOX_PASSWORD_HASH_COST);

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const matches = await bcrypt.compare(password, hash ?? (await (dummyHash ??= bcrypt.hash("pillbox-dummy-password", env.PILLBOX_PASSWORD_HASH_COST))));
  return matches && hash != null;
}
