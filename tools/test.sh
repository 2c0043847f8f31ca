#!/usr/bin/env bash
# Runs every test of the project: installs what the tests need, runs `dotnet test` over the solution, and ends with
# one plain "N passed, N failed, N skipped" line. Exit code: 0 only when the build and every test passed.
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh || exit 1

log=$(mktemp)
rm -f out/vm-end-to-end-timings.txt
dotnet test KubeOS.PowerShell.sln "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# The Microsoft.Testing.Platform summary ("total: N / failed: N / succeeded: N / skipped: N") is summed into the
# plain line CI reads. A build failure produces no summary: count it as one failure so it can't look green.
read -r passed failed skipped < <(awk '
  /^[[:space:]]+succeeded:[[:space:]]+[0-9]+/ {p=$2}
  /^[[:space:]]+failed:[[:space:]]+[0-9]+/    {f=$2}
  /^[[:space:]]+skipped:[[:space:]]+[0-9]+/   {s=$2}
  END {print p+0, f+0, s+0}' "$log")
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
rm -f "$log"
# The VM end-to-end test leaves its timing table here (image build, boot, each upgrade's phases, rollback).
if [ -f out/vm-end-to-end-timings.txt ]; then echo; cat out/vm-end-to-end-timings.txt; fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
