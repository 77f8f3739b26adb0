import "server-only";
import { env } from "@/lib/env";
import { getUpstream, upstreamFetch } from "@/lib/redpill/upstream";

export type Fetched = { ok: true; body: unknown } | { ok: false; status: number | null; detail: string };

/**
 * GET from RedPill (same base URL and key as chat) within PILLBOX_TEE_TIMEOUT_MS. Never throws: a
 * failure, a timeout or a non-JSON answer comes back as a detail fit to show (it never holds the key).
 */
export async function redpillGet(path: string, params: Record<string, string>): Promise<Fetched> {
  const { baseURL, apiKey } = getUpstream();
  const url = `${baseURL}${path}?${new URLSearchParams(params)}`;
  return getJson(url, { authorization: `Bearer ${apiKey}` }, env.PILLBOX_TEE_TIMEOUT_MS, {}, upstreamFetch);
}

/** `fetcher`: RedPill's calls go through upstreamFetch (which reaches the in-process demo fake); others through fetch. */
export async function getJson(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  init: RequestInit = {},
  fetcher: typeof fetch = fetch,
): Promise<Fetched> {
  try {
    const response = await fetcher(url, {
      ...init,
      headers: { accept: "application/json", ...headers, ...(init.headers as Record<string, string> | undefined) },
      signal: AbortSignal.timeout(timeoutMs),
      cache: "no-store",
    });
    const text = await response.text();
    if (!response.ok) return { ok: false, status: response.status, detail: `answered ${response.status}` };
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, status: response.status, detail: "answered with something that is not JSON" };
    }
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { ok: false, status: null, detail: timedOut ? `did not answer within ${timeoutMs} ms` : "could not be reached" };
  }
}
