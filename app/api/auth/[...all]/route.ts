// better-auth's endpoints (sign-in, sign-out, session) under /api/auth.
import { auth, consoleOrigins } from "@/server/auth/auth";
import { errorResponse } from "@/server/http/route";
import { AppError } from "@/server/errors";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return auth().handler(request);
}

export async function POST(request: Request): Promise<Response> {
  // better-auth checks the Origin only of requests that carry cookies; a browser sends an
  // Origin on every POST, so one from another site is refused here whether or not it has
  // cookies (no signing in or out on someone's behalf). Scripts that send none pass.
  const origin = request.headers.get("origin");
  if (origin !== null && !consoleOrigins().includes(origin)) {
    return errorResponse(new AppError("FORBIDDEN", `Requests from ${origin} may not sign in or out of this console.`));
  }
  return auth().handler(request);
}
