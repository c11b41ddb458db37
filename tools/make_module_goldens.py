#!/usr/bin/env python3
"""Writes graphtx's golden files for single PyG/torch modules (tests/data/modules/) and for two whole
models built from them (tests/data/models/), with real PyG.

    python tools/make_module_goldens.py --out tests/data

Each case is <case>.weights.safetensors (module.state_dict(), PyG names, contiguous; int64 buffers
such as num_batches_tracked stay int64) and <case>.io.safetensors (inputs under PyG's names: x,
edge_index, edge_attr, batch, ptr; the float32 outputs `out`; `out_f64` from a float64 copy of the
module fed float64 inputs; models store `y` / `y_f64`). Stateless cases (activations, pools) have
only the io file. Every __metadata__ value is JSON (json.loads it): the constructor arguments, one
key each, plus class, call, graph sizes, versions, seed, description. Everything runs in eval mode
under torch.no_grad() (so torch's MultiheadAttention takes its fast path; the metadata says so).
Deterministic: fixed seeds, CPU, deterministic algorithms, one thread, __metadata__ keys sorted
(graphtx_pyg.save_file_sorted_metadata), so a re-run reproduces the files byte for byte. tests/data/README.md lists
the cases. The C++ build and tests never run this script."""
import argparse
import copy
import json
import os

import torch
import torch.nn.functional as F
import torch_geometric
from safetensors.torch import save_file
from torch import nn
from torch_geometric.nn import (GINEConv, GPSConv, MLP, BatchNorm, LayerNorm, TransformerConv, global_add_pool,
                                global_max_pool, global_mean_pool)
from torch_geometric.utils import to_dense_batch

from graphtx_pyg import (EdgeTransformer, GPSMolecule, make_bond_features, make_molecule_batch, make_node_batch,
                         randomize_module, save_file_sorted_metadata)

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)

VERSIONS = dict(torch_version=torch.__version__, pyg_version=torch_geometric.__version__)


def ogb_dims():
    from ogb.utils.features import get_atom_feature_dims, get_bond_feature_dims
    return get_atom_feature_dims(), get_bond_feature_dims()


# ---- MultiheadAttention fast-path detector: MHA.forward looks torch._native_multi_head_attention up at call time
_FAST = {"calls": 0}
_native_mha = torch._native_multi_head_attention


def _counting_native_mha(*args, **kwargs):
    _FAST["calls"] += 1
    return _native_mha(*args, **kwargs)


torch._native_multi_head_attention = _counting_native_mha


def f64_inputs(inputs):
    return {k: (v.double() if v.is_floating_point() else v) for k, v in inputs.items()}


def run_both(module, fn, inputs):
    """fn(module, inputs) -> tensor or dict; returns (float32 result, float64 result, fast-path calls)."""
    _FAST["calls"] = 0
    with torch.no_grad():
        out = fn(module, inputs)
        m64 = copy.deepcopy(module).double() if module is not None else None
        out64 = fn(m64, f64_inputs(inputs))
    return out, out64, _FAST["calls"]


def as_dict(res, name):
    return res if isinstance(res, dict) else {name: res}


def save_case(out_dir, sub, name, module, inputs, out, out64, meta, out_name="out"):
    d = os.path.join(out_dir, sub)
    os.makedirs(d, exist_ok=True)
    tensors = dict(inputs)
    for k, v in as_dict(out, out_name).items():
        tensors[k] = v
    for k, v in as_dict(out64, out_name).items():
        tensors[k + "_f64"] = v
    for k, v in tensors.items():
        if v.is_floating_point() and not k.endswith("_f64"):
            assert v.dtype == torch.float32, (name, k, v.dtype)
    meta = dict(meta, **VERSIONS)
    if module is not None:
        save_file({k: v.contiguous() for k, v in module.state_dict().items()},
                  os.path.join(d, f"{name}.weights.safetensors"))
    save_file_sorted_metadata({k: v.contiguous() for k, v in tensors.items()},
                              os.path.join(d, f"{name}.io.safetensors"),
                              metadata={k: json.dumps(v) for k, v in meta.items()})
    shapes = " ".join(f"{k}{list(v.shape)}" for k, v in tensors.items())
    print(f"{sub}/{name}: {shapes}")


