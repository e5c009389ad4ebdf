# Shared set-up steps for scripts/sandbox.sh and scripts/test.sh. Every step is safe to run twice.

# Installs Debian packages that are missing; 'apt-get update' only when something must be installed.
ensure_debian_packages() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is required (https://dot.net); this machine has none on PATH." >&2
    exit 1
  fi
}

# Publishes the server ahead-of-time compiled (ReadyToRun) into $1: it starts in well under half the time of a plain
# build, whose every method the JIT compiles on first call (docs/performance.md, "start to ready"). Framework-dependent
# for linux-x64, so it still runs with `dotnet $1/cryptopocket.dll`. Extra arguments go to `dotnet publish`.
publish_server() {
  local out="$1"
  shift
  dotnet publish src/Cryptopocket.Server -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$out" -nologo -v quiet "$@"
}

# Starts a throw-away PostgreSQL cluster on 127.0.0.1:$CP_PG_PORT (trust auth, loopback only) unless one runs.
start_postgres() {
  ensure_debian_packages postgresql
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  local port="${CP_PG_PORT:-54329}"
  local dir="${CP_PG_DIR:-/tmp/cryptopocket-pg-$port}"
  local run_as=()
  if [ "$(id -u)" -eq 0 ]; then run_as=(runuser -u postgres --); fi
  if [ ! -s "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    "${run_as[@]}" "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --no-instructions >/dev/null
  fi
  if ! "${run_as[@]}" "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    "${run_as[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off" >/dev/null
  fi
  export CRYPTOPOCKET_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres"
  echo "PostgreSQL running on 127.0.0.1:$port (data in $dir)"
}

# Resolved while this file is sourced: BASH_SOURCE may be a relative path, valid only from the caller's folder.
CP_CHAIN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/chain"

# Installs chain/'s npm packages and compiles its contracts (build/*.json) when missing or out of date; silent
# when there is nothing to do, npm's output shown only on failure. See chain/README.md.
ensure_chain_tooling() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    ensure_debian_packages nodejs npm
  fi
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "chain/ needs Node.js 20 or later; this machine has $(node --version)." >&2
    exit 1
  fi
  local chain="$CP_CHAIN_DIR"
  local log
  log=$(mktemp)
  local installed=0
  # npm ci rewrites node_modules/.package-lock.json, so it is newer than package-lock.json until that changes.
  if [ ! -d "$chain/node_modules" ] || [ "$chain/package-lock.json" -nt "$chain/node_modules/.package-lock.json" ]; then
    echo "Installing npm packages in chain/"
    if ! (cd "$chain" && npm ci --no-audit --no-fund) >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      echo "npm ci failed in $chain" >&2
      exit 1
    fi
    installed=1
  fi
  # Rebuild after an install (the compiler may have changed) or when a source or the compile script is newer
  # than the oldest artifact.
  local oldest=""
  [ -d "$chain/build" ] && oldest=$(ls -1tr "$chain"/build/*.json 2>/dev/null | head -n 1)
  if [ "$installed" -eq 1 ] || [ -z "$oldest" ] || [ "$chain/scripts/compile.mjs" -nt "$oldest" ] ||
    [ -n "$(find "$chain/contracts" -maxdepth 1 -name '*.sol' -newer "$oldest" -print -quit)" ]; then
    echo "Compiling chain/contracts"
    if ! (cd "$chain" && npm run --silent build) >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      echo "Compiling the contracts in $chain failed" >&2
      exit 1
    fi
  fi
  rm -f "$log"
}
