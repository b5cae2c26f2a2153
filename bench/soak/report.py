#!/usr/bin/env python3
"""bench/soak/report.py: the soak's verdict and report.md from run.sh's raw files.

    report.py --samples CSV --segments TSV --writer JSON --duration S
              --alive yes|no --healthz CODE [--server-log FILE] [--metrics FILE]
              [--setup LINE]...

Memory rule (RSS = VmRSS of the server process):
  - warm-up: the first 10 % of DURATION; baseline: the first sample taken at
    or after its end;
  - peak: the highest sample after warm-up must be at most 10 % above the
    baseline;
  - tail: the median of the samples of the last 10 % of DURATION must be
    within 10 % of the baseline, either way (a large drop says the baseline
    caught a transient peak, which would make the peak check meaningless).
Errors (each must be zero): the read mix's socket errors and non-2xx/3xx
answers; the 404 mix's socket errors and answers other than 404; the
writer's failed operations, stale reads and final-check failures; error
lines in the server's log. The server must be alive and answer /healthz
with 200 at the end, and the writer must have done at least half of the
operations its rate asks for.

Writes Markdown to stdout, "bench/soak: PASS" or "bench/soak: FAIL (...)"
last; exit status 1 on FAIL.
"""

import argparse
import csv
import json
import statistics
import sys

LIMIT = 0.10
WARMUP = 0.10


def pct(v, base):
    return f"{(v - base) / base * 100:+.1f} %" if base else "-"


