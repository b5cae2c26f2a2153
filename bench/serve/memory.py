#!/usr/bin/env python3
"""bench/serve/memory.py: start-up time and resident memory of `newsdesk serve`
on a loaded corpus (issue 7: start-up under 1 s and under 200 MB resident
with 100k items). Called by bench/serve/memory.sh; standard library only.

  memory.py NEWSDESK CONFIG DB [--runs 3] [--threads 2] [--sample 300]
            [--sample-seconds 600] [--archive-sample 60] [--fill 0]

Start-up: the time from exec to the "newsdesk: serving ... on" line, and to
the first 200 from /healthz, median of --runs starts.

Memory: on the last start, requests what a served site gets, one kind after
the other with 2 clients (every path once identity, once with
Accept-Encoding: gzip and once with br):
  discovery   /sitemap.xml (and its parts when it is a sitemap index),
              /news-sitemap.xml, /robots.txt, /feed.xsl and the theme's
              /static/ files the home page links
  feeds       the site's and each category's RSS, Atom and JSON Feed
  archives    RFC 5005 feed archive pages: --archive-sample pages spread
              over the site's archive and a fifth of that per category, in
              each format (the count comes from each live feed's
              prev-archive link)
  listings    the home page, /news/ pages 1-20 and 20 more spread to the
              last, each category's pages 1-3 and its last page
  archive     /archive/, each year, each month and its page 2
  search      40 searches (frequent words, phrases, page 2 and a deep page)
  items       --sample item pages spread over the corpus
  errors      404s (unknown paths, a category page past the last)
Each kind gets at most --sample-seconds / 8; what was fetched is reported.
Before each kind the peak is reset (writing 5 to /proc/PID/clear_refs), so
each kind's own peak (VmHWM) is shown next to VmRSS after it and the
response cache's entry count (/metrics).

--fill N: then N distinct pages of the largest kind that has that many
(feed archive pages in all formats, site-wide and per category, newest
pages first, or searches: the larger first response wins), each in all
three encodings: the response cache (4096 entries) filled with the largest
entries the site has, its bytes estimated from the bodies received; then
/sitemap.xml once more (rendered again if the fill pushed it out).
The overall peak VmHWM is the largest of the per-kind peaks.
"""

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import tomllib
import urllib.parse
import sqlite3

ENCODINGS = ({}, {"Accept-Encoding": "gzip"}, {"Accept-Encoding": "br"})


