// A sha256 shown abbreviated (the whole value on hover and in the copy).
import { CopyButton } from "./copy-button";

export function Sha256({ value, path }: { value: string; path: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      <code className="font-mono text-[0.8125rem] text-fg-muted" title={value}>
        {value.slice(0, 12)}…
      </code>
      <CopyButton value={value} label={`Copy the sha256 of ${path}`} />
    </span>
  );
}