def graph_meta(sizes, edge_index=None):
    m = dict(graph_sizes=list(sizes), num_graphs=len(sizes), num_nodes=int(sum(sizes)))
    if edge_index is not None:
        m["num_edges"] = int(edge_index.shape[1])
    return m


def seeded(seed):
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def resolved(m):
    return f"{type(m).__module__}.{type(m).__qualname__}" if m is not None else None


# ---------------------------------------------------------------- embeddings
def case_embedding(out_dir):
    gen = seeded(101)
    emb = nn.Embedding(10, 6)
    emb.eval()
    x = torch.randint(0, 10, (13, 1), generator=gen)
    x[0, 0], x[1, 0] = 0, 9
    out, out64, _ = run_both(emb, lambda m, i: m(i["x"].squeeze(-1)), {"x": x})
    save_case(out_dir, "modules", "embedding", emb, {"x": x}, out, out64,
              dict(**{"class": "torch.nn.Embedding"}, num_embeddings=10, embedding_dim=6, call="emb(x.squeeze(-1))",
                   num_nodes=13, seed=101, description="x [N, 1] int64 in 0..9 (rows 0 and 1 hit 0 and 9)"))


def case_ogb_encoders(out_dir):
    from ogb.graphproppred.mol_encoder import AtomEncoder, BondEncoder
    atom_dims, bond_dims = ogb_dims()
    gen = seeded(102)
    enc = AtomEncoder(emb_dim=8)
    enc.eval()
    n = 20
    x = torch.stack([torch.randint(0, d, (n,), generator=gen) for d in atom_dims], dim=1)
    x[0] = 0
    x[1] = torch.tensor(atom_dims) - 1  # the last row of every table
    out, out64, _ = run_both(enc, lambda m, i: m(i["x"]), {"x": x})
    save_case(out_dir, "modules", "atom_encoder", enc, {"x": x}, out, out64,
              dict(**{"class": "ogb.graphproppred.mol_encoder.AtomEncoder"}, emb_dim=8, feature_dims=atom_dims,
                   call="enc(x)", num_nodes=n, seed=102,
                   description="sum over the 9 columns of atom_embedding_list[i](x[:, i]); row 0 all 0, row 1 all max"))

    gen = seeded(103)
    enc = BondEncoder(emb_dim=8)
    enc.eval()
    e = 15
    ea = torch.stack([torch.randint(0, d, (e,), generator=gen) for d in bond_dims], dim=1)
    ea[0] = 0
    ea[1] = torch.tensor(bond_dims) - 1
    out, out64, _ = run_both(enc, lambda m, i: m(i["edge_attr"]), {"edge_attr": ea})
    save_case(out_dir, "modules", "bond_encoder", enc, {"edge_attr": ea}, out, out64,
              dict(**{"class": "ogb.graphproppred.mol_encoder.BondEncoder"}, emb_dim=8, feature_dims=bond_dims,
                   call="enc(edge_attr)", num_edges=e, seed=103,
                   description="sum over the 3 columns of bond_embedding_list[i](edge_attr[:, i])"))


# ---------------------------------------------------------------- norms
def case_batch_norms(out_dir):
    for name, ctor, cls, args, seed in [
        ("batch_norm", lambda: nn.BatchNorm1d(6), "torch.nn.BatchNorm1d", dict(num_features=6), 111),
        ("pyg_batch_norm", lambda: BatchNorm(6), "torch_geometric.nn.BatchNorm", dict(in_channels=6), 112),
        ("batch_norm_no_affine", lambda: nn.BatchNorm1d(6, affine=False), "torch.nn.BatchNorm1d",
         dict(num_features=6, affine=False), 113),
    ]:
        gen = seeded(seed)
        m = ctor()
        randomize_module(m, gen)
        m.eval()
        x = 1.5 * torch.randn(11, 6, generator=gen) + 0.3
        out, out64, _ = run_both(m, lambda mod, i: mod(i["x"]), {"x": x})
        save_case(out_dir, "modules", name, m, {"x": x}, out, out64,
                  dict(**{"class": cls}, **args, eps=1e-5, momentum=0.1, call="m(x)", mode="eval", num_nodes=11,
                       seed=seed, description="eval: (x - running_mean) / sqrt(running_var + eps) * weight + bias; "
                                              "running stats random, num_batches_tracked = 7"))


