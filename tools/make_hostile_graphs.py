#!/usr/bin/env python3
"""Writes malformed graph files (tests/data/hostile/graph/*.safetensors), one per rule a graph
file can break. Tests replay every file through graphtx::io::read_batch and run_model and require a
named error, never a crash; the fuzzers use them as seeds.

    python tools/make_hostile_graphs.py --out tests/data/hostile/graph"""
import argparse
import os

import torch
from safetensors.torch import save_file


def good():
    x = torch.arange(5 * 9, dtype=torch.float32).reshape(5, 9) / 10
    edge_index = torch.tensor([[0, 1, 1, 2, 3, 4], [1, 0, 2, 1, 4, 3]])
    batch = torch.tensor([0, 0, 0, 1, 1])
    return {"x": x, "edge_index": edge_index, "batch": batch}


CASES = {
    # name: (what to change, expected message fragment documented in tests/io/graph_file_test.cpp)
    "edge_target_out_of_range": lambda t: t["edge_index"].__setitem__((1, 4), 5),
    "edge_source_negative": lambda t: t["edge_index"].__setitem__((0, 2), -1),
    "edge_index_three_rows": lambda t: t.__setitem__("edge_index", torch.zeros(3, 4, dtype=torch.long)),
    "edge_index_float": lambda t: t.__setitem__("edge_index", t["edge_index"].float()),
    "edge_index_rank1": lambda t: t.__setitem__("edge_index", t["edge_index"].flatten()),
    "missing_edge_index": lambda t: t.pop("edge_index"),
    "missing_x": lambda t: t.pop("x"),
    "x_float16": lambda t: t.__setitem__("x", t["x"].half()),
    "x_rank3": lambda t: t.__setitem__("x", t["x"].reshape(5, 9, 1)),
    "batch_not_sorted": lambda t: t.__setitem__("batch", torch.tensor([0, 1, 0, 1, 1])),
    "batch_length_mismatch": lambda t: t.__setitem__("batch", torch.tensor([0, 0, 1, 1])),
    "batch_negative": lambda t: t.__setitem__("batch", torch.tensor([-1, 0, 0, 1, 1])),
    "batch_float": lambda t: t.__setitem__("batch", torch.tensor([0.0, 0, 0, 1, 1])),
    # Resource limits (graph::BatchLimits): a few hundred bytes that once cost gigabytes.
    "batch_graph_id_huge": lambda t: t["batch"].__setitem__(4, 2**31 - 2),  # 2^31 - 1 graphs, 3 with nodes
    "batch_graph_id_int64_max": lambda t: t["batch"].__setitem__(4, 2**63 - 1),  # batch.max() + 1 overflows
    "x_no_features_2g_rows": lambda t: no_features(t, 2**31 - 1),  # N = 2^31 - 1 nodes in 0 bytes
    # Integer node features (OGB's atom features) that break a rule.
    "x_int64_rank1": lambda t: t.__setitem__("x", ogb_x().flatten()),
    "x_int64_rows_mismatch": lambda t: t.__setitem__("x", ogb_x()[:4]),  # 4 rows, batch has 5 entries
    "x_uint8": lambda t: t.__setitem__("x", ogb_x().to(torch.uint8)),
    # Edge features (edge_attr [E, D], E = 6): float32 or int64 (OGB's bond features), D >= 1.
    "edge_attr_float16": lambda t: t.__setitem__("edge_attr", edge_attr_f32().half()),
    "edge_attr_bool": lambda t: t.__setitem__("edge_attr", edge_attr_i64() > 0),
    "edge_attr_rank1": lambda t: t.__setitem__("edge_attr", edge_attr_f32()[:, 0]),
    "edge_attr_rank3": lambda t: t.__setitem__("edge_attr", edge_attr_i64().reshape(6, 3, 1)),
    "edge_attr_rows_mismatch": lambda t: t.__setitem__("edge_attr", edge_attr_f32()[:5]),
    "edge_attr_int64_rows_mismatch": lambda t: t.__setitem__("edge_attr", torch.cat([edge_attr_i64()] * 2)),
    "edge_attr_no_features": lambda t: t.__setitem__("edge_attr", torch.zeros(6, 0)),
}


def ogb_x():
    """x [5, 9] int64 as OGB stores atom features."""
    return torch.arange(5 * 9, dtype=torch.long).reshape(5, 9) % 7


def edge_attr_f32():
    """edge_attr [6, 3] float32, one row per edge of good()."""
    return torch.arange(6 * 3, dtype=torch.float32).reshape(6, 3) / 4 - 1


def edge_attr_i64():
    """edge_attr [6, 3] int64 as OGB stores bond features (type, stereo, conjugated)."""
    return torch.tensor([[0, 0, 1], [0, 0, 1], [1, 0, 0], [1, 0, 0], [3, 2, 1], [3, 2, 1]])


# Valid files with edge features (and OGB's integer x): tests/data/graph_edge_attr_*.safetensors.
VALID_EDGE_ATTR = {
    "graph_edge_attr_float32": lambda t: t.__setitem__("edge_attr", edge_attr_f32()),
    "graph_edge_attr_int64": lambda t: t.update(x=ogb_x(), edge_attr=edge_attr_i64()),
}


def no_features(t, n):
    """x [n, 0] (zero bytes on disk whatever n is), no edges, no batch vector."""
    t["x"] = torch.zeros(n, 0)
    t["edge_index"] = torch.zeros(2, 0, dtype=torch.long)
    t.pop("batch")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "data", "hostile", "graph"))
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    save_file({k: v.contiguous() for k, v in good().items()}, os.path.join(out, "..", "..", "graph_valid.safetensors"))
    # Valid, but with one NaN feature (node 3, feature 4): run_model computes through it as PyG
    # does; --check-finite refuses it.
    nan = good()
    nan["x"][3, 4] = float("nan")
    save_file({k: v.contiguous() for k, v in nan.items()}, os.path.join(out, "..", "..", "graph_nan_feature.safetensors"))
    for name, mutate in VALID_EDGE_ATTR.items():
        t = good()
        mutate(t)
        save_file({k: v.contiguous() for k, v in t.items()}, os.path.join(out, "..", "..", f"{name}.safetensors"))
    for name, mutate in CASES.items():
        t = good()
        mutate(t)
        save_file({k: v.contiguous() for k, v in t.items()}, os.path.join(out, f"{name}.safetensors"))
        print(name)


if __name__ == "__main__":
    main()
