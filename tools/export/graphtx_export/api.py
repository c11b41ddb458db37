"""graphtx_export.export(): model.safetensors, model.hpp and check.safetensors from a PyG model."""
import copy
import inspect
import keyword
import os
import re
import shutil
import tempfile

import torch

from . import __version__
from .core import NS, ExportError, Exporter, Val, fail
from .safetensors_io import save_file

PYG_ARGS = ("x", "edge_index", "edge_attr", "batch")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CPP_KEYWORDS = {"namespace", "class", "struct", "template", "using", "int", "float", "double", "new", "delete",
                 "public", "private", "protected", "operator", "default", "static", "const", "auto", "void"}


def _check_ident(what, s, allow_scope=False):
    parts = s.split("::") if allow_scope else [s]
    for p in parts:
        if not _IDENT.match(p) or p in _CPP_KEYWORDS:
            raise ExportError(f"{what} {s!r} is not a C++ identifier{' (parts joined by ::)' if allow_scope else ''}")


def batch_tensors(batch):
    """x, edge_index, edge_attr (or None), batch of a PyG Data/Batch (batch zeros for one graph)."""
    x = getattr(batch, "x", None)
    ei = getattr(batch, "edge_index", None)
    if x is None or ei is None:
        raise ExportError("the example batch has no x or edge_index; give a torch_geometric Data or Batch")
    b = getattr(batch, "batch", None)
    if b is None:
        b = torch.zeros(x.shape[0], dtype=torch.long)
    return {"x": x, "edge_index": ei, "edge_attr": getattr(batch, "edge_attr", None), "batch": b}


def data_argument(model):
    """The name of forward's one argument when it takes the whole Data/Batch (`forward(self, data)`)."""
    params = [p for p in inspect.signature(model.forward).parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.default is inspect.Parameter.empty]
    if len(params) == 1 and params[0].name not in PYG_ARGS:
        return params[0].name
    return None


def bind_forward(model, tensors):
    """The keyword arguments of model.forward from the batch, by PyG's names."""
    sig = inspect.signature(model.forward)
    kwargs = {}
    for p in sig.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.name in PYG_ARGS:
            if tensors[p.name] is None:
                if p.default is inspect.Parameter.empty:
                    raise ExportError(f"<model> ({type(model).__qualname__}): forward takes {p.name!r} but the batch "
                                      f"has none; give an example batch with {p.name}")
                continue
            kwargs[p.name] = tensors[p.name]
        elif p.default is inspect.Parameter.empty:
            raise ExportError(f"<model> ({type(model).__qualname__}): forward argument {p.name!r} has no PyG name "
                              f"the exporter can bind ({', '.join(PYG_ARGS)}) and no default; rename it or give it "
                              "a default")
    return kwargs


def _f64(kwargs):
    def f(v):
        if torch.is_tensor(v):
            return v.double() if v.is_floating_point() else v
        if hasattr(v, "apply") and hasattr(v, "clone"):  # a Data / Batch
            return v.clone().apply(lambda t: t.double() if t.is_floating_point() else t)
        return v
    return {k: f(v) for k, v in kwargs.items()}


def _as_2d(t, what):
    if t.dim() == 1:
        return t.unsqueeze(-1)
    if t.dim() != 2:
        raise ExportError(f"the batch's {what} has shape {tuple(t.shape)}; graphtx reads [rows, features]")
    return t


