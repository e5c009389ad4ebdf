#!/usr/bin/env bash
# Runs every test, once against SQLite and once against PostgreSQL. Installs what it needs (PostgreSQL and
# Chromium from Debian, NuGet packages) and starts a loopback-only PostgreSQL. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

ensure_dotnet
ensure_debian_packages chromium fonts-liberation
start_postgres

dotnet build Cryptopocket.slnx -c Release -nologo -v quiet
log=$(mktemp)
status=0
for provider in sqlite postgres; do
  echo "=== Tests on $provider ==="
  CRYPTOPOCKET_TEST_DATABASE=$provider dotnet test Cryptopocket.slnx -c Release --no-build -nologo \
    --logger "console;verbosity=minimal" 2>&1 | tee -a "$log" || status=1
done
# One closing line over both runs, summed from each test assembly's own summary.
grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' |
  awk '{f+=$1; p+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}'
rm -f "$log"
exit $status
