#!/usr/bin/env bash
# Live-session benchmark (issue 4, item 9). Rerunnable by anyone: ./bench/workshop.sh
#
# Publishes the app and starts it on 127.0.0.1 with the demo data (SQLite), then runs
# bench/WorkshopBench: the demo facilitator starts a live session of the demo review and opens the
# shared screen; BENCH_PARTICIPANTS guests join with the code and connect over SignalR (WebSockets).
# It measures, over a bounded number of rounds:
#   - "next item": from the facilitator's request until every participant has the new item;
#   - "answer": from a participant's request until the shared screen's tally shows it.
# Every wait has a time limit (10 s per round, 10 minutes in all). Prints the results as Markdown.
#
# Settings (environment variables, all optional):
#   BENCH_PARTICIPANTS=500  connected participants   BENCH_ROUNDS=30   "next item" rounds (1 to 50)
#   BENCH_ANSWERS=100       timed answers            BENCH_KEEP=1      keep the work folder afterwards
#   BENCH_REDIS=host:port   run the app with the Redis backplane (Redis:ConnectionString)
# Target: p99 under 250 ms for both.
set -euo pipefail

started_at=$SECONDS
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
participants=${BENCH_PARTICIPANTS:-500}
rounds=${BENCH_ROUNDS:-30}
answers=${BENCH_ANSWERS:-100}

log() { printf '[workshop %4ss] %s\n' "$((SECONDS - started_at))" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

command -v curl >/dev/null || die "missing curl: install with 'sudo apt-get install -y curl'"
command -v dotnet >/dev/null || die "the .NET SDK is missing (see global.json for the version)"
# The demo review's 'every item' session has 77 items; each round moves one forward.
((rounds >= 1 && rounds <= 50)) || die "BENCH_ROUNDS must be 1 to 50"
((participants >= 1 && participants <= 2000)) || die "BENCH_PARTICIPANTS must be 1 to 2000"
((answers >= 1 && answers <= 1000)) || die "BENCH_ANSWERS must be 1 to 1000"

work=$(mktemp -d "${TMPDIR:-/tmp}/peisc-workshop.XXXXXX")
out=$work/app tool=$work/tool data=$work/data logs=$work/logs
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

log "publishing the app and the benchmark's clients"
dotnet publish src/Peisc.Web -c Release -o "$out" -nologo -v quiet >"$logs/publish.log" 2>&1 ||
  { cat "$logs/publish.log" >&2; die "dotnet publish src/Peisc.Web"; }
dotnet publish bench/WorkshopBench -c Release -o "$tool" -nologo -v quiet >>"$logs/publish.log" 2>&1 ||
  { cat "$logs/publish.log" >&2; die "dotnet publish bench/WorkshopBench"; }

: >"$logs/app.log"
(
  cd "$out"
  exec env ASPNETCORE_ENVIRONMENT=Development DataDirectory="$data" Demo__Enabled=true \
    ${BENCH_REDIS:+Redis__ConnectionString="$BENCH_REDIS"} \
    Logging__LogLevel__Default=Warning \
    dotnet Peisc.Web.dll --urls http://127.0.0.1:0 --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information
) >>"$logs/app.log" 2>&1 &
app_pid=$!
base=""
for _ in $(seq 1 120); do
  kill -0 "$app_pid" 2>/dev/null || { cat "$logs/app.log" >&2; die "the app stopped while starting"; }
  port=$(sed -n 's#.*Now listening on: http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$logs/app.log" | head -1)
  if [[ -n $port ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/health") == 200 ]]; then
    base=http://127.0.0.1:$port
    break
  fi
  sleep 0.5
done
[[ -n $base ]] || die "the app did not answer /health within 60 s"
log "app running at $base (pid $app_pid)"

results=$(timeout 660 dotnet "$tool/WorkshopBench.dll" "$base" "$participants" "$rounds" "$answers") ||
  die "the benchmark's clients failed (see above)"
rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$app_pid/status")

echo "$results"
echo
echo "App peak memory (VmHWM): $rss MB. Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), load before: $load_before; clients and app on the same machine; backplane: ${BENCH_REDIS:-none}."
log "done in $((SECONDS - started_at)) s"