def case_layer_norms(out_dir):
    sizes = [5, 1, 0, 7, 3, 0]
    g = len(sizes)
    gen = seeded(121)
    _, batch, ptr = make_node_batch(gen, sizes)
    n = int(batch.numel())
    x = torch.randn(n, 6, generator=gen) + 0.5
    x[batch == 3] *= 0.003  # a graph whose variance is comparable to eps, so eps placement shows
    m = LayerNorm(6)
    randomize_module(m, gen)
    m.eval()
    out, out64, _ = run_both(m, lambda mod, i: mod(i["x"], i["batch"], batch_size=g), {"x": x, "batch": batch})
    save_case(out_dir, "modules", "layer_norm_graph", m, {"x": x, "batch": batch, "ptr": ptr}, out, out64,
              dict(**{"class": "torch_geometric.nn.LayerNorm"}, in_channels=6, eps=1e-5, affine=True, mode="graph",
                   call="m(x, batch, batch_size=num_graphs)", **graph_meta(sizes), seed=121,
                   description="per graph, over all its nodes and channels: (x - mean) / sqrt(var + eps) (biased var)"
                               " * weight + bias; graph 2 and the trailing graph 5 are empty, graph 3 is scaled by"
                               " 0.003"))

    gen = seeded(122)
    x = 0.003 * torch.randn(9, 6, generator=gen) + 0.001
    m = LayerNorm(6)
    randomize_module(m, gen)
    m.eval()
    out, out64, _ = run_both(m, lambda mod, i: mod(i["x"]), {"x": x})
    save_case(out_dir, "modules", "layer_norm_graph_no_batch", m, {"x": x}, out, out64,
              dict(**{"class": "torch_geometric.nn.LayerNorm"}, in_channels=6, eps=1e-5, affine=True, mode="graph",
                   call="m(x)", num_nodes=9, seed=122,
                   description="batch=None: (x - x.mean()) / (x.std(unbiased=False) + eps) * weight + bias -- eps is"
                               " added to the STD here, not to the variance; x ~ 0.003 so that matters"))

    gen = seeded(123)
    x = torch.randn(9, 6, generator=gen)
    x[4] *= 0.003
    m = LayerNorm(6, mode="node")
    randomize_module(m, gen)
    m.eval()
    out, out64, _ = run_both(m, lambda mod, i: mod(i["x"]), {"x": x})
    save_case(out_dir, "modules", "layer_norm_node", m, {"x": x}, out, out64,
              dict(**{"class": "torch_geometric.nn.LayerNorm"}, in_channels=6, eps=1e-5, affine=True, mode="node",
                   call="m(x)", num_nodes=9, seed=123,
                   description="F.layer_norm over the 6 channels of each node (eps inside the sqrt); row 4 x 0.003"))


