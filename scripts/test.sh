#!/usr/bin/env bash
# Runs every test, once against SQLite and once against PostgreSQL. Installs what it needs (PostgreSQL and
# Chromium from Debian, NuGet packages) and starts a loopback-only PostgreSQL. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

ensure_dotnet
ensure_debian_packages chromium fonts-liberation
ensure_chain_tooling
start_postgres

dotnet build Cryptopocket.slnx -c Release -nologo -v quiet
log=$(mktemp)
status=0
# One test project at a time: on two cores, browser, chain and server tests running side by side starve each other.
projects=(tests/Cryptopocket.Client.Tests tests/Cryptopocket.Server.Tests tests/Cryptopocket.EndToEnd.Tests)
for provider in sqlite postgres; do
  echo "=== Tests on $provider ==="
  for project in "${projects[@]}"; do
    CRYPTOPOCKET_TEST_DATABASE=$provider dotnet test "$project" -c Release --no-build -nologo \
      --logger "console;verbosity=minimal" 2>&1 | tee -a "$log" || status=1
  done
done
echo "=== Benchmark smoke run (bench/run.sh --smoke: every phase for a second; targets not enforced) ==="
./bench/run.sh --smoke 2>&1 | tail -n 15 | tee -a "$log" || status=1
echo "=== Chain tooling tests (chain/) ==="
(cd chain && npm test 2>&1) | tee -a "$log" || status=1
# One closing line over both runs, summed from each test assembly's own summary.
{
  grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/'
  # node --test closes with "ℹ pass N" / "ℹ fail N" (or "# pass N" in TAP form).
  grep -E '^(ℹ|#) (pass|fail) [0-9]+$' "$log" | awk '{ if ($2 == "fail") f += $3; else p += $3 } END { print f + 0, p + 0, 0 }'
} | awk '{f+=$1; p+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}'
rm -f "$log"
exit $status
