import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { CancelledError, MissingToolsError, ToolFailedError } from "../../../server/engine/errors.ts";
import { findRemotePlugins } from "../../../server/engine/nbdkit-disks.ts";
import { TOOL_NAMES, findTools, preflight, run, which, type Env } from "../../../server/engine/tools.ts";
import { processGroup, processesInGroup, processesMentioning, scratch } from "./helpers.ts";

const tmp = scratch("tools");
afterAll(tmp.cleanup);

function ctx() {
  return createMemoryContext({ scratchDir: tmp.dir });
}

/** A PATH holding only the named programs (links to the real ones) and sh. */
function pathWith(dirName: string, programs: string[]): Env {
  const dir = join(tmp.dir, dirName);
  mkdirSync(dir);
  for (const p of [...programs, "sh"]) symlinkSync(which(p) as string, join(dir, p));
  return { PATH: dir };
}

describe("findTools", () => {
  test("reports every pipeline program: path and version, or the Debian package to install", async () => {
    const tools = await findTools();
    expect(tools.map((t) => [t.name, t.package])).toEqual([
      ["qemu-img", "qemu-utils"],
      ["xorriso", "xorriso"],
      ["guestfish", "libguestfs-tools"],
      ["virt-inspector", "libguestfs-tools"],
      ["virt-v2v-in-place", "virt-v2v"],
      ["virsh", "libvirt-clients"],
      ["nbdcopy", "libnbd-bin"],
      ["nbdkit", "nbdkit"],
    ]);
    expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES);
    for (const name of ["qemu-img", "xorriso"]) {
      const tool = tools.find((t) => t.name === name);
      expect(tool).toMatchObject({ found: true, path: which(name) });
      expect(tool?.found && tool.version).toMatch(/^\d+\.\d+/);
    }
  });

  test("a PATH without the program: missing, with its package", async () => {
    const env = pathWith("only-qemu-img", ["qemu-img"]);
    const tools = await findTools({ env });
    expect(tools.find((t) => t.name === "qemu-img")?.found).toBe(true);
    expect(tools.find((t) => t.name === "xorriso")).toEqual({ name: "xorriso", package: "xorriso", found: false });
  });
});

describe("findRemotePlugins", () => {
  test("this host's nbdkit loads the ssh and curl plugins remote sources are read with; without nbdkit, none", async () => {
    expect(await findRemotePlugins()).toEqual(["ssh", "curl"]);
    expect(await findRemotePlugins({ env: pathWith("no-nbdkit", ["qemu-img"]) })).toEqual([]);
  });
});

