#!/usr/bin/env python3
"""Checks graphtx's run_model against PyG on the FULL seed model and the seed batch.

Builds GraphTransformer(input_dim=9, hidden_dim=256, dropout=0.0, num_conv_layers=10, heads=32) in
PyG with random weights (fixed seed), saves its state_dict with safetensors (256 MB, in a temporary
directory, never committed), makes the seed batch (G = 512 molecule-like graphs, N = 7170), runs
PyG in float32 and float64, runs `run_model` on the same files, and reports max abs / rel error.

    python tools/check_seed_model.py --run-model build/examples/run_model
    python tools/check_seed_model.py --pyg-only --batch-graphs 32      # PyG side only, quick

Pass criterion: |graphtx - pyg_fp32| <= 1e-5 + 1e-4 |pyg_fp32| elementwise
(docs/pyg_semantics.md, Tolerances)."""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import torch
from safetensors.torch import load_file, save_file

from graphtx_pyg import GraphTransformer, make_molecule_batch

RTOL, ATOL = 1e-4, 1e-5


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run-model", help="path to graphtx's run_model executable")
    ap.add_argument("--pyg-only", action="store_true", help="only run and time PyG")
    ap.add_argument("--batch-graphs", type=int, default=512, help="graphs in the batch (seed: 512)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--workdir", help="keep the weights/graph/prediction files here instead of a temp dir")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"],
                    help="where PyG runs (strict FP32 on cuda: TF32 off); run_model gets the same --device")
    ap.add_argument("--repeat", type=int, default=1, help="PyG forwards to time (median reported)")
    args = ap.parse_args()
    if not args.pyg_only and not args.run_model:
        ap.error("--run-model is required unless --pyg-only")

    torch.manual_seed(args.seed)
    model = GraphTransformer(input_dim=9, hidden_dim=256, dropout=0.0, num_conv_layers=10, heads=32).eval()
    gen = torch.Generator().manual_seed(args.seed)
    with torch.no_grad():  # non-zero biases and LayerNorm affine, so every parameter matters
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            elif name.startswith("lns") and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
    exact = 7170 if args.batch_graphs == 512 else None
    x, edge_index, batch = make_molecule_batch(args.batch_graphs, args.seed, exact_num_nodes=exact)
    g = args.batch_graphs
    print(f"seed model: {sum(p.numel() for p in model.parameters()):,} parameters; batch G={g} "
          f"N={x.shape[0]} E={edge_index.shape[1]}")

    dev = torch.device(args.device)
    torch.backends.cuda.matmul.allow_tf32 = False  # strict FP32, as graphtx's default
    torch.backends.cudnn.allow_tf32 = False
    model = model.to(dev)
    xd, eid, bd = x.to(dev), edge_index.to(dev), batch.to(dev)
    times = []
    with torch.no_grad():
        for _ in range(args.repeat):
            if dev.type == "cuda":
                torch.cuda.synchronize()
            t0 = time.perf_counter()
            y32 = model(xd, eid, bd, g)
            if dev.type == "cuda":
                torch.cuda.synchronize()
            times.append(time.perf_counter() - t0)
    times.sort()
    where = torch.cuda.get_device_name() if dev.type == "cuda" else f"{torch.get_num_threads()} CPU threads"
    print(f"PyG float32 forward: {1e3 * times[len(times) // 2]:.2f} ms (median of {len(times)}; torch {torch.__version__}, {where})")
    y32 = y32.cpu()
    with torch.no_grad():
        y64 = model.double()(xd, eid, bd, g).cpu()
    model.float().cpu()
    print(f"PyG y: mean {y32.mean():.6f} std {y32.std():.6f}; fp32 vs fp64 max abs {(y32.double() - y64).abs().max():.3e}")
    if args.pyg_only:
        return 0

    work = args.workdir or tempfile.mkdtemp(prefix="graphtx_seed_")
    os.makedirs(work, exist_ok=True)
    wpath, gpath, ppath = (os.path.join(work, n) for n in ("seed.safetensors", "graph.safetensors", "pred.safetensors"))
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, wpath)
    save_file({"x": x.contiguous(), "edge_index": edge_index.contiguous(), "batch": batch.contiguous()}, gpath)
    t2 = time.perf_counter()
    r = subprocess.run([args.run_model, "--weights", wpath, "--graph", gpath, "--out", ppath, "--num-graphs", str(g),
                        "--device", args.device if args.device == "cuda" else "host"],
                       capture_output=True, text=True)
    t3 = time.perf_counter()
    print(r.stdout.strip())
    if r.returncode != 0:
        print("run_model failed:", r.stderr.strip())
        return 1
    y = load_file(ppath)["y"]
    diff = (y - y32).abs()
    rel = diff / y32.abs().clamp_min(1e-30)
    ok = bool((diff <= ATOL + RTOL * y32.abs()).all())
    d64 = (y.double() - y64).abs()
    print(f"graphtx vs PyG fp32: max abs {diff.max():.3e}, max rel {rel.max():.3e} (rtol {RTOL}, atol {ATOL})")
    print(f"graphtx vs PyG fp64: max abs {d64.max():.3e};  PyG fp32 vs fp64: max abs {(y32.double() - y64).abs().max():.3e}")
    print(f"run_model wall time (load + forward + write): {1e3 * (t3 - t2):.0f} ms")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
