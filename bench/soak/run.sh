#!/usr/bin/env bash
# bench/soak/run.sh: `newsdesk serve` under mixed load for DURATION seconds
# (10 minutes by default): readers and an editor at once, zero errors and a
# stable resident memory expected (issue 9).
#
#   bench/soak/run.sh                  # 10 minutes (plus ~1 minute to set up and check)
#   DURATION=60 bench/soak/run.sh      # a quick run
#   NEWSDESK=build/x/newsdesk RESULTS=/tmp/soak bench/soak/run.sh
#
# What it does (bench/README.md, "bench/soak", has the details):
# 1. a fresh database of ITEMS (1500) items from bench/corpus/load.sh, an
#    admin account and an API token made with `newsdesk user add` / `token
#    create`, `newsdesk serve --threads THREADS` on a free 127.0.0.1 port;
# 2. for DURATION seconds, in segments of SEGMENT (30) seconds:
#    - wrk -t2 -cCONNS (32) over pages, feeds, searches and conditional GETs,
#      without and with gzip (reads.lua; paths from paths.py); If-None-Match
#      and If-Modified-Since values are fetched again before each segment;
#    - wrk -t1 -c2 over addresses that must answer 404;
#    - writer.py: RATE (3) API operations a second (create, update, delete),
#      each followed by a read of the item's page, and a final check;
# 3. samples VmRSS/VmHWM of the server from /proc every SAMPLE_EVERY seconds
#    (DURATION/120, 1 to 5) with its cache entries and open connections
#    from /metrics, into samples.csv;
# 4. report.py judges (memory rule and errors below), prints PASS/FAIL and
#    writes RESULTS/report.md (RESULTS: build/soak-results); exit 1 on FAIL.
#
# Memory rule: warm-up is the first 10 % of the run; the baseline is the
# first sample at or after it. PASS needs the highest RSS after warm-up at
# most 10 % above the baseline, and the median of the last 10 % of the run's
# samples within 10 % of the baseline (either way: a drop means the baseline
# was taken on a transient peak and the first check proved nothing).
# Errors: wrk's socket errors and non-2xx/3xx answers of the read mix, any
# answer other than 404 to the 404 mix, writer failures, stale reads and
# final-check failures, a server that died or fails /healthz at the end.
#
# Environment: DURATION (600), ITEMS (1500), CONNS (32), THREADS (2, server
# threads), RATE (3), SEGMENT (30), SAMPLE_EVERY, NEWSDESK (default
# build/release, built when missing), RESULTS, SOAK_TMP (keep the corpus and
# raw files there; default: a temporary directory removed at the end),
# UNIQUE_SEARCH=1 (every search a new question: an unbounded set of cache keys).
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
here="$root/bench/soak"

duration="${DURATION:-600}"
items="${ITEMS:-1500}"
conns="${CONNS:-32}"
threads="${THREADS:-2}"
rate="${RATE:-3}"
segment="${SEGMENT:-30}"
results="${RESULTS:-$root/build/soak-results}"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "${SAMPLE_EVERY:-}" ]; then
  sample_every=$SAMPLE_EVERY
else
  sample_every=$((duration / 120))
  [ "$sample_every" -lt 1 ] && sample_every=1
  [ "$sample_every" -gt 5 ] && sample_every=5
fi
for v in duration items conns threads segment sample_every; do
  case "${!v}" in '' | *[!0-9]* | 0)
    echo "bench/soak: ${v^^} must be a positive whole number" >&2
    exit 2
    ;;
  esac
done

# ---------------------------------------------------------------- tools
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench/soak: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ---------------------------------------------------------------- clean-up
tmp="${SOAK_TMP:-}"
nd_pid=""
sampler_pid=""
writer_pid=""
wrk_pids=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  # Only what this script started, by process id.
  local p
  for p in $wrk_pids $writer_pid $sampler_pid $nd_pid; do kill "$p" 2>/dev/null || true; done
  for p in $wrk_pids $writer_pid $sampler_pid $nd_pid; do wait "$p" 2>/dev/null || true; done
  if [ -z "${SOAK_TMP:-}" ] && [ -n "$tmp" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ -z "$tmp" ]; then tmp=$(mktemp -d /tmp/newsdesk-soak.XXXXXX); fi
mkdir -p "$tmp" "$results"
tmp=$(cd "$tmp" && pwd)
results=$(cd "$results" && pwd)

# ---------------------------------------------------------------- newsdesk
newsdesk="${NEWSDESK:-}"
if [ -z "$newsdesk" ]; then
  echo "bench/soak: building build/release (Release)"
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSDESK_TESTS=OFF >/dev/null
  cmake --build build/release -j "${JOBS:-2}" --target newsdesk >/dev/null
  newsdesk="$root/build/release/newsdesk"
