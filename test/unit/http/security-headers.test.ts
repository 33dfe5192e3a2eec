// The Content-Security-Policy the console sends: a page's allows only its own nonce'd scripts
// (and what they load); everything else runs no script at all.
import { describe, expect, test } from "vitest";
import { contentSecurityPolicy, newNonce, websocketOrigin } from "../../../server/http/security-headers.ts";

describe("content security policy", () => {
  test("a page's policy: nonce + strict-dynamic for scripts, nothing inline, no framing, no plugins, same-origin forms and base", () => {
    expect(contentSecurityPolicy({ nonce: "abc", wsOrigin: "ws://127.0.0.1:3000" })).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc' 'strict-dynamic'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; " +
        "connect-src 'self' ws://127.0.0.1:3000; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  test("without a nonce no script runs; development adds only unsafe-eval (React's debugging aids)", () => {
    expect(contentSecurityPolicy()).toContain("script-src 'none';");
    expect(contentSecurityPolicy({ nonce: "n", dev: true })).toContain("script-src 'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval';");
    expect(contentSecurityPolicy({ nonce: "n" })).not.toContain("unsafe-eval");
  });

  test("the websocket origin follows the public URL's scheme; an unusable URL adds none", () => {
    expect(websocketOrigin("https://ferry.example:8443/")).toBe("wss://ferry.example:8443");
    expect(websocketOrigin("http://127.0.0.1:3000")).toBe("ws://127.0.0.1:3000");
    expect(websocketOrigin("not a url")).toBeUndefined();
    expect(websocketOrigin(undefined)).toBeUndefined();
  });

  test("nonces are 16 random bytes, different every time", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
