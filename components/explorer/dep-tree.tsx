// The dependency tree resolved the way virt-v2v resolves it: each package, the app it matches
// (layer, rung, file, presence), its own deps below it; cycles and no-matches marked.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ErrorIcon } from "@/components/ui/icons";
import type { DepNode } from "@/server/config/explain-match";
import { layerHref } from "./element-attrs";
import { PresenceBadge } from "./presence-badge";

function count(nodes: DepNode[]): { total: number; missing: number; problems: number } {
  let total = 0;
  let missing = 0;
  let problems = 0;
  const walk = (list: DepNode[]) => {
    for (const n of list) {
      total++;
      if (n.problem) problems++;
      if (n.app?.present === false) missing++;
      walk(n.children);
    }
  };
  walk(nodes);
  return { total, missing, problems };
}

function Node({ node }: { node: DepNode }) {
  const app = node.app;
  return (
    <li className="relative pl-5 before:absolute before:top-0 before:left-0 before:h-4 before:w-3.5 before:rounded-bl-md before:border-b before:border-l before:border-line-strong" data-testid="dep-node" data-name={node.name}>
      <div className={cn("rounded-md border px-3 py-2", node.problem ? "border-danger-line bg-danger-soft" : node.cycle ? "border-warning-line bg-warning-soft" : "border-line bg-surface")}>
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <code className="font-mono text-sm font-semibold text-fg">{node.name}</code>
          {node.arch ? <span className="font-mono text-xs text-fg-muted">{node.arch}</span> : null}
          {node.minversion ? <Badge tone="info">≥ {node.minversion}</Badge> : null}
          {node.ifinstalled ? <Badge tone="neutral" title="Installed or upgraded only when the guest already has this package">only if installed</Badge> : null}
          {node.cycle ? <Badge tone="warning">cycle: already above in this branch</Badge> : null}
          {app ? <PresenceBadge present={app.present} /> : null}
        </div>
        {app ? (
          <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-0.5 text-[0.8125rem] text-fg-muted">
            <span>
              →{" "}
              <Link href={layerHref(app.layerId, "apps")} className="text-accent-fg hover:underline">
                {app.layerName}
              </Link>{" "}
              · rung {app.rung}
              {app.shadowed.length ? ` · shadows ${app.shadowed.length}` : ""}
            </span>
            <code className="font-mono text-xs break-all text-fg">{app.hostPath}</code>
          </div>
        ) : null}
        {node.problem ? (
          <p className="mt-1 flex items-start gap-1.5 font-mono text-[0.8125rem] text-danger-fg">
            <ErrorIcon className="mt-0.5 size-4 shrink-0" />
            {node.problem}
          </p>
        ) : null}
        {node.note ? <p className="mt-1 text-xs text-fg-muted">{node.note}</p> : null}
      </div>
      {node.children.length ? <DepList nodes={node.children} /> : null}
    </li>
  );
}

function DepList({ nodes, root = false }: { nodes: DepNode[]; root?: boolean }) {
  return (
    <ul className={cn("space-y-2", root ? "" : "mt-2 ml-3 border-l border-line-strong pl-0 [&>li:last-child]:before:bg-surface")}>
      {nodes.map((n, i) => (
        <Node key={`${n.name}-${i}`} node={n} />
      ))}
    </ul>
  );
}

export function DepTree({ kind, name, tree }: { kind: "app" | "capability"; name: string; tree: DepNode[] }) {
  const c = count(tree);
  return (
    <Card aria-labelledby="deps-title">
      <CardHeader
        title={<span id="deps-title">Dependency tree</span>}
        description={
          kind === "capability"
            ? "The packages the capability needs, each looked up as an app for this guest (the kernel with the kernel's arch), and what those apps need in turn."
            : "What virt-v2v installs along with this app: each dep looked up as an app for the same guest."
        }
        actions={
          tree.length ? (
            <div className="flex flex-wrap gap-1.5">
              <Badge>{c.total} {c.total === 1 ? "entry" : "entries"}</Badge>
              {c.missing ? <Badge tone="danger">{c.missing} missing</Badge> : null}
              {c.problems ? <Badge tone="danger">{c.problems} without a match</Badge> : null}
            </div>
          ) : null
        }
      />
      <CardBody>
        {tree.length === 0 ? (
          <p className="text-sm text-fg-muted">
            <code className="font-mono text-fg">{name}</code> has no dependencies{kind === "capability" ? ": the guest already has it and nothing is installed." : "."}
          </p>
        ) : (
          <div className="rounded-md border border-dashed border-line p-3">
            <p className="mb-2 font-mono text-sm font-semibold text-fg">{name}</p>
            <DepList nodes={tree} />
          </div>
        )}
      </CardBody>
    </Card>
  );
}