# ---------------------------------------------------------------- activations
def case_activations(out_dir):
    gen = seeded(131)
    inf, nan = float("inf"), float("nan")
    special = [nan, inf, -inf, -0.0, 0.0, 1e-40, -1e-40, 1e-30, -1e-30, 1e-7, -1e-7, 1e-3, -1e-3, 0.5, -0.5, 1.0,
               -1.0, 2.0, -2.0, 3.0, -3.0, 5.0, -5.0, 8.0, -8.0, 9.0, -9.0, 10.0, -10.0, 15.0, -15.0, 17.0, -17.0,
               20.0, -20.0, 30.0, -30.0, 50.0, -50.0, 87.0, -87.0, 88.7, -88.7, 89.0, -89.0, 100.0, -100.0, 104.0,
               -104.0, 1e4, -1e4, 1e10, -1e10, 1e30, -1e30, 3.4e38, -3.4e38, nan, -inf, inf]
    x = 4.0 * torch.randn(64 * 5, generator=gen)
    x[:len(special)] = torch.tensor(special, dtype=torch.float32)
    x = x.view(64, 5).contiguous()
    acts = {
        "gelu": lambda t: F.gelu(t),
        "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"),
        "elu": lambda t: F.elu(t, alpha=1.0),
        "elu_0_5": lambda t: F.elu(t, alpha=0.5),
        "leaky_relu": lambda t: F.leaky_relu(t, 0.01),
        "leaky_relu_0_2": lambda t: F.leaky_relu(t, 0.2),
        "silu": lambda t: F.silu(t),
        "sigmoid": lambda t: torch.sigmoid(t),
        "tanh": lambda t: torch.tanh(t),
        "relu": lambda t: F.relu(t),
    }
    out, out64, _ = run_both(None, lambda _, i: {k: f(i["x"]) for k, f in acts.items()}, {"x": x})
    save_case(out_dir, "modules", "activations", None, {"x": x}, out, out64,
              dict(**{"class": "torch.nn.functional"}, functions={
                  "gelu": "F.gelu(x)", "gelu_tanh": "F.gelu(x, approximate='tanh')", "elu": "F.elu(x, alpha=1.0)",
                  "elu_0_5": "F.elu(x, alpha=0.5)", "leaky_relu": "F.leaky_relu(x, 0.01)",
                  "leaky_relu_0_2": "F.leaky_relu(x, 0.2)", "silu": "F.silu(x)", "sigmoid": "torch.sigmoid(x)",
                  "tanh": "torch.tanh(x)", "relu": "F.relu(x)"}, seed=131,
                   description="x [64, 5] float32: the first 60 values are specials (NaN, +-inf, -0.0, subnormal "
                               "1e-40, thresholds near 9/15/17/20/88.7/104, +-1e30, +-3.4e38), the rest 4 * randn; "
                               "*_f64 are the same functions on x.double()"))


# ---------------------------------------------------------------- MLP
def case_mlps(out_dir):
    for name, ctor, args, seed in [
        ("mlp", lambda: MLP([6, 12, 12, 3]), dict(channel_list=[6, 12, 12, 3]), 141),
        ("mlp_no_norm", lambda: MLP([6, 10, 2], norm=None), dict(channel_list=[6, 10, 2], norm=None), 142),
        ("mlp_gelu_layernorm", lambda: MLP([6, 8, 2], act="gelu", norm="layer_norm"),
         dict(channel_list=[6, 8, 2], act="gelu", norm="layer_norm"), 143),
    ]:
        gen = seeded(seed)
        m = ctor()
        randomize_module(m, gen)
        m.eval()
        full = dict(dropout=0.0, act="relu", act_first=False, norm="batch_norm", plain_last=True, bias=True)
        full.update(args)
        norm0 = m.norms[0] if len(m.norms) else None
        meta = dict(**{"class": "torch_geometric.nn.MLP"}, **full, act_resolved=resolved(m.act),
                    act_approximate=getattr(m.act, "approximate", None), norm_resolved=resolved(norm0),
                    norm_mode=getattr(norm0, "mode", None), supports_norm_batch=m.supports_norm_batch, seed=seed)
        if name == "mlp_gelu_layernorm":
            sizes = [5, 1, 0, 4, 2]
            _, batch, ptr = make_node_batch(gen, sizes)
            x = torch.randn(int(batch.numel()), 6, generator=gen)
            inputs = {"x": x, "batch": batch, "ptr": ptr}
            fn = lambda mod, i: {"out": mod(i["x"]), "out_batch": mod(i["x"], i["batch"], batch_size=len(sizes))}
            meta.update(call="out = m(x); out_batch = m(x, batch, batch_size=num_graphs)", **graph_meta(sizes),
                        description="norm='layer_norm' resolves to torch_geometric.nn.LayerNorm in GRAPH mode: "
                                    "without batch it normalises the whole [N, 8] tensor as one graph "
                                    "(std + eps); with batch, per graph (sqrt(var + eps))")
        else:
            x = torch.randn(12, 6, generator=gen)
            inputs = {"x": x}
            fn = lambda mod, i: mod(i["x"])
            meta.update(call="m(x)", num_nodes=12,
                        description="lin -> norm -> act per hidden layer, plain last Linear; eval mode")
        out, out64, _ = run_both(m, fn, inputs)
        save_case(out_dir, "modules", name, m, inputs, out, out64, meta)


