#!/usr/bin/env python3
"""GPS molecule model forward time, PyG against graphtx, on the same weight and graph files in one run.

Builds ONE GPSMolecule (tools/graphtx_pyg.py) in PyG: AtomEncoder(C), BondEncoder(C), L x
GPSConv(C, GINEConv(Seq(Linear(C, C), ReLU, Linear(C, C))), heads=H) (batch_norm, relu,
multihead attention), global_add_pool, MLP([C, C/2, 1]). Default C = 64, L = 10, H = 4: the size
of PyG's own GPS example on ZINC (examples/graph_gps.py: channels=64, num_layers=10, heads=4),
without its positional encodings. Weights are seeded, with non-zero biases and random BatchNorm
statistics (graphtx_pyg.randomize_module), saved with safetensors. For every batch size G it makes
a molecule batch (graphtx_pyg.make_molecule_batch, exactly 7170 nodes for G = 512 as the seed
batch; int64 OGB atom features [N, 9] and bond features [E, 3] from make_bond_features), saves it
as a graph file, and times

  * PyG:     model(x, edge_index, edge_attr, batch) on the CPU, eval(), torch.no_grad(),
             torch.set_num_threads(T) (MultiheadAttention takes torch's native fast path);
  * graphtx: bench_gps_molecule_files on the very same two files (the C++ composition
             examples/models/gps_molecule.hpp, loaded strictly from the PyG state_dict).

Each time is the median of k forwards after warm-up runs; k is chosen from a first estimate so
that each side forwards for about --target-s seconds (at least --min-repeat). graphtx's
predictions are compared with PyG's (max abs and relative difference) and both with the same PyG model in
float64 (max abs difference of each side). Writes
bench/results/<date>_<machine>_gps.json; tools/plot_bench.py draws it.

    OPENBLAS_CORETYPE=SkylakeX python tools/bench_pyg_gps.py --bench-bin build/bench/bench_gps_molecule_files
"""
import argparse
import copy
import datetime
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import tempfile
import time

import torch
import torch_geometric
from safetensors.torch import load_file, save_file

from bench_pyg_side_by_side import cpu_model, git_revision, median, torch_blas
from graphtx_pyg import GPSMolecule, make_bond_features, make_molecule_batch, randomize_module

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED_GRAPHS, SEED_NODES = 512, 7170


