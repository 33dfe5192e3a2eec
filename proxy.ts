// Next's request proxy (middleware before Next 16): each page gets a fresh script nonce. Next
// reads it from the request's Content-Security-Policy header and stamps it on its inline
// bootstrap scripts; the same policy goes back on the response. Route handlers and static
// files keep the script-less policy server.ts sets on every response.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce, websocketOrigin } from "./server/http/security-headers.ts";

export function proxy(request: NextRequest): NextResponse {
  const nonce = newNonce();
  const policy = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === "development", wsOrigin: websocketOrigin(process.env.FERRY_PUBLIC_URL) });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|socket.io).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
