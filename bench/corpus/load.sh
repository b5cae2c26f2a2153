#!/usr/bin/env bash
# bench/corpus/load.sh: the benchmark corpus as a newsdesk SQLite database.
#
#   bench/corpus/load.sh ITEMS OUTDIR [NEWSDESK]
#
#   ITEMS     1000, 10000 or 100000 (any positive number)
#   OUTDIR    created if missing; receives
#               feed.xml        the corpus (bench/corpus/generate.py --seed 1)
#               files/          the PDF attachments the feed's enclosures name
#               newsdesk.db     the database: `newsdesk init` + `newsdesk import
#                               --fetch-attachments` (attachments stored in it)
#               newsdesk.toml   the site's configuration (bench/corpus/newsdesk.toml)
#   NEWSDESK  the newsdesk binary (default: build/release/newsdesk)
#
# Serve or export it with the same configuration:
#   $NEWSDESK serve  --config OUTDIR/newsdesk.toml --db sqlite:OUTDIR/newsdesk.db
#   $NEWSDESK export --config OUTDIR/newsdesk.toml --db sqlite:OUTDIR/newsdesk.db DIR
#
# The attachments are real: the PDFs are served by `python3 -m http.server`
# on 127.0.0.1 (an ephemeral port) while newsdesk imports with
# --fetch-attachments, so /files/{id}/{name} serves their bytes. The feed is
# generated with that server's address as attachment base, so feed.xml
# differs between runs only in the port; the database content (items,
# categories, dates, attachment bytes) is the same. Set NO_FETCH=1 to leave
# the attachments as links (no server, no download).
#
# An existing OUTDIR/newsdesk.db is replaced. Exit status non-zero on any failure.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 2
fi
items=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
newsdesk=${3:-$root/build/release/newsdesk}
[ -x "$newsdesk" ] || { echo "load.sh: no newsdesk binary at $newsdesk" >&2; exit 1; }
case "$items" in ''|*[!0-9]*) echo "load.sh: ITEMS must be a number" >&2; exit 2;; esac

mkdir -p "$out"
out=$(cd "$out" && pwd)
cp "$here/newsdesk.toml" "$out/newsdesk.toml"
rm -rf "$out/files" "$out/newsdesk.db" "$out/newsdesk.db-wal" "$out/newsdesk.db-shm"
mkdir -p "$out/files"

server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

fetch=()
if [ "${NO_FETCH:-0}" = 1 ]; then
  base="https://www.icmpd.org/fileadmin/news/"
else
  # A free port from the kernel, then the file server on it.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port/"
  (cd "$out/files" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
  server_pid=$!
  # The PDFs come from a server on 127.0.0.1, which import refuses by
  # default (SSRF filtering): allowed here on purpose.
  fetch=(--fetch-attachments --allow-private-addresses)
fi

echo "load.sh: generating $items items into $out/feed.xml"
python3 "$here/generate.py" --items "$items" --seed 1 --attachment-base "$base" \
  --files-dir "$out/files" -o "$out/feed.xml"

if [ -n "$server_pid" ]; then
  for _ in $(seq 50); do
    python3 -c "import urllib.request; urllib.request.urlopen('$base')" 2>/dev/null && break
    sleep 0.1
  done
fi

db="sqlite:$out/newsdesk.db"
"$newsdesk" init --config "$out/newsdesk.toml" --db "$db" >/dev/null
"$newsdesk" import --config "$out/newsdesk.toml" --db "$db" "${fetch[@]}" "$out/feed.xml" \
  | tee "$out/import.log" | grep -v '^newsdesk: attachment http' || true
if [ -n "$server_pid" ] && grep -q 'attachments: .* [1-9][0-9]* failed' "$out/import.log"; then
  echo "load.sh: some attachments failed, see $out/import.log" >&2
  exit 1
fi
grep -q 'imported 1 source' "$out/import.log" || { echo "load.sh: import failed" >&2; exit 1; }
echo "load.sh: $db ready"
