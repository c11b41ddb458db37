"""The exporter: a PyG model instance -> a graphtx composition (C++ type), by torch.fx tracing.

Every user-written module (a torch.nn.Module subclass with its own forward, torch_geometric.nn.Sequential
included) is traced on its own with torch.fx, every submodule it calls being a leaf of that trace; the
trace is then read as a chain of steps over the node features (plus the graph context: edge_index, the
edge features, batch), and becomes an `nn::Module<"Class", nn::Forward<...>, nn::Field<...>...>`. The
modules graphtx has (Linear, LayerNorm, TransformerConv, GINEConv, GPSConv, MLP, ...) become its leaves,
configured from their attributes. Anything else stops with ExportError naming the module path."""
import copy
import inspect
import operator
import struct
import sys

import torch
import torch.fx
import torch.nn.functional as F
from torch import nn as tnn

import torch_geometric.nn as pyg_nn
from torch_geometric.nn import MessagePassing

NS = "nn"  # the alias of graphtx::nn inside the generated header's parts namespace


class ExportError(Exception):
    """The model (or a part of it, named by its module path) cannot be expressed in graphtx."""


def _where(path):
    return path if path else "<model>"


def _qual(m):
    t = type(m)
    return f"{t.__module__}.{t.__qualname__}"


def fail(path, module, what, todo):
    kind = f" ({_qual(module)})" if module is not None else ""
    raise ExportError(f"{_where(path)}{kind}: {what}; {todo}")


# ---- C++ literals ------------------------------------------------------------------------------

def cpp_bool(b):
    return "true" if b else "false"


def cpp_float(v):
    """The shortest decimal that reads back as the same float32, as a C++ float literal."""
    f32 = struct.unpack("<f", struct.pack("<f", float(v)))[0]
    for digits in range(1, 10):
        text = f"{f32:.{digits}g}"
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == f32:
            break
    if "e" not in text and "." not in text and "inf" not in text and "nan" not in text:
        text += ".0"
    return text + "f"


def cpp_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- the pooling functions: wrapped so that fx records them as calls ------------------------------

def _pool_functions():
    from torch_geometric.nn import global_add_pool, global_max_pool, global_mean_pool
    return {global_add_pool: "GlobalAddPool", global_mean_pool: "GlobalMeanPool", global_max_pool: "GlobalMaxPool"}


class _PatchPools:
    """While tracing, every module attribute in sys.modules that is one of PyG's global pools is a
    wrapper that records a call_function node (the pools call int(batch.max()), which fx cannot
    trace). Restored on exit."""

    def __init__(self, root=None):
        self.root = root

    def __enter__(self):
        pools = _pool_functions()
        self.saved = []

        def wrap(orig):
            def wrapper(*args, **kwargs):
                for a in list(args) + list(kwargs.values()):
                    if isinstance(a, torch.fx.Proxy):
                        return a.tracer.create_proxy("call_function", orig, args, kwargs)
                return orig(*args, **kwargs)
            wrapper.__wrapped__ = orig
            return wrapper

        wrappers = {f: wrap(f) for f in pools}
        for mod in list(sys.modules.values()):
            d = getattr(mod, "__dict__", None)
            if not isinstance(d, dict):
                continue
            for k, v in list(d.items()):
                try:
                    hit = v in wrappers
                except TypeError:
                    continue
                if hit:
                    self.saved.append((d, k, v))
                    d[k] = wrappers[v]
        # functions held by modules (torch_geometric.nn.Sequential keeps global_mean_pool as module_4)
        for m in (self.root.modules() if self.root is not None else ()):
            for k, v in list(vars(m).items()):
                try:
                    hit = v in wrappers
                except TypeError:
                    continue
                if hit:
                    self.saved.append((vars(m), k, v))
                    vars(m)[k] = wrappers[v]
        return self

    def __exit__(self, *exc):
        for d, k, v in self.saved:
            d[k] = v
        return False


class _Tracer(torch.fx.Tracer):
    """Every submodule call is a leaf: the exporter maps it by its type (or traces it on its own)."""

    def __init__(self):
        super().__init__(param_shapes_constant=True)

    def is_leaf_module(self, m, qualname):
        return True


# ---- values seen while reading a trace -----------------------------------------------------------

class Val:
    """What an fx node stands for: node features (kind 'node', or 'graph' after a readout), the edge
    features (kind 'edge', with a version: each edge encoder makes a new one), a graph tensor
    ('edge_index', 'batch'), or a constant (kind 'const', value)."""

    def __init__(self, kind, value=None, version=0, dtype=None, width=None):
        self.kind, self.value, self.version, self.dtype = kind, value, version, dtype
        self.width = width  # node features: their width where known (from the example run)

    def __repr__(self):
        return f"Val({self.kind}, v{self.version})"


# ---- activations ----------------------------------------------------------------------------------

def _act_type(m, path):
    """A torch.nn activation module -> its graphtx type (or None if it is not an activation)."""
    if isinstance(m, tnn.ReLU):
        return f"{NS}::ReLU<>"
    if isinstance(m, tnn.GELU):
        return f"{NS}::GELU<{NS}::gelu_approximate::{'tanh' if m.approximate == 'tanh' else 'none'}>"
    if isinstance(m, tnn.ELU):
        return f"{NS}::ELU<{NS}::EluConfig{{.alpha = {cpp_float(m.alpha)}}}>"
    if isinstance(m, tnn.LeakyReLU):
        return f"{NS}::LeakyReLU<{NS}::LeakyReLUConfig{{.negative_slope = {cpp_float(m.negative_slope)}}}>"
    if isinstance(m, tnn.SiLU):
        return f"{NS}::SiLU<>"
    if isinstance(m, tnn.Sigmoid):
        return f"{NS}::Sigmoid<>"
    if isinstance(m, tnn.Tanh):
        return f"{NS}::Tanh<>"
    return None


