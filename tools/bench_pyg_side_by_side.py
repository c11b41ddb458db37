#!/usr/bin/env python3
"""Seed-model forward time, PyG against graphtx, on the same weight and graph files in one run.

Builds ONE seed model in PyG (GraphTransformer(9, 256, dropout 0, 10 conv layers, 32 heads), fixed
seed, non-zero biases), saves its state_dict with safetensors, and for every batch size G makes a
molecule batch (graphtx_pyg.make_molecule_batch; exactly 7170 nodes for the seed's G = 512, the
generator's natural size otherwise), saves it as a graph file, and times

  * PyG:     model(x, edge_index, batch) on the CPU, eval(), torch.no_grad(), torch.set_num_threads(T);
  * graphtx: bench_seed_model_files on the very same two files, once per --attention variant
             ("default" is GraphTransformer<seed_config> as run_model runs it; "textbook" forces
             PyG's algorithm in every conv).

Each time is the median of k forwards after an optional warm-up; k shrinks as the forward grows
(--target-s). Sizes whose projected time would overrun --budget-s, or whose PyG activations would
not fit in the available memory, are skipped and listed as skipped. graphtx's predictions are
compared with PyG's (max abs difference) so that a fast wrong answer shows. Writes
bench/results/<date>_<machine>.json; tools/plot_bench.py draws it.

    python tools/bench_pyg_side_by_side.py --bench-bin build/bench/bench_seed_model_files
    python tools/bench_pyg_side_by_side.py --bench-bin ... --sizes 1,16,512 --budget-s 300
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time

import torch
import torch_geometric
from safetensors.torch import load_file, save_file

from graphtx_pyg import GraphTransformer, make_molecule_batch

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED_GRAPHS, SEED_NODES = 512, 7170


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_available_bytes():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def git_revision():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        return rev + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def torch_blas():
    """The BLAS line of torch's build config (e.g. 'BLAS_INFO=mkl')."""
    cfg = torch.__config__.show()
    m = re.search(r"BLAS_INFO=([^,\s]+)", cfg)
    return m.group(1) if m else "unknown"


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def plan(estimate_s, target_s, graphs):
    """(warmup, k) for a forward estimated at estimate_s seconds: about target_s of timed forwards,
    1..5 of them, at least 3 for the seed batch; a warm-up only where it is cheap."""
    if estimate_s is None or estimate_s <= 0:
        return 1, 5
    k = max(1, min(5, int(round(target_s / estimate_s))))
    if graphs == SEED_GRAPHS:
        k = max(k, 3)
    warmup = 1 if estimate_s < 5.0 else 0
    return warmup, k


def pyg_peak_bytes(num_edges, heads=32, channels=256):
    """PyG's TransformerConv keeps about five [E, H, C] float tensors alive in message passing
    (query_i, key_j, value_j, the weighted message and its gradient-free copies)."""
    return 5 * num_edges * heads * channels * 4


def time_pyg(model, x, edge_index, batch, graphs, warmup, k):
    times = []
    with torch.no_grad():
        for i in range(warmup + k):
            t0 = time.perf_counter()
            y = model(x, edge_index, batch, graphs)
            dt = time.perf_counter() - t0
            if i >= warmup:
                times.append(1e3 * dt)
    return y, times


def thread_env(threads):
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", str(threads))
    env.setdefault("OPENBLAS_NUM_THREADS", str(threads))
    return env


def time_pyg_load(weights):
    """PyG's load: build the seed model and load_state_dict from the safetensors file (page cache warm)."""
    t0 = time.perf_counter()
    m = GraphTransformer(input_dim=9, hidden_dim=256, dropout=0.0, num_conv_layers=10, heads=32).eval()
    m.load_state_dict(load_file(weights))
    return 1e3 * (time.perf_counter() - t0)


def time_run_model(run_model_bin, weights, graph, out, threads, k):
    """The whole graphtx process as a user runs it: run_model --weights --graph --out (load, read
    the graph, forward, write y), wall clock of each of k runs in ms."""
    times = []
    for _ in range(k):
        t0 = time.perf_counter()
        r = subprocess.run([run_model_bin, "--weights", weights, "--graph", graph, "--out", out, "--quiet"],
                           capture_output=True, text=True, env=thread_env(threads))
        times.append(1e3 * (time.perf_counter() - t0))
        if r.returncode != 0:
            raise RuntimeError(f"{run_model_bin} failed ({r.returncode}): {r.stderr.strip()}")
    return times


