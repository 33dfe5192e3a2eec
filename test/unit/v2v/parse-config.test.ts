import { describe, expect, test } from "vitest";
import { ConfigParseError, parseConfig } from "../../../server/v2v/index.ts";
import { conf, fixture, withoutPositions } from "./helpers.ts";

function parseError(text: string, file = "bad.conf"): ConfigParseError {
  try {
    parseConfig(text, file);
  } catch (error) {
    if (error instanceof ConfigParseError) return error;
    throw error;
  }
  throw new Error("expected a ConfigParseError");
}

describe("parseConfig: the model", () => {
  test("the shipped example (reference §1.5) parses to the expected model", () => {
    const config = parseConfig(fixture("shipped-example.xml"), "virt-v2v.conf");
    expect(withoutPositions(config)).toEqual(JSON.parse(fixture("shipped-example.expected.json")));
  });

  test("absent attributes are undefined and empty ones are kept as empty strings", () => {
    const [app] = conf(`<app os="linux" name="x" distro=""><path>p</path></app>`).apps;
    expect(app?.distro).toBe("");
    expect(app?.major).toBeUndefined();
    expect("major" in (app ?? {})).toBe(true);
  });

  test("values stay strings exactly as written (no number parsing)", () => {
    const [app] = conf(`<app os="windows" major="06" minor="1.0" name="virtio"><path>d</path></app>`).apps;
    expect(app?.major).toBe("06");
    expect(app?.minor).toBe("1.0");
  });

  test("document order is kept within each element kind", () => {
    const config = conf(`
      <app os="linux" name="b"><path>1</path></app>
      <capability os="linux" name="c1"/>
      <app os="linux" name="a"><path>2</path></app>
      <capability os="linux" name="c0"/>`);
    expect(config.apps.map((a) => a.name)).toEqual(["b", "a"]);
    expect(config.capabilities.map((c) => c.name)).toEqual(["c1", "c0"]);
  });

  test("texts are trimmed and predefined entities and character references decoded", () => {
    const config = conf(`
      <path-root>  /srv/soft &amp; more </path-root>
      <app os="linux" name="a&lt;b&#62;"><path>
        x&#x2F;y.rpm
      </path><dep> dep-one </dep></app>`);
    expect(config.pathRoot).toBe("/srv/soft & more");
    expect(config.apps[0]?.name).toBe("a<b>");
    expect(config.apps[0]?.path).toBe("x/y.rpm");
    expect(config.apps[0]?.deps).toEqual(["dep-one"]);
  });

  test("capability deps keep name, minversion and the raw ifinstalled value", () => {
    const [cap] = conf(`<capability os="linux" name="virtio">
      <dep name="kernel" minversion="2.6.18-128.el5"/>
      <dep name="selinux" ifinstalled="yes"/>
    </capability>`).capabilities;
    expect(withoutPositions(cap?.deps)).toEqual([
      { name: "kernel", minversion: "2.6.18-128.el5" },
      { name: "selinux", ifinstalled: "yes" },
    ]);
  });

  test("profiles carry method, storage (format, allocation) and nested networks", () => {
    const [p] = conf(`<profile name="rhev">
      <method>rhev</method>
      <storage format="qcow2" allocation="sparse"> nfs:/export </storage>
      <network type="default"><network type="network" name="rhevm"/></network>
    </profile>`).profiles;
    expect(withoutPositions(p)).toEqual({
      name: "rhev",
      method: "rhev",
      storage: { location: "nfs:/export", format: "qcow2", allocation: "sparse" },
      networks: [{ type: "default", target: { type: "network", name: "rhevm" } }],
    });
  });

  test("the 2010 single-file elements path-root and iso-path are read", () => {
    const config = conf(`<path-root>/var/lib/virt-v2v/software</path-root>
      <iso-path>/var/lib/virt-v2v/transfer.iso</iso-path>`);
    expect(config.pathRoot).toBe("/var/lib/virt-v2v/software");
    expect(config.isoPath).toBe("/var/lib/virt-v2v/transfer.iso");
  });

  test("positions point at the element's '<' (1-based, CRLF files too)", () => {
    const text = '<?xml version="1.0"?>\r\n<virt-v2v>\r\n  <app os="linux" name="a"><path>p</path></app>\r\n</virt-v2v>';
    expect(parseConfig(text, "crlf.conf").apps[0]?.at).toEqual({ line: 3, column: 3 });
  });
});