_FUNCTIONAL_ACTS = {
    F.relu: "relu", torch.relu: "relu", F.gelu: "gelu", F.elu: "elu", F.leaky_relu: "leaky_relu", F.silu: "silu",
    torch.sigmoid: "sigmoid", torch.tanh: "tanh", F.sigmoid if hasattr(F, "sigmoid") else torch.sigmoid: "sigmoid",
    F.tanh if hasattr(F, "tanh") else torch.tanh: "tanh",
}
_METHOD_ACTS = {"relu": "relu", "sigmoid": "sigmoid", "tanh": "tanh"}


def _functional_act_type(name, args, kwargs, path):
    def arg(i, key, default):
        if len(args) > i:
            return args[i]
        return kwargs.get(key, default)

    if arg(99, "inplace", False) or (name in ("relu", "elu", "leaky_relu", "silu") and len(args) > 2 and args[-1] is True):
        raise ExportError(f"{_where(path)}: F.{name}(..., inplace=True) overwrites its input; use inplace=False "
                          f"(the default) so the exporter can follow the values")
    if name == "relu":
        return f"{NS}::ReLU<>"
    if name == "gelu":
        approx = arg(1, "approximate", "none")
        return f"{NS}::GELU<{NS}::gelu_approximate::{'tanh' if approx == 'tanh' else 'none'}>"
    if name == "elu":
        return f"{NS}::ELU<{NS}::EluConfig{{.alpha = {cpp_float(arg(1, 'alpha', 1.0))}}}>"
    if name == "leaky_relu":
        return f"{NS}::LeakyReLU<{NS}::LeakyReLUConfig{{.negative_slope = {cpp_float(arg(1, 'negative_slope', 0.01))}}}>"
    if name == "silu":
        return f"{NS}::SiLU<>"
    if name == "sigmoid":
        return f"{NS}::Sigmoid<>"
    if name == "tanh":
        return f"{NS}::Tanh<>"
    raise AssertionError(name)


# ---- the exporter ---------------------------------------------------------------------------------

SUPPORTED = (
    "torch.nn: Linear, LayerNorm, BatchNorm1d, Embedding, Dropout, Identity, ReLU, GELU, ELU, LeakyReLU, SiLU, "
    "Sigmoid, Tanh, Sequential, ModuleList; torch_geometric.nn: TransformerConv, GINEConv, GPSConv (multihead), "
    "MLP, Linear, LayerNorm, BatchNorm, Sequential, global_add_pool / global_mean_pool / global_max_pool; "
    "ogb: AtomEncoder, BondEncoder; and torch.nn.Module subclasses built of these"
)


class Step:
    """One step of a Module's forward: `Call<"name">`, `CallItem<"list", i>` or `Apply<T>`."""

    def __init__(self, kind, target=None, apply_type=None, on_edges=False):
        self.kind, self.target, self.apply_type, self.on_edges = kind, target, apply_type, on_edges
        self.residual = False


class SlotUse:
    """How a forward uses one child slot (a field or a list item)."""

    def __init__(self):
        self.calls = 0
        self.residual_calls = 0
        self.edge_calls = 0
        self.info = {}


