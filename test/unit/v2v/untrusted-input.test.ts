// Whatever text arrives (an upload, a pasted file), parsing ends in a model or a typed,
// positioned ConfigParseError: never another exception.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ConfigParseError, parseConfig, serializeConfig } from "../../../server/v2v/index.ts";
import { fixture } from "./helpers.ts";

function outcome(text: string): "ok" | "error" {
  try {
    parseConfig(text, "input.conf");
    return "ok";
  } catch (error) {
    if (!(error instanceof ConfigParseError)) throw error;
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.column).toBeGreaterThanOrEqual(1);
    return "error";
  }
}

const TOKENS = [
  "<", ">", "/", "=", '"', "'", "&", ";", "!", "-", "?", "[", "]", " ", "\n",
  "virt-v2v", "app", "capability", "dep", "path", "profile", "network", "name", "os", "&amp;",
  "<!--", "-->", "<![CDATA[", "]]>", "<?xml", "?>", "<!DOCTYPE", "<!ENTITY", "&#x41;", "&#0;",
  "__proto__", "toString", "é",
];

describe("untrusted input", () => {
  test("random markup soup gives a model or a ConfigParseError", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (tokens) => {
        outcome(tokens.join(""));
      }),
      { numRuns: 2000 },
    );
  });

  test("a valid config cut or corrupted anywhere gives a model or a ConfigParseError", () => {
    const valid = serializeConfig(parseConfig(fixture("shipped-example.xml"), "x"));
    fc.assert(
      fc.property(fc.nat(valid.length), fc.nat(valid.length), fc.constantFrom(...TOKENS), (at, cut, insert) => {
        outcome(valid.slice(0, at) + insert + valid.slice(Math.min(valid.length, at + (cut % 8))));
      }),
      { numRuns: 1000 },
    );
  });
});