def start(args):
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [args.newsdesk, "serve", "--config", args.config, "--db", args.db, "--listen",
         "127.0.0.1:0", "--threads", str(args.threads)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    t_line = time.perf_counter() - t0
    m = re.search(r"serving .* on http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        sys.exit(f"memory.py: newsdesk did not start: {line!r}")
    port = int(m.group(1))
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                break
        except OSError:
            pass
        if time.perf_counter() - t0 > 60:
            proc.kill()
            sys.exit("memory.py: /healthz did not answer within 60 s")
        time.sleep(0.002)
    t_health = time.perf_counter() - t0
    return proc, port, t_line, t_health


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak(pid):
    """Resets VmHWM to the current RSS (Linux >= 4.0); False when refused."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def get(port, path, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    return r.status, r.read()


def cache_entries(port):
    status, body = get(port, "/metrics")
    m = re.search(rb"^newsdesk_cache_entries(?:\{[^}]*\})? (\d+)", body, re.M)
    return int(m.group(1)) if status == 200 and m else -1


def archive_pages(port, feed_path):
    """The number of RFC 5005 archive pages the live feed links to (0: none)."""
    status, body = get(port, feed_path)
    m = re.search(rb"feed-archive/(\d+)/", body) if status == 200 else None
    return int(m.group(1)) if m else 0


def spread(n, count):
    """`count` numbers from 1 to n, evenly spread, both ends included."""
    if n <= 0:
        return []
    if count >= n:
        return list(range(1, n + 1))
    if count <= 1:
        return [n]
    return sorted({1 + round(i * (n - 1) / (count - 1)) for i in range(count)})


def sample_kinds(args, port):
    db = sqlite3.connect(args.db.removeprefix("sqlite:"))
    with open(args.config, "rb") as f:
        config = tomllib.load(f)
    permalink = config.get("permalinks", {}).get("news", "/news/{slug}/")
    page_items = config.get("site", {}).get("page_items", 10)
    cats = [r[0] for r in db.execute("SELECT slug FROM categories ORDER BY slug")]
    slugs = [r[0] for r in db.execute(
        "SELECT slug FROM items WHERE status = 'published' ORDER BY published_at DESC")]
    cat_sizes = dict(db.execute(
        "SELECT c.slug, count(*) FROM categories c JOIN item_categories ic "
        "ON ic.category_id = c.id JOIN items i ON i.id = ic.item_id "
        "WHERE i.status = 'published' GROUP BY c.slug"))
    kinds = {}

    status, home = get(port, "/")
    statics = sorted({m.decode() for m in re.findall(rb'"(/static/[^"?#]+)"', home)})
    # A site past one sitemap's 50,000 URLs serves an index: its parts are
    # the large renders then.
    status, sitemap = get(port, "/sitemap.xml")
    parts = sorted({m.decode() for m in re.findall(rb"<loc>[^<]*?(/sitemap-[0-9]+\.xml)</loc>",
                                                  sitemap)})
    kinds["discovery"] = (["/sitemap.xml"] + parts +
                          ["/news-sitemap.xml", "/robots.txt", "/feed.xsl"] + statics)

    formats = ["rss.xml", "atom.xml", "feed.json"]
    scopes = [""] + [f"/category/{c}" for c in cats]
    kinds["feeds"] = [f"{s}/{f}" for s in scopes for f in formats]

    archives = []
    for s in scopes:
        n = archive_pages(port, f"{s}/rss.xml")
        per_scope = args.archive_sample if s == "" else max(1, args.archive_sample // 5)
        archives += [f"{s}/feed-archive/{p}/{f}" for p in spread(n, per_scope) for f in formats]
    kinds["archives"] = archives

    last_news = max(1, -(-len(slugs) // page_items))
    news_pages = sorted(set(range(1, 21)) | set(spread(last_news, 20)))
    listings = ["/"] + [f"/news/page/{n}/" if n > 1 else "/news/" for n in news_pages]
    for c in cats:
        last = max(1, -(-cat_sizes.get(c, 0) // page_items))
        for n in sorted({1, 2, 3, last}):
            if n <= last:
                listings.append(f"/category/{c}/page/{n}/" if n > 1 else f"/category/{c}/")
    kinds["listings"] = listings

    status, index = get(port, "/archive/")
    years = sorted({m.decode() for m in re.findall(rb'"[^"]*?(/archive/\d{4}/)"', index)})
    months = set()
    for y in years:
        status, body = get(port, y)
        months |= {m.decode() for m in re.findall(rb'"[^"]*?(/archive/\d{4}/\d{2}/)"', body)}
    kinds["archive"] = (["/archive/"] + years + sorted(months) +
                        [m + "page/2/" for m in sorted(months)])

    words = ["border", "migration", "labour", "smuggling", "tunisia", "vienna", "training",
             "\"border management\"", "return reintegration", "workshop", "the", "and",
             "policy", "dialogue", "project", "central asia", "western balkans", "press",
             "expert", "partnership"]
    searches = ["/search?q=" + urllib.parse.quote_plus(w) for w in words]
    searches += ["/search?q=" + urllib.parse.quote_plus(w) + "&page=2" for w in words[:10]]
    searches += ["/search?q=" + urllib.parse.quote_plus(w) + "&page=50" for w in words[10:]]
    kinds["search"] = searches

    step = max(1, len(slugs) // max(1, args.sample))
    kinds["items"] = [permalink.replace("{slug}", s) for s in slugs[::step][:args.sample]]

    kinds["errors"] = ["/no-such-page/", "/news/page/999999/", "/category/no-such/",
                       f"/category/{cats[0]}/page/99999/" if cats else "/category/x/page/9/",
                       "/archive/1901/"]
    return kinds, len(slugs)


def fetch_all(port, paths, deadline, counts, sizes, encodings=ENCODINGS):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    for p in paths:
        if deadline and time.perf_counter() > deadline:
            return
        for i, headers in enumerate(encodings):
            try:
                conn.request("GET", p, headers=headers)
                r = conn.getresponse()
                body = r.read()
                counts[r.status] = counts.get(r.status, 0) + 1
                sizes[i] += len(body)
                sizes[3] = max(sizes[3], len(body)) if i == 0 else sizes[3]
            except OSError:
                counts["error"] = counts.get("error", 0) + 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)


def run_kind(port, pid, paths, seconds, clients=2):
    """Fetches `paths` with `clients` connections; returns what it measured."""
    peak_reset = reset_peak(pid)
    counts = {}
    sizes = [[0, 0, 0, 0] for _ in range(clients)]
    deadline = time.perf_counter() + seconds
    t0 = time.perf_counter()
    threads = [threading.Thread(target=fetch_all,
                                args=(port, paths[i::clients], deadline, counts, sizes[i]))
               for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "seconds": time.perf_counter() - t0,
        "fetched": sum(v for k, v in counts.items()) // len(ENCODINGS),
        "paths": len(paths),
        "counts": counts,
        "bytes": [sum(s[i] for s in sizes) for i in range(3)],
        "largest": max(s[3] for s in sizes),
        "rss": status_kb(pid, "VmRSS"),
        "hwm": status_kb(pid, "VmHWM"),
        "peak_reset": peak_reset,
        "entries": cache_entries(port),
    }


def fill_paths(port, kinds, n):
    """N distinct paths of the kind with the largest responses that has N of them."""
    candidates = {}
    # Feed archive pages of the site and every category, in all three
    # formats, the newest pages of each first (they render fastest: the
    # oldest need the largest OFFSET).
    scopes = [""] + sorted({p.split("/feed-archive/")[0] for p in kinds["archives"]} - {""})
    pages = {s: archive_pages(port, f"{s}/rss.xml") for s in scopes}
    archive = []
    for k in range(max(pages.values(), default=0)):
        for s in scopes:
            if k < pages[s]:
                archive += [f"{s}/feed-archive/{pages[s] - k}/{f}"
                            for f in ("rss.xml", "atom.xml", "feed.json")]
    candidates["feed archive pages"] = archive
    # Searches: distinct questions with ten results and snippets each.
    words = ["border", "migration", "labour", "policy", "project", "dialogue", "training",
             "partnership", "expert", "press"]
    candidates["searches"] = ["/search?q=" + urllib.parse.quote_plus(w) + f"&page={p}"
                              for p in range(1, 1000) for w in words]
    best, best_size = None, -1
    for name, paths in candidates.items():
        if len(paths) < n:
            continue
        status, body = get(port, paths[0])
        if status == 200 and len(body) > best_size:
            best, best_size = name, len(body)
    return best, candidates[best][:n] if best else []


def mb(kb):
    return f"{kb / 1024:.1f} MB"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("newsdesk")
    ap.add_argument("config")
    ap.add_argument("db")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--sample-seconds", type=float, default=600)
    ap.add_argument("--archive-sample", type=int, default=60)
    ap.add_argument("--fill", type=int, default=0)
    args = ap.parse_args()

    lines, healths = [], []
    proc = None
    for i in range(args.runs):
        if proc:
            proc.send_signal(signal.SIGTERM)
            proc.wait()
        proc, port, t_line, t_health = start(args)
        lines.append(t_line)
        healths.append(t_health)
    time.sleep(0.5)
    rss_start = status_kb(proc.pid, "VmRSS")
    hwm_start = status_kb(proc.pid, "VmHWM")

    kinds, total = sample_kinds(args, port)
    rss_listed = status_kb(proc.pid, "VmRSS")
    results = {}
    for name, paths in kinds.items():
        results[name] = run_kind(port, proc.pid, paths, args.sample_seconds / len(kinds))
    fill = None
    if args.fill > 0:
        fill_kind, paths = fill_paths(port, kinds, args.fill)
        if fill_kind:
            fill = (fill_kind, run_kind(port, proc.pid, paths, 3600))
            # A crawler's /sitemap.xml on a full cache: rendered again when
            # the fill pushed it out (the largest render of the site).
            sitemaps = [p for p in kinds["discovery"] if p.startswith("/sitemap")]
            results["sitemap after the fill"] = run_kind(port, proc.pid, sitemaps, 600)
    rss = status_kb(proc.pid, "VmRSS")
    proc.send_signal(signal.SIGTERM)
    proc.wait()

    print(f"items in the corpus: {total}")
    print(f"start-up to the 'serving' line: median {statistics.median(lines) * 1000:.0f} ms "
          f"(runs: {', '.join(f'{x * 1000:.0f}' for x in lines)} ms)")
    print(f"start-up to the first /healthz 200: median {statistics.median(healths) * 1000:.0f} ms "
          f"(runs: {', '.join(f'{x * 1000:.0f}' for x in healths)} ms)")
    print(f"resident after start (idle): VmRSS {mb(rss_start)}, VmHWM {mb(hwm_start)}; "
          f"after the live feeds and /archive/ pages the sample list needs: {mb(rss_listed)}")
    print()
    print("| kind | paths fetched x 3 encodings | s | statuses | largest identity body | "
          "bytes identity / gzip / br | peak VmHWM during it | VmRSS after | cache entries |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = [(k, v) for k, v in results.items() if k != "sitemap after the fill"]
    rows += [(f"fill: {fill[0]}", fill[1])] if fill else []
    rows += [(k, v) for k, v in results.items() if k == "sitemap after the fill"]
    for name, r in rows:
        b = r["bytes"]
        print(f"| {name} | {r['fetched']} of {r['paths']} | {r['seconds']:.1f} | {r['counts']} | "
              f"{r['largest'] / 1024:.0f} KB | {b[0] / 1e6:.1f} / {b[1] / 1e6:.1f} / "
              f"{b[2] / 1e6:.1f} MB | {mb(r['hwm'])}{'' if r['peak_reset'] else ' (cumulative)'}"
              f" | {mb(r['rss'])} | {r['entries']} |")
    print()
    if fill:
        r = fill[1]
        per = sum(r["bytes"]) / max(1, r["fetched"])
        print(f"fill: {r['fetched']} distinct {fill[0]}, {per / 1024:.0f} KB per entry "
              f"(identity + gzip + br bodies), {sum(r['bytes']) / 2**20:.0f} MiB in all; "
              f"cache entries after: {r['entries']}")
    hwm = max([hwm_start] + [r["hwm"] for _, r in rows])
    worst = max(rows, key=lambda kv: kv[1]["hwm"])[0]
    print(f"resident after the sample: VmRSS {mb(rss)}, peak VmHWM {mb(hwm)} (during: {worst})")
    start_ok = statistics.median(healths) < 1.0
    mem_ok = hwm / 1024 < 200
    print(f"- {'PASS' if start_ok else 'FAIL'}: start-up under 1 s with {total} items "
          f"(to the first /healthz 200: {statistics.median(healths) * 1000:.0f} ms)")
    print(f"- {'PASS' if mem_ok else 'FAIL'}: under 200 MB resident with {total} items "
          f"(peak {hwm / 1024:.1f} MB)")


if __name__ == "__main__":
    main()