# ---------------------------------------------------------------- pools
def case_pools(out_dir):
    sizes = [4, 0, 6, 1, 3, 0]
    g = len(sizes)
    gen = seeded(151)
    _, batch, ptr = make_node_batch(gen, sizes)
    x = torch.randn(int(batch.numel()), 5, generator=gen) - 0.5
    fns = {"add": global_add_pool, "mean": global_mean_pool, "max": global_max_pool}

    def fn(_, i):
        res = {k: f(i["x"], i["batch"], size=g) for k, f in fns.items()}
        res.update({k + "_none": f(i["x"], None) for k, f in fns.items()})
        return res

    out, out64, _ = run_both(None, fn, {"x": x, "batch": batch, "ptr": ptr})
    assert (out["max"][1] == 0).all() and (out["max"][5] == 0).all()
    save_case(out_dir, "modules", "pools", None, {"x": x, "batch": batch, "ptr": ptr}, out, out64,
              dict(**{"class": "torch_geometric.nn.pool"},
                   call="global_{add,mean,max}_pool(x, batch, size=num_graphs); *_none: (x, None)",
                   **graph_meta(sizes), seed=151,
                   description="graphs 1 and 5 (trailing, only via size) are empty: add 0, mean 0, max 0 (not -inf);"
                               " *_none pool all nodes into [1, 5]"))


# ---------------------------------------------------------------- GINE
def gine_nn(c):
    return nn.Sequential(nn.Linear(c, c), nn.ReLU(), nn.Linear(c, c))


def case_gine(out_dir):
    sizes = [6, 1, 5, 4]
    for name, edge_dim, seed in [("gine", None, 161), ("gine_edge_dim", 4, 162)]:
        gen = seeded(seed)
        if edge_dim is None:
            m = GINEConv(nn=gine_nn(6), train_eps=True)
        else:
            m = GINEConv(nn=gine_nn(6), edge_dim=edge_dim)
        randomize_module(m, gen)
        with torch.no_grad():
            m.eps.fill_(0.3 if edge_dim is None else -0.2)
        m.eval()
        edge_index, batch, ptr = make_node_batch(gen, sizes)
        x = torch.randn(int(batch.numel()), 6, generator=gen)
        ea = torch.randn(edge_index.shape[1], edge_dim or 6, generator=gen)
        inputs = {"x": x, "edge_index": edge_index, "edge_attr": ea}
        out, out64, _ = run_both(m, lambda mod, i: mod(i["x"], i["edge_index"], i["edge_attr"]), inputs)
        args = dict(nn="Sequential(Linear(6, 6), ReLU(), Linear(6, 6))", eps=0.0, train_eps=edge_dim is None,
                    edge_dim=edge_dim)
        save_case(out_dir, "modules", name, m, inputs, out, out64,
                  dict(**{"class": "torch_geometric.nn.GINEConv"}, **args, eps_value=float(m.eps.detach()),
                       eps_is_parameter=edge_dim is None, call="m(x, edge_index, edge_attr)",
                       **graph_meta(sizes, edge_index), seed=seed,
                       description="nn(sum_j relu(x_j + lin(edge_attr_ji)) + (1 + eps) x_i), lin only with "
                                   "edge_dim; eps is in the state_dict either way (a Parameter with train_eps, "
                                   "else a buffer), set after construction; the last node of every graph has no "
                                   "in-edges"))


# ---------------------------------------------------------------- MultiheadAttention as GPSConv applies it
def mha_apply(attn, x, batch):
    h, mask = to_dense_batch(x, batch)
    return attn(h, h, h, key_padding_mask=~mask, need_weights=False)[0][mask]


