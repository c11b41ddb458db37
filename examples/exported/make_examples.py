#!/usr/bin/env python3
"""Regenerates the exported examples in this folder with the exporter (tools/export):

    python examples/exported/make_examples.py          # torch + torch_geometric (+ ogb) installed

- gps_molecule/: an OGB-molecule GPS model (AtomEncoder/BondEncoder(16), 2 x GPSConv(16,
  GINEConv(Sequential(Linear, ReLU, Linear)), heads=2), global_add_pool, MLP([16, 8, 1])) on 8
  molecule-like graphs with int64 atom and bond features;
- edge_transformer/: TransformerConv blocks with float edge features and beta gates (6 -> 16 -> 16 ->
  16, residuals after the first), global_max_pool, a Linear-GELU-Linear head, on 6 graphs.

Each folder gets model.hpp (exported_models::GPSMolecule / exported_models::EdgeTransformer),
model.safetensors and check.safetensors, written by graphtx_export.export with fixed seeds, so a
re-run reproduces the files byte for byte (same torch / PyG versions)."""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tools", "export"))
sys.path.insert(0, os.path.join(REPO, "tools", "export", "tests"))

import graphtx_export  # noqa: E402
import models  # noqa: E402  (tools/export/tests/models.py: the PyG model families)

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)


def main():
    torch.manual_seed(301)
    gps = models.randomize(models.GPSMolecule(hidden=16, layers=2, heads=2), seed=302)
    batch = models.molecule_batch(sizes=(9, 1, 14, 6, 11, 5, 8, 12), seed=303)
    r = graphtx_export.export(gps, batch, os.path.join(HERE, "gps_molecule"), name="GPSMolecule",
                              namespace="exported_models")
    print(r["header"], r["type"], "y", list(r["y"].shape))

    torch.manual_seed(311)
    et = models.randomize(models.EdgeTransformer(in_dim=6, edge_dim=3, hidden=16, heads=2, layers=3), seed=312)
    batch = models.molecule_batch(sizes=(6, 1, 5, 8, 3, 4), seed=313, int_features=False)
    r = graphtx_export.export(et, batch, os.path.join(HERE, "edge_transformer"), name="EdgeTransformer",
                              namespace="exported_models")
    print(r["header"], r["type"], "y", list(r["y"].shape))


if __name__ == "__main__":
    main()
