// The bare Next 16 forward the concurrency benchmark compares Pillbox with: one route handler that
// sends the request body to the (fake) RedPill and returns the upstream body as it is. Copied into
// a scratch folder and built there by bench/concurrency/bare-app.ts; not part of Pillbox's build.
export const dynamic = "force-dynamic";

type Fetch = typeof globalThis.fetch;

// The platform fetch, as Pillbox's provider uses it (lib/redpill/provider.ts): Next's patched one
// adds its data cache and tracing, and the comparison is about everything else.
const upstreamFetch: Fetch = (input, init) => {
  const current = globalThis.fetch as Fetch & { _nextOriginalFetch?: Fetch };
  return (current._nextOriginalFetch ?? current)(input, init);
};

export async function POST(request: Request): Promise<Response> {
  const upstream = await upstreamFetch(`${process.env.REDPILL_BASE_URL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${process.env.REDPILL_API_KEY}` },
    body: await request.text(),
    signal: request.signal,
  });
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform" },
  });
}