def export(model, batch, out_dir, name="Model", namespace="graphtx_exported"):
    """Writes out_dir/model.safetensors, out_dir/model.hpp and out_dir/check.safetensors.

    model: a torch.nn.Module in eval mode; batch: one example torch_geometric Data/Batch whose x,
    edge_index, edge_attr and batch are bound to model.forward's arguments of those names. `name` is
    the C++ type (in `namespace`) of the composition: run it as graphtx::nn::Model<namespace::name>.
    Raises ExportError (naming the module path) for anything graphtx cannot express; nothing is
    written then. Returns a dict with the paths, the C++ type and PyG's y."""
    _check_ident("name", name)
    _check_ident("namespace", namespace, allow_scope=True)
    if not isinstance(model, torch.nn.Module):
        raise ExportError(f"model is a {type(model).__name__}, not a torch.nn.Module")
    if model.training:
        raise ExportError("<model>: in training mode; call model.eval() before exporting (graphtx runs inference)")
    for k, v in model.state_dict().items():
        if v.is_floating_point() and v.dtype != torch.float32:
            raise ExportError(f"{k}: {v.dtype}; graphtx loads float32 weights (model.float() before exporting)")
    tensors = batch_tensors(batch)
    data_arg = data_argument(model)
    kwargs = {data_arg: batch} if data_arg else bind_forward(model, tensors)

    ex = Exporter(model)
    x = tensors["x"]
    # the example run first: PyG's y, and each module's output width (for widths fx cannot see)
    hooks = []

    def record(mod, _inputs, out):
        if torch.is_tensor(out) and out.dim() >= 1:
            ex.out_width[id(mod)] = int(out.shape[-1])
    for mod in model.modules():
        hooks.append(mod.register_forward_hook(record))
    try:
        with torch.no_grad():
            y = model(**kwargs)
    finally:
        for h in hooks:
            h.remove()
    with torch.no_grad():
        y64 = copy.deepcopy(model).double()(**_f64(kwargs))
    kinds = {"x": Val("node", dtype=x.dtype, width=int(x.shape[1]) if x.dim() == 2 else 1),
             "edge_index": Val("edge_index"), "batch": Val("batch")}
    if tensors["edge_attr"] is not None:
        kinds["edge_attr"] = Val("edge", version=0)
    if data_arg:
        ex.data_kinds = kinds
        kinds = {data_arg: Val("data")}
    else:
        kinds = {k: v for k, v in kinds.items() if k in kwargs}
    if "x" not in kinds and not data_arg:
        raise ExportError(f"<model> ({type(model).__qualname__}): forward takes no argument named x")
    top = ex.leaf_type(model, "", {"called": True, "batch": "batch" in kwargs, "edge": "edge_attr" in kwargs})
    if top is None:
        if type(model) is torch.nn.Sequential:
            top = ex.sequential(model, "")
        else:
            top = ex.user_module(model, "", [], kinds, top=True)
    elif "edge_attr" in kwargs:
        ex.uses_edge_attr = True
    elif data_arg:
        raise ExportError(f"<model> ({type(model).__qualname__}): a supported module taking the whole batch")

    if ex.flat_output is not None and torch.is_tensor(y) and y.dim() == 1:
        y, y64 = y.unsqueeze(-1), y64.unsqueeze(-1)  # graphtx keeps [rows, 1]
        b = tensors["batch"]
        rows = (int(b.max()) + 1 if b.numel() else 0) if ex.flat_output == "graph" else x.shape[0]
        if y.shape[0] != rows:
            raise ExportError(f"<model> ({type(model).__qualname__}): its last op flattens an output of more than "
                              "one column; return [rows, features] (squeeze(-1) of [rows, 1] is understood)")
    if not torch.is_tensor(y) or not y.is_floating_point() or y.dim() != 2:
        raise ExportError(f"<model>: forward returned {type(y).__name__} {tuple(getattr(y, 'shape', ()))}; graphtx "
                          "models return one float tensor [rows, features]")

    header = render_header(ex, top, name, namespace, model, x)
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    check = {
        "x": _as_2d(x, "x").contiguous(),
        "edge_index": tensors["edge_index"].to(torch.long).contiguous(),
        "batch": tensors["batch"].to(torch.long).contiguous(),
        "y": y.detach().float().contiguous(),
        "y_f64": y64.detach().double().contiguous(),
    }
    if check["x"].is_floating_point():
        check["x"] = check["x"].float()
    if ex.uses_edge_attr and tensors["edge_attr"] is not None:
        ea = _as_2d(tensors["edge_attr"], "edge_attr")
        check["edge_attr"] = (ea.float() if ea.is_floating_point() else ea.long()).contiguous()

    os.makedirs(out_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".graphtx_export.", dir=out_dir)
    try:
        meta = {"graphtx_export": __version__, "class": f"{type(model).__module__}.{type(model).__qualname__}"}
        save_file(state, os.path.join(tmp, "model.safetensors"))
        save_file(check, os.path.join(tmp, "check.safetensors"), metadata=meta)
        with open(os.path.join(tmp, "model.hpp"), "w") as f:
            f.write(header)
        for fn in ("model.safetensors", "check.safetensors", "model.hpp"):
            os.replace(os.path.join(tmp, fn), os.path.join(out_dir, fn))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"header": os.path.join(out_dir, "model.hpp"), "weights": os.path.join(out_dir, "model.safetensors"),
            "check": os.path.join(out_dir, "check.safetensors"), "type": f"{namespace}::{name}", "y": y}


