#!/usr/bin/env bash
# bench/export: `newsdesk export` against Hugo building the same corpus, on the
# same machine in the same run (DESIGN.md: performance is a ratio to peers).
#
#   bench/export/run.sh              10k items, 3 runs of each, medians
#   RUNS=5 ITEMS=1000 bench/export/run.sh
#
# 1. bench/corpus/load.sh ITEMS: the corpus feed, its PDF attachments, and a
#    newsdesk database made from it (init + import --fetch-attachments).
# 2. bench/export/to_hugo.py: the same corpus as a Hugo site (one content
#    file per item with front matter; attachments as static files), themed
#    by bench/export/hugo-theme/ (home, paginated news list, detail pages,
#    category taxonomy pages, RSS for home, section and categories, sitemap).
# 3. Full builds, interleaved, RUNS times each, each into an empty folder:
#      hugo      hugo --quiet --source SITE --destination OUT
#      newsdesk  newsdesk export --config ... --db ... OUT
#    wall time and peak RSS by GNU time (%e %M); medians.
# 4. Incremental, into the folder of the last full export, RUNS times each
#    (median wall time):
#      unchanged    nothing changed since the last export
#      incremental  one item's title changed by a re-import of a one-item
#                   feed with the same guid (the feed's date stays, so the
#                   item's updated_at does too)
#      api-edit     one item's title changed through the JSON API (PATCH
#                   /api/v1/news/{id}: a new updated_at, so every RSS and
#                   Atom page of its feeds has a new lastBuildDate/updated)
# Prints a table and the ratio lines, e.g.
#    export/hugo time ratio: 0.21 (target <= 0.25)
#
# Environment: RUNS (3), ITEMS (10000), NEWSDESK (a newsdesk binary; default:
# build/release/newsdesk, built as a Release build when missing), BENCH_TMP
# (a folder to keep the corpus and outputs in; default: a temporary folder,
# removed at the end), STRICT=1 (exit 1 when a target is missed).
# Exits non-zero when any step fails. Not part of the test suite.
#
# Where the outputs go matters: on ext4, writing 15-20k files right after
# deleting the previous run's costs both tools seconds of kernel time in
# inode allocation (bench/RESULTS.md, session 6). BENCH_TMP=/dev/shm/NAME
# (tmpfs) measures the generators themselves; results state which was used.
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
runs="${RUNS:-3}"
items="${ITEMS:-10000}"

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
need=()
command -v hugo >/dev/null || need+=(hugo)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench/export: installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

newsdesk="${NEWSDESK:-}"
if [ -z "$newsdesk" ]; then
  newsdesk="$root/build/release/newsdesk"
  if [ ! -x "$newsdesk" ]; then
    cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSDESK_TESTS=OFF >/dev/null
    cmake --build build/release -j2
  fi
fi
[ -x "$newsdesk" ] || { echo "bench/export: no newsdesk binary at $newsdesk" >&2; exit 1; }

tmp="${BENCH_TMP:-}"
if [ -z "$tmp" ]; then
  tmp=$(mktemp -d /tmp/newsdesk-bench-export.XXXXXX)
  trap 'rm -rf "$tmp"' EXIT
fi
mkdir -p "$tmp"
corpus="$tmp/corpus"

echo "bench/export: corpus of $items items"
bench/corpus/load.sh "$items" "$corpus" "$newsdesk"
python3 bench/export/to_hugo.py "$corpus/feed.xml" "$corpus/files" "$tmp/hugo-site"
config=(--config "$corpus/newsdesk.toml" --db "sqlite:$corpus/newsdesk.db")

# measure LABEL CMD...: runs CMD under GNU time, appends "LABEL SECONDS KB".
measure() {
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$tmp/time.out" "$@" >"$tmp/cmd.out" 2>"$tmp/cmd.err" || {
    echo "bench/export: $label failed:" >&2
    cat "$tmp/cmd.err" >&2
    exit 1
  }
  echo "$label $(tail -1 "$tmp/time.out")" >>"$tmp/results"
}

: >"$tmp/results"
for run in $(seq "$runs"); do
  echo "bench/export: run $run of $runs"
  rm -rf "$tmp/hugo-out" "$tmp/export"
  sync
  measure hugo hugo --quiet --source "$tmp/hugo-site" --destination "$tmp/hugo-out"
  sync
  measure newsdesk "$newsdesk" export "${config[@]}" "$tmp/export"
done
hugo_files=$(find "$tmp/hugo-out" -type f | wc -l)
export_files=$(find "$tmp/export" -type f ! -name .newsdesk-export | wc -l)

# Incremental: nothing changed, then export again.
for run in $(seq "$runs"); do
  measure unchanged "$newsdesk" export "${config[@]}" "$tmp/export"
  tail -1 "$tmp/cmd.out" | sed 's/^/  /'
done

# Incremental: one item edited through a re-import, then export again.
first_item=$(python3 - "$corpus/feed.xml" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
start = text.index("<item>")
print(text[start:text.index("</item>", start) + len("</item>")].replace("\n", " "))
PY
)
for run in $(seq "$runs"); do
  python3 - "$tmp/edit.xml" "$run" "$first_item" <<'PY'
