// Failure grouping: the same cause gives one key whatever the guest, path, UUID or number.
import { describe, expect, test } from "vitest";
import { normaliseError } from "../../../server/conversions/dashboard-normalise.ts";

const same: [string, [string, string[]], [string, string[]]][] = [
  ["guest names", ["Domain web1 already exists on the target.", ["web1"]], ["Domain db-02 already exists on the target.", ["db-02"]]],
  ["paths", ["qemu-img: Could not open '/var/lib/libvirt/images/a.img': No such file or directory", []], ["qemu-img: Could not open '/srv/x/b c.raw': No such file or directory", []]],
  ["UUIDs", ["Storage domain 0b5c1a4e-1f2a-4b3c-9d8e-7f6a5b4c3d2e has no master/vms directory", []], ["Storage domain 11111111-2222-3333-4444-555555555555 has no master/vms directory", []]],
  ["numbers", ["The agent a1 stopped sending heartbeats (silent for 93 s; the timeout is 60 s)", ["a1"]], ["The agent b2 stopped sending heartbeats (silent for 7 s; the timeout is 5 s)", ["b2"]]],
  ["URIs and addresses", ["Cannot connect to xen+ssh://root@10.0.3.17/ : Connection refused", []], ["Cannot connect to xen+ssh://root@xen.example/ : Connection refused", []]],
  ["volume names from the guest", ["Storage volume web1-sda already exists", ["web1"]], ["Storage volume mail-sdb already exists", ["mail"]]],
];

describe("normaliseError", () => {
  test.each(same)("the same cause with different %s is one key", (_what, [a, an], [b, bn]) => {
    expect(normaliseError(a, an)).toBe(normaliseError(b, bn));
  });

  test("different causes stay apart", () => {
    const keys = new Set([
      normaliseError("Domain web1 already exists on the target.", ["web1"]),
      normaliseError("Guest doesn't define any storage devices", []),
      normaliseError("qemu-img: Could not open '/a.img': No such file or directory", []),
      normaliseError("qemu-img: Could not open '/a.img': Permission denied", []),
    ]);
    expect(keys.size).toBe(4);
  });

  test("keeps the words a person reads", () => {
    expect(normaliseError("virt-v2v-in-place: error: no kernels (12 checked, 93s)")).toBe("virt-v2v-in-place: error: no kernels (<n> checked, <n>s)");
    expect(normaliseError("Domain web1 already exists on the target.", ["web1"])).toBe("Domain <name> already exists on the target.");
    expect(normaliseError("qemu-img: Could not open '/var/lib/x.img': No such file or directory")).toBe("qemu-img: Could not open '<path>': No such file or directory");
  });
});
