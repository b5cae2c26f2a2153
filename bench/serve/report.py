#!/usr/bin/env python3
"""bench/serve/report.py RESULTS.TSV: the Markdown table and the targets of
issue 7 from bench/serve/run.sh's raw results (one row per wrk run).

Each cell is the median over runs of requests/s, p50 and p99; errors are
the sum over runs (wrk's socket errors plus non-2xx/3xx responses). Targets:
  - requests/s >= 0.8x nginx in every cell
  - p99 <= 2x nginx in every cell
  - zero errors at 256 connections (newsdesk)
  - a 304 costs no more than a 200: newsdesk's detail-304 cell reaches at
    least the requests/s of its plain gzip 200 (detail, gzip) in the same
    threads/connections, within 5% (run-to-run noise on a shared machine)
Prints "bench/serve: N of M targets met" last; exit status 0 either way.
"""

import collections
import csv
import math
import statistics
import sys

RPS_TARGET = 0.8
P99_TARGET = 2.0
NOISE = 0.95
ROUTE_ORDER = ["rss", "detail", "home", "category", "search", "detail-304"]


def ms(us):
    return f"{us / 1000:.2f}"


def main():
    rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
    cells = collections.defaultdict(list)
    for r in rows:
        key = (r["server"], r["route"], int(r["gzip"]), int(r["threads"]), int(r["conns"]))
        cells[key].append(r)

    def agg(key):
        runs = cells.get(key)
        if not runs:
            return None
        return {
            "rps": statistics.median(float(r["rps"]) for r in runs),
            "p50": statistics.median(float(r["p50_us"]) for r in runs),
            "p99": statistics.median(float(r["p99_us"]) for r in runs),
            "err": sum(int(r["errors"]) for r in runs),
            "runs": len(runs),
        }

    keys = sorted({k[1:] for k in cells},
                  key=lambda k: (ROUTE_ORDER.index(k[0]) if k[0] in ROUTE_ORDER else 99,) + k[1:])
    print("| route | gzip | threads | conns | nginx req/s | p50 ms | p99 ms | err "
          "| newsdesk req/s | p50 ms | p99 ms | err | req/s ratio | p99 ratio |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
          "| ---: | ---: |")
    rps_fail, p99_fail, err_fail = [], [], []
    ratios = []
    n_runs = 0
    for k in keys:
        ng, nd = agg(("nginx",) + k), agg(("newsdesk",) + k)
        if ng is None or nd is None:
            continue
        n_runs = max(n_runs, nd["runs"])
        route, gz, threads, conns = k
        rps_ratio = nd["rps"] / ng["rps"] if ng["rps"] > 0 else 0.0
        p99_ratio = nd["p99"] / ng["p99"] if ng["p99"] > 0 else math.inf
        ratios.append(rps_ratio)
        label = f"{route} gzip={'on' if gz else 'off'} t={threads} c={conns}"
        if rps_ratio < RPS_TARGET:
            rps_fail.append(f"{label}: {rps_ratio:.2f}x")
        if p99_ratio > P99_TARGET:
            p99_fail.append(f"{label}: {p99_ratio:.2f}x")
        if conns >= 256 and nd["err"] > 0:
            err_fail.append(f"{label}: {nd['err']} errors")
        print(f"| {route} | {'gzip' if gz else 'identity'} | {threads} | {conns} "
              f"| {ng['rps']:.0f} | {ms(ng['p50'])} | {ms(ng['p99'])} | {ng['err']} "
              f"| {nd['rps']:.0f} | {ms(nd['p50'])} | {ms(nd['p99'])} | {nd['err']} "
              f"| {rps_ratio:.2f} | {p99_ratio:.2f} |")
    print()
    print(f"(median of {n_runs} run(s) per cell; errors summed over the runs; ratios are "
          "newsdesk / nginx)")
    print()

    # 304 against 200 on newsdesk, same threads and connections.
    cond = []
    for k in keys:
        route, gz, threads, conns = k
        if route != "detail-304":
            continue
        c304 = agg(("newsdesk", "detail-304", 1, threads, conns))
        c200 = agg(("newsdesk", "detail", 1, threads, conns))
        if c304 and c200:
            cond.append((threads, conns, c304, c200))
    if cond:
        print("| newsdesk detail page, gzip | threads | conns | 200 req/s | 304 req/s "
              "| 304/200 | 200 p99 ms | 304 p99 ms |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for threads, conns, c304, c200 in cond:
            print(f"| If-None-Match | {threads} | {conns} | {c200['rps']:.0f} | {c304['rps']:.0f} "
                  f"| {c304['rps'] / c200['rps']:.2f} | {ms(c200['p99'])} | {ms(c304['p99'])} |")
        print()
    cond_fail = [f"t={t} c={c}: 304 {a['rps']:.0f} req/s vs 200 {b['rps']:.0f}"
                 for t, c, a, b in cond if a["rps"] < NOISE * b["rps"]]

    geo = math.exp(sum(math.log(r) for r in ratios if r > 0) / len(ratios)) if ratios else 0
    print(f"req/s ratio newsdesk/nginx: min {min(ratios):.2f}, geometric mean {geo:.2f}, "
          f"max {max(ratios):.2f} over {len(ratios)} cells")
    print()
    targets = [
        (f"requests/s >= {RPS_TARGET}x nginx on every cell", rps_fail),
        (f"p99 <= {P99_TARGET:g}x nginx on every cell", p99_fail),
        ("zero errors at 256 connections (newsdesk)", err_fail),
        ("a 304 costs no more than a 200 (req/s within 5%)", cond_fail if cond else ["not measured"]),
    ]
    met = 0
    for name, fails in targets:
        status = "PASS" if not fails else "FAIL"
        met += not fails
        print(f"- {status}: {name}" + ("" if not fails else f" ({len(fails)} missed)"))
        for f in fails[:12]:
            print(f"  - {f}")
        if len(fails) > 12:
            print(f"  - ... {len(fails) - 12} more")
    print()
    print(f"bench/serve: {met} of {len(targets)} targets met; req/s ratio min {min(ratios):.2f}, "
          f"geomean {geo:.2f}")


if __name__ == "__main__":
    main()
