#!/usr/bin/env python3
"""perf_analyzer against the graphtx backend and the PyG server, same requests, one run:
graphs/s and p50/p99 latency at each concurrency, written as a markdown table and a CSV.

    side_by_side.py --perf-analyzer PA --inputs inputs.json --out bench/results/DATE-triton-side-by-side
        [--graphtx 127.0.0.1:18000/graphtx_seed] [--pyg 127.0.0.1:19000/pyg_seed] [--concurrency 1 4 16]

Both servers must be running (README of bench/triton). perf_analyzer: the one inside the
tritonclient[all]==2.41.0 wheel (needs libb64-0d and libcudart.so.12 on LD_LIBRARY_PATH).
"""
import argparse
import csv
import datetime
import os
import platform
import subprocess

ap = argparse.ArgumentParser()
ap.add_argument("--perf-analyzer", required=True)
ap.add_argument("--inputs", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--graphtx", default="127.0.0.1:18000/graphtx_seed")
ap.add_argument("--pyg", default="127.0.0.1:19000/pyg_seed")
ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
ap.add_argument("--interval-ms", type=int, default=5000)
ap.add_argument("--pyg-header", default="", help="PyTriton restricts the statistics API that perf_analyzer "
                "reads: 'triton-access-token:TOKEN' from its tritonserver's --http-restricted-api argument")
a = ap.parse_args()

rows = []
for label, target, header in (("graphtx backend", a.graphtx, ""), ("PyG via PyTriton", a.pyg, a.pyg_header)):
    url, model = target.split("/")
    for c in a.concurrency:
        out = f"/tmp/side_by_side_{model}_{c}.csv"
        cmd = [a.perf_analyzer, "-m", model, "-u", url, "-i", "http", "-b", "1", "--input-data", a.inputs,
               "--concurrency-range", str(c), "--measurement-interval", str(a.interval_ms), "-s", "100",
               "--max-trials", "6", "-f", out] + (["-H", header] if header else [])
        for attempt in range(2):  # a busy machine may keep a window from stabilising: one more try
            if os.path.exists(out):
                os.remove(out)
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            if p.returncode == 0 and os.path.exists(out):
                break
        if p.returncode != 0 or not os.path.exists(out):
            print(p.stdout[-2000:], p.stderr[-2000:])
            rows.append({"server": label, "concurrency": c, "graphs/s": "failed"})
            continue
        r = next(csv.DictReader(open(out)))
        rows.append({"server": label, "concurrency": c, "graphs/s": float(r["Inferences/Second"]),
                     "p50 ms": int(r["p50 latency"]) / 1000, "p99 ms": int(r["p99 latency"]) / 1000,
                     "server queue ms": int(r["Server Queue"]) / 1000,
                     "server compute ms": int(r["Server Compute Infer"]) / 1000})
        print(rows[-1], flush=True)

date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
load = open("/proc/loadavg").read().split()[:3]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
keys = ["server", "concurrency", "graphs/s", "p50 ms", "p99 ms", "server queue ms", "server compute ms"]
with open(a.out + ".csv", "w", newline="") as f:
    w = csv.DictWriter(f, keys)
    w.writeheader()
    w.writerows(rows)
with open(a.out + ".md", "w") as f:
    f.write(f"# Triton side by side: graphtx backend vs PyG (PyTriton), seed model\n\n")
    f.write(f"{date}; {os.cpu_count()} vCPUs ({cpu}); load average at the end {' '.join(load)}; "
            f"perf_analyzer 2.41.0, -b 1, HTTP, {a.interval_ms} ms windows; inputs {os.path.basename(a.inputs)}\n\n")
    f.write("| " + " | ".join(keys) + " |\n|" + "---|" * len(keys) + "\n")
    for r in rows:
        f.write("| " + " | ".join(f"{r.get(k, ''):.1f}" if isinstance(r.get(k), float) else str(r.get(k, ""))
                                 for k in keys) + " |\n")
print(f"wrote {a.out}.md and .csv")
