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
