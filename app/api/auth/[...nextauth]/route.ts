import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { throttleCredentialsCallback } from "@/lib/auth/throttle";
import { clientIp } from "@/lib/http/handler";

export const { GET } = handlers;

/** Password sign-ins are throttled (lib/auth/throttle.ts) before Auth.js checks them. */
export function POST(request: NextRequest): Promise<Response> {
  if (!request.nextUrl.pathname.endsWith("/callback/credentials")) return handlers.POST(request);
  return throttleCredentialsCallback(request, clientIp(request.headers), handlers.POST);
}
