#!/usr/bin/env python3
"""bench/soak/paths.py: what the soak's readers ask for, from the corpus.

    paths.py DB CONFIG OUTDIR [--unique-search]

Writes, in OUTDIR (lines "PATH<TAB>GZIP<TAB>HEADER", see reads.lua):
  reads.txt       pages and feeds, each once without and once with gzip: the
                  home page, /news/ and its pages 2-5, 40 item pages spread
                  over the corpus, every category page, three category feeds,
                  three month archives, /rss.xml, /atom.xml, /feed.json,
                  /sitemap.xml, /robots.txt, 36 searches (frequent title
                  words, word pairs, a prefix, a phrase, a second result page)
  conditional.txt the paths run.sh asks for with If-None-Match (their gzip
                  ETag) or If-Modified-Since, fetched again before each
                  segment: "PATH<TAB>etag|ims"
  notfound.txt    addresses that must answer 404 (no such item, page,
                  category, search page)
  categories.txt  the corpus's category names (for writer.py)
With --unique-search the searches carry "{n}" (reads.lua makes each one a
new question: the response cache sees an unbounded set of keys).
"""

import collections
import re
import sqlite3
import time
import sys
import tomllib


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    unique = "--unique-search" in sys.argv
    if len(args) != 3:
        sys.exit(__doc__)
    db_path, config_path, out = args
    with open(config_path, "rb") as f:
        config = tomllib.load(f)
    permalink = config.get("permalinks", {}).get("news", "/news/{slug}/")
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    rows = db.execute("SELECT slug, title, published_at FROM items WHERE status = 'published' "
                      "ORDER BY published_at DESC").fetchall()
    if len(rows) < 40:
        sys.exit(f"paths.py: {len(rows)} published items; the soak wants at least 40")
    details = [permalink.replace("{slug}", rows[i * len(rows) // 40][0]) for i in range(40)]
    cats = db.execute("SELECT c.slug, c.name, COUNT(*) FROM categories c "
                      "JOIN item_categories ic ON ic.category_id = c.id "
                      "GROUP BY c.id ORDER BY COUNT(*) DESC, c.slug").fetchall()
    months = sorted({time_month(r[2]) for r in rows if r[2]}, reverse=True)

    words = collections.Counter()
    for _, title, _ in rows:
        for w in re.findall(r"[a-z]{5,}", title.lower()):
            words[w] += 1
    common = [w for w, _ in words.most_common(40)]
    searches = common[:24]
    searches += [f"{a}+{b}" for a, b in zip(common[:8], common[8:16])]
    searches += [common[0][:5] + "*", "%22" + common[1] + "+" + common[2] + "%22"]
    search_paths = [f"/search?q={q}" for q in searches]
    if unique:
        # A counter as one more word makes every request a new question, so
        # a new cache key. Second pages are left out: such questions have
        # none (404).
        search_paths = [p.replace("?q=", "?q=n{n}+", 1) for p in search_paths]
    else:
        search_paths += [f"/search?q={q}&page=2" for q in common[:2]]

    paths = ["/", "/news/"] + [f"/news/page/{n}/" for n in range(2, 6)] + details
    paths += [f"/category/{c[0]}/" for c in cats]
    paths += [f"/category/{c[0]}/{f}" for c, f in zip(cats, ("rss.xml", "atom.xml", "feed.json"))]
    paths += [f"/archive/{m}/" for m in months[:3]]
    paths += ["/rss.xml", "/atom.xml", "/feed.json", "/sitemap.xml", "/robots.txt"]
    paths += search_paths
    with open(f"{out}/reads.txt", "w") as f:
        for p in paths:
            f.write(f"{p}\t0\t-\n{p}\t1\t-\n")
    with open(f"{out}/conditional.txt", "w") as f:
        for p in ["/", "/rss.xml", "/feed.json"] + details[:10]:
            f.write(f"{p}\tetag\n")
        f.write("/atom.xml\tims\n")
    with open(f"{out}/notfound.txt", "w") as f:
        for i in range(5):
            f.write(permalink.replace("{slug}", f"no-such-item-{i}") + f"\t{i % 2}\t-\n")
        f.write("/no/such/page\t0\t-\n/category/no-such-category/\t1\t-\n")
        f.write("/news/page/99999/\t0\t-\n/search?q=border&page=abc\t1\t-\n")
    with open(f"{out}/categories.txt", "w") as f:
        f.write(",".join(c[1] for c in cats) + "\n")
    print(f"paths.py: {len(paths)} read paths x 2 encodings ({len(details)} items, "
          f"{len(cats)} categories, {len(search_paths)} searches"
          f"{', each a new question' if unique else ''})")


def time_month(epoch):
    t = time.gmtime(epoch)
    return f"{t.tm_year:04d}/{t.tm_mon:02d}"


if __name__ == "__main__":
    main()
