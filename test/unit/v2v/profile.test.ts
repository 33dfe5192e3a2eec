import { describe, expect, test } from "vitest";
import {
  ProfileError,
  UsageError,
  formatProfileList,
  listProfiles,
  resolveProfile,
  type OutputOptions,
} from "../../../server/v2v/index.ts";
import { conf } from "./helpers.ts";

const FILE = conf(`
  <profile name="rhev-sparse">
    <method>rhev</method>
    <storage format="qcow2" allocation="sparse">nfs.example.com:/rhev-export</storage>
  </profile>
  <profile name="libvirt">
    <method>libvirt</method>
    <storage>default</storage>
  </profile>
  <profile name="no-method"><storage>default</storage></profile>
  <profile name="no-storage"><method>libvirt</method><storage format="raw"/></profile>
`, "virt-v2v.conf");

const CLI: OutputOptions = { method: "libvirt", storage: "pool1", format: "qcow2", allocation: "preallocated" };

describe("resolveProfile: precedence against -o/-os/-of/-oa", () => {
  test.each<[string, string | undefined, OutputOptions, object]>([
    ["no profile: the command line as given", undefined, CLI, { method: "libvirt", storage: "pool1", format: "qcow2", allocation: "preallocated" }],
    ["no profile, no -o: libvirt", undefined, { storage: "p" }, { method: "libvirt", storage: "p", format: undefined, allocation: undefined }],
    ["a full profile replaces all four", "rhev-sparse", CLI, { method: "rhev", storage: "nfs.example.com:/rhev-export", format: "qcow2", allocation: "sparse" }],
    // virt-v2v quirk: -of is reset to "same as source" when the profile's <storage> has no format.
    ["a profile without format resets -of; -oa is kept", "libvirt", CLI, { method: "libvirt", storage: "default", format: undefined, allocation: "preallocated" }],
  ])("%s", (_label, name, cli, expected) => {
    expect(resolveProfile([FILE], name, cli)).toMatchObject(expected);
  });

  test("the first file that defines the profile wins", () => {
    const user = conf(`<profile name="libvirt"><method>libvirt</method><storage>fast</storage></profile>`, "user.conf");
    expect(resolveProfile([user, FILE], "libvirt")).toMatchObject({ storage: "fast", profile: { name: "libvirt", file: "user.conf", fileIndex: 0 } });
    expect(resolveProfile([FILE, user], "libvirt").storage).toBe("default");
  });

  test("a file defining the name twice gives virt-v2v's warning", () => {
    const twice = conf(`<profile name="p"><method>rhev</method><storage>a</storage></profile><profile name="p"><method>rhev</method><storage>b</storage></profile>`);
    expect(resolveProfile([twice], "p")).toMatchObject({
      storage: "a",
      warnings: ["Multiple profiles defined with name p. Which profile is used is undefined."],
    });
  });

  test.each<[string, string]>([
    ["nope", "There is no profile named nope"],
    ["no-method", "Profile no-method doesn't specify an output method."],
    ["no-storage", "Profile no-storage doesn't specify output storage."],
  ])("profile %s: %s", (name, message) => {
    expect(() => resolveProfile([FILE], name, CLI)).toThrow(ProfileError);
    expect(() => resolveProfile([FILE], name, CLI)).toThrow(message);
  });

  test("without a profile, -os is required", () => {
    expect(() => resolveProfile([FILE], undefined, { method: "libvirt" })).toThrow(
      new UsageError("You must specify an output storage location"),
    );
  });

  test("a bad -oa is refused", () => {
    expect(() => resolveProfile([FILE], undefined, { storage: "p", allocation: "thin" })).toThrow(
      "allocation scheme must be sparse or preallocated",
    );
  });
});

describe("--list-profiles", () => {
  test("names in file order then document order, duplicates included, as virt-v2v prints them", () => {
    const user = conf(`<profile name="libvirt"><method>libvirt</method><storage>x</storage></profile>`, "user.conf");
    expect(listProfiles([user, FILE])).toEqual(["libvirt", "rhev-sparse", "libvirt", "no-method", "no-storage"]);
    expect(formatProfileList([FILE])).toBe(
      "Defined target profiles:\n  rhev-sparse\n  libvirt\n  no-method\n  no-storage\n",
    );
  });

  test("no profiles: just the heading", () => {
    expect(formatProfileList([conf("")])).toBe("Defined target profiles:\n");
  });
});
