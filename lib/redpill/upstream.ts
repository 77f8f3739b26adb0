import "server-only";
import { env } from "@/lib/env";

/**
 * Where upstream calls go. With REDPILL_API_KEY: REDPILL_BASE_URL. Without it (demo mode): the
 * built-in fake RedPill that instrumentation.ts starts in this process.
 */
export interface Upstream {
  baseURL: string;
  apiKey: string;
  demo: boolean;
}

const DEMO_KEY = "pillbox-demo-key";

export function demoUpstreamKey(): string {
  return DEMO_KEY;
}

export function getUpstream(): Upstream {
  if (env.REDPILL_API_KEY) {
    return { baseURL: env.REDPILL_BASE_URL, apiKey: env.REDPILL_API_KEY, demo: false };
  }
  const demoURL = process.env.PILLBOX_DEMO_UPSTREAM_URL;
  if (!demoURL) throw new Error("demo upstream is not running (instrumentation did not start it)");
  return { baseURL: demoURL, apiKey: DEMO_KEY, demo: true };
}
