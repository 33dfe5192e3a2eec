// Path confinement: every rejection, with a message naming the path and what is wrong, and the
// real-path check that catches symbolic links leading out of the repository.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { AppError } from "../../../server/errors.ts";
import { confinePath } from "../../../server/software/confine-path.ts";

let root: string;
let outside: string;

beforeAll(() => {
  const base = mkdtempSync(path.join(os.tmpdir(), "ferry-confine-"));
  root = path.join(base, "repo");
  outside = path.join(base, "outside");
  mkdirSync(path.join(root, "rhel/5"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(outside, "secret"), "not yours");
  writeFileSync(path.join(root, "rhel/5/kernel.rpm"), "rpm");
  symlinkSync(outside, path.join(root, "escape")); // a folder link leading out
  symlinkSync(path.join(outside, "secret"), path.join(root, "secret.rpm")); // a file link leading out
  symlinkSync("../../outside", path.join(root, "rhel/relative-escape")); // relative, still out
  symlinkSync(path.join(root, "nowhere"), path.join(root, "dangling"));
  symlinkSync("5", path.join(root, "rhel/five")); // stays inside: allowed
});

async function refusal(p: string): Promise<AppError> {
  const e = await confinePath(root, p).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, `expected ${JSON.stringify(p)} to be refused`).toBeInstanceOf(AppError);
  const err = e as AppError;
  expect(err.code).toBe("INVALID_INPUT");
  expect(err.fieldErrors?.path).toEqual([err.message]);
  return err;
}

describe("confinePath", () => {
  test("plain relative paths resolve inside the repository, existing or not", async () => {
    expect(await confinePath(root, "rhel/5/kernel.rpm")).toBe(path.join(root, "rhel/5/kernel.rpm"));
    expect(await confinePath(root, "rhel/6/new/kernel.rpm")).toBe(path.join(root, "rhel/6/new/kernel.rpm"));
    expect(await confinePath(root, "virtio-win/drivers/i386/Win2008")).toBe(path.join(root, "virtio-win/drivers/i386/Win2008"));
    expect(await confinePath(root, "ünïcode ok/ファイル.exe")).toBe(path.join(root, "ünïcode ok/ファイル.exe"));
    expect(await confinePath(root, "..hidden/..x")).toBe(path.join(root, "..hidden/..x"));
  });

  test("a symbolic link that stays inside the repository is allowed", async () => {
    expect(await confinePath(root, "rhel/five/kernel.rpm")).toBe(path.join(root, "rhel/five/kernel.rpm"));
  });

  test.each([
    ["", /The path is empty/],
    ["/etc/passwd", /The path "\/etc\/passwd" is absolute/],
    ["../outside/secret", /The path "\.\.\/outside\/secret" has a "\.\." segment/],
    ["rhel/../../outside", /has a "\.\." segment/],
    ["rhel/5/..", /has a "\.\." segment/],
    ["rhel//5/kernel.rpm", /The path "rhel\/\/5\/kernel.rpm" has an empty segment/],
    ["rhel/5/", /has an empty segment/],
    ["./rhel/5/kernel.rpm", /has a "\." segment/],
    ["rhel\\5\\kernel.rpm", /The path "rhel\\\\5\\\\kernel.rpm" contains a backslash/],
    ["rhel/5/kernel\0.rpm", /The path "rhel\/5\/kernel\\u0000.rpm" contains a NUL character/],
    ["rhel/5/kernel\n.rpm", /contains a control character \(U\+000A\)/],
    ["rhel/5/kernel\u007f.rpm", /contains a control character \(U\+007F\)/],
    ["a/".repeat(512) + "x", /is too long: 1025 bytes, at most 1024/],
    ["dir/" + "é".repeat(128) + ".rpm", /has a segment of 260 bytes .* at most 255/],
    [".ferry-upload-123.part", /starts with \.ferry-, which the console keeps/],
  ])("refuses %j", async (p, message) => {
    expect((await refusal(p)).message).toMatch(message);
  });

  test("refuses a symbolic link inside the repository that leads out of it (folder, file, relative)", async () => {
    expect((await refusal("escape/secret")).message).toBe('The path "escape/secret" leads outside the repository through a symbolic link.');
    expect((await refusal("escape/new/file.rpm")).message).toMatch(/leads outside the repository/);
    expect((await refusal("escape")).message).toMatch(/leads outside the repository/);
    expect((await refusal("secret.rpm")).message).toMatch(/leads outside the repository/);
    expect((await refusal("rhel/relative-escape/passwd")).message).toMatch(/leads outside the repository/);
  });

  test("refuses a symbolic link that leads nowhere", async () => {
    expect((await refusal("dangling")).message).toMatch(/symbolic link that leads nowhere/);
  });

  test("a message shows a long path cut short, never the whole of it", async () => {
    const long = "x".repeat(300) + "/../y";
    const err = await refusal(long);
    expect(err.message).not.toContain(long.slice(0, 100));
    expect(err.message).toContain("…");
  });
});
