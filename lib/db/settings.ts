import "server-only";
import { db } from "@/lib/db/client";

/**
 * The stored value for `key`, or `initial` stored first. Several instances starting at once all
 * get the value of whichever insert won.
 */
export async function getOrCreateSetting({ key, initial }: { key: string; initial: string }): Promise<string> {
  await db.$executeRaw`INSERT INTO "Setting" ("key", "value") VALUES (${key}, ${initial}) ON CONFLICT ("key") DO NOTHING`;
  const setting = await db.setting.findUniqueOrThrow({ where: { key } });
  return setting.value;
}