def case_mha(out_dir):
    sizes = [5, 1, 7, 3, 4]
    gen = seeded(171)
    attn = nn.MultiheadAttention(8, 2, batch_first=True)
    randomize_module(attn, gen)
    attn.eval()
    _, batch, ptr = make_node_batch(gen, sizes)
    x = torch.randn(int(batch.numel()), 8, generator=gen)
    inputs = {"x": x, "batch": batch, "ptr": ptr}
    out, out64, fast = run_both(attn, lambda m, i: mha_apply(m, i["x"], i["batch"]), inputs)
    torch.backends.mha.set_fastpath_enabled(False)
    _FAST["calls"] = 0
    with torch.no_grad():
        slow = mha_apply(attn, x, batch)
        slow64 = mha_apply(copy.deepcopy(attn).double(), x.double(), batch)
    assert _FAST["calls"] == 0
    torch.backends.mha.set_fastpath_enabled(True)
    slow_diff, slow64_diff = float((slow - out).abs().max()), float((slow64 - out64).abs().max())

    # The same graphs with an empty graph inserted: the padded row has every key masked.
    sizes_e = [5, 1, 0, 7, 3, 4]
    batch_e = torch.repeat_interleave(torch.arange(len(sizes_e)), torch.tensor(sizes_e))
    with torch.no_grad():
        h, mask = to_dense_batch(x, batch_e)
        dense = attn(h, h, h, key_padding_mask=~mask, need_weights=False)[0]
        out_e = dense[mask]
        torch.backends.mha.set_fastpath_enabled(False)
        dense_slow = attn(h, h, h, key_padding_mask=~mask, need_weights=False)[0]
        torch.backends.mha.set_fastpath_enabled(True)
    empty_note = dict(
        empty_graph_row_fast_path=("nan" if torch.isnan(dense[2]).all() else
                                   "zeros" if (dense[2] == 0).all() else "finite"),
        empty_graph_row_slow_path=("nan" if torch.isnan(dense_slow[2]).all() else
                                   "zeros" if (dense_slow[2] == 0).all() else "finite"),
        empty_graph_other_rows_max_diff=float((out_e - out).abs().max()))
    # Padding rows of real graphs (queries at padded positions) are dropped by [mask]; recorded for reference.
    save_case(out_dir, "modules", "mha", attn, inputs, out, out64,
              dict(**{"class": "torch.nn.MultiheadAttention"}, embed_dim=8, num_heads=2, batch_first=True,
                   dropout=0.0, bias=True,
                   call="h, mask = to_dense_batch(x, batch); "
                        "attn(h, h, h, key_padding_mask=~mask, need_weights=False)[0][mask]",
                   fast_path_calls=fast, slow_path_max_abs_diff_f32=slow_diff,
                   slow_path_max_abs_diff_f64=slow64_diff, **empty_note, **graph_meta(sizes), seed=171,
                   description="GPSConv's global attention alone; under no_grad in eval torch takes the native "
                               "fast path (torch._native_multi_head_attention) in float32 and float64"))
    return empty_note, slow_diff, slow64_diff, fast


