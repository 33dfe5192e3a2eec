// better-auth: email + password, sessions in Postgres, httpOnly cookies, database-backed rate
// limiting of sign-ins keyed on the client address that server.ts stamps on every request.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { db } from "../db/client.ts";
import { CLIENT_IP_HEADER } from "../http/client-ip.ts";
import { authSecret } from "./secret.ts";

function baseUrl(): string {
  return process.env.FERRY_PUBLIC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
}

/** The origins the console's own pages are served from: browsers' requests from anywhere else are refused. */
export function consoleOrigins(): string[] {
  const port = process.env.PORT ?? "3000";
  return [new URL(baseUrl()).origin, `http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

function build() {
  const baseURL = baseUrl();
  const attempts = Number(process.env.FERRY_SIGNIN_ATTEMPTS_PER_MINUTE ?? 5);
  return betterAuth({
    appName: "Ferry",
    baseURL,
    basePath: "/api/auth",
    secret: authSecret(),
    trustedOrigins: consoleOrigins(),
    database: prismaAdapter(db(), { provider: "postgresql" }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8, maxPasswordLength: 128 },
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": { window: 60, max: attempts } },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      useSecureCookies: baseURL.startsWith("https://"),
      database: { generateId: () => crypto.randomUUID() },
    },
    telemetry: { enabled: false },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof build>;

const holder = globalThis as unknown as { __ferryAuth?: Auth };

export function auth(): Auth {
  holder.__ferryAuth ??= build();
  return holder.__ferryAuth;
}
