#!/usr/bin/env bash
# The README's test command: installs what the tests need (Debian packages, then npm packages)
# and runs the whole suite: unit, integration (real embedded PostgreSQL) and e2e (the built
# console driven through Debian's chromium). Prints a closing "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use. Installed only when missing. libguestfs-tools, virt-v2v,
# libnbd-bin (nbdcopy), linux-image-amd64 (the appliance kernel), qemu-system-x86 and rpm
# (rpm, rpmbuild) run and build the RHEL 5.4 test guest (test/helpers/rhel5-guest.ts).
# libvirt-daemon-system runs the libvirtd the output tests start; nbdkit serves throttled sources to the agent tests
# and, with its ssh plugin (in the nbdkit package), remote source disks; openssh-server is the loopback sshd the
# remote-source tests start (test/helpers/sshd.ts), openssh-client its ssh-keygen.
PACKAGES=(chromium qemu-utils xorriso genisoimage libvirt-clients libvirt-daemon-system qemu-system-x86 nbdkit libnbd-bin libguestfs-tools virt-v2v linux-image-amd64 rpm openssh-server openssh-client openssl)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The tests' PostgreSQL servers listen on fixed ports in 54300-54600, inside Linux's ephemeral
# range (32768-60999): under load an outgoing connection's local port once took one of them
# ("PostgreSQL did not start on 127.0.0.1:54360"). Reserve them, where this user may.
reserved=/proc/sys/net/ipv4/ip_local_reserved_ports
if [ -w "$reserved" ] && ! grep -q "54300-54600" "$reserved"; then
  current=$(cat "$reserved")
  echo "${current:+$current,}54300-54600" >"$reserved" 2>/dev/null || echo "note: could not reserve ports 54300-54600 for the tests"
fi

# npm install rather than npm ci: the registry these machines reach lacks the other platforms' optional
# packages (e.g. @next/swc-darwin-*), so the lock file cannot list them and `npm ci` refuses it.
npm install --no-audit --no-fund

mkdir -p test-results
# Known vulnerabilities in what the console runs: high or critical fails the run. Where the registry
# has no audit endpoint (the mirror these machines use answers 405), say so and go on.
npm audit --omit=dev --json >test-results/npm-audit.json 2>/dev/null || true
node -e '
const r = JSON.parse(require("fs").readFileSync("test-results/npm-audit.json", "utf8") || "{}");
const v = r.metadata?.vulnerabilities;
if (!v) { console.log(`npm audit: not available here (${String(r.message ?? r.error?.summary ?? "no answer").split("\n")[0]})`); process.exit(0); }
console.log(`npm audit --omit=dev: ${v.critical} critical, ${v.high} high, ${v.moderate} moderate, ${v.low} low`);
process.exit(v.critical || v.high ? 1 : 0);
'
# Build the console once, before any test starts one: the projects below run side by side, and
# two `next build`s in one directory would trip over each other.
NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production npx next build >test-results/next-build.log 2>&1 || { cat test-results/next-build.log; exit 1; }
export FERRY_E2E_SKIP_BUILD=1

# Every temporary file of the tests goes under one directory of this run, removed when the run
# ends: consoles' data directories, scratch disks and libguestfs' appliance cache (it follows
# TMPDIR) were left in /tmp by each run (about 2 GB), and a machine that runs the suite often
# filled up. The test guest's cache stays outside it (built once per machine). Traversable by
# all: the embedded PostgreSQL servers run as postgres below it.
export FERRY_TEST_CACHE="${FERRY_TEST_CACHE:-${TMPDIR:-/tmp}/ferry-test-cache}"
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferry-tests-XXXXXX")
chmod 711 "$run_tmp"
trap 'rm -rf "$run_tmp"' EXIT
export TMPDIR="$run_tmp"

# Four vitest processes side by side (one vitest process runs its files one at a time on a
# 2-core machine): unit + e2e, integration, and the libguestfs tests on the RHEL 5.4 guest in two
# groups (most of their time is spent waiting on emulated appliances, consoles and browsers). Each writes its
# own log and JSON report; the logs are printed in turn when all have finished.
# Arguments given to this script (e.g. a file filter) go to each of them.
run_group() {
  local name=$1; shift
  npx vitest run --config test/vitest.config.ts "$@" --reporter=default --reporter=json \
    --outputFile.json="test-results/vitest-$name.json" --passWithNoTests >"test-results/vitest-$name.log" 2>&1
}
run_group main --project unit --project e2e "$@" & main=$!
run_group integration --project integration "$@" & integration=$!
run_group guest-a --project guest-a "$@" & guest_a=$!
run_group guest-b --project guest-b "$@" & guest_b=$!
status=0
for pid in $main $integration $guest_a $guest_b; do wait "$pid" || status=1; done
for name in main integration guest-a guest-b; do
  echo "===== vitest: $name ====="
  cat "test-results/vitest-$name.log"
done

node -e '
const fs = require("fs");
let passed = 0, failed = 0, skipped = 0, failedFiles = 0;
for (const name of ["main", "integration", "guest-a", "guest-b"]) {
  const file = `test-results/vitest-${name}.json`;
  if (!fs.existsSync(file)) { console.log(`vitest ${name}: no report (see its log above)`); failed++; continue; }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // numFailedTestSuites counts describe blocks too: count the files.
  failedFiles += (r.testResults ?? []).filter((file) => file.status === "failed").length;
  // Name what failed here, last: CI shows only the tail of a long log.
  for (const file of r.testResults ?? []) {
    const where = file.name.replace(process.cwd() + "/", "");
    const tests = (file.assertionResults ?? []).filter((t) => t.status === "failed");
    if (file.status === "failed" && tests.length === 0) console.log(`FAILED ${name}: ${where}: ${String(file.message ?? "").split("\n").slice(0, 3).join(" | ").slice(0, 400)}`);
    for (const t of tests) console.log(`FAILED ${name}: ${where} > ${t.fullName}: ${String(t.failureMessages?.[0] ?? "").split("\n").slice(0, 3).join(" | ").slice(0, 400)}`);
  }
}
// A file whose setup fails counts its tests as skipped: say so, or a red run reads as green.
console.log(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped${failedFiles ? `, ${failedFiles} test file(s) failed` : ""}`);
process.exit(failed || failedFiles ? 1 : 0);
' || status=1
exit $status