# ---------------------------------------------------------------- GPSConv
def case_gps(out_dir):
    sizes = [5, 1, 0, 7, 3, 4]
    notes = {}
    for name, conv, extra, seed in [
        ("gps_conv", True, {}, 181),
        ("gps_conv_no_conv", False, {}, 182),
        ("gps_conv_layer_norm", True, {"norm": "layer_norm"}, 183),
    ]:
        gen = seeded(seed)
        m = GPSConv(8, GINEConv(gine_nn(8)) if conv else None, heads=2, **extra)
        randomize_module(m, gen)
        m.eval()
        edge_index, batch, ptr = make_node_batch(gen, sizes)
        x = torch.randn(int(batch.numel()), 8, generator=gen)
        inputs = {"x": x, "edge_index": edge_index, "batch": batch, "ptr": ptr}
        if conv:
            inputs["edge_attr"] = torch.randn(edge_index.shape[1], 8, generator=gen)
            fn = lambda mod, i: mod(i["x"], i["edge_index"], i["batch"], edge_attr=i["edge_attr"])
            call = "m(x, edge_index, batch, edge_attr=edge_attr)"
        else:
            fn = lambda mod, i: mod(i["x"], i["edge_index"], i["batch"])
            call = "m(x, edge_index, batch)"
        out, out64, fast = run_both(m, fn, inputs)
        assert torch.isfinite(out).all()
        args = dict(channels=8, conv="GINEConv(nn=Sequential(Linear(8, 8), ReLU(), Linear(8, 8)), eps=0.0, "
                                     "train_eps=False)" if conv else None,
                    heads=2, dropout=0.0, act="relu", norm=extra.get("norm", "batch_norm"), attn_type="multihead")
        meta = dict(**{"class": "torch_geometric.nn.GPSConv"}, **args, norm_resolved=resolved(m.norm1),
                    norm_mode=getattr(m.norm1, "mode", None), norm_with_batch=m.norm_with_batch,
                    mha_fast_path_calls=fast, call=call, **graph_meta(sizes, edge_index), seed=seed,
                    description="h1 = norm1(conv(x) + x); h2 = norm2(MHA(to_dense_batch(x))[mask] + x); "
                                "out = h1 + h2; out = norm3(out + mlp(out)); graph 2 is empty")
        save_case(out_dir, "modules", name, m, inputs, out, out64, meta)
        notes[name] = dict(norm_resolved=meta["norm_resolved"], norm_mode=meta["norm_mode"], fast=fast)
    return notes


def case_transformer_conv_edge(out_dir):
    sizes = [5, 1, 0, 7, 3]
    gen = seeded(191)
    m = TransformerConv(6, 4, heads=2, concat=True, beta=True, edge_dim=3)
    randomize_module(m, gen)
    with torch.no_grad():
        m.lin_beta.weight.mul_(0.3)
    m.eval()
    edge_index, batch, ptr = make_node_batch(gen, sizes)
    x = torch.randn(int(batch.numel()), 6, generator=gen)
    ea = torch.randn(edge_index.shape[1], 3, generator=gen)
    inputs = {"x": x, "edge_index": edge_index, "edge_attr": ea}
    out, out64, _ = run_both(m, lambda mod, i: mod(i["x"], i["edge_index"], i["edge_attr"]), inputs)
    save_case(out_dir, "modules", "transformer_conv_edge", m, inputs, out, out64,
              dict(**{"class": "torch_geometric.nn.TransformerConv"}, in_channels=6, out_channels=4, heads=2,
                   concat=True, beta=True, edge_dim=3, bias=True, root_weight=True,
                   call="m(x, edge_index, edge_attr)", **graph_meta(sizes, edge_index), seed=191,
                   description="the EdgeTransformer block's conv on a batch (lin_beta.weight x 0.3)"))


