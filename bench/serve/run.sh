#!/usr/bin/env bash
# bench/serve: `newsdesk serve` against nginx serving newsdesk's own static
# export of the same corpus, both on 127.0.0.1, measured in turn with wrk
# (DESIGN.md: performance is a ratio to peers, same machine, same run).
#
#   bench/serve/run.sh                 10k items, 3 runs per cell (~10 min)
#   BENCH_QUICK=1 bench/serve/run.sh   1k items, 1 run, 1 s cells (~2 min)
#   ITEMS=100000 RUNS=5 bench/serve/run.sh
#
# Cells: route x gzip x server threads x connections, each measured on
# nginx and on newsdesk, one after the other:
#   rss        /rss.xml
#   detail     an item's page (/news-centre/news-detail/{slug}/)
#   home       /
#   category   /category/{slug}/ (the largest category)
#   search     /search?q=border+management. nginx cannot search: it serves a
#              static copy of newsdesk's answer to that query (saved at
#              start-up), so this row compares newsdesk's cached search page
#              with a static file of the same bytes, not two search engines.
#   detail-304 the detail page with If-None-Match: its ETag (gzip only):
#              a conditional GET answered 304 by both.
# gzip: with and without "Accept-Encoding: gzip". threads: newsdesk
# --threads N, nginx worker_processes N (THREADS_LIST, "1 2"). connections:
# CONNS_LIST ("64 256"). Each cell: wrk --latency for DURATION seconds (2),
# after a warm-up of each route when a server starts; RUNS runs (3),
# interleaved, median taken. wrk, nginx and newsdesk share the machine's
# cores: nothing is pinned, both servers get the same treatment.
# wrk runs one thread per server thread (WRK_THREADS overrides). With one
# server thread on two cores, a second wrk thread would share a core with
# the first: whenever the server outpaces wrk, the two take turns a
# scheduler slice (4 ms here) at a time, and wrk counts that wait as the
# server's latency (bench/RESULTS.md, "Issue 7, session 9").
#
# Environment: ITEMS (10000), RUNS (3), DURATION (2), THREADS_LIST, CONNS_LIST,
# WRK_THREADS (wrk's -t; default: the cell's server threads),
# NEWSDESK (a newsdesk binary; default: build/release, built here),
# BENCH_TMP (a directory to keep the corpus, export and raw results in;
# default: a temporary one removed at the end), BENCH_CORPUS (a directory
# bench/corpus/load.sh filled earlier: reused instead of loading again),
# RESULTS (where to copy results.tsv and report.md).
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
here="$root/bench/serve"
now_ms() { echo $(($(date +%s%N) / 1000000)); }
seconds_since() { # seconds_since START_MS: elapsed, one decimal
  local ms=$(($(now_ms) - $1))
  printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  items="${ITEMS:-1000}"
  runs="${RUNS:-1}"
  duration="${DURATION:-1}"
else
  items="${ITEMS:-10000}"
  runs="${RUNS:-3}"
  duration="${DURATION:-2}"
fi
threads_list="${THREADS_LIST:-1 2}"
conns_list="${CONNS_LIST:-64 256}"
search_query="border management"

# ---------------------------------------------------------------- tools
need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench/serve: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

tmp="${BENCH_TMP:-}"
nd_pid=""
ng_pid=""
cleanup() {
  # Only the servers this script started, by their process ids.
  local p
  for p in $nd_pid $ng_pid; do kill "$p" 2>/dev/null || true; done
  for p in $nd_pid $ng_pid; do wait "$p" 2>/dev/null || true; done
  if [ -z "${BENCH_TMP:-}" ] && [ -n "$tmp" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
if [ -z "$tmp" ]; then tmp=$(mktemp -d /tmp/newsdesk-bench-serve.XXXXXX); fi
mkdir -p "$tmp"
tmp=$(cd "$tmp" && pwd)
chmod 755 "$tmp"  # nginx's workers run as nobody when started as root

# ---------------------------------------------------------------- newsdesk
newsdesk="${NEWSDESK:-}"
if [ -z "$newsdesk" ]; then
  echo "bench/serve: building build/release (Release)"
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSDESK_TESTS=OFF >/dev/null
  cmake --build build/release -j "${JOBS:-2}" --target newsdesk >/dev/null
  newsdesk="$root/build/release/newsdesk"
fi
newsdesk=$(cd "$(dirname "$newsdesk")" && pwd)/$(basename "$newsdesk")
[ -x "$newsdesk" ] || { echo "bench/serve: no newsdesk at $newsdesk" >&2; exit 1; }

# ---------------------------------------------------------------- corpus
corpus="${BENCH_CORPUS:-$tmp/corpus}"
if [ -f "$corpus/newsdesk.db" ] && [ -f "$corpus/newsdesk.toml" ]; then
  echo "bench/serve: reusing the corpus in $corpus"
elif [ -x bench/corpus/load.sh ]; then
  start=$(now_ms)
  bench/corpus/load.sh "$items" "$corpus" "$newsdesk" >"$tmp/load.log" 2>&1 ||
    { cat "$tmp/load.log" >&2; exit 1; }
  echo "bench/serve: $items items loaded by bench/corpus/load.sh in $(seconds_since "$start") s"
else
  # Before bench/corpus existed: the importer's feed generator, the sample's site.
  mkdir -p "$corpus"
  python3 bench/import/generate.py --items "$items" --seed 1 -o "$corpus/feed.xml"
  cp examples/icmpd/newsdesk.toml "$corpus/newsdesk.toml"
  "$newsdesk" init --config "$corpus/newsdesk.toml" --db "sqlite:$corpus/newsdesk.db" >/dev/null
  "$newsdesk" import --config "$corpus/newsdesk.toml" --db "sqlite:$corpus/newsdesk.db" \
    "$corpus/feed.xml" >"$tmp/load.log"
fi
config="$corpus/newsdesk.toml"
db="sqlite:$corpus/newsdesk.db"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# ---------------------------------------------------------------- servers
nd_port=""
# start_newsdesk THREADS: newsdesk serve on a free port; waits for /healthz.
start_newsdesk() {
  "$newsdesk" serve --config "$config" --db "$db" --listen 127.0.0.1:0 --threads "$1" \
    >"$tmp/newsdesk.out" 2>"$tmp/newsdesk.err" &
  nd_pid=$!
  for _ in $(seq 300); do
    nd_port=$(sed -n 's/^newsdesk: serving .* on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' \
      "$tmp/newsdesk.out" 2>/dev/null | head -1)
    if [ -n "$nd_port" ] && curl -fs -o /dev/null "http://127.0.0.1:$nd_port/healthz"; then
      return 0
    fi
    kill -0 "$nd_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "bench/serve: newsdesk serve did not start:" >&2
  cat "$tmp/newsdesk.out" "$tmp/newsdesk.err" >&2
  exit 1
}

ng_port=""
# start_nginx WORKERS: nginx in the foreground on a free port.
start_nginx() {
  local prefix="$tmp/nginx"
  mkdir -p "$prefix"
  ng_port=$(free_port)
  sed -e "s|@WORKERS@|$1|g" -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$ng_port|g" \
    -e "s|@ROOT@|$site|g" -e "s|@GZIP@|$gzip_directive|g" \
    "$here/nginx.conf.in" >"$prefix/nginx.conf"
  "$nginx_bin" -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" \
    2>>"$prefix/error.log" &
  ng_pid=$!
  for _ in $(seq 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$ng_port/" && return 0
    kill -0 "$ng_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "bench/serve: nginx did not start:" >&2
  cat "$prefix/error.log" >&2
  exit 1
}

# stop_servers: ends the newsdesk and nginx this script started, if running.
stop_servers() {
  local p
  for p in $nd_pid $ng_pid; do kill "$p" 2>/dev/null || true; done
  for p in $nd_pid $ng_pid; do wait "$p" 2>/dev/null || true; done
  nd_pid=""
  ng_pid=""
}


# ---------------------------------------------------------------- export
site="$tmp/site"
export_mode=""
if "$newsdesk" --help 2>&1 | grep -q '^ *export '; then
  export_flags=()
  "$newsdesk" export --help 2>&1 | grep -q -- '--gzip' && export_flags+=(--gzip)
  start=$(now_ms)
  "$newsdesk" export --config "$config" --db "$db" "${export_flags[@]}" "$site" \
    >"$tmp/export.log" 2>&1 || { cat "$tmp/export.log" >&2; exit 1; }
  echo "bench/serve: newsdesk export ${export_flags[*]}: $(find "$site" -type f | wc -l) files" \
    "in $(seconds_since "$start") s"
  export_mode="newsdesk export ${export_flags[*]}"
fi

# The paths measured, from the database: an item in the middle of the
# listing, and the category with the most items.
read -r detail_slug category_slug < <(python3 - "$corpus/newsdesk.db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
slugs = [r[0] for r in db.execute(
    "SELECT slug FROM items WHERE status = 'published' ORDER BY published_at DESC")]
cats = db.execute(
    "SELECT c.slug FROM categories c JOIN item_categories ic ON ic.category_id = c.id "
    "GROUP BY c.id ORDER BY COUNT(*) DESC, c.slug LIMIT 1").fetchone()
print(slugs[len(slugs) // 2], cats[0] if cats else "")
EOF
)
permalink=$(python3 - "$config" <<'EOF'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    c = tomllib.load(f)
print(c.get("permalinks", {}).get("news", "/news/{slug}/"))
EOF
)
detail_path=${permalink//\{slug\}/$detail_slug}
category_path="/category/$category_slug/"
search_path="/search?q=${search_query// /+}"
declare -A route_path=(
  [rss]=/rss.xml [detail]="$detail_path" [home]=/ [category]="$category_path"
  [search]="$search_path" [detail-304]="$detail_path"
)
routes=(rss detail home category search)

# nginx's /search: newsdesk's own answer to the query, saved as a file
# (identity and gzip bytes), since a static server cannot search.
start_newsdesk 1
mkdir -p "$site/__bench"
curl -fs -o "$site/__bench/search.html" "http://127.0.0.1:$nd_port$search_path"
curl -fs -H 'Accept-Encoding: gzip' -o "$site/__bench/search.html.gz" \
  "http://127.0.0.1:$nd_port$search_path"
if [ -z "$export_mode" ]; then
  # No `newsdesk export` in this build: the measured pages as newsdesk sends
  # them, saved with curl (identity and gzip), so nginx serves the same bytes.
  export_mode="pages saved from newsdesk serve with curl (no export command)"
  for r in "${routes[@]}"; do
    p=${route_path[$r]}
    [ "$r" = search ] && continue
    f="$site$p"
    case "$p" in */) f="${f}index.html" ;; esac
    mkdir -p "$(dirname "$f")"
    curl -fs -o "$f" "http://127.0.0.1:$nd_port$p"
    curl -fs -H 'Accept-Encoding: gzip' -o "$f.gz" "http://127.0.0.1:$nd_port$p"
  done
fi
stop_servers
chmod -R a+rX "$site"
if [ -n "$(find "$site" -name '*.gz' -print -quit)" ]; then
  gzip_directive="gzip_static on;"
else
  gzip_directive="gzip on;"
fi

# ---------------------------------------------------------------- checks
# Before measuring: every route answers 200 on both, and the bodies are
# compared (identity and gzip), so the table says what it compares.
start_newsdesk 1
start_nginx 1
{
  printf '| route | path | newsdesk bytes (gzip) | nginx bytes (gzip) | same bytes |\n'
  printf '| --- | --- | ---: | ---: | --- |\n'
  for r in "${routes[@]}"; do
    p=${route_path[$r]}
    for s in nd ng; do
      port=$nd_port
      [ $s = ng ] && port=$ng_port
      code=$(curl -s -o "$tmp/check.$s" -w '%{http_code}' "http://127.0.0.1:$port$p")
      [ "$code" = 200 ] || { echo "bench/serve: $s $p answered $code" >&2; exit 1; }
      curl -s -H 'Accept-Encoding: gzip' -o "$tmp/check.$s.gz" -D "$tmp/check.$s.h" \
        "http://127.0.0.1:$port$p"
    done
    same=no
    cmp -s "$tmp/check.nd" "$tmp/check.ng" && same=yes
    samegz=no
    cmp -s "$tmp/check.nd.gz" "$tmp/check.ng.gz" && samegz=yes
    printf '| %s | `%s` | %s (%s) | %s (%s) | identity %s, gzip %s |\n' "$r" "$p" \
      "$(stat -c %s "$tmp/check.nd")" "$(stat -c %s "$tmp/check.nd.gz")" \
      "$(stat -c %s "$tmp/check.ng")" "$(stat -c %s "$tmp/check.ng.gz")" "$same" "$samegz"
  done
} >"$tmp/bytes.md"
etag_of() {  # etag_of PORT PATH: the ETag of the gzip variant
  curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' "http://127.0.0.1:$1$2" |
    tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' | head -1
}
nd_etag=$(etag_of "$nd_port" "$detail_path")
ng_etag=$(etag_of "$ng_port" "$detail_path")
for pair in "$nd_port:$nd_etag" "$ng_port:$ng_etag"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: gzip' \
    -H "If-None-Match: ${pair#*:}" "http://127.0.0.1:${pair%%:*}$detail_path")
  [ "$code" = 304 ] || { echo "bench/serve: If-None-Match ${pair#*:} gave $code" >&2; exit 1; }
done
stop_servers

# ---------------------------------------------------------------- measure
# wrk_cell PORT PATH GZIP CONNS WRK_THREADS [HEADER]: one wrk run; prints
# "rps p50_us p99_us errors" (errors: socket errors + non-2xx/3xx).
wrk_cell() {
  local port=$1 path=$2 gz=$3 conns=$4 wrk_threads=$5 extra=${6:-} args=()
  [ "$gz" = 1 ] && args+=(-H 'Accept-Encoding: gzip')
  [ -n "$extra" ] && args+=(-H "$extra")
  wrk -t"$wrk_threads" -c"$conns" -d"${duration}s" --timeout 5s --latency "${args[@]}" \
    "http://127.0.0.1:$port$path" >"$tmp/wrk.out" 2>&1 || true
  awk '
    function us(v) {
      if (v ~ /us$/) return v + 0;
      if (v ~ /ms$/) return (v + 0) * 1000;
      if (v ~ /s$/) return (v + 0) * 1000000;
      return v + 0;
    }
    $1 == "50%" { p50 = us($2) }
    $1 == "99%" { p99 = us($2) }
    $1 == "Requests/sec:" { rps = $2 }
    /Socket errors:/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { err += $5 }
    END { printf "%s %s %s %d\n", (rps == "" ? 0 : rps), p50 + 0, p99 + 0, err }
  ' "$tmp/wrk.out"
}

# warm SERVER-PORT: every route once in each encoding, then a short wrk run,
# so caches (newsdesk's response cache, nginx's open_file_cache) are full.
warm() {
  local port=$1 r
  for r in "${routes[@]}"; do
    curl -s -o /dev/null "http://127.0.0.1:$port${route_path[$r]}"
    curl -s -o /dev/null -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port${route_path[$r]}"
  done
  wrk -t2 -c64 -d1s "http://127.0.0.1:$port$detail_path" >/dev/null 2>&1 || true
}

results="$tmp/results.tsv"
printf 'run\tserver\troute\tgzip\tthreads\tconns\trps\tp50_us\tp99_us\terrors\n' >"$results"
cells=0
for _ in $(seq "$runs"); do for t in $threads_list; do
  cells=$((cells + ${#routes[@]} * 2 + 1))
done; done
total=$((cells * $(echo "$conns_list" | wc -w)))
echo "bench/serve: $items items; $runs run(s) x ${#routes[@]} routes x gzip on/off (+ detail-304)" \
  "x threads {$threads_list} x connections {$conns_list}; $duration s a cell, nginx and newsdesk"
echo "bench/serve: about $(((total * 2 * (duration + 0) + runs * 8) / 60 + 1)) minutes"
done_cells=0
for run in $(seq "$runs"); do
  for t in $threads_list; do
    start_newsdesk "$t"
    start_nginx "$t"
    warm "$nd_port"
    warm "$ng_port"
    for r in "${routes[@]}" detail-304; do
      for gz in 0 1; do
        [ "$r" = detail-304 ] && [ "$gz" = 0 ] && continue
        for c in $conns_list; do
          for s in nginx newsdesk; do
            port=$nd_port
            etag=$nd_etag
            if [ $s = nginx ]; then
              port=$ng_port
              etag=$ng_etag
            fi
            header=""
            [ "$r" = detail-304 ] && header="If-None-Match: $etag"
            read -r rps p50 p99 err < <(wrk_cell "$port" "${route_path[$r]}" "$gz" "$c" \
              "${WRK_THREADS:-$t}" "$header")
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$s" "$r" "$gz" "$t" "$c" \
              "$rps" "$p50" "$p99" "$err" >>"$results"
          done
          done_cells=$((done_cells + 1))
        done
      done
    done
    printf '\rbench/serve: %d of %d cells' "$done_cells" "$total"
    stop_servers
  done
done
echo

# ---------------------------------------------------------------- report
{
  echo "## bench/serve: newsdesk serve vs nginx (the newsdesk export)"
  echo
  echo "- $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1));" \
    "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)," \
    "newsdesk $("$newsdesk" --version 2>/dev/null | cut -d' ' -f2) ($newsdesk)"
  echo "- corpus: $items items ($db); nginx serves: $export_mode, $gzip_directive"
  echo "- cells: wrk -d${duration}s --latency, median of $runs run(s); nothing pinned" \
    "(wrk and the server share the cores)"
  wrk_threads_said=" = wrk -t"
  [ -n "${WRK_THREADS:-}" ] && wrk_threads_said="; wrk -t$WRK_THREADS in every cell"
  echo "  threads = newsdesk --threads = nginx worker_processes$wrk_threads_said"
  echo "- search: nginx serves a static copy of newsdesk's results for \"$search_query\""
  echo "  (it cannot search); newsdesk answers from its response cache"
  echo
  cat "$tmp/bytes.md"
  echo
  python3 "$here/report.py" "$results"
  echo
  echo "### Start-up and resident memory, $items items (bench/serve/memory.py)"
  echo
  python3 "$here/memory.py" "$newsdesk" "$config" "$db" --runs 3 --threads 2 \
    --sample "${MEMORY_SAMPLE:-100}" --sample-seconds "${MEMORY_SECONDS:-60}"
} | tee "$tmp/report.md"

if [ -n "${RESULTS:-}" ]; then
  mkdir -p "$RESULTS"
  cp "$results" "$tmp/report.md" "$tmp/bytes.md" "$RESULTS/"
fi