describe("preflight", () => {
  test("one error names every missing program and its package", () => {
    const env = pathWith("only-xorriso", ["xorriso"]);
    let error: unknown;
    try {
      preflight(["qemu-img", "xorriso", "virsh", "guestfish"], { env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingToolsError);
    const missing = error as MissingToolsError;
    expect(missing.missing).toEqual([
      { tool: "qemu-img", package: "qemu-utils" },
      { tool: "virsh", package: "libvirt-clients" },
      { tool: "guestfish", package: "libguestfs-tools" },
    ]);
    expect(missing.message).toBe(
      "Required programs are not installed: qemu-img (Debian package qemu-utils), virsh (Debian package libvirt-clients), " +
        "guestfish (Debian package libguestfs-tools). Install them with: apt-get install qemu-utils libvirt-clients libguestfs-tools",
    );
  });

  test("everything present: the paths", () => {
    expect(preflight(["qemu-img", "xorriso"])).toEqual({ "qemu-img": which("qemu-img"), xorriso: which("xorriso") });
  });
});

describe("run", () => {
  test("output streams to the callbacks and comes back on success", async () => {
    const out: string[] = [];
    const result = await run(ctx(), "sh", ["-c", "echo one; echo two >&2"], { onStdout: (c) => out.push(c) });
    expect(out.join("")).toBe("one\n");
    expect(result).toEqual({ stdout: "one\n", stderr: "two\n" });
  });

  test("a failure rejects with the command, the exit code and the stderr tail", async () => {
    const script = "for i in $(seq 1 30); do echo line $i >&2; done; exit 3";
    const error = await run(ctx(), "sh", ["-c", script]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolFailedError);
    const failed = error as ToolFailedError;
    expect(failed.exitCode).toBe(3);
    expect(failed.command).toBe(`sh -c '${script}'`);
    expect(failed.stderrTail.split("\n")).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 11}`));
    expect(failed.message).toContain("(exit code 3): line 11\n");
  });

  test("cancel kills the whole process group, grandchildren included", async () => {
    const c = ctx();
    const marker = `ferry-cancel-${process.pid}-${Date.now()}`;
    let group: number | undefined;
    // The grandchild shell (named by the marker) waits on its own sleep; `; :` keeps it from exec'ing.
    const error = await run(c, "sh", ["-c", `sh -c 'sleep 3600; :' ${marker} & echo $!; sleep 3601; wait`], {
      onStdout: (chunk) => {
        group = processGroup(Number(chunk.trim()));
        c.cancel();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(group).toBeGreaterThan(1);
    expect(processesMentioning(marker)).toEqual([]);
    expect(processesInGroup(group as number)).toEqual([]);
  });

  test("cancel settles only when the group is gone: a member that outlives the program and ignores SIGTERM gets SIGKILL", async () => {
    const c = ctx();
    const marker = `ferry-stubborn-${process.pid}-${Date.now()}`;
    let group: number | undefined;
    // Like an appliance's qemu: started by the program, not holding its pipes, and still running
    // when the program itself has exited. It ignores SIGTERM (inherited through exec).
    const ready = join(tmp.dir, `${marker}.ready`);
    const script = `sh -c 'trap "" TERM; : > ${ready}; exec sleep 3600' ${marker} </dev/null >/dev/null 2>&1 & while [ ! -e ${ready} ]; do sleep 0.05; done; echo $!; exec sleep 3601`;
    const started = Date.now();
    let cancelledAt = 0;
    const error = await run(c, "sh", ["-c", script], {
      onStdout: (chunk) => {
        group = processGroup(Number(chunk.trim()));
        cancelledAt = Date.now();
        c.cancel();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(group).toBeGreaterThan(1);
    expect(processesInGroup(group as number)).toEqual([]);
    // It took the SIGKILL after the 5 s grace period to go.
    expect(Date.now() - cancelledAt).toBeGreaterThanOrEqual(4_900);
    expect(cancelledAt).toBeGreaterThanOrEqual(started);
  }, 60_000);

  test("a callback that throws stops the program and its error comes back", async () => {
    const marker = `ferry-callback-${process.pid}-${Date.now()}`;
    const bug = new Error("bug in a progress parser");
    const error = await run(ctx(), "sh", ["-c", `echo start; sleep 3600; : ${marker}`], {
      onStdout: () => {
        throw bug;
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(bug);
    expect(processesMentioning(marker)).toEqual([]);
  });

  test("an already cancelled context starts nothing", async () => {
    const c = ctx();
    c.cancel();
    await expect(run(c, "sh", ["-c", "exit 0"])).rejects.toBeInstanceOf(CancelledError);
  });

  test("libguestfs programs get the direct backend with forced TCG; others do not", async () => {
    const bin = join(tmp.dir, "fake-bin");
    mkdirSync(bin);
    const script = "#!/bin/sh\necho \"$LIBGUESTFS_BACKEND $LIBGUESTFS_BACKEND_SETTINGS\"\n";
    for (const name of ["guestfish", "qemu-img"]) {
      writeFileSync(join(bin, name), script);
      chmodSync(join(bin, name), 0o755);
    }
    const env = { PATH: process.env.PATH, HOME: "/nonexistent" };
    expect((await run(ctx(), join(bin, "guestfish"), [], { env })).stdout).toBe("direct force_tcg\n");
    expect((await run(ctx(), join(bin, "qemu-img"), [], { env })).stdout).toBe(" \n");
  });
});
