// Worker-thread entry for bench/live-clients.ts: a worker does not inherit tsx's loader from
// the --import flag on Node 20, so it registers it here before loading the TypeScript.
import { register } from "tsx/esm/api";

register();
await import("./live-clients.ts");
