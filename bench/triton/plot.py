#!/usr/bin/env python3
"""Plot of a side_by_side.py CSV: graphs/s and p99 latency against concurrency, per server.

    plot.py bench/results/DATE-triton-side-by-side.csv    # writes the .png beside it (needs matplotlib)
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

path = sys.argv[1]
rows = [r for r in csv.DictReader(open(path)) if r["graphs/s"] not in ("", "failed")]
fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
for server in dict.fromkeys(r["server"] for r in rows):
    rs = [r for r in rows if r["server"] == server]
    c = [int(r["concurrency"]) for r in rs]
    a.plot(c, [float(r["graphs/s"]) for r in rs], "o-", label=server)
    b.plot(c, [float(r["p99 ms"]) for r in rs], "o-", label=server)
for ax, title in ((a, "throughput (graphs/s)"), (b, "p99 latency (ms)")):
    ax.set_xscale("log", base=2)
    ax.set_xticks([1, 4, 16], ["1", "4", "16"])
    ax.set_xlabel("concurrency (perf_analyzer, -b 1)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
b.set_yscale("log")
fig.suptitle("Seed model on Triton 2.51, 2 vCPUs: graphtx backend vs PyG (PyTriton)")
fig.tight_layout()
fig.savefig(path.rsplit(".", 1)[0] + ".png", dpi=100)
print("wrote", path.rsplit(".", 1)[0] + ".png")