def _split_top(args):
    """args split at the commas outside <>, {}, () and string literals."""
    parts, depth, start, quote = [], 0, 0, False
    for i, c in enumerate(args):
        if c == '"':
            quote = not quote
        elif quote:
            continue
        elif c in "<{(":
            depth += 1
        elif c in ">})":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(args[start:i].strip())
            start = i + 1
    parts.append(args[start:].strip())
    return parts


def _pretty(expr, indent="    "):
    """A long composition as one item per line: the arguments of Module, Forward, Sequential and
    ModuleList, and a long Field's module on the line after its name; leaves stay on one line."""
    if len(expr) + len(indent) <= 110 or not expr.endswith(">"):
        return expr
    i = expr.index("<")
    head = expr[:i]
    parts = _split_top(expr[i + 1:-1])
    if head.endswith("::Field") and len(parts) == 2:
        return f"{head}<{parts[0]},\n{indent}{_pretty(parts[1], indent + '    ')}>"
    if not head.endswith(("::Module", "::Forward", "::Sequential", "::ModuleList")) or len(parts) < 2:
        return expr
    return expr[:i + 1] + "\n" + ",\n".join(indent + _pretty(p, indent + "    ") for p in parts) + ">"


def render_header(ex, top, name, namespace, model, x):
    parts = f"{name}_parts"
    nparams = sum(p.numel() for p in model.parameters())
    cls = f"{type(model).__module__}.{type(model).__qualname__}"
    import torch_geometric
    lines = [
        "#pragma once",
        f"/// \\file",
        f"/// \\brief {namespace}::{name}: {cls} as a graphtx composition.",
        f"/// Generated by graphtx_export {__version__} (torch {torch.__version__}, torch_geometric "
        f"{torch_geometric.__version__}); do not edit, export again.",
        "///",
        f"///     auto model = graphtx::nn::Model<{namespace}::{name}>::load(\"model.safetensors\");   // PyG's state_dict",
        "///     auto y = model.forward(graphtx::io::read_batch(\"graph.safetensors\"));",
        "",
    ]
    lines += [f"#include <{h}>" for h in sorted(ex.includes)]
    lines += ["", f"namespace {namespace} {{", "", f"namespace {parts} {{", f"namespace {NS} = graphtx::nn;", ""]
    for alias, expr in ex.aliases:
        lines.append(f"using {alias} = {_pretty(expr)};")
    lines.append(f"using Net = {_pretty(top)};")
    lines += [f"}}  // namespace {parts}", "",
              f"/// {cls}: run as graphtx::nn::Model<{name}> (graphtx::nn::Model<{name}, graphtx::cuda> in a .cu file).",
              f"using {name} = {parts}::Net;", "",
              f"static_assert({name}::parameter_count == {nparams}, \"{name}: PyG's parameter count\");"]
    if x.dim() == 2:
        lines.append(f"static_assert({name}::in_width == {x.shape[1]} || {name}::in_width == graphtx::nn::any_width, "
                     f"\"{name}: the width of x\");")
    lines += ["", f"}}  // namespace {namespace}", ""]
    return "\n".join(lines)
