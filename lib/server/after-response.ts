import "server-only";
import { after } from "next/server";

/**
 * Keeps the function serving this request alive until `work` settles, through Next's `after()`
 * (the platform's `waitUntil`): on Vercel a function may be frozen once its response is sent, and
 * the work after it (settling usage, saving the reply, titling the chat) must still reach the
 * database. On a Node server the promise runs on regardless, so nothing changes there. Outside a
 * request (a script, a unit test) there is nothing to keep alive.
 */
export function keepAlive(work: Promise<unknown>): void {
  try {
    after(work.then(
      () => undefined,
      () => undefined,
    ));
  } catch {
    // not in a request's scope
  }
}