describe("parseConfig: warnings (reported, nothing silently dropped)", () => {
  const cases: [string, string, RegExp][] = [
    ["unknown top-level element", `<frobnicate/>`, /^unknown element <frobnicate> in <virt-v2v> is ignored$/],
    ["unknown child of app", `<app os="linux" name="a"><path>p</path><colour/></app>`, /unknown element <colour> in <app>/],
    ["unknown attribute", `<app os="linux" name="a" flavour="x"><path>p</path></app>`, /unknown attribute flavour on <app>/],
    ["capability with arch never matches", `<capability os="linux" name="c" arch="x86_64"/>`, /matched without an architecture/],
    ["minor without major never matches", `<app os="windows" minor="1" name="a"><path>p</path></app>`, /minor but no major/],
    ["app without os never matches", `<app name="a"><path>p</path></app>`, /no os attribute, so it never matches/],
    ["ifinstalled other than yes/1 is false", `<capability os="linux" name="c"><dep name="d" ifinstalled="true"/></capability>`, /ifinstalled='true' is treated as false/],
    ["duplicate profile names", `<profile name="p"><method>libvirt</method><storage>default</storage></profile><profile name="p"><method>rhev</method><storage>x</storage></profile>`, /^Multiple profiles defined with name p\. Which profile is used is undefined\.$/],
    ["profile without method", `<profile name="p"><storage>default</storage></profile>`, /^Profile p doesn't specify an output method\.$/],
    ["invalid network mapping", `<network type="bridge" name="br0"><network type="network"/></network>`, /^Invalid network mapping in config: <network type="network"\/>\.$/],
    ["unknown interface type", `<network type="bridge" name="br0"><network type="direct" name="eth0"/></network>`, /^Unknown interface type direct in network mapping/],
  ];
  test.each(cases)("%s", (_label, body, message) => {
    const config = conf(body);
    expect(config.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(message));
    expect(config.warnings.every((w) => w.file === "test.conf" && w.line >= 2)).toBe(true);
  });

  test("a clean file has no warnings", () => {
    expect(parseConfig(fixture("shipped-example.xml"), "x").warnings).toEqual([]);
  });
});

describe("parseConfig: errors carry file, line and column", () => {
  const cases: [string, string, number, number, string][] = [
    [
      "dependency without a name",
      `<virt-v2v>\n  <capability os="linux" name="virtio">\n    <dep minversion="1.0"/>\n  </capability>\n</virt-v2v>`,
      3,
      5,
      `Capability in config contains a dependency with no name attribute: <dep minversion="1.0"/>`,
    ],
    [
      "bad minversion (points at the attribute)",
      `<virt-v2v>\n<capability os="linux" name="virtio">\n  <dep name="kernel" minversion="2.6:18"/>\n</capability>\n</virt-v2v>`,
      3,
      22,
      "Unrecognised format for minversion in config: 2.6:18. minversion must be in the format [epoch:]version[-release].",
    ],
    [
      "app without a path",
      `<virt-v2v>\n\n   <app os="linux" name="k"><dep>x</dep></app>\n</virt-v2v>`,
      3,
      4,
      `app entry in config doesn't contain a path: <app os="linux" name="k">`,
    ],
    [
      "default network without a mapping",
      `<virt-v2v>\n<network type="default"/>\n</virt-v2v>`,
      2,
      1,
      `Default network doesn't contain a mapping: <network type="default"/>.`,
    ],
    [
      "malformed XML",
      `<virt-v2v>\n  <app os="linux" name="k">\n  </ap>\n</virt-v2v>`,
      3,
      3,
      "malformed XML: Expected closing tag 'app' (opened in line 2, col 3) instead of closing tag 'ap'.",
    ],
    [
      "wrong root element",
      `<?xml version="1.0"?>\n<config/>`,
      2,
      1,
      "the root element is <config>; a virt-v2v configuration must be <virt-v2v>",
    ],
    [
      "DOCTYPE declaration (entities are never expanded)",
      `<?xml version="1.0"?>\n<!DOCTYPE v [<!ENTITY x "boom">]>\n<virt-v2v>&x;</virt-v2v>`,
      2,
      1,
      "<!DOCTYPE> declarations are not allowed in a virt-v2v configuration file (entities are never expanded in untrusted input)",
    ],
    [
      "undefined entity reference",
      `<virt-v2v>\n  <path-root>/a&x;</path-root>\n</virt-v2v>`,
      2,
      16,
      "undefined entity &x; (only &lt; &gt; &amp; &quot; &apos; are allowed)",
    ],
  ];
  test.each(cases)("%s", (_label, text, line, column, message) => {
    const error = parseError(text);
    expect({ file: error.file, line: error.line, column: error.column, message: error.message }).toEqual({
      file: "bad.conf",
      line,
      column,
      message,
    });
  });

  test.each<[string, string, number, number, string]>([
    ["unclosed element", "<virt-v2v>\n  <app>\n</virt-v2v>", 3, 1, "Expected closing tag 'app' (opened in line 2, col 3) instead of closing tag 'virt-v2v'."],
    ["unclosed root", "<virt-v2v>\n  <app/>\n", 1, 1, "unclosed tag <virt-v2v>"],
    ["unquoted attribute", "<virt-v2v>\n<app os=linux/>\n</virt-v2v>", 2, 6, "malformed attribute or unclosed start tag <app>"],
    ["repeated attribute", '<virt-v2v>\n<app os="a" os="b"/>\n</virt-v2v>', 2, 13, "attribute 'os' is repeated"],
    ["'<' inside an attribute value", '<virt-v2v><app os="a<b"/></virt-v2v>', 1, 16, "malformed attribute or unclosed start tag <app>"],
    ["bare '&'", "<virt-v2v>\n<path-root>a & b</path-root></virt-v2v>", 2, 14, "'&' must be written as &amp;"],
    ["two root elements", "<virt-v2v/>\n<virt-v2v/>", 2, 1, "a second root element <virt-v2v>; a document has exactly one"],
    ["text after the root", "<virt-v2v/>\nstray", 2, 1, "text is not allowed outside the root element"],
    ["stray closing tag", "<virt-v2v></virt-v2v></app>", 1, 22, "closing tag 'app' has no matching opening tag"],
    ["unclosed comment", "<virt-v2v><!-- x </virt-v2v>", 1, 11, "unclosed comment"],
    ["empty document", "", 1, 1, "no root element: a virt-v2v configuration is a <virt-v2v> element"],
  ])("malformed XML: %s", (_label, text, line, column, message) => {
    const error = parseError(text);
    expect([error.line, error.column, error.message]).toEqual([line, column, `malformed XML: ${message}`]);
  });

  test("every error in a file is reported, in document order", () => {
    const error = parseError(
      `<virt-v2v>\n<capability os="linux" name="a"><dep/></capability>\n<app os="linux" name="b"/>\n</virt-v2v>`,
    );
    expect(error.format().split("\n")).toEqual([
      "bad.conf:2:33: Capability in config contains a dependency with no name attribute: <dep/>",
      `bad.conf:3:1: app entry in config doesn't contain a path: <app os="linux" name="b"/>`,
    ]);
  });

  test.each([
    ['<virt-v2v><__proto__/></virt-v2v>', 1, 12, "'__proto__' is not allowed as an element or attribute name"],
    ['<virt-v2v>\n<app constructor="x" os="linux" name="a"><path>p</path></app></virt-v2v>', 2, 6, "'constructor' is not allowed as an element or attribute name"],
  ])("prototype-polluting names are refused with a position: %s", (text, line, column, message) => {
    const error = parseError(text);
    expect([error.line, error.column, error.message]).toEqual([line, column, message]);
  });

  test("other names that shadow Object methods are just unknown, with a warning", () => {
    const config = parseConfig(`<virt-v2v><app toString="x" os="linux" name="a"><path>p</path></app></virt-v2v>`, "f");
    expect(config.apps[0]?.name).toBe("a");
    expect(config.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^unknown attribute .*toString.* on <app> is ignored$/)]);
  });

  test("a billion-laughs document is refused before any parsing", () => {
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><virt-v2v><path-root>&lol2;</path-root></virt-v2v>`;
    expect(parseError(laughs).message).toMatch(/DOCTYPE/);
  });

  test("markup inside comments and CDATA is not mistaken for declarations", () => {
    const config = parseConfig(
      `<virt-v2v><!-- <!DOCTYPE x> & --><path-root><![CDATA[/a&b<c]]></path-root></virt-v2v>`,
      "ok.conf",
    );
    expect(config.pathRoot).toBe("/a&b<c");
  });
});
