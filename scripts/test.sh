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
status=0
for provider in sqlite postgres; do
  echo "=== Tests on $provider ==="
  CRYPTOPOCKET_TEST_DATABASE=$provider dotnet test Cryptopocket.slnx -c Release --no-build -nologo \
    --logger "console;verbosity=minimal" || status=1
done
exit $status
