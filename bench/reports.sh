#!/usr/bin/env bash
# Reports benchmark (issue 5, item 11). Rerunnable by anyone: ./bench/reports.sh
#
# Publishes the app, seeds the demo organisation with 20,000 reviews (bench/seed.sql, as
# bench/run.sh does) and one large review (bench/reports-seed.sql: 3 rounds, 30 participants),
# then times the board report of the large review and the portfolio export of every review,
# and reads the app's peak memory (VmHWM) for each, reset before each measurement. Everything
# listens on 127.0.0.1 only; every request has a time limit. Prints the results as Markdown.
#
# Settings (environment variables, all optional):
#   BENCH_REVIEWS=20000   reviews to seed           BENCH_RUNS=10   timed requests per export
#   BENCH_KEEP=1          keep the work folder (published app, database, logs) afterwards
#   BENCH_GC=workstation  run the app with workstation GC (DOTNET_gcServer=0) instead of ASP.NET's server GC
# Targets: board report under 500 ms, portfolio under 5 s, each under 200 MB peak.
set -euo pipefail

started_at=$SECONDS
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
reviews=${BENCH_REVIEWS:-20000}
runs=${BENCH_RUNS:-10}

log() { printf '[reports %4ss] %s\n' "$((SECONDS - started_at))" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

for tool in sqlite3 jq curl; do
  command -v "$tool" >/dev/null || die "missing $tool: install with 'sudo apt-get install -y $tool'"
done
command -v dotnet >/dev/null || die "the .NET SDK is missing (see global.json for the version)"

work=$(mktemp -d "${TMPDIR:-/tmp}/peisc-reports.XXXXXX")
out=$work/app data=$work/data logs=$work/logs
mkdir -p "$data" "$logs"
app_pid=""
stop_app() {
  [[ -n $app_pid ]] || return 0
  kill -TERM "$app_pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}
cleanup() {
  local status=$?
  stop_app
  if [[ ${BENCH_KEEP:-} == 1 || $status -ne 0 ]]; then log "work folder kept: $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "publishing to $out"
dotnet publish src/Peisc.Web -c Release -o "$out" -nologo -v quiet >"$logs/publish.log" 2>&1 ||
  { cat "$logs/publish.log" >&2; die "dotnet publish"; }

gc_env=""
[[ ${BENCH_GC:-} == workstation ]] && gc_env=DOTNET_gcServer=0
base=""
start_app() {
  : >"$logs/app.log"
  (
    cd "$out"
    exec env ASPNETCORE_ENVIRONMENT=Development DataDirectory="$data" Demo__Enabled=true \
      ${gc_env:+"$gc_env"} \
      Logging__LogLevel__Default=Warning \
      dotnet Peisc.Web.dll --urls http://127.0.0.1:0 --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information
  ) >>"$logs/app.log" 2>&1 &
  app_pid=$!
  local port=""
  for _ in $(seq 1 120); do
    kill -0 "$app_pid" 2>/dev/null || { cat "$logs/app.log" >&2; die "the app stopped while starting"; }
    port=$(sed -n 's#.*Now listening on: http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$logs/app.log" | head -1)
    if [[ -n $port ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/health") == 200 ]]; then
      base=http://127.0.0.1:$port
      return 0
    fi
    sleep 0.5
  done
  die "the app did not answer /health within 60 s"
}

db=$data/peisc.db
start_app
stop_app

items=$(jq -r '[.sections[].cells[] as $c | $c.items[] | {cell: $c.id, item: .id}]
  | to_entries | map("(\(.key), '\''\(.value.cell)'\'', '\''\(.value.item)'\'')") | join(",\n")' \
  src/Peisc.Web/Framework/Editions/peisc.json)
token="peisc_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
token_hash=$(printf '%s' "$token" | sha256sum | awk '{print toupper($1)}')
log "seeding $reviews reviews and the large review"
sqlite3 "$db" >"$logs/seed.log" 2>&1 <<SQL || { cat "$logs/seed.log" >&2; die "seeding"; }
.bail on
PRAGMA temp_store = MEMORY;
CREATE TEMP TABLE cfg(reviews INTEGER NOT NULL);
INSERT INTO cfg VALUES ($reviews);
CREATE TEMP TABLE items(idx INTEGER PRIMARY KEY, cell TEXT NOT NULL, item TEXT NOT NULL);
INSERT INTO items VALUES $items;
.read bench/seed.sql
.read bench/reports-seed.sql
INSERT INTO AccessTokens (Id, UserId, OrganisationId, Name, TokenHash, Prefix, CreatedAt, ExpiresAt)
SELECT '$(tr a-f A-F </proc/sys/kernel/random/uuid)', w.con, w.org, 'Benchmark', '$token_hash',
       '${token:0:12}', datetime('now'), datetime('now', '+1 day')
FROM temp.who AS w;
SQL
big=$(sed -n 's/^big review //p' "$logs/seed.log")
[[ -n $big ]] || die "the large review was not seeded"
counts=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM Reviews) || ' reviews, ' || (SELECT count(*) FROM Answers) || ' answers';
  SELECT count(DISTINCT ChangedByUserId) || ' participants, ' || count(*) || ' answer changes' FROM AnswerChanges WHERE ReviewId = '$big';" | paste -sd ';')
log "seeded: $counts"

start_app
log "app running at $base (pid $app_pid)"
auth=(-H "Authorization: Bearer $token")

# One export: a warm-up request, then the peak RSS reset (Linux: 5 > clear_refs), then $runs timed ones.
measure() { # name, path
  local name=$1 path=$2 code times=()
  code=$(curl -s -o "$logs/$name.out" -w '%{http_code}' --max-time 120 "${auth[@]}" "$base$path")
  [[ $code == 200 ]] || die "$path answered $code: $(head -c 500 "$logs/$name.out")"
  echo 5 >"/proc/$app_pid/clear_refs"
  for _ in $(seq 1 "$runs"); do
    times+=("$(curl -s -o "$logs/$name.out" -w '%{time_total}' --max-time 120 "${auth[@]}" "$base$path")")
  done
  local hwm size
  hwm=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$app_pid/status")
  size=$(stat -c %s "$logs/$name.out")
  printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" -v hwm="$hwm" -v base="$rss_start" -v size="$size" -v n="$runs" '
    { t[NR] = $1 * 1000 }
    END { printf "| %s | %.0f | %.0f | %.0f | %d | %d | %.0f KB |\n", name, t[int((n + 1) / 2)], t[n], t[1], hwm, hwm - base, size / 1024 }'
}

rss_start=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$app_pid/status")
{
  echo "| Export | median ms | slowest ms | fastest ms | app peak RSS MB | above start-up MB | file |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  measure "board report (docx)" "/api/v1/reviews/$big/exports/board-report.docx"
  measure "one-page summary (docx)" "/api/v1/reviews/$big/exports/summary.docx"
  measure "answers (xlsx)" "/api/v1/reviews/$big/exports/answers.xlsx"
  measure "portfolio (xlsx)" "/api/v1/exports/portfolio.xlsx"
  measure "portfolio (csv)" "/api/v1/exports/portfolio.csv"
} >"$work/results.md"
log "done in $((SECONDS - started_at)) s"

echo
echo "Seeded: $counts. GC: ${BENCH_GC:-server (ASP.NET default)}. App RSS after start-up: ${rss_start} MB. Load before: $load_before."
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM, $(dotnet --version) SDK, $(date -u +%Y-%m-%d)."
echo
cat "$work/results.md"
