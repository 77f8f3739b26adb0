import "server-only";
import { after } from "next/server";
import { log } from "@/lib/log";

/**
 * Keeps the function serving this request alive until `work` settles, through Next's `after()`
 * (the platform's `waitUntil`): on Vercel a function may be frozen once its response is sent, and
 * the work after it (settling usage, saving the reply, titling the chat) must still reach the
 * database. On a Node server the promise runs on regardless, so nothing changes there.
 */
export function keepAlive(work: Promise<unknown>): void {
  try {
    after(work.then(
      () => undefined,
      () => undefined,
    ));
  } catch (err) {
    // Outside a request's scope, or a platform without waitUntil: the work still runs, unguarded.
    log.warn("could not keep the function alive for the work after the response", { err });
  }
}
