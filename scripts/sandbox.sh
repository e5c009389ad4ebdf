#!/usr/bin/env bash
# Runs the full sandbox on http://127.0.0.1:5080 with SQLite under ./data. Extra arguments go to
# 'cryptopocket serve' (e.g. --urls, --data-dir, --database). Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

ensure_dotnet
ensure_chain_tooling
# The plain build keeps src/Cryptopocket.Server/bin/Release/net10.0/cryptopocket.dll, the path operators' scripts
# use, up to date; the server itself runs from the ReadyToRun publish, which starts faster.
dotnet build src/Cryptopocket.Server -c Release -nologo -v quiet
publish_server artifacts/cryptopocket
exec dotnet artifacts/cryptopocket/cryptopocket.dll serve "$@"
