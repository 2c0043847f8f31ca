#!/usr/bin/env bash
# Runs every test of the project: installs what the tests need, runs `dotnet test` over the solution, and ends with
# one plain "N passed, N failed, N skipped" line. Exit code: 0 only when the build and every test passed.
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh || exit 1

log=$(mktemp)
vmlog=$(mktemp)
rm -f out/vm-end-to-end-timings.txt
# Every project but the VM end-to-end test, in parallel; then that test alone: it emulates a machine on the host's
# cores, and its timing table means something only when no other test competes for them.
dotnet test --solution KubeOS.PowerShell.NoVm.slnf "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
dotnet test --project tests/KubeOS.VmEndToEnd.Tests "$@" 2>&1 | tee "$vmlog"
vmrc=${PIPESTATUS[0]}

# The Microsoft.Testing.Platform summary ("total: N / failed: N / succeeded: N / skipped: N") of each run is summed
# into the plain line CI reads. A build failure produces no summary: count it as one failure so it can't look green.
summary() {
  awk -v rc="$2" '
    /^[[:space:]]+succeeded:[[:space:]]+[0-9]+/ {p=$2}
    /^[[:space:]]+failed:[[:space:]]+[0-9]+/    {f=$2}
    /^[[:space:]]+skipped:[[:space:]]+[0-9]+/   {s=$2}
    END {if (rc != 0 && f + 0 == 0) f = 1; print p+0, f+0, s+0}' "$1"
}
read -r passed failed skipped < <(summary "$log" "$rc")
read -r vmpassed vmfailed vmskipped < <(summary "$vmlog" "$vmrc")
passed=$((passed + vmpassed)); failed=$((failed + vmfailed)); skipped=$((skipped + vmskipped))
if [ "$rc" -eq 0 ]; then rc=$vmrc; fi
rm -f "$log" "$vmlog"
# The VM end-to-end test leaves its timing table here (image build, boot, each upgrade's phases, rollback).
if [ -f out/vm-end-to-end-timings.txt ]; then echo; cat out/vm-end-to-end-timings.txt; fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
