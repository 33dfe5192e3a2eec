// better-auth's endpoints (sign-in, sign-out, session) under /api/auth.
import { auth } from "@/server/auth/auth";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return auth().handler(request);
}

export async function POST(request: Request): Promise<Response> {
  return auth().handler(request);
}
