#!/usr/bin/env bash
# Imports the sample into a throwaway database, writes every feed newsdesk
# serves for it with `newsdesk feed` (RSS, Atom, JSON Feed; site-wide and one
# category), and has python3-feedparser (Debian's) read each: no feed may be
# "bozo" (ill-formed) and each must hold its entries with ids, links, dates.
set -euo pipefail
newsdesk=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
config="$root/examples/icmpd/newsdesk.toml"
db="sqlite:$work/n.db"
"$newsdesk" import --config "$config" --db "$db" "$root/examples/icmpd/news-centre.rss.xml" >/dev/null
for format in rss atom json; do
  "$newsdesk" feed --config "$config" --db "$db" --format "$format" > "$work/site.$format"
  "$newsdesk" feed --config "$config" --db "$db" --format "$format" --category project-news \
    > "$work/category.$format"
done
/usr/bin/python3 - "$work" <<'PY'
import json, sys, feedparser
work = sys.argv[1]
expect = {"rss": "rss20", "atom": "atom10", "json": "json11"}
errors = []

def read_json_feed(path):
    """The facts feedparser would give, from a JSON Feed 1.1 document."""
    doc = json.load(open(path, encoding="utf-8"))
    entries = [{"id": i.get("id", ""), "title": i.get("title"), "link": i.get("url", ""),
                "published_parsed": i.get("date_published")} for i in doc.get("items", [])]
    version = "json11" if doc.get("version") == "https://jsonfeed.org/version/1.1" else ""
    return feedparser.FeedParserDict(bozo=False, version=version, entries=entries,
                                     feed={"title": doc.get("title", "")})

for scope, count in (("site", 10), ("category", 6)):
    for fmt, version in expect.items():
        name = f"{scope}.{fmt}"
        path = f"{work}/{name}"
        d = read_json_feed(path) if fmt == "json" else feedparser.parse(path)
        if d.bozo:
            errors.append(f"{name}: bozo: {d.bozo_exception!r}")
        if d.version != version:
            errors.append(f"{name}: version {d.version!r}, want {version}")
        if len(d.entries) != count:
            errors.append(f"{name}: {len(d.entries)} entries, want {count}")
        for e in d.entries:
            # feedparser sets guidislink for every Atom id; only RSS guids count.
            if not e.get("id", "").startswith("urn:uuid:") or (fmt == "rss" and e.get("guidislink")):
                errors.append(f"{name}: {e.get('title')!r}: id {e.get('id')!r}")
            if not e.get("link", "").startswith("https://www.icmpd.org/news-centre/news-detail/"):
                errors.append(f"{name}: {e.get('title')!r}: link {e.get('link')!r}")
            if not e.get("published_parsed"):
                errors.append(f"{name}: {e.get('title')!r}: no parseable publication date")
        if not d.feed.get("title", "").startswith("www.icmpd.org"):
            errors.append(f"{name}: feed title {d.feed.get('title')!r}")
if errors:
    print("\n".join(errors))
    sys.exit(1)
print("feedparser: 6 feeds read, no bozo")
PY