class Exporter:
    def __init__(self, model):
        self.model = model
        self.aliases = []        # (name, expr), in definition order
        self.alias_of = {}       # expr -> name
        self.includes = {"graphtx/nn/containers.hpp", "graphtx/nn/model.hpp"}
        self.uses_edge_attr = False
        self.edge_version = 0
        self.data_kinds = {}          # forward(self, data): what data.x, data.edge_index, ... are
        self.allow_flat_output = True
        self.flat_output = None       # the model's last op flattens y [R, 1] to [R]
        self.out_width = {}           # id(module) -> the width of its output in the example run

    # -- type names
    def alias(self, hint, expr):
        if expr in self.alias_of:
            return self.alias_of[expr]
        base = "".join(c if c.isalnum() else "_" for c in hint) or "part"
        if base[0].isdigit():
            base = "m_" + base
        name, k = base, 2
        used = {n for n, _ in self.aliases}
        while name in used:
            name, k = f"{base}_{k}", k + 1
        self.aliases.append((name, expr))
        self.alias_of[expr] = name
        return name

    def inc(self, *headers):
        self.includes.update(f"graphtx/nn/{h}.hpp" for h in headers)

    # -- leaves ---------------------------------------------------------------------------------
    def leaf_type(self, m, path, info):
        """The graphtx type of a module graphtx has, or None for a module to trace (a user module)."""
        from torch_geometric.nn import GINEConv, GPSConv, TransformerConv
        from torch_geometric.nn.dense.linear import Linear as PygLinear
        from torch_geometric.nn.norm import BatchNorm as PygBatchNorm
        from torch_geometric.nn.norm import LayerNorm as PygLayerNorm

        act = _act_type(m, path)
        if act is not None:
            self.inc("activation")
            return act
        if isinstance(m, tnn.Dropout):
            self.inc("dropout")
            return f"{NS}::Dropout<{NS}::DropoutConfig{{.p = {cpp_float(m.p)}}}>" if m.p else f"{NS}::Dropout<>"
        if isinstance(m, tnn.Identity):
            self.inc("mlp")
            return f"{NS}::Identity<>"
        if isinstance(m, PygLinear):
            return self.linear(m, path, m.in_channels, m.out_channels, m.bias is not None, pyg=True)
        if isinstance(m, tnn.Linear):
            return self.linear(m, path, m.in_features, m.out_features, m.bias is not None, pyg=False)
        if isinstance(m, tnn.LayerNorm):
            if len(m.normalized_shape) != 1:
                fail(path, m, f"LayerNorm over {tuple(m.normalized_shape)}", "graphtx normalises the last dimension only")
            if not m.elementwise_affine or m.bias is None:
                fail(path, m, "LayerNorm without elementwise_affine or bias", "graphtx's LayerNorm has weight and bias")
            self.inc("layer_norm")
            return f"{NS}::LayerNorm<{NS}::LayerNormConfig{{.features = {m.normalized_shape[0]}, .eps = {cpp_float(m.eps)}}}>"
        if isinstance(m, PygLayerNorm):
            if m.mode not in ("graph", "node"):
                fail(path, m, f"LayerNorm mode {m.mode!r}", "use mode 'graph' or 'node'")
            self.inc("graph_layer_norm")
            return (f"{NS}::PygLayerNorm<{NS}::PygLayerNormConfig{{.features = {m.in_channels}, .eps = {cpp_float(m.eps)}, "
                    f".affine = {cpp_bool(m.affine)}, .mode = {NS}::pyg_norm_mode::{m.mode}, "
                    f".batch = {cpp_bool(m.mode == 'graph' and self.norm_with_batch(info))}}}>")
        if isinstance(m, PygBatchNorm):
            return self.batch_norm(m.module, path + ".module", pyg=True)
        if isinstance(m, tnn.BatchNorm1d):
            return self.batch_norm(m, path, pyg=False)
        if isinstance(m, tnn.Embedding):
            if m.padding_idx is not None or m.max_norm is not None or m.sparse:
                fail(path, m, "Embedding with padding_idx, max_norm or sparse", "graphtx's Embedding is the plain table")
            self.inc("embedding")
            return f"{NS}::Embedding<{NS}::EmbeddingConfig{{.num_embeddings = {m.num_embeddings}, .dim = {m.embedding_dim}}}>"
        ogb = self.ogb_encoder(m, path)
        if ogb is not None:
            return ogb
        if isinstance(m, TransformerConv):
            return self.transformer_conv(m, path, info)
        if isinstance(m, GINEConv):
            return self.gine_conv(m, path)
        if isinstance(m, GPSConv):
            return self.gps_conv(m, path, info)
        if isinstance(m, pyg_nn.MLP):
            return self.mlp(m, path, info)
        if isinstance(m, tnn.MultiheadAttention):
            fail(path, m, "a MultiheadAttention called in a user forward (over dense batches)",
                 "graphtx runs it inside GPSConv only; use torch_geometric.nn.GPSConv")
        if isinstance(m, MessagePassing):
            fail(path, m, f"graphtx has no {type(m).__name__}",
                 "use a layer graphtx supports (TransformerConv, GINEConv, GPSConv), or add it to graphtx first")
        if isinstance(m, (tnn.ModuleDict, tnn.ParameterList, tnn.ParameterDict)):
            fail(path, m, f"a {type(m).__name__}", "use torch.nn.ModuleList or attributes")
        return None

    @staticmethod
    def norm_with_batch(info):
        """Whether PyG's forward of a graph-mode LayerNorm gets batch (a module never run: as GPSConv)."""
        return bool(info.get("batch", False)) if info.get("called", False) else True

    def linear(self, m, path, fin, fout, bias, pyg):
        if fin is None or fin < 0:
            fail(path, m, "a lazy Linear (in_channels = -1) that was never run", "run one forward before exporting")
        cfg = f"{NS}::LinearConfig{{.in = {fin}, .out = {fout}, .bias = {cpp_bool(bias)}}}"
        if pyg:
            self.inc("mlp")
            return f"{NS}::PygLinear<{cfg}>"
        self.inc("linear")
        return f"{NS}::Linear<{cfg}>"

    def batch_norm(self, m, path, pyg):
        if not m.track_running_stats or m.running_mean is None:
            fail(path, m, "BatchNorm without running statistics", "graphtx runs eval mode: track_running_stats=True")
        self.inc("batch_norm")
        cfg = (f"{NS}::BatchNormConfig{{.features = {m.num_features}, .eps = {cpp_float(m.eps)}, "
               f".affine = {cpp_bool(m.affine)}}}")
        return f"{NS}::PygBatchNorm<{cfg}>" if pyg else f"{NS}::BatchNorm1d<{cfg}>"

    def ogb_encoder(self, m, path):
        name = type(m).__name__
        if name not in ("AtomEncoder", "BondEncoder") or not type(m).__module__.startswith("ogb"):
            return None
        lst = m.atom_embedding_list if name == "AtomEncoder" else m.bond_embedding_list
        rows = [e.num_embeddings for e in lst]
        dims = {e.embedding_dim for e in lst}
        want = [119, 5, 12, 12, 10, 6, 6, 2, 2] if name == "AtomEncoder" else [5, 6, 2]
        if rows != want:
            fail(path, m, f"{name} tables of {rows} rows, graphtx's {name} has {want} "
                 "(ogb.utils.features of ogb 1.3)", "use that ogb version's encoder or an Embedding")
        if len(dims) != 1:
            fail(path, m, f"{name} with tables of different widths {sorted(dims)}", "use one emb_dim")
        self.inc("embedding")
        return f"{NS}::{name}<{dims.pop()}>"

    def transformer_conv(self, m, path, info):
        fin = m.in_channels
        if isinstance(fin, (tuple, list)):
            if fin[0] != fin[1]:
                fail(path, m, f"a bipartite TransformerConv (in_channels={tuple(fin)}) in a composition",
                     "a composition passes the same x as source and destination")
            fin = fin[0]
        if fin is None or fin < 0:
            fail(path, m, "a lazy TransformerConv (in_channels = -1)", "run one forward before exporting")
        edge_dim = m.edge_dim or 0
        if edge_dim and not info.get("edge", False) and info.get("called", True):
            fail(path, m, f"TransformerConv(edge_dim={edge_dim}) called without edge_attr",
                 "pass the edge features (PyG would not use lin_edge otherwise)")
        bias = m.lin_key.bias is not None
        self.inc("transformer_conv")
        cfg = (f"{NS}::TransformerConvConfig{{.in = {fin}, .out = {m.out_channels}, .heads = {m.heads}, "
               f".concat = {cpp_bool(m.concat)}, .beta = {cpp_bool(m.beta)}, .edge_dim = {edge_dim}, "
               f".bias = {cpp_bool(bias)}, .root_weight = {cpp_bool(m.root_weight)}, "
               f".attention = {NS}::attention_algorithm::automatic}}")
        return f"{NS}::TransformerConv<{cfg}>"

    def gine_conv(self, m, path):
        inner = self.chain_module(m.nn, path + ".nn")
        inner_name = self.alias(self.hint(path, "nn"), inner)
        train_eps = isinstance(m.eps, tnn.Parameter)
        edge_dim = m.lin.in_channels if m.lin is not None else 0
        self.inc("gine_conv")
        cfg = (f"{NS}::GineConfig{{.edge_dim = {edge_dim}, .train_eps = {cpp_bool(train_eps)}, "
               f".eps = {cpp_float(m.initial_eps)}}}")
        return f"{NS}::GINEConv<{inner_name}, {cfg}>"

    def gps_conv(self, m, path, info):
        from torch_geometric.nn.norm import BatchNorm as PygBatchNorm
        from torch_geometric.nn.norm import LayerNorm as PygLayerNorm
        if not isinstance(m.attn, tnn.MultiheadAttention):
            fail(path + ".attn", m.attn, f"GPSConv(attn_type={m.attn_type!r})", "graphtx has attn_type='multihead' only")
        a = m.attn
        if a.in_proj_bias is None or a.bias_k is not None or a.add_zero_attn or not a._qkv_same_embed_dim:
            fail(path + ".attn", a, "MultiheadAttention with bias=False, add_bias_kv, add_zero_attn or kdim/vdim",
                 "use GPSConv's own MultiheadAttention(channels, heads)")
        if info.get("called", True) and not info.get("batch", False):
            fail(path, m, "GPSConv called without batch (PyG then attends over the whole batch as one graph)",
                 "call it as conv(x, edge_index, batch, ...)")
        norm = m.norm1
        if norm is None:
            norm_kind = "none"
        elif isinstance(norm, PygBatchNorm):
            bn = norm.module
            if abs(bn.eps - 1e-5) > 1e-12 or not bn.affine or not bn.track_running_stats:
                fail(path + ".norm1", norm, "BatchNorm with eps != 1e-5, affine=False or no running stats",
                     "graphtx's GPSConv has PyG's default BatchNorm")
            norm_kind = "batch_norm"
        elif isinstance(norm, PygLayerNorm):
            if abs(norm.eps - 1e-5) > 1e-12 or not norm.affine or norm.mode != "graph":
                fail(path + ".norm1", norm, "LayerNorm with eps != 1e-5, affine=False or mode != 'graph'",
                     "graphtx's GPSConv has PyG's default LayerNorm")
            if not m.norm_with_batch:
                fail(path + ".norm1", norm, "LayerNorm called without batch", "unexpected PyG version")
            norm_kind = "layer_norm"
        else:
            fail(path + ".norm1", norm, "a GPSConv norm graphtx lacks", "use norm='batch_norm', 'layer_norm' or None")
        act_m = m.mlp[1]
        if isinstance(act_m, tnn.ReLU):
            act = "relu"
        elif isinstance(act_m, tnn.GELU) and act_m.approximate == "none":
            act = "gelu"
        else:
            fail(path + ".mlp.1", act_m, "a GPSConv activation graphtx lacks", "use act='relu' or 'gelu'")
        conv = "void"
        if m.conv is not None:
            cinfo = {"called": True, "edge": info.get("edge", False)}
            conv = self.alias(self.hint(path, "conv"), self.module_type(m.conv, path + ".conv", cinfo))
        self.inc("gps_conv")
        cfg = (f"{NS}::GpsConfig{{.channels = {m.channels}, .heads = {a.num_heads}, .norm = {NS}::gps_norm::{norm_kind}, "
               f".act = {NS}::gps_act::{act}, .dropout = {cpp_float(m.dropout)}}}")
        return f"{NS}::GPSConv<{conv}, {cfg}>"

    def mlp(self, m, path, info):
        from torch_geometric.nn.norm import BatchNorm as PygBatchNorm
        from torch_geometric.nn.norm import LayerNorm as PygLayerNorm
        ch = list(m.channel_list)
        if len(ch) > 8:
            fail(path, m, f"an MLP of {len(ch)} widths", "graphtx's MlpConfig holds up to 8 (7 layers)")
        if m.act_first:
            fail(path, m, "MLP(act_first=True)", "use act_first=False (the default)")
        acts = {tnn.ReLU: "relu", tnn.SiLU: "silu", tnn.Tanh: "tanh", tnn.Sigmoid: "sigmoid"}
        a = m.act
        if a is None:
            fail(path + ".act", None, "MLP(act=None)", "graphtx's MLP has an activation")
        if type(a) in acts:
            act = acts[type(a)]
        elif isinstance(a, tnn.GELU):
            act = "gelu_tanh" if a.approximate == "tanh" else "gelu"
        elif isinstance(a, tnn.ELU) and a.alpha == 1.0:
            act = "elu"
        elif isinstance(a, tnn.LeakyReLU) and abs(a.negative_slope - 0.01) < 1e-12:
            act = "leaky_relu"
        else:
            fail(path + ".act", a, "an MLP activation graphtx lacks (or non-default arguments)",
                 "use relu, gelu, silu, elu, leaky_relu, tanh or sigmoid with torch's defaults")
        norms = list(m.norms)
        eps = 1e-5
        if not norms or isinstance(norms[0], tnn.Identity):
            norm = "none"
        elif isinstance(norms[0], PygBatchNorm):
            norm, eps = "batch_norm", norms[0].module.eps
            if not norms[0].module.affine or not norms[0].module.track_running_stats:
                fail(path + ".norms.0", norms[0], "BatchNorm with affine=False or no running stats",
                     "use norm='batch_norm' with defaults")
        elif isinstance(norms[0], PygLayerNorm):
            norm, eps = "layer_norm", norms[0].eps
            if not norms[0].affine or norms[0].mode != "graph":
                fail(path + ".norms.0", norms[0], "LayerNorm with affine=False or mode != 'graph'",
                     "use norm='layer_norm' with defaults")
        else:
            fail(path + ".norms.0", norms[0], "an MLP norm graphtx lacks", "use 'batch_norm', 'layer_norm' or None")
        bias = m.lins[0].bias is not None
        norm_batch = bool(info.get("batch", False)) and norm == "layer_norm" and m.supports_norm_batch
        self.inc("mlp")
        cfg = (f"{NS}::MlpConfig{{.channels = {{{', '.join(str(c) for c in ch)}}}, .norm = {NS}::mlp_norm::{norm}, "
               f".act = {NS}::mlp_act::{act}, .plain_last = {cpp_bool(m.plain_last)}, .bias = {cpp_bool(bias)}, "
               f".norm_batch = {cpp_bool(norm_batch)}, .eps = {cpp_float(eps)}}}")
        return f"{NS}::MLP<{cfg}>"

    # -- composites -----------------------------------------------------------------------------
    @staticmethod
    def hint(path, leaf=None):
        p = path.replace(".", "_") if path else "net"
        return f"{p}_{leaf}" if leaf else p

    def module_type(self, m, path, info):
        """Any module called with the given info: a leaf, a Sequential, or a traced user module."""
        t = self.leaf_type(m, path, info)
        if t is not None:
            return t
        if type(m) is tnn.Sequential:
            return self.sequential(m, path)
        if isinstance(m, tnn.ModuleList):
            fail(path, m, "a ModuleList called as a function", "call its items")
        return self.alias(self.hint(path), self.user_module(m, path, info.get("arg_kinds"), info.get("kwarg_kinds")))

    def chain_module(self, m, path):
        """A module called with x only (GINEConv's nn, a Sequential entry)."""
        return self.module_type(m, path, {"called": True, "arg_kinds": [Val("node")]})

    def sequential(self, m, path):
        names = [n for n, _ in m.named_children()]
        if names != [str(i) for i in range(len(names))]:
            fail(path, m, "a Sequential with named entries", "graphtx's Sequential numbers its entries 0, 1, ...")
        entries = [self.chain_module(c, f"{path}.{n}" if path else n) for n, c in m.named_children()]
        return f"{NS}::Sequential<{', '.join(self.compress(entries))}>"

    @staticmethod
    def compress(slots):
        out, i = [], 0
        while i < len(slots):
            j = i
            while j < len(slots) and slots[j] == slots[i]:
                j += 1
            out.append(slots[i] if j - i == 1 else f"{NS}::Repeat<{j - i}, {slots[i]}>")
            i = j
        return out

    def unused_type(self, m, path):
        """A module that is built but never run: its type for the keys, wrapped in Unused."""
        if isinstance(m, (tnn.ModuleList, tnn.Sequential)):
            items = [self.unused_inner(c, f"{path}.{n}") for n, c in m.named_children()]
            return items
        return self.unused_inner(m, path)

    def unused_inner(self, m, path):
        t = self.leaf_type(m, path, {"called": False})
        if t is None:
            if type(m) is tnn.Sequential:
                t = self.sequential(m, path)
            elif isinstance(m, tnn.ModuleList):
                fail(path, m, "a nested ModuleList that is never run", "remove it")
            else:
                fields = [f"{NS}::Field<{cpp_str(n)}, {self.unused_inner(c, f'{path}.{n}')}>"
                          for n, c in m.named_children() if self.has_state(c) or self.leaf_type(c, path, {"called": False})]
                self.check_own_state(m, path)
                t = self.alias(self.hint(path), f"{NS}::Module<{cpp_str(type(m).__name__)}, {NS}::Forward<>"
                                                + "".join(", " + f for f in fields) + ">")
        return t

    @staticmethod
    def has_state(m):
        return any(True for _ in m.state_dict().keys())

    @staticmethod
    def check_own_state(m, path):
        own = [n for n, _ in m.named_parameters(recurse=False)] + [n for n, _ in m.named_buffers(recurse=False)]
        if own:
            fail(f"{path}.{own[0]}" if path else own[0], m,
                 f"a parameter or buffer held by a user module itself ({', '.join(own)})",
                 "hold it in a module graphtx supports (a Linear, an Embedding, ...)")

    # -- tracing a user module --------------------------------------------------------------------
    def trace(self, m, path, arg_kinds, kwarg_kinds=None):
        """fx graph of m.forward with the arguments the caller gives (kinds) and the others at their
        defaults; returns (graph, placeholder kinds)."""
        sig = inspect.signature(m.forward)
        params = list(sig.parameters.values())
        kinds = {}
        concrete = {}
        kwarg_kinds = kwarg_kinds or {}
        pos = list(arg_kinds)
        for p in params:
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                if pos and p.kind == p.VAR_POSITIONAL:
                    fail(path, m, "a forward(*args)", "name the forward's arguments")
                continue
            if pos:
                v = pos.pop(0)
            elif p.name in kwarg_kinds:
                v = kwarg_kinds[p.name]
            else:
                if p.default is inspect.Parameter.empty:
                    fail(path, m, f"forward argument {p.name!r} is not given",
                         "the exporter binds x, edge_index, edge_attr and batch by PyG's names; give the others defaults")
                concrete[p.name] = p.default
                continue
            if v.kind == "const":
                concrete[p.name] = v.value
            else:
                kinds[p.name] = v
        if pos:
            fail(path, m, "forward called with more arguments than it takes", "check the call")
        try:
            with _PatchPools(m):
                graph = _Tracer().trace(m, concrete_args=concrete or None)
        except torch.fx.proxy.TraceError as e:
            fail(path, m, f"its forward cannot be traced ({e}): a Python branch or loop on tensor values",
                 "make the control flow depend on Python values (attributes, argument presence) only")
        except ExportError:
            raise
        except Exception as e:  # noqa: BLE001  (fx raises many kinds)
            fail(path, m, f"its forward cannot be traced ({type(e).__name__}: {e})",
                 "make the forward a plain chain of module and function calls")
        return graph, kinds

    def user_module(self, m, path, arg_kinds, kwarg_kinds=None, top=False):
        """nn::Module<"Class", Forward<...>, Field<...>...> from m's trace."""
        self.check_own_state(m, path)
        graph, kinds = self.trace(m, path, [Val("node")] if arg_kinds is None else arg_kinds, kwarg_kinds)
        steps, uses = self.read_graph(m, path, graph, kinds)
        children = list(m.named_children())
        fields = []
        for name, child in children:
            cpath = f"{path}.{name}" if path else name
            fields.append(self.field(m, name, child, cpath, uses))
        fields = [f for f in fields if f is not None]
        fwd = []
        for s in steps:
            if s.kind == "apply":
                fwd.append(f"{NS}::Apply<{s.apply_type}>")
            elif "." in s.target:
                lst, idx = s.target.split(".", 1)
                if "." in idx:
                    fail(f"{path}.{s.target}" if path else s.target, None, "a call of an item of a nested list",
                         "call items of a ModuleList held directly by the module")
                self.inc("mlp")  # nn::CallItem
                fwd.append(f"{NS}::CallItem<{cpp_str(lst)}, {idx}>")
            else:
                fwd.append(f"{NS}::Call<{cpp_str(s.target)}>")
        body = [f"{NS}::Forward<{', '.join(fwd)}>"] + fields
        return f"{NS}::Module<{cpp_str(type(m).__name__)}, " + ", ".join(body) + ">"

    def field(self, parent, name, child, cpath, uses):
        if isinstance(child, (tnn.ModuleList, tnn.Sequential)) and any(k.startswith(name + ".") for k in uses):
            if name in uses:
                fail(cpath, child, "a list called whole and item by item", "call it one way")
            slots = []
            for iname, item in child.named_children():
                slots.append(self.slot(item, f"{cpath}.{iname}", uses.get(f"{name}.{iname}")))
            kind = "ModuleList" if isinstance(child, tnn.ModuleList) else "Sequential"
            if kind == "Sequential" and [n for n, _ in child.named_children()] != [str(i) for i in range(len(slots))]:
                fail(cpath, child, "a Sequential with named entries", "use a ModuleList or number the entries")
            return f"{NS}::Field<{cpp_str(name)}, {NS}::{kind}<{', '.join(self.compress(slots))}>>"
        if isinstance(child, tnn.ModuleList):
            if len(child) == 0:
                return None
            if name in uses:
                fail(cpath, child, "a ModuleList called as a function", "call its items")
            slots = [self.slot(item, f"{cpath}.{n}", None) for n, item in child.named_children()]
            return f"{NS}::Field<{cpp_str(name)}, {NS}::ModuleList<{', '.join(self.compress(slots))}>>"
        use = uses.get(name)
        if use is None and not self.has_state(child):
            try:
                t = self.unused_inner(child, cpath)
            except ExportError:
                return None  # a parameter-free module that is never run and graphtx lacks: left out
            return f"{NS}::Field<{cpp_str(name)}, {t}>"
        return f"{NS}::Field<{cpp_str(name)}, {self.slot(child, cpath, use)}>"

    def slot(self, m, path, use):
        if use is None:
            if isinstance(m, (tnn.ModuleList,)):
                fail(path, m, "a nested ModuleList", "flatten it")
            return f"{NS}::Unused<{self.unused_inner(m, path)}>"
        if use.residual_calls and use.residual_calls != use.calls:
            fail(path, m, "a module called both with and without a residual connection", "call it one way")
        if use.edge_calls and use.edge_calls != use.calls:
            fail(path, m, "a module applied both to node and to edge features", "use two modules")
        t = self.module_type(m, path, use.info)
        if use.edge_calls:
            self.uses_edge_attr = True
            return f"{NS}::OnEdges<{t}>"
        if use.residual_calls:
            return f"{NS}::Residual<{t}>"
        return t

    # -- reading one trace ----------------------------------------------------------------------
    def read_graph(self, m, path, graph, kinds):
        vals = {}
        steps = []
        uses = {}
        cur = None           # the fx node holding the current node features
        prev = None          # the value before the last step (for residuals)
        state = {"edge": None}
        for k, v in kinds.items():
            if v.kind == "edge":
                state["edge"] = v

        def here(node):
            t = node.target if isinstance(node.target, str) else getattr(node.target, "__name__", str(node.target))
            return f"{path}.{t}" if path and node.op == "call_module" else (f"{path}: {t}" if path else t)

        def val(a):
            if isinstance(a, torch.fx.Node):
                return vals[a]
            return Val("const", a)

        def take_x(node, a):
            """a must be the current node features."""
            nonlocal cur
            v = val(a)
            if v.kind not in ("node", "graph"):
                raise ExportError(f"{here(node)}: its input is {v.kind}, not the node features; the exporter "
                                  "follows one chain of node features (plus edge_index, edge_attr, batch)")
            if a is not cur:
                raise ExportError(f"{here(node)}: the forward branches (this call reads node features other than "
                                  "the latest: skip connections other than x + m(x), concatenations of layers, "
                                  "jumping knowledge); graphtx compositions are chains with x + m(x) residuals")
            return v

        def step_to(node, v, step):
            """node is the new current value; step None: an identity at inference (dropout, a cast),
            which leaves the value before the last step as it was (x + dropout(m(x)) is a residual)."""
            nonlocal cur, prev
            if step is not None:
                steps.append(step)
                prev = cur
            cur = node
            vals[node] = v

        for node in graph.nodes:
            if node.op == "placeholder":
                name = node.target.lstrip("*")
                v = kinds.get(name)
                if v is None:
                    v = Val("const", None)
                vals[node] = v
                if v.kind == "node" and cur is None:
                    cur = node
                continue
            if node.op == "get_attr":
                obj = m
                for part in node.target.split("."):
                    obj = getattr(obj, part)
                vals[node] = Val("const", obj)
                continue
            if node.op == "output":
                out = node.args[0]
                if not isinstance(out, torch.fx.Node) or out is not cur:
                    raise ExportError(f"{_where(path)} ({_qual(m)}): the forward returns something other than the "
                                      "latest node features (a tuple, an edge tensor, an earlier value); return one "
                                      "tensor")
                break
            args = node.args
            kwargs = dict(node.kwargs)
            if node.op == "call_module":
                target = node.target
                sub = m.get_submodule(target)
                v0 = val(args[0]) if args else None
                use = uses.setdefault(target, SlotUse())
                use.calls += 1
                if v0 is not None and v0.kind == "edge":
                    if state["edge"] is None or v0 is not state["edge"]:
                        raise ExportError(f"{here(node)}: applied to edge features other than the latest")
                    if len(args) > 1 or kwargs:
                        raise ExportError(f"{here(node)}: an edge encoder takes edge_attr only")
                    use.edge_calls += 1
                    self.edge_version += 1
                    nv = Val("edge", version=self.edge_version)
                    state["edge"] = nv
                    vals[node] = nv
                    steps.append(Step("call", target, on_edges=True))
                    continue
                xv = take_x(node, args[0] if args else None)
                info = self.call_info(sub, f"{path}.{target}" if path else target, node, args, kwargs, val, state)
                use.info = info
                out_kind = "graph" if xv.kind == "graph" else "node"
                step_to(node, Val(out_kind, width=self.out_width.get(id(sub))), Step("call", target))
                continue
            if node.op in ("call_function", "call_method"):
                fn = node.target
                name = fn if node.op == "call_method" else getattr(fn, "__name__", str(fn))
                if node.op == "call_function" and fn is getattr and val(args[0]).kind == "data":
                    attr = args[1]
                    v = self.data_kinds.get(attr)
                    if v is None:
                        raise ExportError(f"{_where(path)} ({_qual(m)}): reads data.{attr}; the exporter binds "
                                          f"data.x, data.edge_index, data.edge_attr and data.batch "
                                          f"({'not in the example batch' if attr in ('x', 'edge_index', 'edge_attr', 'batch') else 'only'})")
                    vals[node] = v
                    if v.kind == "node" and cur is None:
                        cur = node
                    if v.kind == "edge" and state["edge"] is None:
                        state["edge"] = v
                    continue
                if node.op == "call_method" and fn in ("squeeze", "view", "reshape", "flatten") and \
                        [u.op for u in node.users] == ["output"] and node.args[0] is cur and path == "" and \
                        self.allow_flat_output:
                    # `return self.head(x).squeeze(-1)` / `.view(-1)`: graphtx returns [rows, 1]
                    self.flat_output = vals[cur].kind
                    prev, cur = cur, node
                    vals[node] = Val(vals[prev].kind)
                    continue
                if node.op == "call_function" and getattr(fn, "__name__", "") == "_assert_is_none":
                    continue  # fx's guard for an argument traced at its default None
                # constants: attribute reads on constants (self.lin.weight.dtype)
                flat = []
                torch.fx.node.map_arg((args, kwargs), flat.append)  # every Node in the arguments, nested too
                if all(vals[a].kind == "const" for a in flat):
                    if node.op == "call_function" and fn is getattr:
                        vals[node] = Val("const", getattr(val(args[0]).value, args[1]))
                        continue
                    raise ExportError(f"{here(node)}: a computation on constants or parameters inside forward "
                                      f"({name}); graphtx only runs modules on the graph's tensors")
                pools = _pool_functions()
                if node.op == "call_function" and fn in pools:
                    xv = take_x(node, args[0])
                    b = args[1] if len(args) > 1 else kwargs.get("batch")
                    if b is None or val(b).kind != "batch":
                        raise ExportError(f"{here(node)}: {name} without the batch vector; pass batch (graphtx pools "
                                          "per graph of the batch)")
                    if xv.kind == "graph":
                        raise ExportError(f"{here(node)}: a second readout")
                    self.inc("pooling")
                    users = list(node.users)
                    if len(users) == 1 and users[0].op == "call_function" and users[0].target is torch.cat:
                        # one branch of torch.cat([pool_a(x, batch), pool_b(x, batch)], dim=-1)
                        vals[node] = Val("pool_branch", value=(args[0], pools[fn]), width=xv.width)
                        continue
                    step_to(node, Val("graph", width=xv.width), Step("apply", apply_type=f"{NS}::{pools[fn]}<>"))
                    continue
                if node.op == "call_function" and fn is torch.cat:
                    parts = args[0] if args else kwargs.get("tensors")
                    dim = args[1] if len(args) > 1 else kwargs.get("dim", 0)
                    branches = [vals.get(a) if isinstance(a, torch.fx.Node) else None for a in (parts or [])]
                    if not branches or any(b is None or b.kind != "pool_branch" or b.value[0] is not cur
                                           for b in branches) or dim not in (-1, 1):
                        raise ExportError(f"{here(node)}: torch.cat of anything but global pools of the latest node "
                                          "features (torch.cat([global_mean_pool(x, batch), global_max_pool(x, batch)], "
                                          "dim=-1)); graphtx compositions are chains (concatenated layer outputs, "
                                          "jumping knowledge and PE concatenations are not expressible)")
                    w = vals[cur].width
                    if w is None:
                        raise ExportError(f"{here(node)}: the width of the pooled features is not known")
                    self.inc("concat")
                    inner = ", ".join(f"{NS}::Apply<{NS}::{b.value[1]}<>>" for b in branches)
                    step_to(node, Val("graph", width=w * len(branches)),
                            Step("apply", apply_type=f"{NS}::Concat<{NS}::InWidth<{w}>, {inner}>"))
                    continue
                act = None
                if node.op == "call_function" and fn in _FUNCTIONAL_ACTS:
                    act = _FUNCTIONAL_ACTS[fn]
                elif node.op == "call_method" and fn in _METHOD_ACTS:
                    act = _METHOD_ACTS[fn]
                if act is not None:
                    xv = take_x(node, args[0])
                    self.inc("activation")
                    t = _functional_act_type(act, list(args[1:]), kwargs, path)
                    step_to(node, Val(xv.kind, width=xv.width), Step("apply", apply_type=t))
                    continue
                if node.op == "call_method" and fn in ("relu_", "sigmoid_", "tanh_", "add_", "mul_", "copy_", "clamp_"):
                    raise ExportError(f"{here(node)}: in-place {fn} on a tensor; write the out-of-place form")
                if node.op == "call_function" and fn is F.dropout:
                    xv = take_x(node, args[0])
                    p = args[1] if len(args) > 1 else kwargs.get("p", 0.5)
                    training = args[2] if len(args) > 2 else kwargs.get("training", True)
                    if training and p:
                        raise ExportError(f"{here(node)}: F.dropout(p={p}) with training=True drops features even in "
                                          "eval mode; pass training=self.training")
                    step_to(node, Val(xv.kind, width=xv.width), None)  # the identity at inference
                    continue
                if (node.op == "call_method" and fn in ("to", "float", "type")) or \
                        (node.op == "call_function" and fn is torch.Tensor.float):
                    xv = take_x(node, args[0])
                    target = torch.float32 if fn == "float" else (val(args[1]).value if len(args) > 1 else kwargs.get("dtype"))
                    if isinstance(target, torch.fx.Node):
                        target = val(target).value
                    if target is not torch.float32:
                        raise ExportError(f"{here(node)}: a cast of the node features to {target}; graphtx runs "
                                          "float32 (integer x is read as float where the first layer takes float)")
                    step_to(node, Val(xv.kind, width=xv.width), None)  # graphtx's float features are float already
                    continue
                if node.op == "call_method" and fn in ("squeeze", "view", "reshape", "flatten"):
                    xv = take_x(node, args[0])
                    users = list(node.users)
                    ok = len(users) == 1 and users[0].op == "call_module" and \
                        isinstance(m.get_submodule(users[0].target), tnn.Embedding) and users[0].args[0] is node
                    if not ok:
                        raise ExportError(f"{here(node)}: x.{fn}(...) reshapes the features; graphtx keeps [rows, F] "
                                          "(only x.squeeze(-1) right before an Embedding is understood)")
                    step_to(node, Val(xv.kind), None)  # Embedding takes [N, 1]
                    continue
                if node.op == "call_function" and fn in (operator.add, torch.add) or \
                        (node.op == "call_method" and fn == "add"):
                    if len(args) != 2 or kwargs:
                        raise ExportError(f"{here(node)}: an addition other than x + m(x)")
                    a, b = args
                    if not (isinstance(a, torch.fx.Node) and isinstance(b, torch.fx.Node)) or cur not in (a, b) or \
                            prev not in (a, b) or a is b or not steps or steps[-1].on_edges:
                        raise ExportError(f"{here(node)}: an addition other than x + m(x) right after m (residuals "
                                          "over more than one call: wrap them in a module of their own)")
                    last = steps[-1]
                    if last.kind == "apply":
                        last.apply_type = f"{NS}::Residual<{last.apply_type}>"
                    else:
                        uses[last.target].residual_calls += 1
                        if uses[last.target].residual_calls != uses[last.target].calls:
                            raise ExportError(f"{here(node)}: a residual around a module called elsewhere without one")
                    last.residual = True
                    cur_val = vals[cur]
                    # the residual's value replaces both
                    prev, cur = None, node
                    vals[node] = Val(cur_val.kind, width=cur_val.width)
                    continue
                if node.op == "call_function" and fn is getattr:
                    raise ExportError(f"{here(node)}: reads .{args[1]} of a traced tensor; graphtx needs the forward "
                                      "to use the tensors only through modules and supported functions")
                if node.op == "call_method" and fn.endswith("_"):
                    raise ExportError(f"{here(node)}: in-place {fn} on a tensor; write the out-of-place form")
                raise ExportError(f"{here(node)}: graphtx has no mapping for {node.op} {name!r}; supported: {SUPPORTED}")
            raise ExportError(f"{here(node)}: unexpected fx node {node.op}")
        return steps, uses

    def call_info(self, sub, spath, node, args, kwargs, val, state):
        """What the call passes besides x: edge_index, edge features, batch (checked against the kinds)."""
        info = {"called": True}
        rest = [val(a) for a in args[1:]]
        kw = {k: val(v) for k, v in kwargs.items()}
        named = list(rest) + list(kw.values())
        for v in named:
            if v.kind == "edge":
                if v is not state["edge"]:
                    raise ExportError(f"{spath}: uses edge features other than the latest (an encoder ran since)")
                info["edge"] = True
                self.uses_edge_attr = True
            elif v.kind == "batch":
                info["batch"] = True
                info["with_batch"] = True
            elif v.kind in ("node", "graph"):
                raise ExportError(f"{spath}: takes a second node-feature tensor (bipartite or skip input); a "
                                  "composition passes one x")
            elif v.kind == "const" and v.value not in (None, False):
                if isinstance(sub, MessagePassing) or type(sub).__module__.startswith("torch_geometric"):
                    if "return_attention_weights" in kwargs and v.value:
                        raise ExportError(f"{spath}: return_attention_weights; call it without")
                    raise ExportError(f"{spath}: called with the constant argument {v.value!r}; graphtx calls it "
                                      "with the graph's tensors only")
        if "return_attention_weights" in kwargs and kw["return_attention_weights"].value:
            raise ExportError(f"{spath}: return_attention_weights; call it without")
        # user modules get the kinds to trace with
        info["arg_kinds"] = [val(args[0])] + rest
        info["kwarg_kinds"] = kw
        return info