# ---------------------------------------------------------------- whole models
def model_gps_molecule(out_dir, name, sizes, seed, weight_seed=201):
    atom_dims, bond_dims = ogb_dims()
    gen = seeded(weight_seed)
    m = GPSMolecule()
    randomize_module(m, gen, bias_scale=0.2)
    m.eval()
    x, edge_index, batch = make_molecule_batch(len(sizes), seed, sizes=sizes)
    assert all((x[:, i] < d).all() for i, d in enumerate(atom_dims))
    ea = make_bond_features(torch.Generator().manual_seed(seed + 1), edge_index)
    assert all((ea[:, i] < d).all() for i, d in enumerate(bond_dims))
    ptr = torch.zeros(len(sizes) + 1, dtype=torch.long)
    ptr[1:] = torch.cumsum(torch.tensor(sizes), 0)
    inputs = {"x": x, "edge_index": edge_index, "edge_attr": ea, "batch": batch, "ptr": ptr}
    y, y64, fast = run_both(m, lambda mod, i: mod(i["x"], i["edge_index"], i["edge_attr"], i["batch"]), inputs)
    g = int(batch.max()) + 1 if batch.numel() else 0
    assert y.shape == (g, 1), y.shape
    if y.numel() > 1:
        assert y.std() > 1e-3 * y.abs().mean(), "predictions are constant"
    save_case(out_dir, "models", name, m, inputs, y, y64,
              dict(**{"class": "tools/graphtx_pyg.py:GPSMolecule"}, hidden=16, layers=3, heads=2,
                   atom_encoder="AtomEncoder(16)", bond_encoder="BondEncoder(16)",
                   convs="3 x GPSConv(16, GINEConv(Sequential(Linear(16, 16), ReLU(), Linear(16, 16))), heads=2)",
                   mlp="MLP([16, 8, 1])", mha_fast_path_calls=fast,
                   call="m(x, edge_index, edge_attr, batch) (global_add_pool without size)",
                   **graph_meta(sizes, edge_index), weight_seed=weight_seed, seed=seed,
                   description="molecule-like graphs (graphtx_pyg.make_molecule_batch), OGB int64 atom and bond "
                               "features, both edge directions"), out_name="y")
    print(f"  y = {y.flatten().tolist()}")


def model_edge_transformer(out_dir, name, sizes, seed, weight_seed=211):
    gen = seeded(weight_seed)
    m = EdgeTransformer()
    randomize_module(m, gen, bias_scale=0.2)
    with torch.no_grad():
        for b in m.blocks:
            b.conv.lin_beta.weight.mul_(0.3)
    m.eval()
    ggen = torch.Generator().manual_seed(seed)
    edge_index, batch, ptr = make_node_batch(ggen, sizes)
    x = torch.randn(int(batch.numel()), 6, generator=ggen)
    ea = torch.randn(edge_index.shape[1], 3, generator=ggen)
    inputs = {"x": x, "edge_index": edge_index, "edge_attr": ea, "batch": batch, "ptr": ptr}
    y, y64, _ = run_both(m, lambda mod, i: mod(i["x"], i["edge_index"], i["edge_attr"], i["batch"]), inputs)
    assert y.shape == (len(sizes), 2), y.shape
    assert y.std() > 1e-3 * y.abs().mean(), "predictions are constant"
    save_case(out_dir, "models", name, m, inputs, y, y64,
              dict(**{"class": "tools/graphtx_pyg.py:EdgeTransformer"},
                   blocks="[Block(6), Block(8), Block(8)]; Block(cin) = relu(LayerNorm(8)(TransformerConv(cin, 4, "
                          "heads=2, concat=True, beta=True, edge_dim=3)))",
                   head="Sequential(Linear(8, 8), GELU(), Linear(8, 2))",
                   call="x = blocks[0](x); x = x + blocks[i](x) for i = 1, 2; head(global_max_pool(x, batch))",
                   **graph_meta(sizes, edge_index), weight_seed=weight_seed, seed=seed,
                   description="random graphs (graphtx_pyg.make_node_batch): a single-node graph, the last node of"
                               " every graph has no in-edges, self-loops, a triplicated edge; lin_beta.weight x 0.3"),
              out_name="y")
    print(f"  y = {y.flatten().tolist()}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "data"))
    out = ap.parse_args().out

    case_embedding(out)
    case_ogb_encoders(out)
    case_batch_norms(out)
    case_layer_norms(out)
    case_activations(out)
    case_mlps(out)
    case_pools(out)
    case_gine(out)
    mha_note = case_mha(out)
    gps_notes = case_gps(out)
    case_transformer_conv_edge(out)
    model_gps_molecule(out, "gps_molecule", [9, 1, 14, 6, 11, 5, 8, 12], 221)
    model_gps_molecule(out, "gps_molecule_g1", [10], 222)
    model_gps_molecule(out, "gps_molecule_zero_node_graph", [9, 1, 0, 6], 223)
    model_edge_transformer(out, "edge_transformer", [6, 1, 5, 8, 3, 4], 231)
    print("mha:", mha_note)
    print("gps:", gps_notes)


if __name__ == "__main__":
    main()
