#!/usr/bin/env bash
# Performance benchmark for PEISC (issue 3, item 13). Rerunnable by anyone: ./bench/run.sh
#
# Publishes the app, seeds a large organisation (20,000 reviews, 2,000,000 answers) straight into
# its SQLite file, then loads four pages and the answer-saving API with wrk on loopback. Every
# figure is set beside a baseline page of the same app measured just before it, because this
# machine is shared and absolute numbers drift; the ratios are what the targets are about.
# The results go into docs/performance.md, between the markers, and are printed as Markdown.
#
# Settings (environment variables, all optional):
#   BENCH_REVIEWS=20000      reviews to seed (each has 2 rounds x 50 answers)
#   BENCH_DURATION=20s       each measurement;  BENCH_WARMUP=5s  the untimed run before it
#   BENCH_APP_WARMUP=20s     once, before any measurement, on each request (see "warming" below)
#   BENCH_CONNECTIONS=32     BENCH_THREADS=2    wrk's connections and threads
#   BENCH_KEEP=1             keep the work folder (published app, database, wrk logs) afterwards
#   BENCH_DOC=docs/performance.md   where the results go ("" to skip writing)
set -euo pipefail

started_at=$SECONDS
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

reviews=${BENCH_REVIEWS:-20000}
duration=${BENCH_DURATION:-20s}
warmup=${BENCH_WARMUP:-5s}
app_warmup=${BENCH_APP_WARMUP:-20s}
connections=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
doc=${BENCH_DOC-docs/performance.md}