fi
newsdesk=$(cd "$(dirname "$newsdesk")" && pwd)/$(basename "$newsdesk")
[ -x "$newsdesk" ] || { echo "bench/soak: no newsdesk at $newsdesk" >&2; exit 1; }

# ---------------------------------------------------------------- corpus, account
corpus="$tmp/corpus"
# NO_FETCH=1: the attachments stay links (the soak reads no /files/).
NO_FETCH=1 bench/corpus/load.sh "$items" "$corpus" "$newsdesk" >"$tmp/load.log" 2>&1 ||
  { cat "$tmp/load.log" >&2; exit 1; }
config="$corpus/newsdesk.toml"
db="sqlite:$corpus/newsdesk.db"
"$newsdesk" user add soak --role admin --config "$config" --db "$db" >/dev/null
token=$("$newsdesk" token create soak --label soak --config "$config" --db "$db" | awk '{w = $NF} END {print w}')
case "$token" in nd_*) ;; *) echo "bench/soak: no token from \`newsdesk token create\`" >&2; exit 1 ;; esac
unique=()
[ "${UNIQUE_SEARCH:-0}" = 1 ] && unique=(--unique-search)
python3 "$here/paths.py" "$corpus/newsdesk.db" "$config" "$tmp" "${unique[@]}"
echo "bench/soak: $items items in $db, account soak (admin) with an API token"

# ---------------------------------------------------------------- server
"$newsdesk" serve --config "$config" --db "$db" --listen 127.0.0.1:0 --threads "$threads" \
  >"$tmp/newsdesk.out" 2>"$tmp/newsdesk.err" &
nd_pid=$!
port=""
for _ in $(seq 300); do
  port=$(sed -n 's/^newsdesk: serving .* on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' \
    "$tmp/newsdesk.out" 2>/dev/null | head -1)
  if [ -n "$port" ] && curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"; then break; fi
  port=""
  kill -0 "$nd_pid" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$port" ]; then
  echo "bench/soak: newsdesk serve did not start:" >&2
  cat "$tmp/newsdesk.out" "$tmp/newsdesk.err" >&2
  exit 1
fi
base="http://127.0.0.1:$port"
echo "bench/soak: newsdesk serve (pid $nd_pid, $threads threads) on $base"

