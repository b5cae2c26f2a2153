#!/usr/bin/env python3
"""bench/serve/memory.py: start-up time and resident memory of `newsdesk serve`
on a loaded corpus (issue 7: start-up under 1 s and under 200 MB resident
with 100k items). Called by bench/serve/memory.sh; standard library only.

  memory.py NEWSDESK CONFIG DB [--runs 3] [--threads 2] [--sample 300]
            [--sample-seconds 180]

Start-up: the time from exec to the "newsdesk: serving ... on" line, and to
the first 200 from /healthz, median of --runs starts.

Memory: on the last start, requests a sample of the site with 2 clients:
first /sitemap.xml, /rss.xml and /news-sitemap.xml, then, taking the kinds
in turn, the home page and /news/ pages 1-20, each category's pages 1-3,
the site's and each category's feeds (RSS, Atom, JSON Feed), 20 searches;
then --sample item pages spread over the corpus. Every request goes once
identity and once with Accept-Encoding: gzip. Half of --sample-seconds goes
to the first part, half to the item pages; what was fetched is reported.
Then VmHWM (peak) and VmRSS (now) from /proc/PID/status.
"""

import argparse
import http.client
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import tomllib
import urllib.parse


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


def sample_paths(args):
    db = sqlite3.connect(args.db.removeprefix("sqlite:"))
    with open(args.config, "rb") as f:
        permalink = tomllib.load(f).get("permalinks", {}).get("news", "/news/{slug}/")
    cats = [r[0] for r in db.execute("SELECT slug FROM categories ORDER BY slug")]
    slugs = [r[0] for r in db.execute(
        "SELECT slug FROM items WHERE status = 'published' ORDER BY published_at DESC")]
    news = ["/"] + [f"/news/page/{n}/" if n > 1 else "/news/" for n in range(1, 21)]
    categories = []
    for c in cats:
        categories += [f"/category/{c}/", f"/category/{c}/page/2/", f"/category/{c}/page/3/"]
    feeds = ["/rss.xml", "/atom.xml", "/feed.json", "/sitemap.xml", "/news-sitemap.xml"]
    for c in cats:
        feeds += [f"/category/{c}/rss.xml", f"/category/{c}/atom.xml", f"/category/{c}/feed.json"]
    words = ["border", "migration", "labour", "smuggling", "tunisia", "vienna", "training",
             "\"border management\"", "return reintegration", "workshop"]
    searches = ["/search?q=" + urllib.parse.quote_plus(w) for w in words]
    searches += ["/search?q=" + urllib.parse.quote_plus(w) + "&page=2" for w in words]
    # Round robin over the kinds, so a deadline cuts each kind short, not the last.
    groups = [news, categories, feeds, searches]
    fixed = [g[i] for i in range(max(map(len, groups))) for g in groups if i < len(g)]
    # What crawlers and feed readers ask for first (and the largest pages).
    first = ["/sitemap.xml", "/rss.xml", "/news-sitemap.xml"]
    fixed = first + [p for p in fixed if p not in first]
    step = max(1, len(slugs) // max(1, args.sample))
    items = [permalink.replace("{slug}", s) for s in slugs[::step][:args.sample]]
    return fixed, items, len(slugs)


def fetch_all(port, paths, deadline, counts):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    for p in paths:
        if deadline and time.perf_counter() > deadline:
            return
        for headers in ({}, {"Accept-Encoding": "gzip"}):
            try:
                conn.request("GET", p, headers=headers)
                r = conn.getresponse()
                r.read()
                counts[r.status] = counts.get(r.status, 0) + 1
            except OSError:
                counts["error"] = counts.get("error", 0) + 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("newsdesk")
    ap.add_argument("config")
    ap.add_argument("db")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--sample-seconds", type=float, default=180)
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
    rss_start = status_kb(proc.pid, "VmRSS")

    fixed, items, total = sample_paths(args)
    counts = {}
    t0 = time.perf_counter()
    # Half the time for listings, feeds and searches, the rest for item pages.
    deadline = t0 + args.sample_seconds / 2
    # Two clients, as many as the server's threads by default.
    threads = [threading.Thread(target=fetch_all, args=(port, part, deadline, counts))
               for part in (fixed[0::2], fixed[1::2])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    t_fixed = time.perf_counter() - t0
    item_counts = {}
    deadline = time.perf_counter() + args.sample_seconds / 2
    threads = [threading.Thread(target=fetch_all, args=(port, part, deadline, item_counts))
               for part in (items[0::2], items[1::2])]
    t1 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    t_items = time.perf_counter() - t1
    hwm = status_kb(proc.pid, "VmHWM")
    rss = status_kb(proc.pid, "VmRSS")
    proc.send_signal(signal.SIGTERM)
    proc.wait()

    item_requests = sum(item_counts.values())
    print(f"items in the corpus: {total}")
    print(f"start-up to the 'serving' line: median {statistics.median(lines) * 1000:.0f} ms "
          f"(runs: {', '.join(f'{x * 1000:.0f}' for x in lines)} ms)")
    print(f"start-up to the first /healthz 200: median {statistics.median(healths) * 1000:.0f} ms "
          f"(runs: {', '.join(f'{x * 1000:.0f}' for x in healths)} ms)")
    print(f"resident after start: {rss_start / 1024:.1f} MB")
    print(f"sample: {sum(counts.values()) // 2} of {len(fixed)} listing/feed/search paths x 2 "
          f"encodings in {t_fixed:.1f} s "
          f"(statuses {counts}); {item_requests // 2} of {len(items)} "
          f"item pages x 2 in {t_items:.1f} s (statuses {item_counts})")
    print(f"resident after the sample: VmRSS {rss / 1024:.1f} MB, peak VmHWM {hwm / 1024:.1f} MB")
    start_ok = statistics.median(healths) < 1.0
    mem_ok = hwm / 1024 < 200
    print(f"- {'PASS' if start_ok else 'FAIL'}: start-up under 1 s with {total} items "
          f"(to the first /healthz 200: {statistics.median(healths) * 1000:.0f} ms)")
    print(f"- {'PASS' if mem_ok else 'FAIL'}: under 200 MB resident with {total} items "
          f"(peak {hwm / 1024:.1f} MB)")


if __name__ == "__main__":
    main()