def build_model(channels, layers, heads, seed):
    from torch_geometric.nn import MLP
    torch.manual_seed(seed)
    model = GPSMolecule(hidden=channels, layers=layers, heads=heads)
    if channels // 2 != 8:  # GPSMolecule's head is MLP([hidden, 8, 1]): hidden / 2 at its default 16
        model.mlp = MLP([channels, channels // 2, 1])
    randomize_module(model, torch.Generator().manual_seed(seed + 1), bias_scale=0.2)
    return model.eval()


def make_batch(g, seed):
    exact = SEED_NODES if g == SEED_GRAPHS else None
    x, edge_index, batch = make_molecule_batch(g, seed, exact_num_nodes=exact)
    edge_attr = make_bond_features(torch.Generator().manual_seed(seed + 1), edge_index)
    return x.contiguous(), edge_index.contiguous(), edge_attr.contiguous(), batch.contiguous()


def time_pyg(model, inputs, warmup, k):
    times, y = [], None
    with torch.no_grad():
        for i in range(warmup + k):
            t0 = time.perf_counter()
            y = model(*inputs)
            dt = time.perf_counter() - t0
            if i >= warmup:
                times.append(1e3 * dt)
    return y, times


def run_graphtx(bench_bin, weights, graph, cfg, warmup, k, out, threads):
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", str(threads))
    env.setdefault("OPENBLAS_NUM_THREADS", str(threads))
    cmd = [bench_bin, "--weights", weights, "--graph", graph, "--channels", str(cfg[0]), "--layers", str(cfg[1]),
           "--heads", str(cfg[2]), "--warmup", str(warmup), "--repeat", str(k), "--out", out]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def repeats(estimate_ms, target_s, min_repeat, max_repeat):
    return max(min_repeat, min(max_repeat, int(round(1e3 * target_s / max(estimate_ms, 1e-3)))))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-bin", required=True, help="path to graphtx's bench_gps_molecule_files")
    ap.add_argument("--sizes", default="1,64,512", help="batch sizes G, comma-separated")
    ap.add_argument("--channels", type=int, default=64)
    ap.add_argument("--layers", type=int, default=10)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads and OMP_NUM_THREADS")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--target-s", type=float, default=5.0, help="about this much timed forwarding per size and side")
    ap.add_argument("--min-repeat", type=int, default=7)
    ap.add_argument("--max-repeat", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=1,
                    help="alternate PyG and graphtx this many times per size (medians over all rounds)")
    ap.add_argument("--machine", default=f"cpu-{os.cpu_count()}core", help="machine tag in the file name")
    ap.add_argument("--out-dir", default=os.path.join(REPO, "bench", "results"))
    ap.add_argument("--workdir", help="keep the weight, graph and prediction files here (default: temp dir)")
    args = ap.parse_args()

    t_start = time.perf_counter()
    load_before = os.getloadavg()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    cfg = (args.channels, args.layers, args.heads)
    torch.set_num_threads(args.threads)
    work = args.workdir or tempfile.mkdtemp(prefix="graphtx_gps_bench_")
    os.makedirs(work, exist_ok=True)

    model = build_model(*cfg, args.seed)
    weights = os.path.join(work, f"gps_C{cfg[0]}_L{cfg[1]}_H{cfg[2]}.safetensors")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, weights)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"GPSMolecule(C={cfg[0]}, L={cfg[1]}, H={cfg[2]}): {n_params:,} parameters -> {weights}", flush=True)

    model64 = copy.deepcopy(model).double()  # the float64 reference both float32 predictions are held against
    results = []
    for g in sizes:
        x, edge_index, edge_attr, batch = make_batch(g, args.seed)
        n, e = x.shape[0], edge_index.shape[1]
        graph = os.path.join(work, f"graph_G{g}.safetensors")
        save_file({"x": x, "edge_index": edge_index, "edge_attr": edge_attr, "batch": batch}, graph)
        inputs = (x, edge_index, edge_attr, batch)
        # a first estimate of each side (also warms both up), then the timed rounds
        _, est_pyg = time_pyg(model, inputs, 1, 1)
        out = os.path.join(work, f"y_G{g}.safetensors")
        est_gt = run_graphtx(args.bench_bin, weights, graph, cfg, 1, 1, out, args.threads)["median_ms"]
        k_pyg = repeats(est_pyg[0], args.target_s / args.rounds, args.min_repeat, args.max_repeat)
        k_gt = repeats(est_gt, args.target_s / args.rounds, args.min_repeat, args.max_repeat)
        pyg_times, gt_times, gt_last, y_pyg = [], [], None, None
        for _ in range(args.rounds):
            y_pyg, t = time_pyg(model, inputs, 1, k_pyg)
            pyg_times += t
            gt_last = run_graphtx(args.bench_bin, weights, graph, cfg, 2, k_gt, out, args.threads)
            gt_times += gt_last["forward_ms"]
        y = load_file(out)["y"]
        assert y.shape == y_pyg.shape, (y.shape, y_pyg.shape)
        abs_diff = (y - y_pyg).abs()
        max_abs = abs_diff.max().item() if y.numel() else 0.0
        max_rel = (abs_diff / y_pyg.abs().clamp_min(1e-6)).max().item() if y.numel() else 0.0
        scale = y_pyg.abs().max().item() if y.numel() else 1.0
        with torch.no_grad():
            y64 = model64(x, edge_index, edge_attr, batch)
        err64 = {"graphtx": (y.double() - y64).abs().max().item() if y.numel() else 0.0,
                 "pyg": (y_pyg.double() - y64).abs().max().item() if y.numel() else 0.0}
        pm, gm = median(pyg_times), median(gt_times)
        row = {"G": g, "N": n, "E": e,
               "max_abs_y": scale,
               "pyg": {"median_ms": pm, "min_ms": min(pyg_times), "forward_ms": pyg_times,
                       "max_abs_diff_vs_pyg_float64": err64["pyg"],
                       "peak_rss_mib_so_far": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024},
               "graphtx": {"default": {"algorithm": "composition", "median_ms": gm, "min_ms": min(gt_times),
                                       "forward_ms": gt_times, "ratio_pyg_over_graphtx": pm / gm,
                                       "ratio_of_minima": min(pyg_times) / min(gt_times),
                                       "max_abs_diff_vs_pyg": max_abs, "max_rel_diff_vs_pyg": max_rel,
                                       "max_abs_diff_over_max_abs_y": max_abs / scale if scale else 0.0,
                                       "max_abs_diff_vs_pyg_float64": err64["graphtx"],
                                       "load_ms": gt_last["load_ms"],
                                       **{k: gt_last[k] for k in ("model_mib", "batch_mib", "forward_peak_mib",
                                                                  "peak_rss_mib") if k in gt_last}}},
               "graphtx_blas": gt_last["blas"], "graphtx_threads": gt_last["threads"]}
        results.append(row)
        print(f"G={g} N={n} E={e}: PyG {pm:.2f} ms (k={len(pyg_times)}), graphtx {gm:.2f} ms (k={len(gt_times)}), "
              f"x{pm / gm:.2f}; |dy| {max_abs:.1e} of max |y| {scale:.3g} (elementwise rel {max_rel:.1e}); vs float64 PyG: "
              f"graphtx {err64['graphtx']:.1e}, PyG {err64['pyg']:.1e}", flush=True)

    date = datetime.date.today().isoformat()
    report = {
        "date": date,
        "machine": args.machine,
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "threads": args.threads,
        "torch": torch.__version__,
        "torch_geometric": torch_geometric.__version__,
        "torch_blas": torch_blas(),
        "python": platform.python_version(),
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
        "graphtx_blas": next((r["graphtx_blas"] for r in results), "unknown"),
        "git_revision": git_revision(),
        "command": " ".join(shlex.quote(a) for a in [os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:]),
        "model": f"GPSMolecule(hidden={cfg[0]}, layers={cfg[1]}, heads={cfg[2]}) with mlp = MLP([{cfg[0]}, "
                 f"{cfg[0] // 2}, 1]); {n_params} parameters; torch.manual_seed({args.seed}), "
                 f"randomize_module(seed {args.seed + 1}, bias_scale=0.2)",
        "plot_title": f"GPS molecule model (C={cfg[0]}, L={cfg[1]}, H={cfg[2]}) forward",
        "batches": f"graphtx_pyg.make_molecule_batch(G, {args.seed}), exact_num_nodes=7170 for G=512; "
                   f"edge_attr = make_bond_features(Generator({args.seed + 1})); int64 x [N, 9], edge_attr [E, 3]",
        "timing": "ms per forward, median (and min) of the timed runs (warm-up runs not counted), "
                  f"{args.rounds} round(s) alternating PyG and graphtx; ratio = PyG median / graphtx median "
                  "(> 1: graphtx faster)",
        "graphtx_variants": ["default"],
        "results": results,
        "skipped": [],
        "load_average_1_5_15_min": {"start": [round(v, 2) for v in load_before],
                                    "end": [round(v, 2) for v in os.getloadavg()]},
        "total_runtime_s": round(time.perf_counter() - t_start, 1),
    }
    os.makedirs(args.out_dir, exist_ok=True)
    path = os.path.join(args.out_dir, f"{date}_{args.machine}_gps.json")
    with open(path, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print(f"wrote {path} ({report['total_runtime_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
