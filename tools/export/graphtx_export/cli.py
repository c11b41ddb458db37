"""python -m graphtx_export --model-module PKG.MOD:FACTORY --batch BATCH.pt --out DIR --name Name [--namespace ns]

FACTORY is a callable returning the model (built and trained, or with --weights a state_dict to load
into it); --batch is a file of one torch_geometric Data/Batch saved with torch.save (loaded with
weights_only=False: only load files you made), or PKG.MOD:FUNCTION returning one. Exit 0 on success,
1 with one line on stderr naming the module when the model cannot be exported."""
import argparse
import importlib
import sys

import torch

from . import ExportError, export


def _resolve(spec, what):
    if ":" not in spec:
        raise SystemExit(f"graphtx_export: {what} {spec!r} must be MODULE:ATTRIBUTE")
    mod, attr = spec.split(":", 1)
    sys.path.insert(0, ".")
    obj = importlib.import_module(mod)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m graphtx_export", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-module", required=True, metavar="MODULE:FACTORY",
                    help="a callable returning the torch.nn.Module (called without arguments)")
    ap.add_argument("--weights", help="a state_dict to load into the model (.safetensors, or .pt via torch.load)")
    ap.add_argument("--batch", required=True, metavar="FILE.pt | MODULE:FUNCTION",
                    help="the example batch: torch.save'd Data/Batch, or a callable returning one")
    ap.add_argument("--out", required=True, metavar="DIR", help="writes DIR/model.hpp, model.safetensors, check.safetensors")
    ap.add_argument("--name", default="Model", help="the C++ type name (default Model)")
    ap.add_argument("--namespace", default="graphtx_exported", help="its C++ namespace (default graphtx_exported)")
    a = ap.parse_args(argv)
    try:
        model = _resolve(a.model_module, "--model-module")()
        if a.weights:
            if a.weights.endswith(".safetensors"):
                from .safetensors_io import load_file
                sd = load_file(a.weights)
            else:
                sd = torch.load(a.weights, map_location="cpu", weights_only=True)
            model.load_state_dict(sd, strict=True)
        model.eval()
        if ":" in a.batch and not a.batch.endswith(".pt"):
            batch = _resolve(a.batch, "--batch")()
        else:
            batch = torch.load(a.batch, map_location="cpu", weights_only=False)
        res = export(model, batch, a.out, name=a.name, namespace=a.namespace)
    except ExportError as e:
        print(f"graphtx_export: {e}", file=sys.stderr)
        return 1
    print(f"graphtx_export: wrote {res['header']} ({res['type']}), {res['weights']}, {res['check']} "
          f"(y {list(res['y'].shape)})")
    return 0
