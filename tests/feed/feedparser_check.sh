#!/usr/bin/env bash
# Imports the sample into a throwaway database, writes the site feed with
# `newsdesk feed`, and has python3-feedparser (Debian's) read it: the feed
# must not be "bozo" (ill-formed) and must hold the sample's 10 entries.
set -euo pipefail
newsdesk=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
config="$root/examples/icmpd/newsdesk.toml"
"$newsdesk" import --config "$config" --db "sqlite:$work/n.db" "$root/examples/icmpd/news-centre.rss.xml" >/dev/null
"$newsdesk" feed --config "$config" --db "sqlite:$work/n.db" > "$work/rss.xml"
/usr/bin/python3 - "$work/rss.xml" <<'PY'
import sys, feedparser
d = feedparser.parse(sys.argv[1])
errors = []
if d.bozo:
    errors.append(f"bozo: {d.bozo_exception!r}")
if d.version != "rss20":
    errors.append(f"version {d.version!r}, want rss20")
if len(d.entries) != 10:
    errors.append(f"{len(d.entries)} entries, want 10")
for e in d.entries:
    if not e.get("id") or e.get("guidislink"):
        errors.append(f"entry {e.get('title')!r}: guid missing or taken as a link")
    if not e.get("link", "").startswith("https://www.icmpd.org/news-centre/news-detail/"):
        errors.append(f"entry {e.get('title')!r}: link {e.get('link')!r}")
    if not e.get("published_parsed"):
        errors.append(f"entry {e.get('title')!r}: no parseable pubDate")
if d.feed.get("title") != "www.icmpd.org":
    errors.append(f"channel title {d.feed.get('title')!r}")
if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"feedparser: {len(d.entries)} entries, no bozo")
PY
