// One vitest configuration, four projects: unit (pure, fast), integration (real Postgres and
// real tools), guest (the real libguestfs/virt-v2v tools on the RHEL 5.4 test guest: minutes of
// emulated appliances: test/run-all.sh runs them in a vitest process of their own beside the
// others), e2e (the built console driven through Debian's chromium).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Tests that launch libguestfs appliances on the test guest (15-60 s each under emulation). */
// The libguestfs tests, in two groups of about equal time (each runs its files one at a time, so
// the two groups keep two appliances going at most; CI runs them side by side with the rest).
const GUEST_A = [
  "test/integration/engine/pipeline.test.ts",
  "test/integration/engine/inspect.test.ts",
  "test/integration/engine/quick-inspect.test.ts",
  "test/integration/engine/convert.test.ts",
];
const GUEST_B = [
  // The console's API, its embedded agent and `ferry convert --server` on the same guest: an e2e
  // file, but its whole conversion must not compete with the other appliances for two cores.
  "test/e2e/api-convert.test.ts",
  "test/integration/cli/convert-local.test.ts",
  "test/integration/engine/install-convert.test.ts",
];
const GUEST_TESTS = [...GUEST_A, ...GUEST_B];

const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          exclude: GUEST_TESTS,
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          globalSetup: ["test/integration/global-setup.ts"],
        },
      },
      ...(
        [
          ["guest-a", GUEST_A],
          ["guest-b", GUEST_B],
        ] as const
      ).map(([name, include]) => ({
        extends: true as const,
        test: {
          name,
          include: [...include],
          environment: "node" as const,
          testTimeout: 1_800_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
          globalSetup: ["test/e2e/global-setup.ts"],
        },
      })),
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          exclude: GUEST_TESTS,
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          globalSetup: ["test/e2e/global-setup.ts"],
        },
      },
    ],
  },
});
