"""graphtx_export: a trained PyTorch Geometric model -> a graphtx C++ composition.

    import graphtx_export
    graphtx_export.export(model.eval(), data, "out/", name="MyNet", namespace="my_models")

writes out/model.safetensors (the state_dict, PyG's names), out/model.hpp (the C++ type
my_models::MyNet, including only graphtx headers) and out/check.safetensors (the batch, PyG's y and
a float64 run y_f64). Command line: python -m graphtx_export --help."""
__version__ = "0.1.0"

from .core import SUPPORTED, ExportError  # noqa: E402
from .api import export  # noqa: E402

__all__ = ["export", "ExportError", "SUPPORTED", "__version__"]