# ---------------------------------------------------------------- sampler
# t_s,rss_kb,hwm_kb,cache_entries,connections_open (t from the load's start)
t0_ms=$(($(date +%s%N) / 1000000))
sample() {
  local t rss hwm m
  t=$(($(date +%s%N) / 1000000 - t0_ms))
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$nd_pid/status" 2>/dev/null || true)
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$nd_pid/status" 2>/dev/null || true)
  [ -n "$rss" ] || return 1
  m=$(curl -s --max-time 5 "$base/metrics" | awk '
    $1 == "newsdesk_cache_entries" { c = $2 }
    $1 == "newsdesk_http_connections_open" { o = $2 }
    END { printf "%s,%s", c, o }')
  printf '%d.%03d,%s,%s,%s\n' $((t / 1000)) $((t % 1000)) "$rss" "$hwm" "$m"
}
echo "t_s,rss_kb,hwm_kb,cache_entries,connections_open" >"$tmp/samples.csv"
sample >>"$tmp/samples.csv"  # at rest, before any load
(
  while sleep "$sample_every"; do sample >>"$tmp/samples.csv" || exit 0; done
) &
sampler_pid=$!

# ---------------------------------------------------------------- writer
python3 "$here/writer.py" --port "$port" --token "$token" --seconds "$duration" --rate "$rate" \
  --categories "$(cat "$tmp/categories.txt")" --out "$tmp/writer.json" \
  >"$tmp/writer.out" 2>"$tmp/writer.err" &
writer_pid=$!

# ---------------------------------------------------------------- readers
# conditional_lines: the conditional GETs with the validators the server
# sends now (they change whenever the writer changes what a page shows).
conditional_lines() {
  local path kind head etag lm
  while IFS=$'\t' read -r path kind; do
    head=$(curl -s --max-time 5 -o /dev/null -D - -H 'Accept-Encoding: gzip' "$base$path" | tr -d '\r')
    if [ "$kind" = etag ]; then
      etag=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' <<<"$head" | head -1)
      [ -n "$etag" ] && printf '%s\t1\tIf-None-Match: %s\n' "$path" "$etag"
    else
      lm=$(sed -n 's/^[Ll]ast-[Mm]odified: *//p' <<<"$head" | head -1)
      [ -n "$lm" ] && printf '%s\t0\tIf-Modified-Since: %s\n' "$path" "$lm"
    fi
  done <"$tmp/conditional.txt"
}

# wrk_summary FILE: "requests socket_errors non_2xx_3xx rps p50_us p99_us unexpected tally"
wrk_summary() {
  awk '
    function us(v) {
      if (v ~ /us$/) return v + 0;
      if (v ~ /ms$/) return (v + 0) * 1000;
      if (v ~ /s$/) return (v + 0) * 1000000;
      return v + 0;
    }
    / requests in / { req = $1 }
    $1 == "50%" { p50 = us($2) }
    $1 == "99%" { p99 = us($2) }
    $1 == "Requests/sec:" { rps = $2 }
    /Socket errors:/ { gsub(",", ""); sock += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { non += $5 }
    $1 == "soak-tally" {
      split($3, u, "="); unexpected = u[2]; tally = ""
      for (i = 4; i <= NF; i++) tally = tally (tally == "" ? "" : ";") $i
    }
    END {
      printf "%d %d %d %s %d %d %s %s\n", req, sock, non, (rps == "" ? 0 : rps), p50, p99,
        (unexpected == "" ? "missing" : unexpected), (tally == "" ? "-" : tally)
    }' "$1"
}

segments="$tmp/segments.tsv"
printf 'segment\tstart_s\tseconds\tmix\trequests\tsocket_errors\tnon_2xx_3xx\trps\tp50_us\tp99_us\tunexpected\ttally\n' >"$segments"
echo "bench/soak: $duration s of load: wrk -t2 -c$conns (reads) + wrk -t1 -c2 (404s)" \
  "+ $rate API writes/s; RSS every $sample_every s; segments of $segment s"
elapsed=0
n=0
while [ "$elapsed" -lt "$duration" ]; do
  n=$((n + 1))
  seg=$((duration - elapsed))
  [ "$seg" -gt "$segment" ] && seg=$segment
  { cat "$tmp/reads.txt"; conditional_lines; } >"$tmp/mix.txt"
  start_s=$((($(date +%s%N) / 1000000 - t0_ms) / 1000))
  wrk -t2 -c"$conns" -d"${seg}s" --timeout 5s --latency -s "$here/reads.lua" "$base" \
    -- "$tmp/mix.txt" ok >"$tmp/wrk.reads.$n" 2>&1 &
  p1=$!
  wrk -t1 -c2 -d"${seg}s" --timeout 5s --latency -s "$here/reads.lua" "$base" \
    -- "$tmp/notfound.txt" 404 >"$tmp/wrk.404.$n" 2>&1 &
  p2=$!
  wrk_pids="$p1 $p2"
  wait "$p1" || true
  wait "$p2" || true
  wrk_pids=""
  for mix in reads 404; do
    printf '%d\t%d\t%d\t%s\t%s\n' "$n" "$start_s" "$seg" "$mix" \
      "$(wrk_summary "$tmp/wrk.$mix.$n" | tr ' ' '\t')" >>"$segments"
  done
  elapsed=$((($(date +%s%N) / 1000000 - t0_ms) / 1000))
  printf '\rbench/soak: %d of %d s, RSS %s kB ' "$elapsed" "$duration" \
    "$(awk '/^VmRSS:/ {print $2}' "/proc/$nd_pid/status" 2>/dev/null || echo '-')"
  kill -0 "$nd_pid" 2>/dev/null || break
done
echo

wait "$writer_pid" || true
writer_pid=""
cat "$tmp/writer.out"
sample >>"$tmp/samples.csv" || true
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""

alive=no
healthz=none
if kill -0 "$nd_pid" 2>/dev/null; then
  alive=yes
  healthz=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$base/healthz" || true)
fi
curl -s --max-time 5 "$base/metrics" >"$tmp/metrics.txt" || true

# ---------------------------------------------------------------- report
cp "$tmp/samples.csv" "$segments" "$tmp/writer.json" "$tmp/newsdesk.err" "$tmp/metrics.txt" \
  "$results/" 2>/dev/null || true
status=0
python3 "$here/report.py" --samples "$tmp/samples.csv" --segments "$segments" \
  --writer "$tmp/writer.json" --duration "$duration" --alive "$alive" --healthz "$healthz" \
  --server-log "$tmp/newsdesk.err" --metrics "$tmp/metrics.txt" \
  --setup "server: newsdesk $("$newsdesk" --version 2>/dev/null | awk '{print $NF}') ($newsdesk), --threads $threads, 127.0.0.1" \
  --setup "corpus: $items items from NO_FETCH=1 bench/corpus/load.sh in a fresh SQLite database" \
  --setup "reads: wrk -t2 -c$conns --timeout 5s -s bench/soak/reads.lua, segments of $segment s${UNIQUE_SEARCH:+; UNIQUE_SEARCH=$UNIQUE_SEARCH}" \
  --setup "404s: wrk -t1 -c2 at the same time; writes: writer.py --rate $rate" \
  --setup "machine: $(nproc) cores, load before the run $load_before; $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)" \
  >"$results/report.md" || status=$?
cat "$results/report.md"
echo "bench/soak: report in $results/report.md (raw: samples.csv, segments.tsv, writer.json)"
exit "$status"
