#!/usr/bin/env python3
"""Writes graphtx's golden files with real PyG: every TransformerConv option alone and combined,
the graph edge cases, and GraphTransformer models of the seed's structure at reduced width.

    python tools/make_goldens.py --out tests/data

Each case is two files: <case>.weights.safetensors (the module's state_dict, exactly as
safetensors.torch.save_file writes it) and <case>.io.safetensors (inputs, the float32 outputs, the
float64 outputs of the same module in double, attention weights, and the configuration as
__metadata__). Deterministic: fixed seeds, CPU, deterministic algorithms. tests/data/README.md
lists the files. The C++ build and tests never run this script."""
import argparse
import copy
import os

import torch
import torch_geometric
from safetensors.torch import save_file
from torch_geometric.nn import TransformerConv

from graphtx_pyg import GraphTransformer, make_molecule_batch

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)

F, C = 8, 4


def randomize(module, gen, bias_scale=0.5):
    """Random biases (PyG initialises them to zero, which would hide bias bugs) and LayerNorm affine."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("bias"):
                p.copy_(torch.randn(p.shape, generator=gen) * bias_scale)
            elif "lns" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen))


def random_edges(gen, n_src, n_dst, e):
    if e == 0 or n_src == 0 or n_dst == 0:
        return torch.zeros(2, 0, dtype=torch.long)
    return torch.stack([torch.randint(0, n_src, (e,), generator=gen), torch.randint(0, n_dst, (e,), generator=gen)])


def meta_str(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def conv_case(out_dir, name, description, seed, heads=1, concat=True, beta=False, edge_dim=None, bias=True,
              root_weight=True, in_src=F, in_dst=None, graph=None):
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    bipartite = in_dst is not None
    in_channels = (in_src, in_dst) if bipartite else in_src
    conv = TransformerConv(in_channels, C, heads=heads, concat=concat, beta=beta, edge_dim=edge_dim, bias=bias,
                           root_weight=root_weight)
    randomize(conv, gen)
    if conv.lin_beta is not None:
        with torch.no_grad():  # keep the gate away from saturation so both branches matter
            conv.lin_beta.weight.mul_(0.3)
    conv.eval()
    if graph is None:
        n_src, n_dst, e = (10, 7, 30) if bipartite else (15, 15, 36)
        edge_index = random_edges(gen, n_src, n_dst, e)
    else:
        n_src, n_dst, edge_index = graph(gen)
    x_src = torch.randn(n_src, in_src, generator=gen)
    x_dst = torch.randn(n_dst, in_dst, generator=gen) if bipartite else x_src
    e = edge_index.shape[1]
    edge_attr = torch.randn(e, edge_dim, generator=gen) if edge_dim else None

    def run(module, dtype):
        xs, xd = x_src.to(dtype), x_dst.to(dtype)
        ea = edge_attr.to(dtype) if edge_attr is not None else None
        inp = (xs, xd) if bipartite else xs
        with torch.no_grad():
            out, (_, alpha) = module(inp, edge_index, ea, return_attention_weights=True)
        return out, alpha

    out, alpha = run(conv, torch.float32)
    out64, _ = run(copy.deepcopy(conv).double(), torch.float64)
    tensors = {"edge_index": edge_index.contiguous(), "out": out.contiguous(), "out_f64": out64.contiguous(),
               "alpha": alpha.contiguous()}
    if bipartite:
        tensors["x_src"], tensors["x_dst"] = x_src.contiguous(), x_dst.contiguous()
    else:
        tensors["x"] = x_src.contiguous()
    if edge_attr is not None:
        tensors["edge_attr"] = edge_attr.contiguous()
    meta = dict(kind="transformer_conv", in_src=in_src, in_dst=in_dst if bipartite else in_src, out=C, heads=heads,
                concat=concat, beta=beta, edge_dim=edge_dim or 0, bias=bias, root_weight=root_weight,
                bipartite=bipartite, num_src_nodes=n_src, num_dst_nodes=n_dst, num_edges=e,
                torch_version=torch.__version__, pyg_version=torch_geometric.__version__, seed=seed,
                description=description)
    os.makedirs(os.path.join(out_dir, "conv"), exist_ok=True)
    save_file({k: v.contiguous() for k, v in conv.state_dict().items()},
              os.path.join(out_dir, "conv", f"{name}.weights.safetensors"))
    save_file(tensors, os.path.join(out_dir, "conv", f"{name}.io.safetensors"),
              metadata={k: meta_str(v) for k, v in meta.items()})
    print(f"conv/{name}: N_src={n_src} N_dst={n_dst} E={e} out={tuple(out.shape)}")


# ---- edge-case graphs: each returns (n_src, n_dst, edge_index) ----
def g_isolated(gen):
    n = 16  # nodes 10..15 receive nothing; 12 and 14 still send
    src = torch.randint(0, 16, (30,), generator=gen)
    dst = torch.randint(0, 10, (30,), generator=gen)
    src[:2] = torch.tensor([12, 14])
    return n, n, torch.stack([src, dst])


def g_self_loops(gen):
    n = 12
    loops = torch.arange(n).repeat(2, 1)
    return n, n, torch.cat([loops, random_edges(gen, n, n, 20)], dim=1)


def g_duplicates(gen):
    n = 12
    dup = torch.tensor([[3, 3, 3], [5, 5, 5]])
    ei = random_edges(gen, n, n, 24)
    return n, n, torch.cat([ei[:, :10], dup, ei[:, 10:], dup[:, :1]], dim=1)


def g_hub500(gen):
    n = 520
    hub_src = torch.arange(1, 501)
    hub = torch.stack([hub_src, torch.zeros(500, dtype=torch.long)])
    return n, n, torch.cat([hub, random_edges(gen, n, n, 40)], dim=1)


def g_no_edges(gen):
    return 6, 6, torch.zeros(2, 0, dtype=torch.long)


def g_empty(gen):
    return 0, 0, torch.zeros(2, 0, dtype=torch.long)


def model_case(out_dir, name, description, seed, hidden, heads, layers, num_graphs=None, sizes=None, int_x=False,
               explicit_num_graphs=False, weight_seed=None):
    wseed = seed if weight_seed is None else weight_seed
    gen = torch.Generator().manual_seed(wseed)
    torch.manual_seed(wseed)
    model = GraphTransformer(input_dim=9, hidden_dim=hidden, dropout=0.0, num_conv_layers=layers, heads=heads)
    randomize(model, gen, bias_scale=0.2)
    model.eval()
    x, edge_index, batch = make_molecule_batch(num_graphs if sizes is None else len(sizes), seed, sizes=sizes)
    g = len(sizes) if sizes is not None else num_graphs
    size = g if explicit_num_graphs else None
    with torch.no_grad():
        y = model(x, edge_index, batch, size)
        node_out = model.node_forward(x, edge_index)
        y64 = copy.deepcopy(model).double()(x.double(), edge_index, batch, size)
    assert y.shape[0] == g, (y.shape, g)
    if y.numel() > 1:
        assert y.std() > 1e-3 * y.abs().mean(), "predictions are constant: weights too degenerate"
    tensors = {"x": (x if int_x else x.float()).contiguous(), "edge_index": edge_index, "batch": batch, "y": y,
               "y_f64": y64, "node_out": node_out}
    meta = dict(kind="graph_transformer", input_dim=9, hidden_dim=hidden, heads=heads, num_conv_layers=layers,
                num_graphs=g, num_nodes=x.shape[0], num_edges=edge_index.shape[1],
                x_dtype="int64" if int_x else "float32", torch_version=torch.__version__,
                pyg_version=torch_geometric.__version__, seed=seed, description=description)
    os.makedirs(os.path.join(out_dir, "model"), exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()},
              os.path.join(out_dir, "model", f"{name}.weights.safetensors"))
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(out_dir, "model", f"{name}.io.safetensors"),
              metadata={k: meta_str(v) for k, v in meta.items()})
    print(f"model/{name}: G={g} N={x.shape[0]} E={edge_index.shape[1]} y[:3]={y.flatten()[:3].tolist()}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "data"))
    out = ap.parse_args().out

    conv_case(out, "basic", "heads=1, concat=True, all defaults", 1)
    conv_case(out, "heads_concat", "heads=3, concat=True", 2, heads=3)
    conv_case(out, "heads_mean", "heads=3, concat=False (mean over heads)", 3, heads=3, concat=False)
    conv_case(out, "beta_concat", "beta gate with concat=True", 4, heads=2, beta=True)
    conv_case(out, "beta_mean", "beta gate with concat=False", 5, heads=2, beta=True, concat=False)
    conv_case(out, "no_root", "root_weight=False: no skip term", 6, heads=2, root_weight=False)
    conv_case(out, "edge_dim_concat", "edge_dim=5, concat=True: lin_edge added to keys and values", 7, heads=2,
              edge_dim=5)
    conv_case(out, "edge_dim_mean", "edge_dim=3, concat=False", 8, heads=2, edge_dim=3, concat=False)
    conv_case(out, "no_bias", "bias=False on every linear", 9, heads=2, bias=False)
    conv_case(out, "bipartite", "bipartite (x_src [10, 6], x_dst [7, 8])", 10, heads=2, in_src=6, in_dst=8)
    conv_case(out, "bipartite_all", "bipartite with beta, edge_dim=3, concat=False, bias=False", 11, heads=2,
              in_src=6, in_dst=8, beta=True, edge_dim=3, concat=False, bias=False)
    conv_case(out, "all_concat", "heads=4, concat, beta, edge_dim=2, bias, root_weight", 12, heads=4, beta=True,
              edge_dim=2)
    conv_case(out, "beta_no_root", "beta=True with root_weight=False: PyG disables the gate", 13, heads=2,
              beta=True, root_weight=False)
    edge = dict(heads=2, concat=False)
    conv_case(out, "isolated_nodes", "nodes 10..15 have no in-edges (12, 14 have out-edges)", 21, graph=g_isolated,
              **edge)
    conv_case(out, "self_loops", "a self-loop on every node plus random edges", 22, graph=g_self_loops, **edge)
    conv_case(out, "duplicate_edges", "edge 3->5 four times among random edges", 23, graph=g_duplicates, **edge)
    conv_case(out, "hub500", "node 0 has in-degree 500", 24, graph=g_hub500, **edge)
    conv_case(out, "no_edges", "6 nodes, E = 0", 25, graph=g_no_edges, **edge)
    conv_case(out, "empty", "N = 0, E = 0", 26, graph=g_empty, **edge)

    model_case(out, "small", "3 layers (4 convs built), 6 molecules incl. a one-atom one", 31, hidden=16, heads=4,
               layers=3, sizes=[9, 1, 14, 6, 11, 5])
    model_case(out, "small_int_x", "same model and graphs as small, x stored int64 as OGB does", 31, hidden=16,
               heads=4, layers=3, sizes=[9, 1, 14, 6, 11, 5], int_x=True)
    model_case(out, "seedlike", "the seed's structure (10 layers, 11 convs, 10 LNs) at hidden=32, heads=8", 32,
               hidden=32, heads=8, layers=10, num_graphs=16)
    model_case(out, "zero_node_graph", "4 graphs, graph 2 has zero nodes (num_graphs passed)", 33, hidden=16,
               heads=4, layers=3, sizes=[5, 7, 0, 6], explicit_num_graphs=True, weight_seed=31)
    model_case(out, "empty_batch", "N = 0, G = 0", 34, hidden=16, heads=4, layers=3, sizes=[],
               weight_seed=31)


if __name__ == "__main__":
    main()
