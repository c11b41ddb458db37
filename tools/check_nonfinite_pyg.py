#!/usr/bin/env python3
"""Checks that graphtx's run_model treats NaN and Inf exactly as PyG does, on the FULL seed model.

Builds GraphTransformer(input_dim=9, hidden_dim=256, dropout=0.0, num_conv_layers=10, heads=32) in
PyG with random weights, a batch of molecule-like graphs, and for each case below runs PyG (float32)
and run_model on the same files. Pass: the same predictions are NaN, the same are +-Inf, and the
finite ones agree to rtol 1e-4, atol 1e-5 (docs/pyg_semantics.md, Tolerances).

  nan_feature     x[v, 3] = NaN for the second atom of graph 5
  inf_feature     x[v, 0] = +Inf for the first atom of graph 9
  neg_inf_feature x[v, 2] = -Inf for the first atom of graph 2
  nan_ln_weight   lns.0.weight[5] = NaN (a layer that runs: every prediction NaN)
  nan_dead_conv   convs.10.lin_key.weight = NaN everywhere, lns.9.weight[0] = NaN (built, never run)

    python tools/check_nonfinite_pyg.py --run-model build/examples/run_model [--workdir DIR]"""
import argparse
import os
import subprocess
import sys
import tempfile

import torch
from safetensors.torch import load_file, save_file

from graphtx_pyg import GraphTransformer, make_molecule_batch

RTOL, ATOL = 1e-4, 1e-5


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run-model", required=True, help="path to graphtx's run_model executable")
    ap.add_argument("--graphs", type=int, default=32)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--workdir", help="keep the files here instead of a temporary directory")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    model = GraphTransformer(input_dim=9, hidden_dim=256, dropout=0.0, num_conv_layers=10, heads=32).eval()
    gen = torch.Generator().manual_seed(args.seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            elif name.startswith("lns") and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
    clean_state = {k: v.clone().contiguous() for k, v in model.state_dict().items()}
    x, edge_index, batch = make_molecule_batch(args.graphs, args.seed)
    x = x.float()  # OGB's integer features as the seed model reads them; float so NaN can be stored
    g = args.graphs
    ptr = torch.zeros(g + 1, dtype=torch.long)
    ptr[1:] = torch.bincount(batch, minlength=g).cumsum(0)

    def feature_case(graph, offset, col, value):
        xx = x.clone()
        xx[ptr[graph] + offset, col] = value
        return xx, clean_state

    def weight_case(edit):
        state = {k: v.clone() for k, v in clean_state.items()}
        edit(state)
        return x, state

    def dead(state):
        state["convs.10.lin_key.weight"].fill_(float("nan"))
        state["lns.9.weight"][0] = float("nan")

    cases = {
        "nan_feature": feature_case(5, 1, 3, float("nan")),
        "inf_feature": feature_case(9, 0, 0, float("inf")),
        "neg_inf_feature": feature_case(2, 0, 2, float("-inf")),
        "nan_ln_weight": weight_case(lambda s: s["lns.0.weight"].__setitem__(5, float("nan"))),
        "nan_dead_conv": weight_case(dead),
    }
    work = args.workdir or tempfile.mkdtemp(prefix="graphtx_nonfinite_")
    os.makedirs(work, exist_ok=True)
    failed = 0
    for name, (xx, state) in cases.items():
        wpath, gpath, ppath = (os.path.join(work, f"{name}.{k}.safetensors") for k in ("weights", "graph", "pred"))
        save_file(state, wpath)
        save_file({"x": xx.contiguous(), "edge_index": edge_index.contiguous(), "batch": batch.contiguous()}, gpath)
        model.load_state_dict(state)
        with torch.no_grad():
            want = model(xx, edge_index, batch, g).flatten()
        r = subprocess.run([args.run_model, "--weights", wpath, "--graph", gpath, "--out", ppath, "--quiet"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{name}: run_model failed: {r.stderr.strip()}")
            failed += 1
            continue
        got = load_file(ppath)["y"].flatten()
        same_nan = torch.equal(torch.isnan(got), torch.isnan(want))
        same_inf = torch.equal(torch.isinf(got), torch.isinf(want)) and torch.equal(got[torch.isinf(got)],
                                                                                      want[torch.isinf(want)])
        fin = torch.isfinite(want) & torch.isfinite(got)
        close = bool(((got[fin] - want[fin]).abs() <= ATOL + RTOL * want[fin].abs()).all())
        ok = same_nan and same_inf and close
        failed += 0 if ok else 1
        print(f"{name}: PyG {int(torch.isnan(want).sum())} NaN / {int(torch.isinf(want).sum())} Inf of {g}, "
              f"graphtx {int(torch.isnan(got).sum())} NaN / {int(torch.isinf(got).sum())} Inf; "
              f"NaN positions {'equal' if same_nan else 'DIFFER'}, Inf {'equal' if same_inf else 'DIFFER'}, "
              f"finite max abs diff {(got[fin] - want[fin]).abs().max().item() if fin.any() else 0:.2e} -> "
              f"{'PASS' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
