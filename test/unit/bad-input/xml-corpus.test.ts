// Every case of the bad XML corpus (test/fixtures/bad/xml) through the parsers that read
// untrusted XML: refused with the expected `file:line:column: message`, without expanding or
// fetching any entity (a local HTTP listener named by the http:// cases must see no request;
// /etc/passwd's content must appear nowhere), and in bounded memory (RSS growth of this
// process while parsing the 50 MB and 100,000-level cases stays under 200 MB). Times and RSS
// figures are printed for the README, not asserted.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseInspectorXml } from "../../../server/engine/inspect.ts";
import { ConfigParseError, DomainXmlError, parseConfig, parseDomainXml } from "../../../server/v2v/index.ts";
import { loadBadXmlCases, passwdFirstLine, type BadXmlCase } from "../../helpers/bad-corpus.ts";

const cases = loadBadXmlCases();
const hits: string[] = [];
let listener: Server;
let port = 0;

beforeAll(async () => {
  listener = createServer((req, res) => {
    hits.push(`${req.method ?? "?"} ${req.url ?? "?"}`);
    res.end('<!ENTITY leak "fetched">');
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  port = (listener.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => listener.close(() => resolve()));
});

function parse(c: BadXmlCase, text: string): string {
  try {
    if (c.kind === "conf") parseConfig(text, c.fileName);
    else parseDomainXml(text, c.fileName);
  } catch (e) {
    if (e instanceof ConfigParseError || e instanceof DomainXmlError) return e.format();
    throw e;
  }
  return "ACCEPTED";
}

const mb = (bytes: number) => Math.round(bytes / 1e6);

describe("the bad XML corpus", () => {
  test("has both kinds, stored and generated cases", () => {
    expect(cases.filter((c) => c.kind === "conf").length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.kind === "domain").length).toBeGreaterThan(6);
    expect(cases.filter((c) => c.generated).map((c) => c.name)).toEqual(["conf-50mb", "conf-deep", "domain-50mb", "domain-deep"]);
  });

  test.each(cases.map((c) => [c.name, c] as const))("%s is refused with its expected message", (_name, c) => {
    // Built by concatenation, a generated text is a rope; a file read is flat: measure that.
    const text = c.generated ? Buffer.from(c.text(port), "utf8").toString("utf8") : c.text(port);
    global.gc?.();
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    const message = parse(c, text);
    const ms = performance.now() - started;
    const growth = process.memoryUsage().rss - rss;
    expect(message.split("\n")[0]).toBe(c.expected);
    expect(message).not.toContain(passwdFirstLine());
    expect(message).not.toContain("fetched");
    expect(growth, `RSS grew by ${mb(growth)} MB`).toBeLessThan(200e6);
    if (c.generated || c.name.includes("laughs")) {
      console.log(`[bad-input] ${c.fileName} (${(text.length / 1024 / 1024).toFixed(1)} MiB): refused in ${ms.toFixed(1)} ms, RSS +${mb(growth)} MB`);
    }
  });

  test("virt-inspector's output goes through the same guard", () => {
    for (const c of cases.filter((x) => x.kind === "domain")) {
      const text = c.text(port).replace(/<domain\b/g, "<operatingsystems").replace(/<\/domain>/g, "</operatingsystems>");
      expect(() => parseInspectorXml(text), c.name).toThrow(/virt-inspector's output could not be read: line \d+, column \d+: /);
    }
  });

  test("no http:// entity, DTD or parameter entity was ever fetched", () => {
    expect(cases.some((c) => c.text(port).includes(`127.0.0.1:${port}`))).toBe(true);
    expect(hits).toEqual([]);
  });
});