log() { printf '[bench %4ss] %s\n' "$((SECONDS - started_at))" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---- Tools -----------------------------------------------------------------------------------
need_apt=()
for tool in wrk sqlite3 jq curl; do
  command -v "$tool" >/dev/null || need_apt+=("$tool")
done
if ((${#need_apt[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    log "installing ${need_apt[*]} with apt"
    apt-get install -y --no-install-recommends "${need_apt[@]}" >/dev/null ||
      { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need_apt[@]}" >/dev/null; }
  else
    die "missing ${need_apt[*]}: install with 'sudo apt-get install -y ${need_apt[*]}' and run again"
  fi
fi
command -v dotnet >/dev/null || die "the .NET SDK is missing (see global.json for the version)"

# ---- Work folder, and cleanup even on failure ----------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/peisc-bench.XXXXXX")
out=$work/app
data=$work/data
logs=$work/logs
mkdir -p "$data" "$logs"
app_pid=""

stop_app() {
  [[ -n $app_pid ]] || return 0
  if kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM "$app_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$app_pid" 2>/dev/null || true
  fi
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}

cleanup() {
  local status=$?
  stop_app
  if [[ ${BENCH_KEEP:-} == 1 || $status -ne 0 ]]; then
    log "work folder kept: $work (app log: $logs/app.log)"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- Publish and run the app -------------------------------------------------------------------
log "publishing to $out"
dotnet publish src/Peisc.Web -c Release -o "$out" -nologo -v quiet >"$logs/publish.log" 2>&1 ||
  { cat "$logs/publish.log" >&2; die "dotnet publish"; }

base=""
start_app() {
  : >"$logs/app.log"
  # Port 0: Kestrel picks a free port and says which in its start-up line, so no port can clash.
  # Development gives plain-HTTP cookies; the demo switch seeds the organisation and its people.
  (
    cd "$out"
    exec env ASPNETCORE_ENVIRONMENT=Development DataDirectory="$data" Demo__Enabled=true \
      Logging__LogLevel__Default=Warning \
      dotnet Peisc.Web.dll --urls http://127.0.0.1:0 \
      --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information "$@"
  ) >>"$logs/app.log" 2>&1 &
  app_pid=$!
  local port=""
  for _ in $(seq 1 120); do
    kill -0 "$app_pid" 2>/dev/null || { cat "$logs/app.log" >&2; die "the app stopped while starting"; }
    port=$(sed -n 's#.*Now listening on: http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$logs/app.log" | head -1)
    if [[ -n $port ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health") == 200 ]]; then
      base=http://127.0.0.1:$port
      log "app running at $base (pid $app_pid)"
      return 0
    fi
    sleep 0.5
  done
  die "the app did not answer /health within 60 s"
}

db=$data/peisc.db

# First start: migrations and the demo organisation (with its sample review). Then stop, so the
# seeding below has the file to itself.
start_app
stop_app
[[ $(sqlite3 "$db" "PRAGMA journal_mode;") == wal ]] || die "expected the app's database in WAL mode"

# ---- Seed ---------------------------------------------------------------------------------------
# The items come from the edition file itself, so the seeded ids are always real ones.
items=$(jq -r '[.sections[].cells[] as $c | $c.items[] | {cell: $c.id, item: .id}]
  | to_entries | map("(\(.key), '\''\(.value.cell)'\'', '\''\(.value.item)'\'')") | join(",\n")' \
  src/Peisc.Web/Framework/Editions/peisc.json)

# A personal access token for the API, stored as the app stores one: SHA-256 of the token, upper-case hex.
token="peisc_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
token_hash=$(printf '%s' "$token" | sha256sum | awk '{print toupper($1)}')

pairs=$work/pairs.txt
log "seeding $reviews reviews into $db"
seed_started=$(date +%s%N)
sqlite3 "$db" >"$logs/seed.log" 2>&1 <<SQL || { cat "$logs/seed.log" >&2; die "seeding"; }
.bail on
PRAGMA temp_store = MEMORY;  -- set first: changing it later drops temp tables
CREATE TEMP TABLE cfg(reviews INTEGER NOT NULL);
INSERT INTO cfg VALUES ($reviews);
CREATE TEMP TABLE items(idx INTEGER PRIMARY KEY, cell TEXT NOT NULL, item TEXT NOT NULL);
INSERT INTO items VALUES $items;
.read bench/seed.sql

INSERT INTO AccessTokens (Id, UserId, OrganisationId, Name, TokenHash, Prefix, CreatedAt, ExpiresAt)
SELECT '$(cat /proc/sys/kernel/random/uuid | tr a-f A-F)', w.con, w.org, 'Benchmark', '$token_hash',
       '${token:0:12}', datetime('now'), datetime('now', '+1 day')
FROM temp.who AS w;

-- Items with no answer yet in the current round of an open review, for the save benchmark. Ordered
-- item slot first, so consecutive saves go to different reviews, as many teams working at once would.
.headers off
.mode list
.separator ' '
.output $pairs
SELECT r.id, i.item FROM temp.r AS r, temp.items AS i
WHERE NOT r.archived AND (i.idx + r.n * 7) % (SELECT count(*) FROM temp.items) >= 50
ORDER BY (i.idx + r.n * 7) % (SELECT count(*) FROM temp.items), (r.n * 7919) % (SELECT reviews FROM temp.cfg);
.output stdout
SQL
seed_seconds=$(awk -v ns="$(($(date +%s%N) - seed_started))" 'BEGIN { printf "%.1f", ns / 1e9 }')
counts=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM Reviews) || ' reviews, ' || (SELECT count(*) FROM Answers)
  || ' answers, ' || (SELECT count(*) FROM AnswerChanges) || ' answer changes, ' || (SELECT count(*) FROM Actions)
  || ' actions, ' || (SELECT count(*) FROM AuditEvents) || ' audit events';")
db_size=$(du -sh "$db" | cut -f1)
log "seeded in ${seed_seconds}s: $counts ($db_size)"

# The first pair checks the API by hand; warm-up and measurement get separate, disjoint pairs
# (load.lua reads $pairs.<phase>), so no save in the measured run can meet an earlier one.
total_pairs=$(wc -l <"$pairs")
warmup_pairs=$((total_pairs / 5 < 40000 ? total_pairs / 5 : 40000))
head -n 1 "$pairs" >"$pairs.check"
sed -n "2,$((warmup_pairs + 1))p" "$pairs" >"$pairs.warmup"
sed -n "$((warmup_pairs + 2)),$((2 * warmup_pairs + 1))p" "$pairs" >"$pairs.appwarm"
tail -n +"$((2 * warmup_pairs + 2))" "$pairs" >"$pairs.measure"
log "$(wc -l <"$pairs.measure") unanswered items for the measured saves, $warmup_pairs for the warm-up"

# ---- Sign in ----------------------------------------------------------------------------------
start_app
jar=$work/cookies.txt
signin_page=$(curl -sf -c "$jar" -b "$jar" "$base/account/sign-in")
csrf=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' <<<"$signin_page" |
  sed 's/.*value="//; s/"$//' | head -1)
[[ -n $csrf ]] || die "no antiforgery token on the sign-in page"
signed_in=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
  --data-urlencode "Input.Email=owner@demo.peisc.example" \
  --data-urlencode "Input.Password=demo-password-2026" \
  --data-urlencode "__RequestVerificationToken=$csrf" "$base/account/sign-in")
[[ $signed_in == 302* ]] || die "sign-in answered '$signed_in', expected a redirect"
# The jar marks HttpOnly cookies with a "#HttpOnly_" prefix; everything else starting with # is a comment.
cookie=$(sed 's/^#HttpOnly_//' "$jar" | awk -F'\t' '!/^#/ && NF >= 7 {printf "%s%s=%s", sep, $6, $7; sep="; "}')

# A seeded open review, in the middle of the list.
review=$(sqlite3 "$db" "SELECT Id FROM Reviews WHERE ArchivedAt IS NULL AND Title GLOB '* [0-9][0-9][0-9][0-9][0-9]'
  ORDER BY UpdatedAt DESC LIMIT 1 OFFSET $((reviews / 4));")
[[ -n $review ]] || die "no seeded review found"

# ---- Check each request once, so the load runs measure working pages -------------------------
check() { # name, expected status, curl arguments...
  local name=$1 want=$2
  shift 2
  local got
  got=$(curl -s -o "$logs/check-$name.out" -w '%{http_code}' "$@")
  [[ $got == "$want" ]] || { head -c 2000 "$logs/check-$name.out" >&2; die "$name answered $got, expected $want"; }
}
check baseline 200 "$base/accessibility"
check list 200 -H "Cookie: $cookie" "$base/reviews"
grep -q 'Review\|review' "$logs/check-list.out" || die "the review list has no reviews"
check grid 200 -H "Cookie: $cookie" "$base/reviews/$review"
check cell 200 -H "Cookie: $cookie" "$base/reviews/$review/cells/human-rights/process"
read -r check_review check_item <"$pairs.check"
check save 200 -X PUT -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
  --data '{"position":"Addressed","reasoning":"Checked before the load.","voices":["Practitioners"],"version":0}' \
  "$base/api/v1/reviews/$check_review/answers/$check_item"
grep -q '"version":1' "$logs/check-save.out" || die "the saved answer is not at version 1"

# ---- Load --------------------------------------------------------------------------------------
declare -A rps p50 p99 errors baseline_rps cpu_us
app_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$app_pid/stat"; }
baseline_runs=()

run_wrk() { # key, url, extra environment for load.lua...
  local key=$1 url=$2
  shift 2
  log "wrk $key: warm-up $warmup, then $duration at $connections connections"
  env "$@" BENCH_THREADS="$threads" BENCH_PHASE=warmup \
    wrk -t"$threads" -c"$connections" -d"$warmup" --timeout 5s -s bench/load.lua "$url" \
    >"$logs/wrk-$key-warmup.txt" 2>&1 || die "wrk warm-up for $key (see $logs/wrk-$key-warmup.txt)"
  local cpu_before cpu_after
  cpu_before=$(app_cpu_ticks)
  env "$@" BENCH_THREADS="$threads" BENCH_PHASE=measure \
    wrk -t"$threads" -c"$connections" -d"$duration" --timeout 5s --latency -s bench/load.lua "$url" \
    >"$logs/wrk-$key.txt" 2>&1 || die "wrk for $key (see $logs/wrk-$key.txt)"
  cpu_after=$(app_cpu_ticks)
  local line
  line=$(grep '^RESULT ' "$logs/wrk-$key.txt") || die "no RESULT line from wrk for $key"
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  rps[$key]=$(field rps)
  p50[$key]=$(field p50_ms)
  p99[$key]=$(field p99_ms)
  errors[$key]=$(($(field non2xx) + $(field socket_errors)))
  # The app's own CPU time (user + system) per request: unlike requests a second, it hardly moves
  # when other work shares the machine, so it is the steadier measure of what a request costs.
  cpu_us[$key]=$(awk -v t="$((cpu_after - cpu_before))" -v hz="$(getconf CLK_TCK)" -v n="$(field requests)" \
    'BEGIN { printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }')
  (($(field exhausted) == 0)) || log "WARNING: $key ran out of fresh pairs ($(field exhausted) repeats)"
  log "  $key: ${rps[$key]} req/s, p50 ${p50[$key]} ms, p99 ${p99[$key]} ms, ${errors[$key]} errors, ${cpu_us[$key]} µs of app CPU a request"
}

# A server that has run for a while has compiled its hot code fully (.NET tiers methods up in the
# background for tens of seconds after they are first used). Warm every request once, at length,
# so that what is measured below is that steady state rather than the JIT compiler at work.
log "warming the app: ${app_warmup} on each request before anything is measured"
for url in "$base/accessibility" "$base/reviews" "$base/reviews/$review" \
  "$base/reviews/$review/cells/human-rights/process"; do
  BENCH_COOKIE="$cookie" wrk -t"$threads" -c"$connections" -d"$app_warmup" --timeout 5s -s bench/load.lua "$url" \
    >>"$logs/wrk-appwarm.txt" 2>&1 || die "wrk warming $url (see $logs/wrk-appwarm.txt)"
done
env BENCH_TOKEN="$token" BENCH_PAIRS="$pairs" BENCH_THREADS="$threads" BENCH_PHASE=appwarm \
  wrk -t"$threads" -c"$connections" -d"$app_warmup" --timeout 5s -s bench/load.lua "$base" \
  >>"$logs/wrk-appwarm.txt" 2>&1 || die "wrk warming the saves (see $logs/wrk-appwarm.txt)"

# Each target is measured right after its own baseline run, so both see the same machine load.
# "signed" is the baseline page again, signed in: not a target, but it shows what the sign-in work
# alone costs, which every signed-in page pays.
targets=(signed list grid cell save)
for key in "${targets[@]}"; do
  run_wrk "baseline-$key" "$base/accessibility"
  baseline_rps[$key]=${rps[baseline-$key]}
  baseline_runs+=("${rps[baseline-$key]}")
  case $key in
    signed) run_wrk signed "$base/accessibility" BENCH_COOKIE="$cookie" ;;
    list) run_wrk list "$base/reviews" BENCH_COOKIE="$cookie" ;;
    grid) run_wrk grid "$base/reviews/$review" BENCH_COOKIE="$cookie" ;;
    cell) run_wrk cell "$base/reviews/$review/cells/human-rights/process" BENCH_COOKIE="$cookie" ;;
    save) run_wrk save "$base" BENCH_TOKEN="$token" BENCH_PAIRS="$pairs" ;;
  esac
done
saved_answers=$(sqlite3 "$db" "SELECT count(*) FROM Answers;")
stop_app

# ---- Report ----------------------------------------------------------------------------------
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", 100 * a / b }'; }
fmt() { awk -v a="$1" 'BEGIN { printf "%\047.0f", a }'; }
pass() { awk "BEGIN { exit !($1) }"; }

cell_ratio=$(percent "${rps[cell]}" "${baseline_rps[cell]}")
if pass "${rps[cell]} >= 0.25 * ${baseline_rps[cell]} && ${p99[cell]} < 50"; then cell_verdict="met"; else cell_verdict="**missed**"; fi
if pass "${rps[save]} >= 1000 && ${errors[save]} == 0"; then save_verdict="met"; else save_verdict="**missed**"; fi
baseline_summary=$(printf '%s\n' "${baseline_runs[@]}" |
  awk '{ s += $1; if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1 }
       END { printf "%.0f (%.0f to %.0f over %d runs)", s / NR, min, max, NR }')

label() {
  case $1 in
    signed) echo "Baseline page, signed in (for comparison) | \`GET /accessibility\`" ;;
    list) echo "Review list, signed in | \`GET /reviews\`" ;;
    grid) echo "Review grid, signed in | \`GET /reviews/{id}\`" ;;
    cell) echo "Cell page, signed in | \`GET /reviews/{id}/cells/human-rights/process\`" ;;
    save) echo "Save an answer (API, token) | \`PUT /api/v1/reviews/{id}/answers/{itemId}\`" ;;
  esac
}

