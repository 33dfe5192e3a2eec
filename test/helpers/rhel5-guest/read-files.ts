// Reads files out of a guest disk in one read-only guestfish launch (each virt-cat would be a
// launch of its own). A missing file reads as undefined.
import { spawn } from "node:child_process";

const MARK = "@@ferry-file ";

export function readGuestFiles(disk: string, format: string, paths: readonly string[]): Promise<Record<string, string | undefined>> {
  // A script on stdin: `-cat` (a failing command does not stop the script) after a marker line.
  const script = paths.map((p) => `echo "${MARK}${p}"\n-cat ${p}\n`).join("");
  return new Promise((resolve, reject) => {
    const child = spawn("guestfish", ["--ro", `--format=${format}`, "-a", disk, "-i"], {
      env: { ...process.env, LIBGUESTFS_BACKEND: "direct", LIBGUESTFS_BACKEND_SETTINGS: "force_tcg" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => void (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => void (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0 && !stdout.includes(MARK)) return reject(new Error(`guestfish exited with ${code}: ${stderr}`));
      const out: Record<string, string | undefined> = Object.fromEntries(paths.map((p) => [p, undefined]));
      for (const part of stdout.split(MARK).slice(1)) {
        const newline = part.indexOf("\n");
        const body = part.slice(newline + 1);
        out[part.slice(0, newline)] = body === "" ? undefined : body;
      }
      resolve(out);
    });
    child.stdin.end(script);
  });
}
