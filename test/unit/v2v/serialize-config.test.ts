import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  parseConfig,
  serializeConfig,
  type App,
  type Capability,
  type ConfigFile,
  type NetworkMapping,
  type Profile,
} from "../../../server/v2v/index.ts";
import { fixture, vendorDb, withoutPositions } from "./helpers.ts";

function roundTrip(config: ConfigFile): ConfigFile {
  return parseConfig(serializeConfig(config), config.file);
}

const model = (c: ConfigFile) => withoutPositions({ ...c, warnings: [] });

// Characters that need escaping, whitespace, and non-ASCII: what real configs and hostile
// input put in attribute values and texts.
const CHARS = ["a", "Z", "5", " ", "&", "<", ">", '"', "'", "/", ":", "-", ".", "\n", "\t", "é", "中", "🙂", ";", "#"];
const anyText = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 12 });
const attr = fc.option(anyText, { nil: undefined });
// Element texts are trimmed by virt-v2v, and an empty one counts as absent.
const text = anyText.map((s) => s.trim()).filter((s) => s !== "");
const optText = fc.option(text, { nil: undefined });
const segment = fc.stringMatching(/^[0-9a-z.]{1,6}$/).filter((s) => /[0-9a-z]/.test(s));
const evr = fc
  .tuple(fc.option(fc.stringMatching(/^[0-9]{1,3}$/), { nil: undefined }), segment, fc.option(segment, { nil: undefined }))
  .map(([e, v, r]) => `${e === undefined ? "" : `${e}:`}${v}${r === undefined ? "" : `-${r}`}`);

const matchAttrs = { name: attr, os: attr, distro: attr, major: attr, minor: attr, arch: attr };

const capability: fc.Arbitrary<Capability> = fc.record({
  ...matchAttrs,
  deps: fc.array(
    fc.record({
      name: anyText,
      minversion: fc.option(evr, { nil: undefined }),
      ifinstalled: fc.option(fc.constantFrom("yes", "1", "no", "0"), { nil: undefined }),
    }),
    { maxLength: 3 },
  ),
});

const app: fc.Arbitrary<App> = fc.record({ ...matchAttrs, path: text, deps: fc.array(text, { maxLength: 3 }) });

const network: fc.Arbitrary<NetworkMapping> = fc
  .record({
    type: fc.option(fc.constantFrom("bridge", "network", "default", "direct"), { nil: undefined }),
    name: attr,
    target: fc.option(fc.record({ type: attr, name: attr }), { nil: undefined }),
  })
  // A default mapping without a target is an error, not something to round-trip.
  .map((n) => (n.type === "default" && !n.target ? { ...n, target: { type: "network", name: "default" } } : n));

const profile: fc.Arbitrary<Profile> = fc.record({
  name: attr,
  method: optText,
  storage: fc.option(fc.record({ location: optText, format: attr, allocation: attr }), { nil: undefined }),
  networks: fc.array(network, { maxLength: 2 }),
});

const config: fc.Arbitrary<ConfigFile> = fc.record({
  file: fc.constant("generated.conf"),
  pathRoot: optText,
  isoPath: optText,
  profiles: fc.array(profile, { maxLength: 3 }),
  networks: fc.array(network, { maxLength: 3 }),
  capabilities: fc.array(capability, { maxLength: 4 }),
  apps: fc.array(app, { maxLength: 4 }),
  warnings: fc.constant([]),
});

describe("serializeConfig", () => {
  test("parse -> serialize -> parse gives the same model for generated configs", () => {
    fc.assert(
      fc.property(config, (c) => {
        expect(model(roundTrip(c))).toEqual(model(c));
      }),
      { numRuns: 300 },
    );
  });

  test("the vendor database and the shipped example survive a round trip", () => {
    for (const c of [vendorDb(), parseConfig(fixture("shipped-example.xml"), "virt-v2v.conf")]) {
      expect(model(roundTrip(c))).toEqual(model(c));
    }
  });

  test("serializing is stable: serialize(parse(serialize(c))) is the same text", () => {
    const once = serializeConfig(vendorDb());
    expect(serializeConfig(parseConfig(once, "x"))).toBe(once);
  });

  test("absent attributes are not written; empty ones are", () => {
    const c = parseConfig(`<virt-v2v><app os="linux" distro="" name="k"><path>p</path></app></virt-v2v>`, "x");
    const out = serializeConfig(c);
    expect(out).toContain(`<app os="linux" distro="" name="k">`);
    expect(out).not.toContain("major");
  });

  test("special characters are escaped, never emitted as markup", () => {
    const c = parseConfig(`<virt-v2v><path-root>/a&amp;b&lt;c</path-root><app os="x&quot;y" name="n"><path>p</path></app></virt-v2v>`, "x");
    const out = serializeConfig(c);
    expect(out).toContain("<path-root>/a&amp;b&lt;c</path-root>");
    expect(out).toContain(`os="x&quot;y"`);
  });
});
