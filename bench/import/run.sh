#!/usr/bin/env bash
# bench/import: the importer against its peers on the same generated feed,
# in one run on one machine (DESIGN.md: performance is a ratio to peers).
#
#   bench/import/run.sh            10k-item feed for every tool; 1k and 100k
#                                  for the memory check (newsdesk, xmllint)
#   RUNS=5 bench/import/run.sh     more runs per measurement (median taken)
#   bench/import/run.sh --build-only   build the binaries, measure nothing
#
# Tools, each timed on the same file:
#   newsdesk-cli    build/release/newsdesk import --dry-run --json FILE > /dev/null
#                   (the whole importer: read, parse, sanitize, JSON out; the
#                   JSON holds every item, so the CLI keeps them all)
#   newsdesk-cli-count  newsdesk import --dry-run FILE (streams, prints a count)
#   newsdesk-parse  build/bench-import/parse_main FILE (parse_feed_file alone,
#                   streaming, sanitizing included; bench/import/parse_main.cc)
#   newsdesk-parse-whole  parse_main --whole FILE: read_file + parse_feed, the
#                   in-memory path, for comparison (1k and 10k only)
#   feedparser      /usr/bin/python3 + python3-feedparser (Debian package)
#   xmllint         xmllint --stream --noout FILE: libxml2's raw streaming
#                   parse, the limit for anything built on libxml2
# Wall time is measured around each command (nanosecond clock), peak RSS by
# GNU time (%M). Runs of the tools are interleaved so that load from other
# processes spreads over all of them. Not part of the test suite.
#
# Environment: RUNS (3), BENCH_TMP (a new temporary directory, removed at the
# end), NEWSDESK (a newsdesk binary to use instead of building build/release),
# SKIP_CLI=1 (leave the CLI out when the tree does not build).
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
runs="${RUNS:-3}"
jobs=2

# ---------------------------------------------------------------- tools
scripts/install-deps  # python3-feedparser, libxml2-utils, the build tools
if [ ! -x /usr/bin/time ]; then
  echo "bench: installing time"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time
fi

tmp="${BENCH_TMP:-}"
if [ -z "$tmp" ]; then
  tmp=$(mktemp -d /tmp/newsdesk-bench-import.XXXXXX)
  trap 'rm -rf "$tmp"' EXIT
fi
mkdir -p "$tmp"

