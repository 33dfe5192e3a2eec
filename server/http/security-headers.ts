// The security headers of every response the console serves. server.ts stamps the fixed ones
// (and a script-less CSP) on everything, static files and route handlers included; proxy.ts
// replaces the CSP of each page with one carrying that request's script nonce, which Next
// reads from the request's own Content-Security-Policy header and puts on its inline
// bootstrap scripts.

export const FIXED_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

/**
 * The policy. `nonce` absent: no script may run at all (API answers, downloads, static files).
 * `dev`: React's development build needs eval for its debugging aids.
 * Styles allow 'unsafe-inline': React renders `style` attributes, and a nonce cannot cover
 * attributes; style injection cannot run code.
 * connect-src 'self' covers ws:/wss: to the same host and port in CSP Level 3 browsers; the
 * console's own origin in ws form is listed too for older ones.
 */
export function contentSecurityPolicy(opts: { nonce?: string; dev?: boolean; wsOrigin?: string } = {}): string {
  const script = opts.nonce ? `'self' 'nonce-${opts.nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}` : "'none'";
  const connect = ["'self'", ...(opts.wsOrigin ? [opts.wsOrigin] : [])].join(" ");
  return [
    "default-src 'self'",
    `script-src ${script}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** ws://host:port (or wss://) of the console's public URL, for connect-src. */
export function websocketOrigin(publicUrl: string | undefined): string | undefined {
  if (!publicUrl) return undefined;
  try {
    const u = new URL(publicUrl);
    return `${u.protocol === "https:" ? "wss:" : "ws:"}//${u.host}`;
  } catch {
    return undefined;
  }
}

/** A nonce: 16 random bytes, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
