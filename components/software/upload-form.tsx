"use client";
// Uploads one file into a repository with a real progress bar: the browser sends the file's
// bytes as the request body (XMLHttpRequest, for its upload progress events), the console
// streams them to disk. Cancel aborts the request; the console then keeps nothing of it.
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CardBody, CardFooter } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { UploadIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Progress } from "@/components/ui/progress";
import { formatBytes, formatDuration, formatRate } from "./format";

type Outcome = { tone: "success" | "danger" | "info"; message: string; fieldError?: string } | null;
type Sending = { sent: number; total: number; rate: number | null };

export type UploadFormProps = { repositoryId: string; repositoryName: string; existingPaths: string[] };

function errorOf(xhr: XMLHttpRequest): { message: string; field?: string } {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { message?: string; fields?: { path?: string[] } } };
    if (body.error?.message) return { message: body.error.message, field: body.error.fields?.path?.[0] };
  } catch {
    // not JSON: a proxy's error page, say
  }
  return { message: `The console answered ${xhr.status} ${xhr.statusText}; nothing was stored.` };
}

export function UploadForm({ repositoryId, repositoryName, existingPaths }: UploadFormProps) {
  const router = useRouter();
  const fileInput = useRef<HTMLInputElement>(null);
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const sample = useRef<{ t: number; sent: number; rate: number | null }>({ t: 0, sent: 0, rate: null });
  const [file, setFile] = useState<File | null>(null);
  const [path, setPath] = useState("");
  const [pathEdited, setPathEdited] = useState(false);
  const [sending, setSending] = useState<Sending | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const replaces = path !== "" && existingPaths.includes(path);

  const chooseFile = (chosen: File | null) => {
    setFile(chosen);
    setOutcome(null);
    if (chosen && !pathEdited) setPath(chosen.name);
  };

  const progress = (sent: number, total: number) => {
    const now = performance.now();
    const s = sample.current;
    const dt = (now - s.t) / 1000;
    if (dt >= 0.25) {
      const instant = (sent - s.sent) / dt;
      // Smoothed, so the time left does not jump with every event.
      sample.current = { t: now, sent, rate: s.rate === null ? instant : s.rate * 0.7 + instant * 0.3 };
    }
    setSending({ sent, total, rate: sample.current.rate });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setOutcome({ tone: "danger", message: "Choose a file to upload." });
      return;
    }
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    sample.current = { t: performance.now(), sent: 0, rate: null };
    setOutcome(null);
    setSending({ sent: 0, total: file.size, rate: null });
    xhr.open("POST", `/api/repositories/${encodeURIComponent(repositoryId)}/files?path=${encodeURIComponent(path)}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (e) => progress(e.loaded, e.lengthComputable ? e.total : file.size);
    const finish = (next: Outcome) => {
      xhrRef.current = null;
      setSending(null);
      setOutcome(next);
    };
    xhr.onload = () => {
      if (xhr.status === 200 || xhr.status === 201) {
        const { file: stored } = JSON.parse(xhr.responseText) as { file: { path: string; size: number; sha256: string } };
        const verb = xhr.status === 200 ? "Replaced" : "Uploaded";
        finish({ tone: "success", message: `${verb} ${stored.path} (${formatBytes(stored.size)}, sha256 ${stored.sha256.slice(0, 12)}…) in ${repositoryName}.` });
        setFile(null);
        setPath("");
        setPathEdited(false);
        if (fileInput.current) fileInput.current.value = "";
        router.refresh();
      } else {
        const { message, field } = errorOf(xhr);
        finish({ tone: "danger", message, fieldError: field });
      }
    };
    xhr.onerror = () => finish({ tone: "danger", message: "The upload failed: the connection to the console was lost. Nothing was stored; try again." });
    xhr.onabort = () => finish({ tone: "info", message: `Upload of ${path} cancelled; nothing was stored.` });
    xhr.send(file);
  };

  const busy = sending !== null;
  const pct = sending && sending.total > 0 ? Math.floor((sending.sent / sending.total) * 100) : 0;
  const left = sending && sending.rate ? (sending.total - sending.sent) / sending.rate : null;
  const finishing = sending !== null && sending.total > 0 && sending.sent >= sending.total;
  const status = sending
    ? finishing
      ? "All bytes sent; the console is writing them to disk and recording the file…"
      : `${formatBytes(sending.sent)} of ${formatBytes(sending.total)} (${pct}%)` +
        (sending.rate ? ` · ${formatRate(sending.rate)} · ${left !== null ? formatDuration(left) : "?"} left` : "")
    : "";

  return (
    <form onSubmit={submit} aria-label={`Upload a file to ${repositoryName}`}>
      <CardBody className="space-y-4">
        {outcome ? <Alert tone={outcome.tone}>{outcome.message}</Alert> : null}
        <Field id="upload-file" label="File" required hint={file ? `${file.name}, ${formatBytes(file.size)}` : "An RPM, an .exe, a driver file…"}>
          <Input ref={fileInput} type="file" name="file" disabled={busy} onChange={(e) => chooseFile(e.currentTarget.files?.[0] ?? null)} />
        </Field>
        <Field
          id="upload-path"
          label="Path in the repository"
          required
          hint={<>Where apps find it, e.g. <code className="font-mono">rhel/5/kernel-2.6.18-128.el5.x86_64.rpm</code>. Defaults to the file&apos;s name.</>}
          error={outcome?.fieldError}
        >
          <Input
            name="path"
            value={path}
            disabled={busy}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            onChange={(e) => {
              setPath(e.currentTarget.value);
              setPathEdited(e.currentTarget.value !== "");
            }}
          />
        </Field>
        {replaces && !busy ? <Alert tone="warning">A file is already at {path}: uploading replaces it (the audit log keeps both checksums).</Alert> : null}
        {sending ? (
          <div className="space-y-1.5">
            <Progress label={`Uploading ${path}`} value={finishing ? null : sending.sent} max={sending.total || 1} valueText={status} />
            <p className="text-[0.8125rem] tabular-nums text-fg-muted">
              {status}
            </p>
          </div>
        ) : null}
      </CardBody>
      <CardFooter>
        {busy ? (
          <Button variant="secondary" onClick={() => xhrRef.current?.abort()}>
            Cancel upload
          </Button>
        ) : null}
        <Button type="submit" variant="primary" pending={busy} pendingLabel="Uploading…" disabled={!file || path === ""}>
          <UploadIcon /> Upload
        </Button>
      </CardFooter>
    </form>
  );
}