def run_graphtx(bench_bin, weights, graph, attention, warmup, k, out, threads, drop_folded_weights):
    env = thread_env(threads)
    cmd = [bench_bin, "--weights", weights, "--graph", graph, "--attention", attention,
           "--warmup", str(warmup), "--repeat", str(k), "--out", out]
    if drop_folded_weights:
        cmd.append("--drop-folded-weights")
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-bin", required=True, help="path to graphtx's bench_seed_model_files")
    ap.add_argument("--sizes", default="1,4,16,64,256,512,1024,2048,4096", help="batch sizes G, comma-separated")
    ap.add_argument("--attention", default="default,textbook",
                    help="graphtx variants to time (bench_seed_model_files --attention), comma-separated")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads and OMP_NUM_THREADS")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--target-s", type=float, default=30.0, help="about this much timed forwarding per size and side")
    ap.add_argument("--budget-s", type=float, default=900.0, help="skip sizes projected to end past this")
    ap.add_argument("--machine", default=f"cpu-{os.cpu_count()}core", help="machine tag in the file name")
    ap.add_argument("--out-dir", default=os.path.join(REPO, "bench", "results"))
    ap.add_argument("--workdir", help="keep the weight, graph and prediction files here (default: temp dir)")
    ap.add_argument("--keep-folded-weights", action="store_true",
                    help="load without nn::LoadOptions::drop_folded_weights (run_model drops them)")
    ap.add_argument("--run-model", help="path to graphtx's run_model: also time the whole process per size")
    ap.add_argument("--process-runs", type=int, default=3, help="run_model processes timed per size (median)")
    args = ap.parse_args()

    t_start = time.perf_counter()
    load_before = os.getloadavg()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    variants = [a for a in args.attention.split(",") if a]
    torch.set_num_threads(args.threads)
    work = args.workdir or tempfile.mkdtemp(prefix="graphtx_bench_")
    os.makedirs(work, exist_ok=True)

    torch.manual_seed(args.seed)
    model = GraphTransformer(input_dim=9, hidden_dim=256, dropout=0.0, num_conv_layers=10, heads=32).eval()
    gen = torch.Generator().manual_seed(args.seed)
    with torch.no_grad():  # non-zero biases and LayerNorm affine, as check_seed_model.py
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            elif name.startswith("lns") and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
    weights = os.path.join(work, "seed.safetensors")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, weights)
    print(f"seed model: {sum(p.numel() for p in model.parameters()):,} parameters -> {weights}", flush=True)
    time_pyg_load(weights)  # once for the page cache
    pyg_load_ms = median([time_pyg_load(weights) for _ in range(3)])
    print(f"PyG load (build + load_state_dict from safetensors): {pyg_load_ms:.0f} ms", flush=True)

    results, skipped = [], []
    est = {"pyg": None, **{v: None for v in variants}}  # seconds per forward, per node, from the last size
    for g in sizes:
        exact = SEED_NODES if g == SEED_GRAPHS else None
        x, edge_index, batch = make_molecule_batch(g, args.seed, exact_num_nodes=exact)
        n, e = x.shape[0], edge_index.shape[1]
        projected = {side: (None if per_node is None else per_node * n) for side, per_node in est.items()}
        plans = {side: plan(t, args.target_s, g) for side, t in projected.items()}
        if all(t is not None for t in projected.values()):
            need = sum((w + k) * projected[side] for side, (w, k) in plans.items())
            left = args.budget_s - (time.perf_counter() - t_start)
            if need > left:
                skipped.append({"G": g, "N": n, "E": e, "reason": f"projected {need:.0f} s, {left:.0f} s of the budget left"})
                print(f"G={g}: skipped (projected {need:.0f} s > {left:.0f} s left)", flush=True)
                continue
        avail = mem_available_bytes()
        if avail is not None and pyg_peak_bytes(e) > 0.6 * avail:
            skipped.append({"G": g, "N": n, "E": e, "reason": f"PyG needs about {pyg_peak_bytes(e) / 2**30:.1f} GiB, "
                                                           f"{avail / 2**30:.1f} GiB available"})
            print(f"G={g}: skipped (memory)", flush=True)
            continue
        graph = os.path.join(work, f"graph_G{g}.safetensors")
        save_file({"x": x.contiguous(), "edge_index": edge_index.contiguous(), "batch": batch.contiguous()}, graph)

        w, k = plans["pyg"]
        y_pyg, pyg_times = time_pyg(model, x, edge_index, batch, g, w, k)
        est["pyg"] = median(pyg_times) / 1e3 / n
        row = {"G": g, "N": n, "E": e,
               "pyg": {"median_ms": median(pyg_times), "min_ms": min(pyg_times), "forward_ms": pyg_times, "warmup": w,
                       "peak_rss_mib_so_far": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024},
               "graphtx": {}}
        for v in variants:
            w, k = plans[v]
            out = os.path.join(work, f"y_G{g}_{v}.safetensors")
            gt = run_graphtx(args.bench_bin, weights, graph, v, w, k, out, args.threads, not args.keep_folded_weights)
            y = load_file(out)["y"]
            diff = (y - y_pyg).abs().max().item() if y.numel() else 0.0
            est[v] = gt["median_ms"] / 1e3 / n
            row["graphtx"][v] = {"algorithm": gt.get("algorithm", v),
                                 "median_ms": gt["median_ms"], "min_ms": gt["min_ms"],
                                 "forward_ms": gt["forward_ms"], "warmup": w,
                                 "ratio_pyg_over_graphtx": row["pyg"]["median_ms"] / gt["median_ms"],
                                 "ratio_of_minima": row["pyg"]["min_ms"] / gt["min_ms"],
                                 "max_abs_diff_vs_pyg": diff, "load_ms": gt["load_ms"],
                                 "model_load_ms": gt.get("model_load_ms"),
                                 "drop_folded_weights": gt.get("drop_folded_weights")}
            for key in ("model_mib", "batch_mib", "forward_peak_mib", "peak_rss_mib"):
                if key in gt:  # memory fields (graphtx::memory_stats and getrusage)
                    row["graphtx"][v][key] = gt[key]
            row["graphtx_blas"] = gt["blas"]
            row["graphtx_threads"] = gt["threads"]
        if args.run_model:
            proc = time_run_model(args.run_model, weights, graph, os.path.join(work, f"y_G{g}_run_model.safetensors"),
                                  args.threads, args.process_runs)
            row["run_model_process"] = {"median_ms": median(proc), "process_ms": proc,
                                        "ratio_pyg_forward_over_process": row["pyg"]["median_ms"] / median(proc)}
            print(f"G={g}: run_model process {median(proc):.1f} ms "
                  f"(PyG forward alone / whole graphtx process = {row['run_model_process']['ratio_pyg_forward_over_process']:.2f})",
                  flush=True)
        results.append(row)
        summary = ", ".join(f"graphtx[{v}] {row['graphtx'][v]['median_ms']:.1f} ms "
                            f"(x{row['graphtx'][v]['ratio_pyg_over_graphtx']:.2f}, |dy| {row['graphtx'][v]['max_abs_diff_vs_pyg']:.1e})"
                            for v in variants)
        print(f"G={g} N={n} E={e}: PyG {row['pyg']['median_ms']:.1f} ms; {summary}", flush=True)

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
        "graphtx_blas": next((r["graphtx_blas"] for r in results if "graphtx_blas" in r), "unknown"),
        "git_revision": git_revision(),
        "command": " ".join(shlex.quote(a) for a in [os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:]),
        "model": "GraphTransformer(input_dim=9, hidden_dim=256, dropout=0.0, num_conv_layers=10, heads=32), "
                 f"random weights, torch.manual_seed({args.seed})",
        "batches": f"graphtx_pyg.make_molecule_batch(G, {args.seed}), exact_num_nodes=7170 for G=512",
        "timing": "ms per forward, median (and min) of the timed runs (warm-up runs not counted); "
                  "ratio = PyG median / graphtx median (> 1: graphtx faster); ratio_of_minima = PyG min / "
                  "graphtx min, the less load-sensitive of the two on a shared machine",
        "graphtx_variants": variants,
        "drop_folded_weights": not args.keep_folded_weights,
        "pyg_load_ms": pyg_load_ms,
        "pyg_process_peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "results": results,
        "skipped": skipped,
        "load_average_1_5_15_min": {"start": [round(v, 2) for v in load_before],
                                    "end": [round(v, 2) for v in os.getloadavg()]},
        "total_runtime_s": round(time.perf_counter() - t_start, 1),
    }
    os.makedirs(args.out_dir, exist_ok=True)
    path = os.path.join(args.out_dir, f"{date}_{args.machine}.json")
    with open(path, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print(f"wrote {path} ({report['total_runtime_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
