#!/usr/bin/env bash
# Runs the full sandbox on http://127.0.0.1:5080 with SQLite under ./data. Extra arguments go to
# 'cryptopocket serve' (e.g. --urls, --data-dir, --database). Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

ensure_dotnet
ensure_chain_tooling
dotnet build src/Cryptopocket.Server -c Release -nologo -v quiet
exec dotnet src/Cryptopocket.Server/bin/Release/net10.0/cryptopocket.dll serve "$@"