def mb(kb):
    return f"{kb / 1024:.1f}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--samples", required=True)
    p.add_argument("--segments", required=True)
    p.add_argument("--writer", required=True)
    p.add_argument("--duration", type=float, required=True)
    p.add_argument("--alive", required=True)
    p.add_argument("--healthz", required=True)
    p.add_argument("--server-log")
    p.add_argument("--metrics")
    p.add_argument("--setup", action="append", default=[])
    a = p.parse_args()

    checks = []  # (ok, text)

    # ------------------------------------------------------------ memory
    with open(a.samples) as f:
        samples = [{k: (float(v) if v not in ("", None) else None) for k, v in row.items()}
                   for row in csv.DictReader(f)]
    warm_end = a.duration * WARMUP
    tail_start = a.duration * (1 - WARMUP)
    after = [s for s in samples if s["t_s"] >= warm_end]
    mem_lines = []
    if not after:
        checks.append((False, "memory: no RSS sample after the warm-up"))
    else:
        base = after[0]["rss_kb"]
        peak = max(after, key=lambda s: s["rss_kb"])
        low = min(after, key=lambda s: s["rss_kb"])
        tail = [s["rss_kb"] for s in samples if s["t_s"] >= tail_start] or [after[-1]["rss_kb"]]
        tail_median = statistics.median(tail)
        last = samples[-1]
        # Least-squares slope over the samples after warm-up, kB per minute.
        slope = 0.0
        if len(after) >= 2:
            ts = [s["t_s"] for s in after]
            rs = [s["rss_kb"] for s in after]
            mt, mr = statistics.fmean(ts), statistics.fmean(rs)
            den = sum((t - mt) ** 2 for t in ts)
            slope = sum((t - mt) * (r - mr) for t, r in zip(ts, rs)) / den * 60 if den else 0.0
        rows = [
            ("at rest, before the load", samples[0]),
            (f"baseline: first sample after the warm-up ({warm_end:g} s)", after[0]),
            ("peak after the warm-up", peak),
            ("lowest after the warm-up", low),
            ("last sample (after the final check)", last),
        ]
        mem_lines.append("| RSS | t (s) | MB | vs baseline | cache entries | connections |")
        mem_lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
        for label, s in rows:
            mem_lines.append(
                f"| {label} | {s['t_s']:.0f} | {mb(s['rss_kb'])} | {pct(s['rss_kb'], base)} | "
                f"{fmt(s['cache_entries'])} | {fmt(s['connections_open'])} |")
        mem_lines.append(f"| median of the last 10 % ({len(tail)} samples from {tail_start:g} s) "
                         f"| | {mb(tail_median)} | {pct(tail_median, base)} | | |")
        mem_lines.append("")
        mem_lines.append(f"- {len(samples)} samples; VmHWM (peak RSS of the process) at the end: "
                         f"{mb(last['hwm_kb'])} MB; trend after the warm-up (least squares): "
                         f"{slope:+.0f} kB/min ({slope * 60 / 1024:+.1f} MB/hour)")
        cache = [s["cache_entries"] for s in after if s["cache_entries"] is not None]
        if cache:
            mem_lines.append(f"- response-cache entries after the warm-up: {min(cache):.0f} to "
                             f"{max(cache):.0f} (bound: 4096, least recently used goes)")
        checks.append((peak["rss_kb"] <= base * (1 + LIMIT),
                       f"memory peak: {mb(peak['rss_kb'])} MB at {peak['t_s']:.0f} s, "
                       f"{pct(peak['rss_kb'], base)} of the baseline {mb(base)} MB "
                       f"(limit +{LIMIT * 100:.0f} %)"))
        checks.append((abs(tail_median - base) <= base * LIMIT,
                       f"memory at the end: median {mb(tail_median)} MB, "
                       f"{pct(tail_median, base)} of the baseline (limit ±{LIMIT * 100:.0f} %)"))

    # ------------------------------------------------------------ reads
    with open(a.segments) as f:
        segs = list(csv.DictReader(f, delimiter="\t"))
    req_lines = ["| mix | requests | requests/s | p50 ms (median of segments) | "
                 "p99 ms (worst segment) | socket errors | non-2xx/3xx | not as expected | "
                 "answers by status |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for mix, label in (("reads", "reads (pages, feeds, searches, conditional GETs)"),
                       ("404", "404s (addresses that must answer 404)")):
        rows = [s for s in segs if s["mix"] == mix]
        if not rows:
            checks.append((False, f"{mix}: no wrk segment ran"))
            continue
        requests = sum(int(s["requests"]) for s in rows)
        seconds = sum(float(s["seconds"]) for s in rows)
        sock = sum(int(s["socket_errors"]) for s in rows)
        non = sum(int(s["non_2xx_3xx"]) for s in rows)
        missing = [s["segment"] for s in rows if s["unexpected"] == "missing"]
        unexpected = sum(int(s["unexpected"]) for s in rows if s["unexpected"] != "missing")
        statuses = {}
        for s in rows:
            for part in s["tally"].split(";"):
                if "=" in part:
                    k, v = part.split("=")
                    statuses[k.lstrip("s")] = statuses.get(k.lstrip("s"), 0) + int(v)
        p50 = statistics.median(int(s["p50_us"]) for s in rows) / 1000
        p99 = max(int(s["p99_us"]) for s in rows) / 1000
        by_status = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        req_lines.append(f"| {label} | {requests} | {requests / seconds:.0f} | {p50:.2f} | "
                         f"{p99:.2f} | {sock} | {non} | {unexpected} | {by_status} |")
        if mix == "reads":
            errors = sock + non
            checks.append((errors == 0 and not missing,
                           f"reads: {errors} errors in {requests} requests ({sock} socket errors, "
                           f"{non} non-2xx/3xx)"
                           + (f"; no tally from segment(s) {', '.join(missing)}" if missing else "")))
        else:
            errors = sock + unexpected
            checks.append((errors == 0 and not missing and requests > 0,
                           f"404s: {errors} errors in {requests} requests ({sock} socket errors, "
                           f"{unexpected} answers other than 404)"
                           + (f"; no tally from segment(s) {', '.join(missing)}" if missing else "")))
    req_lines.append("")
    req_lines.append(f"- {len(segs) // 2} wrk segments; the conditional GETs' validators are "
                     "fetched again before each one, so 304s are expected while a page is "
                     "unchanged and 200s after the writer changed it")

    # ------------------------------------------------------------ writes
    try:
        with open(a.writer) as f:
            w = json.load(f)
    except (OSError, ValueError) as e:
        w = None
        checks.append((False, f"writer: no summary ({e})"))
    write_lines = []
    if w:
        expected_ops = a.duration * w["rate"]
        write_lines.append(
            f"- {w['operations']} operations in {w['seconds']} s ({w['rate']}/s asked): "
            f"{w['created']} created, {w['updated']} updated, {w['deleted']} deleted; "
            f"{w['live_at_end']} of the writer's items live at the end, "
            f"{w['deleted_checked']} deleted ones checked")
        lat = w["latency_ms"]
        write_lines.append(f"- an operation with its read-back: p50 {lat['p50']} ms, "
                           f"p99 {lat['p99']} ms, max {lat['max']} ms")
        for e in w.get("examples", []):
            write_lines.append(f"- error: {e}")
        errors = w["failures"] + w["stale_reads"] + w["final_errors"]
        checks.append((errors == 0 and w["operations"] >= expected_ops / 2,
                       f"writes: {errors} errors ({w['failures']} failed operations, "
                       f"{w['stale_reads']} stale reads, {w['final_errors']} final-check "
                       f"failures); {w['operations']} of {expected_ops:.0f} operations done"))

    # ------------------------------------------------------------ server
    checks.append((a.alive == "yes" and a.healthz == "200",
                   f"server: alive at the end: {a.alive}, /healthz: {a.healthz}"))
    log_lines = []
    if a.server_log:
        try:
            with open(a.server_log, errors="replace") as f:
                log_lines = [line.rstrip("\n") for line in f]
        except OSError:
            pass
    error_lines = [line for line in log_lines if "error" in line.lower()]
    checks.append((not error_lines,
                   f"server log: {len(log_lines)} lines, {len(error_lines)} with 'error'"))

    metrics_lines = []
    if a.metrics:
        try:
            with open(a.metrics) as f:
                for line in f:
                    if line.startswith(("newsdesk_cache_lookups_total", "newsdesk_cache_entries",
                                        "newsdesk_http_connections_rejected_total")):
                        metrics_lines.append("  " + line.strip())
        except OSError:
            pass

    # ------------------------------------------------------------ report
    failed = [text for ok, text in checks if not ok]
    verdict = "PASS" if not failed else "FAIL"
    out = [f"## bench/soak: {a.duration:g} s of mixed load: {verdict}", ""]
    out += [f"- {line}" for line in a.setup]
    out += ["", "### Resident memory", ""] + mem_lines
    out += ["", "### Reads", ""] + req_lines
    out += ["", "### Writes through the API", ""] + write_lines
    if metrics_lines:
        out += ["", "### /metrics at the end", "", "```"] + [m.strip() for m in metrics_lines]
        out += ["```"]
    if error_lines:
        out += ["", "### Server log lines with 'error' (first 10)", "", "```"]
        out += error_lines[:10] + ["```"]
    out += ["", "### Checks", ""]
    out += [f"- {'PASS' if ok else 'FAIL'} {text}" for ok, text in checks]
    out += [""]
    out.append("bench/soak: PASS" if not failed else
               f"bench/soak: FAIL ({len(failed)} of {len(checks)} checks)")
    print("\n".join(out))
    return 0 if not failed else 1


def fmt(v):
    return "-" if v is None else f"{v:.0f}"


if __name__ == "__main__":
    sys.exit(main())
