// server.ts overwrites this header on every request with the socket's peer address, so what a
// client sends in it (or in X-Forwarded-For) is never trusted for rate limits or audit.
export const CLIENT_IP_HEADER = "x-ferry-client-ip";

export function normalizeIp(address: string | undefined): string | undefined {
  if (!address) return undefined;
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
