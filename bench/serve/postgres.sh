#!/usr/bin/env bash
# bench/serve/postgres.sh: `newsdesk serve` on PostgreSQL against the same
# server on SQLite, same corpus, same machine, same run: cached reads
# (requests/s with wrk) and API writes (creates per second through
# POST /api/v1/news, one connection per client), and the ratio.
#
#   bench/serve/postgres.sh                  1k items, 5 s cells
#   ITEMS=10000 DURATION=10 bench/serve/postgres.sh
#
# PostgreSQL runs in a throwaway cluster (tests/support/pg-cluster: fsync
# off, as in the tests; a production server with fsync on commits slower).
# The corpus is bench/corpus/load.sh's SQLite database, moved into
# PostgreSQL with `newsdesk copy`. Environment: ITEMS (1000), DURATION (5),
# CONNS (64), WRITERS (4), NEWSDESK (default build/release/newsdesk, built
# when missing), RESULTS (directory for report.md; default
# build/bench-results/postgres).
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
items=${ITEMS:-1000}
duration=${DURATION:-5}
conns=${CONNS:-64}
writers=${WRITERS:-4}
results=${RESULTS:-$root/build/bench-results/postgres}
newsdesk=${NEWSDESK:-$root/build/release/newsdesk}

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -x "$newsdesk" ] || make build >/dev/null
mkdir -p "$results"
tmp=$(mktemp -d /tmp/newsdesk-bench-pg.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$root/tests/support/pg-cluster" stop "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "bench/serve/postgres: corpus of $items items"
NO_FETCH=1 bench/corpus/load.sh "$items" "$tmp/corpus" "$newsdesk" >/dev/null
config="$tmp/corpus/newsdesk.toml"
sqlite_url="sqlite:$tmp/corpus/newsdesk.db"
"$root/tests/support/pg-cluster" start "$tmp/pg" >/dev/null
pg_url=$(cat "$tmp/pg/url")
"$newsdesk" copy --from "$sqlite_url" --to "$pg_url" >/dev/null
for url in "$sqlite_url" "$pg_url"; do
  "$newsdesk" user add bench --role editor --config "$config" --db "$url" </dev/null >/dev/null
done

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# serve URL: starts a server, sets $port and $pid
serve() {
  port=$(free_port)
  "$newsdesk" serve --config "$config" --db "$1" --listen "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && return 0
    sleep 0.1
  done
  echo "bench/serve/postgres: the server did not start" >&2
  cat "$tmp/serve.log" >&2
  exit 1
}

slug=$("$newsdesk" feed --config "$config" --db "$sqlite_url" --format json |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["url"].rstrip("/").rsplit("/",1)[1])')

# reads PORT PATH: requests/s of a cached route (warmed first)
reads() {
  curl -s -o /dev/null "http://127.0.0.1:$1$2"
  wrk -t2 -c"$conns" -d"${duration}s" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$1$2" |
    awk '/Requests\/sec/ {print int($2)}'
}

# writes PORT TOKEN: items created per second by WRITERS clients
writes() {
  /usr/bin/python3 - "$1" "$2" "$duration" "$writers" <<'PY'
import http.client, json, sys, threading, time
port, token, seconds, clients = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
done, failed = [0], [0]
lock = threading.Lock()
def client(n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    end, i = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        i += 1
        body = json.dumps({"title": f"Bench write {n}-{i}-{time.monotonic_ns()}",
                           "body_markdown": "Written by the benchmark.", "status": "published"})
        conn.request("POST", "/api/v1/news", body,
                     {"Content-Type": "application/json", "Authorization": "Bearer " + token})
        r = conn.getresponse(); r.read()
        with lock:
            if r.status == 201: done[0] += 1
            else: failed[0] += 1
threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
start = time.monotonic()
for t in threads: t.start()
for t in threads: t.join()
print(int(done[0] / (time.monotonic() - start)), failed[0])
PY
}

declare -A rps
declare -A wps
declare -A wfail
for backend in sqlite postgresql; do
  url=$sqlite_url
  [ "$backend" = postgresql ] && url=$pg_url
  token=$("$newsdesk" token create bench --label "bench-$backend" --config "$config" --db "$url" |
    awk '{w = $NF} END {print w}')
  serve "$url"
  for route in "/rss.xml" "/" "/news-centre/news-detail/$slug/"; do
    rps[$backend,$route]=$(reads "$port" "$route")
  done
  read -r wps[$backend] wfail[$backend] < <(writes "$port" "$token")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done

{
  echo "# bench/serve/postgres.sh: PostgreSQL against SQLite"
  echo
  echo "$items items, wrk -t2 -c$conns -d${duration}s with gzip for reads (cache hits), $writers"
  echo "API clients for ${duration}s for writes; $(nproc) cores; $(date -u +%Y-%m-%d)."
  echo
  echo "| measure | SQLite | PostgreSQL | PostgreSQL/SQLite |"
  echo "|---|---:|---:|---:|"
  for route in "/rss.xml" "/" "/news-centre/news-detail/$slug/"; do
    s=${rps[sqlite,$route]}
    p=${rps[postgresql,$route]}
    label="GET $route"
    [ "$route" = "/news-centre/news-detail/$slug/" ] && label="GET a detail page"
    echo "| $label (requests/s) | $s | $p | $(awk -v a="$p" -v b="$s" 'BEGIN {printf "%.2f", b ? a / b : 0}') |"
  done
  s=${wps[sqlite]}
  p=${wps[postgresql]}
  echo "| POST /api/v1/news (items/s) | $s | $p | $(awk -v a="$p" -v b="$s" 'BEGIN {printf "%.2f", b ? a / b : 0}') |"
  echo "| failed writes | ${wfail[sqlite]} | ${wfail[postgresql]} | |"
  echo
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$results/report.md"
