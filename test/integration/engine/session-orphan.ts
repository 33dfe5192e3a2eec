// Run by install-convert.test.ts in a process of its own: opens a GuestSession on the given disk,
// launches its appliance, prints the overlay's path, then waits to be killed.
import { createMemoryContext } from "../../../server/engine/context.ts";
import { GuestSession } from "../../../server/engine/guest-session.ts";

const [disk, scratchDir] = process.argv.slice(2) as [string, string];
const session = await GuestSession.open(createMemoryContext({ scratchDir }), [{ path: disk, format: "raw" }]);
process.stdout.write(`${(session.overlays[0] as { path: string }).path}\n`);
await session.launch();
process.stdout.write("launched\n");
setInterval(() => undefined, 60_000);
