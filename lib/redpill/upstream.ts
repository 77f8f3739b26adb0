import "server-only";
import { env } from "@/lib/env";

type Fetch = typeof globalThis.fetch;

/**
 * Where upstream calls go. With REDPILL_API_KEY: REDPILL_BASE_URL. Without it (demo mode): the
 * built-in fake RedPill that instrumentation.ts starts in this process, on a local port, or with no
 * port at all (on Vercel, or PILLBOX_DEMO_IN_PROCESS=1), answering through `upstreamFetch`.
 */
export interface Upstream {
  baseURL: string;
  apiKey: string;
  demo: boolean;
}

const DEMO_KEY = "pillbox-demo-key";

// Shared through globalThis: instrumentation and each route bundle have their own copy of this module.
const globalForUpstream = globalThis as unknown as { pillboxInProcessUpstream?: { baseURL: string; fetch: Fetch } };

export function demoUpstreamKey(): string {
  return DEMO_KEY;
}

/** Demo mode without a port: upstream calls to `baseURL` are answered by `fetch`, in this process. */
export function setInProcessUpstream(baseURL: string, fetch: Fetch): void {
  globalForUpstream.pillboxInProcessUpstream = { baseURL, fetch };
}

export function getUpstream(): Upstream {
  if (env.REDPILL_API_KEY) {
    return { baseURL: env.REDPILL_BASE_URL, apiKey: env.REDPILL_API_KEY, demo: false };
  }
  const demoURL = process.env.PILLBOX_DEMO_UPSTREAM_URL ?? globalForUpstream.pillboxInProcessUpstream?.baseURL;
  if (!demoURL) throw new Error("demo upstream is not running (instrumentation did not start it)");
  return { baseURL: demoURL, apiKey: DEMO_KEY, demo: true };
}

/**
 * The fetch for every upstream call (models, catalog). Next patches the global fetch to add its data
 * cache and tracing; upstream calls are never cacheable, and the patch costs milliseconds on the time
 * to first token: the platform fetch, or the in-process fake's in demo mode without a port.
 */
export const upstreamFetch: Fetch = (input, init) => {
  const inProcess = env.REDPILL_API_KEY ? undefined : globalForUpstream.pillboxInProcessUpstream;
  if (inProcess) return inProcess.fetch(input, init);
  const current = globalThis.fetch as Fetch & { _nextOriginalFetch?: Fetch };
  return (current._nextOriginalFetch ?? current)(input, init);
};