# The parse-only binary: the import path's sources compiled directly, with
# CMake's Release flags, incrementally (ninja) into build/bench-import/.
build_parse_main() {
  local out="$root/build/bench-import"
  mkdir -p "$out"
  local sources=() objects=() f
  for f in src/core/*.cc src/model/item.cc src/text/*.cc src/feed/import/*.cc; do
    [[ "$f" == *_test.cc ]] && continue
    sources+=("$f")
  done
  {
    echo "# Written by bench/import/run.sh; do not edit."
    echo "cflags = -std=c++20 -O3 -DNDEBUG -I$root/src $(pkg-config --cflags libxml-2.0 icu-uc icu-i18n gumbo)"
    echo "libs = $(pkg-config --libs libxml-2.0 icu-uc icu-i18n gumbo)"
    echo "rule cc"
    echo "  command = g++ \$cflags -MMD -MF \$out.d -c \$in -o \$out"
    echo "  depfile = \$out.d"
    echo "  deps = gcc"
    echo "  description = CXX \$out"
    echo "rule ar"
    echo "  command = rm -f \$out && ar rcs \$out \$in"
    echo "  description = AR \$out"
    echo "rule link"
    echo "  command = g++ \$in \$libs -o \$out"
    echo "  description = LINK \$out"
    for f in "${sources[@]}"; do
      echo "build obj/${f%.cc}.o: cc $root/$f"
      objects+=("obj/${f%.cc}.o")
    done
    echo "build obj/bench/import/parse_main.o: cc $root/bench/import/parse_main.cc"
    # An archive, so that only what the import path uses is linked (src/text
    # holds more than that, with dependencies of its own).
    echo "build libimport.a: ar ${objects[*]}"
    echo "build parse_main: link obj/bench/import/parse_main.o libimport.a"
  } >"$out/build.ninja.new"
  if ! cmp -s "$out/build.ninja.new" "$out/build.ninja" 2>/dev/null; then
    mv "$out/build.ninja.new" "$out/build.ninja"
  else
    rm "$out/build.ninja.new"
  fi
  ninja -C "$out" -j "$jobs" parse_main
}

echo "bench: building the parse-only binary (build/bench-import/parse_main)"
build_parse_main
parse_main="$root/build/bench-import/parse_main"

newsdesk="${NEWSDESK:-}"
if [ "${SKIP_CLI:-0}" = 1 ]; then
  newsdesk=""
elif [ -z "$newsdesk" ]; then
  # build/release is shared: two ninjas in one build directory trip over each
  # other, so wait (up to 10 minutes) for one someone else started.
  for ((waited = 0; waited < 600; waited += 10)); do
    busy=0
    for pid in $(pgrep -x ninja || true); do
      [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$root/build/release" ] && busy=1
    done
    [ "$busy" -eq 0 ] && break
    [ "$waited" -eq 0 ] && echo "bench: waiting for another build in build/release"
    sleep 10
  done
  echo "bench: building newsdesk (Release, build/release)"
  if cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSDESK_TESTS=OFF \
      >"$tmp/cmake.log" 2>&1 && cmake --build build/release -j "$jobs" >>"$tmp/cmake.log" 2>&1; then
    newsdesk="$root/build/release/newsdesk"
  else
    echo "bench: the Release build failed (the tree is being edited?); the CLI is left out." >&2
    tail -20 "$tmp/cmake.log" >&2
  fi
fi

[ "${1:-}" = --build-only ] && exit 0

# ---------------------------------------------------------------- feeds
declare -A feed
for n in 1000 10000 100000; do
  feed[$n]="$tmp/feed-$n.xml"
  echo "bench: generating $n items"
  python3 bench/import/generate.py --items "$n" --seed 1 -o "${feed[$n]}"
done

# ---------------------------------------------------------------- measure
results="$tmp/results.tsv"
: >"$results"

# measure LABEL ITEMS COMMAND...: one run; appends "label items bytes ms kb rc".
measure() {
  local label=$1 items=$2
  shift 2
  local start end rc stdout="$tmp/stdout.txt"
  # The JSON of the CLI goes to /dev/null; the others print only a count.
  [[ "$label" == newsdesk-cli* ]] && stdout=/dev/null
  start=$(date +%s%N)
  set +e
  /usr/bin/time -f "%M" -o "$tmp/time.txt" "$@" >"$stdout" 2>"$tmp/stderr.txt"
  rc=$?
  set -e
  end=$(date +%s%N)
  local kb
  kb=$(tail -1 "$tmp/time.txt")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$items" "$(stat -c %s "${feed[$items]}")" \
    $(((end - start) / 1000000)) "$kb" "$rc" >>"$results"
  if [ "$rc" -ne 0 ]; then
    echo "bench: $label on $items items: exit $rc: $(head -c 300 "$tmp/stderr.txt")" >&2
  elif [[ "$label" == newsdesk-parse* || "$label" == feedparser ]]; then
    local count
    count=$(tail -1 "$tmp/stdout.txt")
    [ "$count" = "$items" ] || echo "bench: $label read $count items of $items" >&2
  fi
}

feedparser_cmd=(/usr/bin/python3 -c
  "import feedparser,sys; d=feedparser.parse(sys.argv[1]); print(len(d.entries))")

echo "bench: load before: $(uptime)"
for ((i = 1; i <= runs; i++)); do
  echo "bench: run $i of $runs"
  for n in 1000 10000 100000; do
    f="${feed[$n]}"
    measure xmllint "$n" xmllint --stream --noout "$f"
    measure newsdesk-parse "$n" "$parse_main" "$f"
    [ "$n" -le 10000 ] && measure newsdesk-parse-whole "$n" "$parse_main" --whole "$f"
    # The CLI is tried once on the 100k feed (329 MB): whether it streams or
    # refuses depends on the CLI's own input limits.
    if [ -n "$newsdesk" ] && { [ "$n" -le 10000 ] || [ "$i" -eq 1 ]; }; then
      measure newsdesk-cli "$n" "$newsdesk" import --dry-run --json "$f"
    fi
    [ -n "$newsdesk" ] && measure newsdesk-cli-count "$n" "$newsdesk" import --dry-run "$f"
    # feedparser takes some 15 s per 10k items: the 10k feed only.
    [ "$n" -eq 10000 ] && measure feedparser "$n" "${feedparser_cmd[@]}" "$f"
  done
done

echo "bench: load after: $(uptime)"
cp "$results" "$root/build/bench-import/results.tsv"

# ---------------------------------------------------------------- report
python3 - "$results" "$runs" <<'EOF'
import collections, statistics, sys

rows = collections.defaultdict(list)
size = {}
for line in open(sys.argv[1]):
    label, items, nbytes, ms, kb, rc = line.split("\t")
    rows[(label, int(items))].append((int(ms), int(kb), int(rc)))
    size[int(items)] = int(nbytes)

def median(label, items, k):
    runs = [r for r in rows.get((label, items), []) if r[2] == 0]
    return statistics.median(r[k] for r in runs) if runs else None

order = ["newsdesk-cli", "newsdesk-cli-count", "newsdesk-parse", "newsdesk-parse-whole", "feedparser", "xmllint"]
print()
print(f"Median of {sys.argv[2]} runs per cell (wall time; peak RSS from GNU time).")
print()
print("| tool | items | file MB | wall s | MB/s | peak RSS MB |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for items in sorted(size):
    for label in order:
        if (label, items) not in rows:
            continue
        t, m = median(label, items, 0), median(label, items, 1)
        mb = size[items] / 1e6
        if t is None:
            print(f"| {label} | {items} | {mb:.1f} | refused (exit {rows[(label, items)][0][2]}) | | |")
        else:
            print(f"| {label} | {items} | {mb:.1f} | {t / 1000:.3f} | {mb / (t / 1000):.1f} | {m / 1024:.1f} |")

def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}"

n = 10000
t = {label: median(label, n, 0) for label in order}
print()
print("| ratio (10k items) | value | target |")
print("| --- | ---: | --- |")
print(f"| feedparser time / newsdesk-cli time | {ratio(t['feedparser'], t['newsdesk-cli'])}x | >= 30x |")
print(f"| feedparser time / newsdesk-parse time | {ratio(t['feedparser'], t['newsdesk-parse'])}x | >= 30x |")
print(f"| feedparser time / newsdesk-parse-whole time | {ratio(t['feedparser'], t['newsdesk-parse-whole'])}x | |")
print(f"| feedparser time / newsdesk-cli-count time | {ratio(t['feedparser'], t['newsdesk-cli-count'])}x | >= 30x |")
print(f"| newsdesk-cli speed / xmllint speed | {ratio(t['xmllint'], t['newsdesk-cli'])} | >= 0.5 |")
print(f"| newsdesk-cli-count speed / xmllint speed | {ratio(t['xmllint'], t['newsdesk-cli-count'])} | >= 0.5 |")
print(f"| newsdesk-parse speed / xmllint speed | {ratio(t['xmllint'], t['newsdesk-parse'])} | >= 0.5 |")
print()
print(f"| peak RSS growth (file: x{size[10000] / size[1000]:.1f}, then x{size[100000] / size[10000]:.1f}) "
      "| 1k -> 10k | 10k -> 100k |")
print("| --- | ---: | ---: |")
for label in order:
    m = {k: median(label, k, 1) for k in (1000, 10000, 100000)}
    if sum(v is not None for v in m.values()) < 2:
        continue
    cells = [ratio(m[b], m[a]) for a, b in ((1000, 10000), (10000, 100000))]
    print(f"| {label} | " + " | ".join(c if c == "n/a" else c + "x" for c in cells) + " |")
EOF
echo
echo "bench: raw results in build/bench-import/results.tsv"
