#!/usr/bin/env bash
# The project's test command: formatting check, one Release build, then every test project
# against a throwaway PostgreSQL. Ends with one line "N passed, M failed" (CI reads it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

is_root() { [[ $(id -u) -eq 0 ]]; }
pg_bin() { compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1 | xargs -r dirname; }

# --- System packages -------------------------------------------------------------------------
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium fonts-liberation)
[[ -n $(pg_bin) ]] || missing+=(postgresql)
# LibreOffice makes the PDF exports; poppler's pdftotext and pdfinfo check them.
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
# Redis carries live-session updates between two app instances in the backplane tests.
command -v redis-server >/dev/null || missing+=(redis-server)
if ((${#missing[@]} > 0)); then
  if ! is_root; then
    echo "Missing system packages. Install them with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} ..."
  # Keep the postgresql package from starting its default cluster: tests use their own.
  made_policy=false
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=true
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if $made_policy; then rm -f /usr/sbin/policy-rc.d; fi
fi
PG_BIN=$(pg_bin)

# --- Formatting ------------------------------------------------------------------------------
dotnet tool restore >/dev/null
format_rc=0
dotnet csharpier check . || format_rc=$?

# --- Throwaway PostgreSQL --------------------------------------------------------------------
PG_DIR=$(mktemp -d)
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_postgres() {
  if [[ -f $PG_DIR/data/postmaster.pid ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}
REDIS_DIR=$(mktemp -d)
stop_redis() {
  if [[ -f $REDIS_DIR/redis.pid ]]; then kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$REDIS_DIR"
}
trap 'stop_redis; stop_postgres' EXIT
trap 'exit 130' INT TERM
if is_root; then chown postgres:postgres "$PG_DIR"; fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PG_PORT=55432
while port_busy "$PG_PORT"; do
  PG_PORT=$((PG_PORT + 1))
  if ((PG_PORT > 55532)); then
    echo "No free port for PostgreSQL between 55432 and 55532." >&2
    exit 1
  fi
done

if ! as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -N >"$PG_DIR/initdb.log" 2>&1; then
  cat "$PG_DIR/initdb.log" >&2
  exit 1
fi
# The server's output goes to a log file so it never holds this script's stdout open.
if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 -c full_page_writes=off -c synchronous_commit=off" \
  start >/dev/null; then
  cat "$PG_DIR/postgres.log" >&2
  exit 1
fi
export PEISC_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PG_PORT"

# --- Throwaway Redis (live sessions across two app instances) --------------------------------
REDIS_PORT=56379
while port_busy "$REDIS_PORT"; do
  REDIS_PORT=$((REDIS_PORT + 1))
  if ((REDIS_PORT > 56479)); then
    echo "No free port for Redis between 56379 and 56479." >&2
    exit 1
  fi
done
if ! redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"; then
  echo "Redis did not start." >&2
  exit 1
fi
for _ in $(seq 1 50); do
  [[ -f $REDIS_DIR/redis.pid ]] && port_busy "$REDIS_PORT" && break
  sleep 0.1
done
if ! port_busy "$REDIS_PORT"; then
  cat "$REDIS_DIR/redis.log" >&2
  exit 1
fi
export PEISC_TEST_REDIS="127.0.0.1:$REDIS_PORT"
echo "Redis on port $REDIS_PORT"

# The PDF tests fail, rather than pass quietly, if LibreOffice is missing.
export PEISC_REQUIRE_SOFFICE=1

# --- Build and test --------------------------------------------------------------------------
mapfile -t projects < <(compgen -G 'tests/*/*.csproj' | sort)
for project in "${projects[@]}"; do
  if ! grep -qF "$project" Peisc.slnx; then
    echo "$project is not in Peisc.slnx: run 'dotnet sln add $project'." >&2
    exit 1
  fi
done

dotnet build Peisc.slnx -c Release -nologo -v quiet

RESULTS=$ROOT/TestResults
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
run_failed=false
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  echo "Testing $name ..."
  if ! dotnet test "$project" --no-build -c Release --logger "trx;LogFileName=$name.trx" \
    --results-directory "$RESULTS"; then
    run_failed=true
  fi
  if [[ ! -f $RESULTS/$name.trx ]]; then
    echo "$name wrote no results (the test run crashed?)." >&2
    run_failed=true
  fi
done

# --- Summary ---------------------------------------------------------------------------------
total=0 executed=0 passed=0 failed=0
counter() {
  local value
  value=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")
  echo "${value:-0}"
}
for trx in "$RESULTS"/*.trx; do
  [[ -f $trx ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" || true)
  total=$((total + $(counter total "$counters")))
  executed=$((executed + $(counter executed "$counters")))
  passed=$((passed + $(counter passed "$counters")))
  for kind in failed error timeout aborted; do
    failed=$((failed + $(counter "$kind" "$counters")))
  done
done
skipped=$((total - executed))

status=0
if ((format_rc != 0)); then
  echo "Formatting check failed: run 'dotnet csharpier format .' and commit the result." >&2
  status=1
fi
if $run_failed || ((failed > 0)); then status=1; fi
if ((executed == 0)); then
  echo "No tests ran." >&2
  status=1
fi

summary="$passed passed, $failed failed"
if ((skipped > 0)); then summary+=", $skipped skipped"; fi
echo "$summary"
exit "$status"
