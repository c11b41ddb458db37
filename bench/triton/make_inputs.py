#!/usr/bin/env python3
"""perf_analyzer --input-data for the Triton side-by-side: molecule-like graphs of varying size
(N in [5, 40], about 2.1 directed edges per node, atom features as floats like the seed model's
OGB input), shapes without the batch dimension, used round robin with -b 1.

    make_inputs.py OUT.json [--graphs 64] [--seed 5]
"""
import argparse
import json
import random

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--graphs", type=int, default=64)
ap.add_argument("--seed", type=int, default=5)
a = ap.parse_args()
rng = random.Random(a.seed)
data = []
for _ in range(a.graphs):
    n = rng.randint(5, 40)
    bonds = [(i, rng.randint(0, i - 1)) for i in range(1, n)]  # a tree ...
    bonds += [(rng.randrange(n), rng.randrange(n)) for _ in range(max(1, n // 10))]  # ... plus rings
    src = [s for s, d in bonds] + [d for s, d in bonds]
    dst = [d for s, d in bonds] + [s for s, d in bonds]
    x = [float(rng.randint(0, 8)) for _ in range(9 * n)]
    data.append({"x": {"content": x, "shape": [n, 9]},
                 "edge_index": {"content": src + dst, "shape": [2, len(src)]}})
json.dump({"data": data}, open(a.out, "w"))
print(f"{a.out}: {a.graphs} graphs, {sum(d['x']['shape'][0] for d in data)} nodes")
