// A tiny stand-in for an ESX host's https datastore browser on 127.0.0.1: GET/HEAD of
// /folder/PATH?dcPath=ha-datacenter&dsName=DS serves ROOT/DS/PATH with byte ranges, behind Basic
// auth, with a certificate signed by a CA this helper makes (openssl CLI). A second, unrelated
// CA lets a test present the wrong one.
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import https from "node:https";
import { join } from "node:path";

export type TestEsx = { port: number; user: string; password: string; caCert: string; otherCaCert: string; requests: string[]; stop(): Promise<void> };

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "2", "-subj", `/CN=Ferry test ${name}`]);
}

export async function startEsx(options: { dir: string; root: string; port: number; user?: string; password?: string }): Promise<TestEsx> {
  const { dir, root, port } = options;
  const user = options.user ?? "root";
  const password = options.password ?? "esx-Secret-9f3";
  makeCa(dir, "ca");
  makeCa(dir, "other-ca");
  openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
  writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1\n");
  openssl(dir, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext"]);
  const requests: string[] = [];
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

  const server = https.createServer({ key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.pem")) }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="VMware HTTP server"' }).end();
      return;
    }
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const ds = url.searchParams.get("dsName");
    const file = url.pathname.startsWith("/folder/") && url.searchParams.get("dcPath") === "ha-datacenter" && ds ? join(root, ds, decodeURIComponent(url.pathname.slice("/folder/".length))) : undefined;
    if (!file || file.includes("..") || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const size = statSync(file).size;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    const headers = { "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream", "Content-Length": String(end - start + 1) };
    if (range) res.writeHead(206, { ...headers, "Content-Range": `bytes ${start}-${end}/${size}` });
    else res.writeHead(200, headers);
    if (req.method === "HEAD") res.end();
    else createReadStream(file, { start, end }).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port,
    user,
    password,
    caCert: readFileSync(join(dir, "ca.pem"), "utf8"),
    otherCaCert: readFileSync(join(dir, "other-ca.pem"), "utf8"),
    requests,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
