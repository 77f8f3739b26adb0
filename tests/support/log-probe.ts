// Run by tests/log.test.ts in a fresh process (node --conditions=react-server --import tsx), as
// the server would load lib/log.ts: writes a few lines, some holding secrets from the environment.
import { captureConsole, log, withLogContext } from "@/lib/log";

const key = (process.env.REDPILL_API_KEY ?? "").trim();
const secret = process.env.AUTH_SECRET ?? "";

log.info("request seen", { headers: { cookie: "authjs.session-token=abc", authorization: "Bearer sk-other-secret", accept: "*/*" } });
log.info("form", { password: "hunter2hunter2", email: "ada@example.com" });
void withLogContext({ requestId: "req-1" }, async () => {
  // After an await, from a timer: the request id still follows.
  await new Promise((resolve) => setTimeout(resolve, 5));
  log.error("upstream failed", { err: new Error(`said ${key} and ${secret}`), url: `https://x/?key=${key}` });
}).then(() => {
  log.warn("outside a request");
  log.info("debugging detail");
  captureConsole();
  console.warn("a library warns about %s", key);
});
