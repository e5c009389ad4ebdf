#!/usr/bin/env bash
# The performance benchmark (issue 7, docs/performance.md): installs what it needs (PostgreSQL with pgbench from
# Debian, the chain tooling with npm), starts a loopback-only PostgreSQL, builds the benchmark in Release and the
# server as the ReadyToRun publish ./scripts/sandbox.sh runs, and runs every phase. Arguments go to the benchmark:
# --smoke (seconds, for CI; docs not written), --duration SECONDS, --warmup SECONDS, --connections N, --transfers N,
# --webhook-events N, --integrations N, --customers N. Without --smoke the results table is written into docs/performance.md.
# Exit code: 0 every target met (or --smoke finished), 3 finished with targets missed, 1 the run failed.
# BENCH_ARTIFACTS=DIR builds with --artifacts-path DIR instead of the projects' own bin/obj folders;
# BENCH_SERVER_DLL=PATH measures another build of the server (say a plain JIT build) instead of the one published here,
# and BENCH_SOURCE_NOTE=TEXT then says in the results what that build is.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

ensure_dotnet
ensure_debian_packages postgresql
ensure_chain_tooling
start_postgres

if [ -n "${BENCH_ARTIFACTS:-}" ]; then
  build=(--artifacts-path "$BENCH_ARTIFACTS")
  server_dir="$BENCH_ARTIFACTS/publish/cryptopocket"
  bench_dll="$BENCH_ARTIFACTS/bin/Cryptopocket.Bench/release/cryptopocket-bench.dll"
else
  build=()
  server_dir=artifacts/bench/cryptopocket
  bench_dll=bench/Cryptopocket.Bench/bin/Release/net10.0/cryptopocket-bench.dll
fi
source_note=()
if [ -n "${BENCH_SERVER_DLL:-}" ]; then
  server_dll="$BENCH_SERVER_DLL"
  source_note=(--source-note "${BENCH_SOURCE_NOTE:-the server at $BENCH_SERVER_DLL (BENCH_SERVER_DLL; not built from this working tree by the run)}")
else
  # What ./scripts/sandbox.sh runs: the ReadyToRun publish.
  publish_server "$server_dir" "${build[@]}"
  server_dll="$server_dir/cryptopocket.dll"
fi
dotnet build bench/Cryptopocket.Bench -c Release -nologo -v quiet "${build[@]}"

# Kills a process and its descendants by pid, deepest first (never by name).
kill_tree() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    kill_tree "$child"
  done
  kill -KILL "$1" 2>/dev/null || true
}

# The benchmark stops its own children (server, node, signer, baseline) on every path; this trap covers the
# benchmark itself being interrupted: SIGTERM first (it kills its children and drops its databases), then, if it is
# still there after 20 s, it and whatever is left under it.
bench_pid=""
stop_bench() {
  if [ -n "$bench_pid" ] && kill -0 "$bench_pid" 2>/dev/null; then
    kill -TERM "$bench_pid" 2>/dev/null || true
    for _ in $(seq 40); do
      kill -0 "$bench_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill_tree "$bench_pid"
  fi
}
trap stop_bench EXIT
trap 'stop_bench; exit 130' INT TERM

# The command as typed, environment included, is recorded with the results.
recorded="./bench/run.sh${*:+ $*}"
[ -z "${BENCH_SERVER_DLL:-}" ] || recorded="BENCH_SERVER_DLL=$BENCH_SERVER_DLL $recorded"
[ -z "${BENCH_ARTIFACTS:-}" ] || recorded="BENCH_ARTIFACTS=$BENCH_ARTIFACTS $recorded"
dotnet "$bench_dll" run --server-dll "$server_dll" --repo "$PWD" --pg "$CRYPTOPOCKET_TEST_PG" \
  --command "$recorded" --docs docs/performance.md "${source_note[@]}" "$@" &
bench_pid=$!
status=0
wait "$bench_pid" || status=$?
bench_pid=""
exit "$status"