settings="BENCH_REVIEWS=$reviews BENCH_DURATION=$duration BENCH_WARMUP=$warmup BENCH_APP_WARMUP=$app_warmup BENCH_CONNECTIONS=$connections BENCH_THREADS=$threads"
# The version of the SQLite library the app loads (not the sqlite3 tool's), read from the library itself.
sqlite_lib=$({ strings "$out"/runtimes/linux-x64/native/libe_sqlite3.so | grep -m1 -E '^3\.[0-9]+\.[0-9]+$'; } 2>/dev/null || true)
memory=$(free -h | awk '/^Mem:/ {print $2}')
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
runtime=$(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ {v=$2} END {print v}')
total=$((SECONDS - started_at))

results=$work/results.md
{
  echo "### Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- Command: \`bench/run.sh\` ($settings), commit \`$(git describe --always --dirty 2>/dev/null || echo unknown)\`"
  echo "- Machine: $(nproc) CPUs ($cpu), $memory memory, $(. /etc/os-release && echo "$PRETTY_NAME"); shared with other work: load average $load_before before the run, $(cut -d' ' -f1-3 /proc/loadavg) after"
  echo "- .NET: SDK $(dotnet --version), ASP.NET Core runtime $runtime; Release build, \`dotnet publish\` output, Development environment (plain HTTP)"
  echo "- SQLite ${sqlite_lib:-(version unknown)} (bundled with Microsoft.Data.Sqlite), WAL, \`synchronous=FULL\`, on local disk"
  echo "- Data: $counts; database $db_size; seeded in $(printf '%.0f' "$seed_seconds") s"
  echo "- wrk: $threads threads, $connections connections, $warmup warm-up then $duration per row, on the same machine as the app"
  echo "- Whole script: $total s"
  echo
  echo "| What | Request | Requests/s | p50 | p99 | Errors | Throughput vs the baseline run just before it | App CPU a request (baseline's just before) |"
  echo "|---|---|--:|--:|--:|--:|--:|--:|"
  echo "| Baseline, anonymous | \`GET /accessibility\` | $baseline_summary | | | $(for key in "${targets[@]}"; do echo "${errors[baseline-$key]}"; done | awk '{ s += $1 } END { print s }') | 100% | |"
  for key in "${targets[@]}"; do
    echo "| $(label "$key") | $(fmt "${rps[$key]}") | ${p50[$key]} ms | ${p99[$key]} ms | ${errors[$key]} | $(percent "${rps[$key]}" "${baseline_rps[$key]}") of $(fmt "${baseline_rps[$key]}") | ${cpu_us[$key]} µs (${cpu_us[baseline-$key]} µs) |"
  done
  echo
  echo "Errors are non-2xx responses plus socket errors and timeouts (5 s). Answers after the run: $saved_answers."
  echo
  echo "| Target | Measured | Verdict |"
  echo "|---|---|---|"
  echo "| Cell page: at least 25% of the baseline's throughput, p99 under 50 ms | ${cell_ratio} of the baseline, p99 ${p99[cell]} ms | $cell_verdict |"
  echo "| Saving answers: at least 1,000 a second, no errors | $(fmt "${rps[save]}") a second, ${errors[save]} errors | $save_verdict |"
} >"$results"

echo
cat "$results"

if [[ -n $doc ]]; then
  begin='<!-- bench/run.sh results: begin -->'
  end='<!-- bench/run.sh results: end -->'
  if [[ ! -f $doc ]] || ! grep -qF "$begin" "$doc"; then
    { [[ -f $doc ]] && cat "$doc" || echo "# Performance"; echo; echo "$begin"; echo "$end"; } >"$work/doc.md"
    cp "$work/doc.md" "$doc"
  fi
  # Replace what is between the markers; everything written by hand around them stays.
  awk -v begin="$begin" -v end="$end" -v results="$results" '
    $0 == begin { print; while ((getline line < results) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }' "$doc" >"$work/doc.md"
  cp "$work/doc.md" "$doc"
  log "results written to $doc"
fi
log "done in $((SECONDS - started_at)) s"
