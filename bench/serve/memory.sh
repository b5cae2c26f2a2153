#!/usr/bin/env bash
# bench/serve/memory.sh: start-up time and resident memory of `newsdesk serve`
# with a large corpus (issue 7: under 1 s and under 200 MB with 100k items).
#
#   bench/serve/memory.sh                 100k items (loading them: ~5 min)
#   ITEMS=10000 bench/serve/memory.sh
#
# Loads the corpus with bench/corpus/load.sh (NO_FETCH=1: attachments stay
# links, so 20k PDFs are not downloaded; item pages and memory do not
# depend on them), then runs bench/serve/memory.py: RUNS starts (median
# time to the "serving" line and to the first /healthz 200), then a sample
# of the site kind by kind (sitemaps, robots, feeds, RFC 5005 feed archive
# pages, listings, date archives, searches, SAMPLE item pages, 404s; each
# identity, gzip and br; at most SAMPLE_SECONDS in all) with VmHWM/VmRSS
# per kind, then, with FILL > 0, FILL distinct pages of the largest kind
# (the response cache filled with its largest entries).
#
# Environment: ITEMS (100000), RUNS (3), SAMPLE (300), SAMPLE_SECONDS (600),
# ARCHIVE_SAMPLE (60), FILL (4200), THREADS (2), NEWSDESK (default:
# build/release, built here), BENCH_TMP (keep the corpus there; default: a
# temporary directory removed at the end), BENCH_CORPUS (a directory load.sh
# filled earlier: reused), CONFIG (another configuration for the served site,
# e.g. with [server] max_cache_bytes; default: the corpus's).
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
items="${ITEMS:-100000}"

tmp="${BENCH_TMP:-}"
cleanup() { if [ -z "${BENCH_TMP:-}" ] && [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT
if [ -z "$tmp" ]; then tmp=$(mktemp -d /tmp/newsdesk-bench-memory.XXXXXX); fi
mkdir -p "$tmp"

newsdesk="${NEWSDESK:-}"
if [ -z "$newsdesk" ]; then
  echo "bench/serve/memory: building build/release (Release)"
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSDESK_TESTS=OFF >/dev/null
  cmake --build build/release -j "${JOBS:-2}" --target newsdesk >/dev/null
  newsdesk="$root/build/release/newsdesk"
fi

corpus="${BENCH_CORPUS:-$tmp/corpus}"
if [ -f "$corpus/newsdesk.db" ] && [ -f "$corpus/newsdesk.toml" ]; then
  echo "bench/serve/memory: reusing the corpus in $corpus"
else
  start=$(date +%s)
  NO_FETCH=1 bench/corpus/load.sh "$items" "$corpus" "$newsdesk" >"$tmp/load.log" 2>&1 ||
    { cat "$tmp/load.log" >&2; exit 1; }
  echo "bench/serve/memory: $items items loaded in $(($(date +%s) - start)) s"
fi

echo "## bench/serve/memory.sh: start-up and resident memory"
echo
python3 bench/serve/memory.py "$newsdesk" "${CONFIG:-$corpus/newsdesk.toml}" \
  "sqlite:$corpus/newsdesk.db" --runs "${RUNS:-3}" --threads "${THREADS:-2}" \
  --sample "${SAMPLE:-300}" --sample-seconds "${SAMPLE_SECONDS:-600}" \
  --archive-sample "${ARCHIVE_SAMPLE:-60}" --fill "${FILL:-4200}"
