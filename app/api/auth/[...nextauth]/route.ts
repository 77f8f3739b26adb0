import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { withBrowserOrigin } from "@/lib/auth/request-origin";
import { throttleCredentialsCallback } from "@/lib/auth/throttle";
import { clientIp } from "@/lib/http/handler";

export function GET(request: NextRequest): Promise<Response> {
  return handlers.GET(withBrowserOrigin(request));
}

/** Password sign-ins are throttled (lib/auth/throttle.ts) before Auth.js checks them. */
export function POST(request: NextRequest): Promise<Response> {
  const forAuth = withBrowserOrigin(request);
  if (!forAuth.nextUrl.pathname.endsWith("/callback/credentials")) return handlers.POST(forAuth);
  return throttleCredentialsCallback(forAuth, clientIp(request.headers), handlers.POST);
}
