#!/usr/bin/env python3
"""bench/soak/writer.py: the soak's editor. Creates, updates and deletes news
items through the JSON API at a steady rate while wrk reads, then checks that
the site shows exactly what the API says it holds.

    writer.py --port P --token T --seconds S [--rate R] [--categories A,B] --out FILE

Every operation is followed by a GET of the item's page through the same
server (and so through its response cache): after a create or an update the
page must answer 200 with the current title, after a delete 404 or 410. A
page still showing an older state counts as a stale read (an error: local
writes bump the cache generation at once). At the end, every item created
and not deleted must answer 200 with its current title on its page and in
the API, every deleted one 404/410, the newest live item must be in
/rss.xml, /atom.xml and /feed.json, and no deleted item's title in them or
on the home page.

Python 3 standard library only. Writes one JSON summary to --out and prints
a one-line summary; exit status 0 even with errors (run.sh judges).
"""

import argparse
import http.client
import json
import random
import statistics
import sys
import time
import urllib.parse

WORDS = (
    "migration border management dialogue capacity building partners ministers "
    "regional cooperation return reintegration labour mobility protection "
    "trafficking smuggling training workshop conference policy research "
    "integration diaspora development governance asylum visa security "
    "programme launch agreement summit network expert opinion statement"
).split()


