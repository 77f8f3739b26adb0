import type { Session } from "./session";

/**
 * The router state of a page the client is on, as the App Router sends it in
 * `Next-Router-State-Tree` when it navigates away. From "/" (the chat home) by default; from the
 * sign-in page when the target is under (chat), so that the server renders the target's whole tree.
 */
const FROM_HOME = ["", { children: ["(chat)", { children: ["__PAGE__", {}] }] }];
const FROM_SIGNIN = ["", { children: ["(auth)", { children: ["signin", { children: ["__PAGE__", {}] }] }] }];

type Tree = [string, Record<string, unknown>];

/**
 * The tree of a sibling page: it claims every layout above the target (`segments` are the page's
 * folders, route groups included) is already on screen, so the server renders only the page
 * itself. This is the request that reads a page whose own check is missing even when its layout
 * has one: a layout check alone protects nothing on client navigation.
 */
export function insideTree(segments: string[]): Tree {
  let tree: Tree = ["__sibling__", { children: ["__PAGE__", {}] }];
  for (const segment of segments.slice(0, -1).reverse()) tree = [segment, { children: tree }];
  return ["", { children: segments.length ? tree : ["__sibling__", {}] }];
}

export function navigationHeaders(target: string, from?: Tree): Record<string, string> {
  const fromSignin = target === "/" || target.startsWith("/chat/");
  return {
    RSC: "1",
    "Next-Router-State-Tree": encodeURIComponent(JSON.stringify(from ?? (fromSignin ? FROM_SIGNIN : FROM_HOME))),
  };
}

export interface PageResponse {
  status: number;
  /** Where a redirect points (pathname only), or null. */
  location: string | null;
  contentType: string;
  body: string;
  /** The digests of errors thrown while rendering an RSC payload: redirects, forbidden(), notFound(). */
  digests: string[];
}

async function read(response: Response, baseUrl: string): Promise<PageResponse> {
  const body = await response.text();
  const location = response.headers.get("location");
  return {
    status: response.status,
    location: location ? new URL(location, baseUrl).pathname : null,
    contentType: response.headers.get("content-type") ?? "",
    body,
    digests: [...body.matchAll(/"digest":"([^"]+)"/g)].map((m) => m[1]!),
  };
}

/** A full page load, as when the user types the address. */
export async function loadPage(session: Session, pathname: string): Promise<PageResponse> {
  return read(await session.fetch(pathname), session.baseUrl);
}

/**
 * An in-app navigation (a <Link> click): the RSC payload for `pathname`. Next answers the first try
 * with a 307 to the same path plus its `_rsc` cache key; the router follows it, and so do we.
 */
export async function navigate(session: Session, pathname: string, from?: Tree): Promise<PageResponse> {
  const headers = navigationHeaders(pathname, from);
  let response = await session.fetch(pathname, { headers });
  const location = response.headers.get("location");
  if (response.status === 307 && location?.includes("_rsc=")) {
    await response.body?.cancel();
    response = await session.fetch(location, { headers });
  }
  return read(response, session.baseUrl);
}

/** What a page answered, in the terms the rules use. */
export type PageOutcome = "ok" | "signin" | "forbidden" | "notFound" | { redirect: string };

export function describeOutcome(page: PageResponse, kind: "full" | "rsc"): string {
  return `${kind} ${page.status} location=${page.location} digests=${JSON.stringify(page.digests)}`;
}

function redirectDigestTo(page: PageResponse, to: string): boolean {
  return page.digests.some((d) => {
    const [kind, , target] = d.split(";");
    return kind === "NEXT_REDIRECT" && target !== undefined && new URL(target, "http://x").pathname === to;
  });
}

const isRedirect = (status: number) => [302, 303, 307, 308].includes(status);

/** Whether a full load or a navigation ended as `expected`. */
export function matchesOutcome(page: PageResponse, expected: PageOutcome, kind: "full" | "rsc"): boolean {
  const failed = page.digests.some((d) => d.startsWith("NEXT_REDIRECT") || d.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
  if (kind === "full") {
    if (expected === "ok") return page.status === 200;
    if (expected === "signin") return isRedirect(page.status) && page.location === "/signin";
    if (expected === "forbidden") return page.status === 403;
    if (expected === "notFound") return page.status === 404;
    return isRedirect(page.status) && page.location === expected.redirect;
  }
  // The proxy answers a navigation without a session with a plain redirect.
  if (expected === "signin" && isRedirect(page.status) && page.location === "/signin") return true;
  if (page.status !== 200 || !page.contentType.includes("text/x-component")) return false;
  if (expected === "ok") return !failed;
  if (expected === "signin") return redirectDigestTo(page, "/signin");
  if (expected === "forbidden") return page.digests.includes("NEXT_HTTP_ERROR_FALLBACK;403");
  if (expected === "notFound") return page.digests.includes("NEXT_HTTP_ERROR_FALLBACK;404");
  return redirectDigestTo(page, expected.redirect);
}
