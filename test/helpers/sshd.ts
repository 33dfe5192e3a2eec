// An sshd of the test's own on loopback: its config, host key and authorized_keys in a temp
// dir, sftp served in-process, public-key login only. Runs as the test's user (root in CI, so
// StrictModes is off: the temp dir's modes are not ssh's business here).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type TestSshd = {
  port: number;
  dir: string;
  user: string;
  /** `ssh://user@127.0.0.1:PORT`. */
  uri: string;
  /** A known_hosts line for this sshd's host key. */
  knownHosts: string;
  /** A private key the sshd accepts, and one it does not. */
  clientKey: string;
  wrongKey: string;
  /** A known_hosts line with another host key for the same address. */
  otherKnownHosts: string;
  logs: () => string;
  stop: () => Promise<void>;
};

function keygen(file: string): void {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "ferry-test", "-f", file]);
}

export async function startSshd(options: { port: number }): Promise<TestSshd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ferry-sshd-"));
  for (const name of ["host_key", "client_key", "wrong_key", "other_host_key"]) keygen(path.join(dir, name));
  writeFileSync(path.join(dir, "authorized_keys"), readFileSync(path.join(dir, "client_key.pub")));
  writeFileSync(
    path.join(dir, "sshd_config"),
    [
      `Port ${options.port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${path.join(dir, "host_key")}`,
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      "StrictModes no",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "Subsystem sftp internal-sftp",
      "",
    ].join("\n"),
  );
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 }); // privilege separation directory
  const child = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", path.join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
  let out = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (c: string) => (out += c));
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start within 10 s:\n${out}`)), 10_000);
    const check = () => {
      if (out.includes("Server listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`sshd exited before listening:\n${out}`));
    });
  });
  const user = os.userInfo().username;
  const hostLine = (pub: string) => `[127.0.0.1]:${options.port} ${readFileSync(path.join(dir, pub), "utf8").trim().split(" ").slice(0, 2).join(" ")}\n`;
  return {
    port: options.port,
    dir,
    user,
    uri: `ssh://${user}@127.0.0.1:${options.port}`,
    knownHosts: hostLine("host_key.pub"),
    otherKnownHosts: hostLine("other_host_key.pub"),
    clientKey: readFileSync(path.join(dir, "client_key"), "utf8"),
    wrongKey: readFileSync(path.join(dir, "wrong_key"), "utf8"),
    logs: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