class Writer:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.conn = None
        self.last_used = 0.0
        self.live = {}  # id -> {"n", "rev", "path", "title"}
        self.deleted = {}  # n -> {"n", "rev", "path", "title"} (SQLite may reuse an id)
        self.next_n = 1
        self.counts = {"create": 0, "update": 0, "delete": 0}
        self.failures = []  # operation failures (unexpected status, no answer)
        self.stale = []  # read-after-write mismatches
        self.final = []  # final check failures
        self.latency_ms = []
        self.categories = [c for c in args.categories.split(",") if c] or ["Press Release"]

    # ------------------------------------------------------------ http
    def request(self, method, path, body=None):
        """(status, body bytes); raises OSError/HTTPException when no answer."""
        headers = {"Authorization": "Bearer " + self.args.token}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        # The server closes a keep-alive connection idle for idle_timeout
        # (15 s by default): at a low --rate, start a new one instead of
        # writing into one it may be closing.
        if self.conn is not None and time.monotonic() - self.last_used > 5:
            self.conn.close()
            self.conn = None
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=10)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                res = self.conn.getresponse()
                payload = res.read()
                self.last_used = time.monotonic()
                return res.status, payload
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server may close an idle keep-alive connection between two
                # requests (idle_timeout); a fresh connection is not an error,
                # but only for a request that never reached it: retry once.
                self.conn.close()
                self.conn = None
                if attempt == 1 or method not in ("GET",):
                    raise
        raise AssertionError("unreachable")

    def page(self, path):
        status, body = self.request("GET", path)
        return status, body.decode("utf-8", "replace")

    # ------------------------------------------------------------ content
    def title(self, n, rev):
        words = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(3, 7)))
        return f"Soak item {n} revision {rev}: {words.capitalize()}"

    @staticmethod
    def marker(n, rev):
        return f"Soak item {n} revision {rev}:"

    def body(self):
        paragraphs = []
        for _ in range(self.rng.randint(3, 6)):
            sentence = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(25, 60)))
            paragraphs.append(sentence.capitalize() + ".")
        if self.rng.random() < 0.3:
            paragraphs.append("\n".join("- " + self.rng.choice(WORDS) for _ in range(4)))
        if self.rng.random() < 0.3:
            paragraphs.append("Contact: **press office**, [details](https://www.example.org/press/).")
        return "\n\n".join(paragraphs)

    # ------------------------------------------------------------ operations
    def fail(self, what):
        self.failures.append(what)
        print("writer: " + what, file=sys.stderr, flush=True)

    def check_page(self, path, n, rev, deleted=False):
        status, text = self.page(path)
        if deleted:
            if status not in (404, 410):
                self.stale.append(f"GET {path} after delete: {status}")
        elif status != 200 or self.marker(n, rev) not in text:
            self.stale.append(f"GET {path} after revision {rev}: {status}, title "
                              f"{'present' if self.marker(n, rev) in text else 'missing'}")

    def create(self):
        n = self.next_n
        self.next_n += 1
        title = self.title(n, 0)
        cats = self.rng.sample(self.categories, k=min(len(self.categories), self.rng.randint(1, 2)))
        status, body = self.request("POST", "/api/v1/news", {
            "title": title, "body_markdown": self.body(), "categories": cats,
            "status": "published"})
        if status != 201:
            return self.fail(f"POST item {n}: {status} {body[:200]!r}")
        item = json.loads(body)
        path = urllib.parse.urlsplit(item["url"]).path
        self.live[item["id"]] = {"n": n, "rev": 0, "path": path, "title": title}
        self.counts["create"] += 1
        self.check_page(path, n, 0)

    def update(self):
        item_id = self.rng.choice(sorted(self.live))
        item = self.live[item_id]
        rev = item["rev"] + 1
        title = self.title(item["n"], rev)
        change = {"title": title}
        if self.rng.random() < 0.5:
            change["body_markdown"] = self.body()
        status, body = self.request("PATCH", f"/api/v1/news/{item_id}", change)
        if status != 200:
            return self.fail(f"PATCH item {item['n']}: {status} {body[:200]!r}")
        item["rev"] = rev
        item["title"] = title
        self.counts["update"] += 1
        self.check_page(item["path"], item["n"], rev)

    def delete(self):
        item_id = self.rng.choice(sorted(self.live))
        item = self.live[item_id]
        status, body = self.request("DELETE", f"/api/v1/news/{item_id}")
        if status != 204:
            return self.fail(f"DELETE item {item['n']}: {status} {body[:200]!r}")
        self.deleted[item["n"]] = self.live.pop(item_id)
        self.counts["delete"] += 1
        self.check_page(item["path"], item["n"], item["rev"], deleted=True)

    def one(self):
        # A bounded live set: between min_live and max_live items of ours.
        if len(self.live) < self.args.min_live:
            op = self.create
        elif len(self.live) >= self.args.max_live:
            op = self.delete
        else:
            op = self.rng.choices([self.create, self.update, self.delete], [35, 40, 25])[0]
        start = time.monotonic()
        try:
            op()
        except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
            self.fail(f"{op.__name__}: {type(e).__name__}: {e}")
            if self.conn is not None:
                self.conn.close()
                self.conn = None
        self.latency_ms.append((time.monotonic() - start) * 1000)

    # ------------------------------------------------------------ final check
    def check_all(self):
        def final(msg):
            self.final.append(msg)
            print("writer: final: " + msg, file=sys.stderr, flush=True)

        for item_id, item in sorted(self.live.items()):
            status, text = self.page(item["path"])
            if status != 200 or self.marker(item["n"], item["rev"]) not in text:
                final(f"live item {item['n']} {item['path']}: {status}")
            status, body = self.request("GET", f"/api/v1/news/{item_id}")
            if status != 200 or json.loads(body).get("title") != item["title"]:
                final(f"live item {item['n']} /api/v1/news/{item_id}: {status}")
        for _, item in sorted(self.deleted.items()):
            status, _ = self.page(item["path"])
            if status not in (404, 410):
                final(f"deleted item {item['n']} {item['path']}: {status}")
        newest = max(self.live.values(), key=lambda i: i["n"], default=None)
        for path in ("/rss.xml", "/atom.xml", "/feed.json", "/"):
            status, text = self.page(path)
            if status != 200:
                final(f"{path}: {status}")
                continue
            if newest and path != "/" and self.marker(newest["n"], newest["rev"]) not in text:
                final(f"{path} lacks the newest live item {newest['n']} (revision {newest['rev']})")
            gone = [i["n"] for i in self.deleted.values()
                    if f"Soak item {i['n']} revision" in text]
            if gone:
                final(f"{path} still shows deleted item(s) {gone[:10]}")

    # ------------------------------------------------------------ run
    def run(self):
        start = time.monotonic()
        end = start + self.args.seconds
        i = 0
        while True:
            due = start + i / self.args.rate
            if due >= end:
                break
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            self.one()
            i += 1
        elapsed = time.monotonic() - start
        try:
            self.check_all()
        except (OSError, http.client.HTTPException, ValueError) as e:
            self.final.append(f"final check stopped: {type(e).__name__}: {e}")
        lat = sorted(self.latency_ms)

        def pct(p):
            return round(lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else None

        summary = {
            "seconds": round(elapsed, 1),
            "rate": self.args.rate,
            "operations": len(lat),
            "created": self.counts["create"],
            "updated": self.counts["update"],
            "deleted": self.counts["delete"],
            "live_at_end": len(self.live),
            "deleted_checked": len(self.deleted),
            "failures": len(self.failures),
            "stale_reads": len(self.stale),
            "final_errors": len(self.final),
            "latency_ms": {"p50": pct(0.5), "p99": pct(0.99),
                           "max": round(lat[-1], 1) if lat else None,
                           "mean": round(statistics.fmean(lat), 1) if lat else None},
            "examples": (self.failures + self.stale + self.final)[:20],
        }
        with open(self.args.out, "w") as f:
            json.dump(summary, f, indent=1)
        print(f"writer: {summary['operations']} operations in {summary['seconds']} s "
              f"({summary['created']} created, {summary['updated']} updated, "
              f"{summary['deleted']} deleted; {summary['live_at_end']} live at the end); "
              f"errors: {summary['failures']} failed, {summary['stale_reads']} stale reads, "
              f"{summary['final_errors']} in the final check")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--rate", type=float, default=3.0, help="operations per second (3)")
    p.add_argument("--categories", default="", help="comma-separated category names to use")
    p.add_argument("--min-live", type=int, default=10)
    p.add_argument("--max-live", type=int, default=60)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    if args.rate <= 0 or args.seconds <= 0:
        p.error("--rate and --seconds must be positive")
    Writer(args).run()


if __name__ == "__main__":
    main()