import sys, re
out, run, item = sys.argv[1], sys.argv[2], sys.argv[3]
item = re.sub(r"<title>(.*?)</title>", lambda m: f"<title>{m.group(1)} (corrected {run})</title>", item, 1)
open(out, "w", encoding="utf-8").write(
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>www.icmpd.org</title>'
    '<link>https://www.icmpd.org/</link><description>NEWS CENTRE</description>' + item +
    "</channel></rss>\n")
PY
  "$newsdesk" import "${config[@]}" "$tmp/edit.xml" | grep -q "1 updated" || {
    echo "bench/export: the edit was not imported as an update" >&2
    exit 1
  }
  measure incremental "$newsdesk" export "${config[@]}" "$tmp/export"
  tail -1 "$tmp/cmd.out" | sed 's/^/  /'
done

# Incremental: one item edited through the JSON API, then export again.
"$newsdesk" user add "${config[@]}" bench-export-editor --role editor >/dev/null 2>&1 || true
token=$("$newsdesk" token create "${config[@]}" bench-export-editor |
  sed -n 's/.*: \(nd_[A-Za-z0-9_-]*\)$/\1/p')
[ -n "$token" ] || { echo "bench/export: no API token" >&2; exit 1; }
"$newsdesk" serve "${config[@]}" --listen 127.0.0.1:0 --threads 1 >"$tmp/serve.out" 2>"$tmp/serve.err" &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true; [ -z "${BENCH_TMP:-}" ] && rm -rf "$tmp"' EXIT
port=""
for _ in $(seq 300); do
  port=$(sed -n 's/^newsdesk: serving .* on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' \
    "$tmp/serve.out" 2>/dev/null | head -1)
  [ -n "$port" ] && curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break
  port=""
  sleep 0.05
done
[ -n "$port" ] || { echo "bench/export: newsdesk serve did not start" >&2; cat "$tmp/serve.err" >&2; exit 1; }
api="http://127.0.0.1:$port/api/v1/news"
# An item in the middle of the listing.
edit_id=$(curl -fs -H "Authorization: Bearer $token" "$api?status=published&page=50" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][3]["id"])')
for run in $(seq "$runs"); do
  curl -fs -o /dev/null -X PATCH -H "Authorization: Bearer $token" \
    -H "Content-Type: application/json" \
    -d "{\"title\": \"Press Release: edited through the API ($run)\"}" "$api/$edit_id" || {
    echo "bench/export: the API edit failed" >&2
    exit 1
  }
  measure api-edit "$newsdesk" export "${config[@]}" "$tmp/export"
  tail -1 "$tmp/cmd.out" | sed 's/^/  /'
done
kill "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true

python3 - "$tmp/results" "$items" "$hugo_files" "$export_files" "${STRICT:-0}" <<'PY'
import statistics, sys
path, items, hugo_files, export_files, strict = sys.argv[1:]
rows = {}
for line in open(path):
    label, secs, kb = line.split()
    rows.setdefault(label, []).append((float(secs), int(kb)))
med = {k: (statistics.median(s for s, _ in v), statistics.median(m for _, m in v), len(v))
       for k, v in rows.items()}
print()
print(f"| {items} items | runs | median wall (s) | median peak RSS (MB) | files |")
print("| --- | --- | --- | --- | --- |")
files = {"hugo": hugo_files, "newsdesk": export_files, "incremental": export_files,
         "unchanged": export_files, "api-edit": export_files}
names = {"hugo": "hugo (full build)", "newsdesk": "newsdesk export (full)",
         "unchanged": "newsdesk export (nothing changed)",
         "incremental": "newsdesk export (after one edit: re-import)",
         "api-edit": "newsdesk export (after one edit: API, new updated_at)"}
for k in ("hugo", "newsdesk", "unchanged", "incremental", "api-edit"):
    if k in med:
        s, m, n = med[k]
        print(f"| {names[k]} | {n} | {s:.2f} | {m / 1024:.0f} | {files[k]} |")
print()
t = med["newsdesk"][0] / med["hugo"][0]
m = med["newsdesk"][1] / med["hugo"][1]
inc = med["incremental"][0]
ok = [t <= 0.25, m <= 0.25, inc < 1.0]
print(f"export/hugo time ratio: {t:.2f} (target <= 0.25) {'ok' if ok[0] else 'MISSED'}")
print(f"export/hugo memory ratio: {m:.2f} (target <= 0.25) {'ok' if ok[1] else 'MISSED'}")
print(f"incremental export after one edit: {inc:.2f} s (target < 1 s) {'ok' if ok[2] else 'MISSED'}")
if "api-edit" in med:
    api = med["api-edit"][0]
    print(f"incremental export after one API edit: {api:.2f} s (target < 1 s) "
          f"{'ok' if api < 1.0 else 'MISSED'}")
if strict == "1" and not all(ok):
    sys.exit(1)
PY
