"""Tests of graphtx_export with real torch + PyG (unittest):

    python -m unittest discover -s tools/export/tests -v          # from the repository root

- every supported module and function maps (the header holds the expected graphtx type),
- unsupported models are refused with ExportError naming the module path and writing nothing,
- each model family is exported, its header compiled with g++ -std=c++20 -I include, its weights
  loaded strictly into the exported type and its y compared with PyG's (rtol 1e-4, atol 1e-5) by
  check_export.cpp. The compile tests need g++ (or $CXX) and OpenBLAS; without a compiler they are
  skipped (reported as skipped). GRAPHTX_EXPORT_BUILD names the build folder (default: a temp dir)."""
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
try:
    import graphtx_export  # installed with pip install ./tools/export
except ImportError:  # run from the source tree
    sys.path.insert(0, os.path.join(HERE, ".."))
    import graphtx_export

import models as M  # noqa: E402
import torch_geometric.nn as pyg  # noqa: E402
from graphtx_export import ExportError  # noqa: E402
from graphtx_export.safetensors_io import load_file  # noqa: E402

torch.set_num_threads(1)
CXX = os.environ.get("CXX", "g++")
HAVE_CXX = shutil.which(CXX) is not None
HAVE_OGB = importlib.util.find_spec("ogb") is not None  # AtomEncoder / BondEncoder (the exporter needs no ogb)
needs_ogb = unittest.skipUnless(HAVE_OGB, "ogb is not installed (AtomEncoder / BondEncoder models)")


def flat(header):
    """The header with the pretty-printer's line breaks undone (one type per line)."""
    return re.sub(r",\n\s*", ", ", re.sub(r"<\n\s*", "<", header))


def export(model, batch, out, name="Net", namespace="t"):
    return graphtx_export.export(M.randomize(model), batch, out, name=name, namespace=namespace)


class Tmp(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="graphtx_export_test.")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def header(self, model, batch=None, **kw):
        batch = batch if batch is not None else M.molecule_batch(int_features=False)
        r = export(model, batch, self.dir, **kw)
        with open(r["header"]) as f:
            return flat(f.read())


# ---------------------------------------------------------------- mapping of single modules
class OneLayer(nn.Module):
    """x -> layer(x) -> (optional pool) for one module under test."""

    def __init__(self, layer, pool=False, with_batch=False):
        super().__init__()
        self.layer = layer
        self.pool = pool
        self.with_batch = with_batch

    def forward(self, x, edge_index, batch):
        x = self.layer(x, batch) if self.with_batch else self.layer(x)
        return global_mean_pool_(x, batch) if self.pool else x


def global_mean_pool_(x, batch):
    from torch_geometric.nn import global_mean_pool
    return global_mean_pool(x, batch)


class Pool(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn
        self.lin = nn.Linear(6, 2)

    def forward(self, x, edge_index, batch):
        return self.lin(getattr(pyg, self.fn)(x, batch))


class FunctionalNet(nn.Module):
    """Every function the exporter maps, on float node features."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(6, 8)

    def forward(self, x, edge_index, batch):
        x = self.lin(x)
        x = F.relu(x)
        x = x + torch.relu(x)
        x = F.gelu(x, approximate="tanh")
        x = F.elu(x, alpha=0.7)
        x = F.leaky_relu(x, 0.1)
        x = F.silu(x)
        x = torch.tanh(x)
        x = x.sigmoid()
        x = F.dropout(x, p=0.5, training=self.training)
        x = torch.sigmoid(x)
        return pyg.global_max_pool(x, batch)


class TestMapping(Tmp):
    def test_leaf_modules(self):
        from torch_geometric.nn.dense.linear import Linear as PygLinear
        cases = [
            (nn.Linear(6, 5, bias=False), "nn::Linear<nn::LinearConfig{.in = 6, .out = 5, .bias = false}>"),
            (PygLinear(6, 5), "nn::PygLinear<nn::LinearConfig{.in = 6, .out = 5, .bias = true}>"),
            (nn.LayerNorm(6, eps=1e-6), "nn::LayerNorm<nn::LayerNormConfig{.features = 6, .eps = 1e-06f}>"),
            (nn.BatchNorm1d(6, eps=1e-3), "nn::BatchNorm1d<nn::BatchNormConfig{.features = 6, .eps = 0.001f, .affine = true}>"),
            (pyg.BatchNorm(6), "nn::PygBatchNorm<nn::BatchNormConfig{.features = 6, .eps = 1e-05f, .affine = true}>"),
            (pyg.LayerNorm(6, mode="node"), ".mode = nn::pyg_norm_mode::node, .batch = false"),
            (nn.Dropout(0.25), "nn::Dropout<nn::DropoutConfig{.p = 0.25f}>"),
            (nn.Identity(), "nn::Identity<>"),
            (nn.ReLU(), "nn::ReLU<>"),
            (nn.GELU(approximate="tanh"), "nn::GELU<nn::gelu_approximate::tanh>"),
            (nn.ELU(alpha=0.5), "nn::ELU<nn::EluConfig{.alpha = 0.5f}>"),
            (nn.LeakyReLU(0.2), "nn::LeakyReLU<nn::LeakyReLUConfig{.negative_slope = 0.2f}>"),
            (nn.SiLU(), "nn::SiLU<>"),
            (nn.Sigmoid(), "nn::Sigmoid<>"),
            (nn.Tanh(), "nn::Tanh<>"),
            (pyg.MLP([6, 12, 3], norm="layer_norm", act="gelu"),
             "nn::MLP<nn::MlpConfig{.channels = {6, 12, 3}, .norm = nn::mlp_norm::layer_norm, .act = nn::mlp_act::gelu, "
             ".plain_last = true, .bias = true, .norm_batch = false, .eps = 1e-05f}>"),
            (nn.Sequential(nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 6), nn.ReLU()),
             "nn::Sequential<nn::Repeat<2, nn::Linear<nn::LinearConfig{.in = 6, .out = 6, .bias = true}>, nn::ReLU<>>>"
             if False else "nn::Sequential<nn::Linear<nn::LinearConfig{.in = 6, .out = 6, .bias = true}>, nn::ReLU<>, "
             "nn::Linear<nn::LinearConfig{.in = 6, .out = 6, .bias = true}>, nn::ReLU<>>"),
        ]
        for layer, want in cases:
            with self.subTest(layer=repr(layer)):
                self.assertIn(want, self.header(OneLayer(layer)))

    def test_graph_layer_norm_with_and_without_batch(self):
        h = self.header(OneLayer(pyg.LayerNorm(6), with_batch=True))
        self.assertIn(".mode = nn::pyg_norm_mode::graph, .batch = true", h)
        h = self.header(OneLayer(pyg.LayerNorm(6)))
        self.assertIn(".mode = nn::pyg_norm_mode::graph, .batch = false", h)
        h = self.header(OneLayer(pyg.MLP([6, 4, 2], norm="layer_norm"), with_batch=True))
        self.assertIn(".norm_batch = true", h)

    def test_functions(self):
        h = self.header(FunctionalNet())
        for want in ["nn::Apply<nn::ReLU<>>", "nn::Apply<nn::Residual<nn::ReLU<>>>",
                     "nn::Apply<nn::GELU<nn::gelu_approximate::tanh>>", "nn::Apply<nn::ELU<nn::EluConfig{.alpha = 0.7f}>>",
                     "nn::Apply<nn::LeakyReLU<nn::LeakyReLUConfig{.negative_slope = 0.1f}>>", "nn::Apply<nn::SiLU<>>",
                     "nn::Apply<nn::Tanh<>>", "nn::Apply<nn::Sigmoid<>>", "nn::Apply<nn::GlobalMaxPool<>>"]:
            self.assertIn(want, h)
        self.assertNotIn("Dropout", h)  # F.dropout(training=self.training): the identity in eval

    def test_concat_of_pools(self):
        self.assertIn("nn::Apply<nn::Concat<nn::InWidth<8>, nn::Apply<nn::GlobalMeanPool<>>, "
                      "nn::Apply<nn::GlobalMaxPool<>>>>", self.header(M.TwoPools()))

    def test_residual_through_dropout(self):
        self.assertIn('nn::Field<"conv", nn::Residual<nn::TransformerConv<', self.header(DropoutResidual()))

    def test_pools(self):
        for fn, want in [("global_add_pool", "GlobalAddPool"), ("global_mean_pool", "GlobalMeanPool"),
                         ("global_max_pool", "GlobalMaxPool")]:
            with self.subTest(pool=want):
                self.assertIn(f"nn::Apply<nn::{want}<>>", self.header(Pool(fn)))

    def test_convs_and_encoders(self):
        h = self.header(M.EdgeTransformer())
        self.assertIn("nn::TransformerConvConfig{.in = 6, .out = 8, .heads = 2, .concat = true, .beta = true, "
                      ".edge_dim = 3, .bias = true, .root_weight = true", h)
        self.assertIn("nn::Residual<blocks_1>", h)
        self.assertIn("nn::Apply<nn::GlobalMaxPool<>>", h)
        h = self.header(M.GPS(), M.zinc_batch())
        self.assertIn("nn::Field<\"edge_emb\", nn::OnEdges<nn::Embedding<nn::EmbeddingConfig{.num_embeddings = 4, "
                      ".dim = 16}>>>", h)
        h = self.header(M.NodeTransformer())
        self.assertIn("nn::OnEdges<nn::Linear<nn::LinearConfig{.in = 3, .out = 4", h)
        self.assertNotIn("Pool", h)

    @needs_ogb
    def test_ogb_encoders_and_gps(self):
        h = self.header(M.GPSMolecule(), M.molecule_batch())
        self.assertIn("nn::Field<\"atom_encoder\", nn::AtomEncoder<16>>", h)
        self.assertIn("nn::Field<\"bond_encoder\", nn::OnEdges<nn::BondEncoder<16>>>", h)
        self.assertIn("nn::GINEConv<convs_0_conv_nn, nn::GineConfig{.edge_dim = 0, .train_eps = false, .eps = 0.0f}>", h)
        self.assertIn("nn::GpsConfig{.channels = 16, .heads = 2, .norm = nn::gps_norm::batch_norm", h)

    def test_gine_options(self):
        class Gine(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = pyg.GINEConv(nn.Sequential(nn.Linear(6, 8), nn.ReLU()), eps=0.5, train_eps=True, edge_dim=3)

            def forward(self, x, edge_index, edge_attr):
                return self.conv(x, edge_index, edge_attr)
        self.assertIn("nn::GineConfig{.edge_dim = 3, .train_eps = true, .eps = 0.5f}", self.header(Gine()))

    def test_seed_class_unused_slots(self):
        h = self.header(M.seed_model(), M.molecule_batch())
        self.assertIn("nn::Unused<nn::TransformerConv<", h)
        self.assertIn("nn::Repeat<2, nn::LayerNorm<nn::LayerNormConfig{.features = 16, .eps = 1e-05f}>>, "
                      "nn::Unused<nn::LayerNorm<", h)

    def test_data_argument_and_flat_output(self):
        r = export(M.DataModel(), M.molecule_batch(int_features=False), self.dir)
        self.assertEqual(tuple(r["y"].shape), (5, 1))
        self.assertEqual(tuple(load_file(r["check"])["y"].shape), (5, 1))

    def test_pyg_sequential(self):
        h = self.header(M.pyg_sequential())
        self.assertIn('nn::Module<"Sequential", nn::Forward<nn::Call<"module_0">', h)
        self.assertIn("nn::Apply<nn::GlobalMeanPool<>>", h)

    def test_files(self):
        r = export(M.EdgeTransformer(), M.molecule_batch(int_features=False), self.dir)
        check = load_file(r["check"])
        self.assertEqual(sorted(check), ["batch", "edge_attr", "edge_index", "x", "y", "y_f64"])
        self.assertEqual(check["x"].dtype, torch.float32)
        self.assertEqual(check["edge_index"].dtype, torch.int64)
        self.assertEqual(check["y"].dtype, torch.float32)
        self.assertEqual(check["y_f64"].dtype, torch.float64)
        self.assertTrue(torch.allclose(check["y"].double(), check["y_f64"], rtol=1e-4, atol=1e-5))
        sd = load_file(r["weights"])
        self.assertEqual(set(sd), set(M.EdgeTransformer().state_dict()))
        r = export(M.GPS(), M.zinc_batch(), self.dir)
        check = load_file(r["check"])
        self.assertEqual(check["x"].dtype, torch.int64)
        self.assertEqual(tuple(check["edge_attr"].shape)[1], 1)  # ZINC's [E] bond types as [E, 1]
        r = export(M.pyg_sequential(), M.molecule_batch(int_features=False), self.dir)
        self.assertNotIn("edge_attr", load_file(r["check"]))  # the model does not use it

    def test_cli(self):
        bpath = os.path.join(self.dir, "batch.pt")
        torch.save(M.molecule_batch(int_features=False), bpath)
        out = os.path.join(self.dir, "cli")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([HERE, os.path.dirname(os.path.dirname(graphtx_export.__file__))]))
        r = subprocess.run([sys.executable, "-m", "graphtx_export", "--model-module", "models:EdgeTransformer",
                            "--batch", bpath, "--out", out, "--name", "Edge", "--namespace", "my::models"],
                           env=env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "model.hpp")) as f:
            self.assertIn("namespace my::models {", f.read())
        r = subprocess.run([sys.executable, "-m", "graphtx_export", "--model-module", "test_export:WithGat",
                            "--batch", bpath, "--out", out + "2"], env=env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("convs.1 (torch_geometric.nn.conv.gat_conv.GATConv)", r.stderr)


# ---------------------------------------------------------------- refusals
class WithGat(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([pyg.TransformerConv(6, 8), pyg.GATConv(8, 8)])

    def forward(self, x, edge_index):
        for conv in self.convs:
            x = conv(x, edge_index)
        return x


class Branchy(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(6, 6)

    def forward(self, x, edge_index):
        if x.sum() > 0:
            x = self.lin(x)
        return x


class InPlace(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(6, 6)

    def forward(self, x, edge_index):
        x = self.lin(x)
        return x.relu_()


class JumpingKnowledge(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(6, 6)
        self.b = nn.Linear(6, 6)

    def forward(self, x, edge_index):
        h1 = self.a(x)
        h2 = self.b(h1)
        return torch.cat([h1, h2], dim=-1)


class Performer(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(6, 8)
        self.convs = nn.ModuleList([pyg.GPSConv(8, None, heads=2, attn_type="performer")])

    def forward(self, x, edge_index, batch):
        x = self.lin(x)
        for c in self.convs:
            x = c(x, edge_index, batch)
        return x


class Inner(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = pyg.GATConv(6, 6)

    def forward(self, x, edge_index):
        return self.attn(x, edge_index)


class NestedGat(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([Inner(), Inner(), Inner()])

    def forward(self, x, edge_index):
        for c in self.convs:
            x = c(x, edge_index)
        return x


class LongResidual(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(6, 6)
        self.b = nn.Linear(6, 6)

    def forward(self, x, edge_index):
        return x + self.b(F.relu(self.a(x)))


class DropoutResidual(nn.Module):
    """x + dropout(conv(x)): the dropout is the identity at inference, so this is a residual."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(6, 8)
        self.conv = pyg.TransformerConv(8, 4, heads=2)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, edge_index, batch):
        x = self.lin(x)
        h = self.conv(x, edge_index)
        h = F.dropout(h, p=0.1, training=self.training)
        x = x + h
        return pyg.global_add_pool(self.drop(x), batch)


class TestRefusals(Tmp):
    def refused(self, model, *needles, batch=None):
        batch = batch if batch is not None else M.molecule_batch(int_features=False)
        out = os.path.join(self.dir, "out")
        with self.assertRaises(ExportError) as cm:
            graphtx_export.export(model.eval(), batch, out)
        msg = str(cm.exception)
        for n in needles:
            self.assertIn(n, msg)
        self.assertFalse(os.path.exists(os.path.join(out, "model.hpp")), "a header was written")
        self.assertFalse(os.path.exists(os.path.join(out, "model.safetensors")))
        return msg

    def test_unsupported_module(self):
        self.refused(WithGat(), "convs.1 (torch_geometric.nn.conv.gat_conv.GATConv)", "graphtx has no GATConv")

    def test_unsupported_module_nested(self):
        self.refused(NestedGat(), "convs.0.attn (torch_geometric.nn.conv.gat_conv.GATConv)")

    def test_branch_on_tensor_values(self):
        self.refused(Branchy(), "<model>", "Branchy", "Python branch or loop on tensor values")

    def test_in_place(self):
        self.refused(InPlace(), "in-place relu_")

    def test_concatenation(self):
        self.refused(JumpingKnowledge(), "cat")

    def test_performer_attention(self):
        self.refused(Performer(), "convs.0.attn", "attn_type='performer'", "multihead")

    def test_residual_over_two_calls(self):
        self.refused(LongResidual(), "x + m(x)", "wrap them in a module")

    def test_training_mode(self):
        with self.assertRaises(ExportError) as cm:
            graphtx_export.export(M.EdgeTransformer().train(), M.molecule_batch(int_features=False), self.dir)
        self.assertIn("model.eval()", str(cm.exception))

    def test_unbound_argument(self):
        class Extra(nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = nn.Linear(6, 6)

            def forward(self, x, edge_index, pe):
                return self.lin(x)
        self.refused(Extra(), "'pe'", "PyG name")

    def test_training_dropout(self):
        class Drop(nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = nn.Linear(6, 6)

            def forward(self, x, edge_index):
                return F.dropout(self.lin(x), p=0.5)
        self.refused(Drop(), "training=True")

    def test_bad_name(self):
        with self.assertRaises(ExportError):
            graphtx_export.export(M.EdgeTransformer().eval(), M.molecule_batch(int_features=False), self.dir,
                                  name="my-net")


# ---------------------------------------------------------------- end to end: compile and compare with PyG
def build_dir():
    d = os.environ.get("GRAPHTX_EXPORT_BUILD")
    if d:
        os.makedirs(d, exist_ok=True)
        return d
    return tempfile.mkdtemp(prefix="graphtx_export_build.")


def compile_and_check(test, out, cpp_type):
    """g++ -std=c++20 -I include: the exported header with check_export.cpp; then run it."""
    exe = os.path.join(out, "check_export")
    cmd = [CXX, "-std=c++20", "-O1", "-fopenmp", "-I", os.path.join(REPO, "include"), "-I", out,
           f"-DGRAPHTX_EXPORT_TYPE={cpp_type}", os.path.join(HERE, "check_export.cpp"), "-o", exe, "-lopenblas"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    test.assertEqual(r.returncode, 0, "compile failed:\n" + r.stderr[-6000:])
    r = subprocess.run([exe, os.path.join(out, "model.safetensors"), os.path.join(out, "check.safetensors")],
                       capture_output=True, text=True, env=dict(os.environ, OMP_NUM_THREADS="1"))
    test.assertEqual(r.returncode, 0, r.stdout + r.stderr)
    return r.stdout


@unittest.skipUnless(HAVE_CXX, f"no C++ compiler ({CXX}) to build the exported headers")
class TestEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.build = build_dir()

    def run_family(self, key, model, batch):
        out = os.path.join(self.build, key)
        r = export(model, batch, out, name="Net", namespace=f"exported_{key}")
        report = compile_and_check(self, out, f"exported_{key}::Net")
        print(f"{key}: {report.strip()}", file=sys.stderr)

    @needs_ogb
    def test_gps_molecule(self):
        self.run_family("gps_molecule", M.GPSMolecule(), M.molecule_batch())

    @needs_ogb
    def test_gps_molecule_layer_norm(self):
        self.run_family("gps_molecule_ln", M.GPSMolecule(norm="layer_norm", layers=1), M.molecule_batch(seed=3))

    def test_gps_zinc_embeddings(self):
        self.run_family("gps_zinc", M.GPS(), M.zinc_batch())

    def test_edge_transformer(self):
        self.run_family("edge_transformer", M.EdgeTransformer(), M.molecule_batch(int_features=False))

    def test_node_level(self):
        self.run_family("node_level", M.NodeTransformer(), M.molecule_batch(int_features=False, seed=4))

    def test_pyg_sequential(self):
        self.run_family("pyg_sequential", M.pyg_sequential(), M.molecule_batch(int_features=False, seed=5))

    def test_seed_class(self):
        self.run_family("seed", M.seed_model(), M.molecule_batch(seed=6))

    def test_concat_of_pools(self):
        self.run_family("two_pools", M.TwoPools(), M.molecule_batch(int_features=False, seed=11))

    def test_residual_through_dropout(self):
        self.run_family("dropout_residual", DropoutResidual(), M.molecule_batch(int_features=False, seed=10))

    def test_data_argument(self):
        self.run_family("data_argument", M.DataModel(), M.molecule_batch(int_features=False, seed=9))

    def test_functions(self):
        self.run_family("functions", FunctionalNet(), M.molecule_batch(int_features=False, seed=7))

    def test_norms_and_mlp(self):
        class Norms(nn.Module):
            def __init__(self):
                super().__init__()
                self.enc = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.Tanh(), pyg.BatchNorm(8))
                self.conv = pyg.TransformerConv(8, 4, heads=2, root_weight=False)
                self.ln = pyg.LayerNorm(8)
                self.node_ln = pyg.LayerNorm(8, mode="node")
                self.mlp = pyg.MLP([8, 8, 8, 3], norm="layer_norm", act="silu")
                self.out = nn.Identity()

            def forward(self, x, edge_index, batch):
                x = self.enc(x)
                x = self.conv(x, edge_index)
                x = self.ln(x, batch)
                x = self.node_ln(x)
                x = self.mlp(x, batch)
                x = pyg.global_mean_pool(x, batch)
                return self.out(x)
        self.run_family("norms", Norms(), M.molecule_batch(int_features=False, seed=8))


@unittest.skipUnless(HAVE_CXX, f"no C++ compiler ({CXX}) to build the exported headers")
class TestCommittedExamples(unittest.TestCase):
    """examples/exported/*: the committed files compile, load strictly and match their check file; a
    fresh export gives the same header (make_examples.py is what made them)."""

    def test_examples(self):
        build = build_dir()
        for d, t in [("gps_molecule", "GPSMolecule"), ("edge_transformer", "EdgeTransformer")]:
            with self.subTest(example=d):
                src = os.path.join(REPO, "examples", "exported", d)
                out = os.path.join(build, "committed_" + d)
                shutil.rmtree(out, ignore_errors=True)
                shutil.copytree(src, out)
                compile_and_check(self, out, f"exported_models::{t}")

    @needs_ogb
    def test_examples_are_current(self):
        sys.path.insert(0, os.path.join(REPO, "examples", "exported"))
        import make_examples
        tmp = tempfile.mkdtemp(prefix="graphtx_export_examples.")
        try:
            saved = make_examples.HERE
            make_examples.HERE = tmp
            make_examples.main()
        finally:
            make_examples.HERE = saved
        for d in ("gps_molecule", "edge_transformer"):
            with open(os.path.join(tmp, d, "model.hpp")) as f, \
                    open(os.path.join(REPO, "examples", "exported", d, "model.hpp")) as g:
                strip = lambda s: [ln for ln in s.splitlines() if "Generated by graphtx_export" not in ln]  # noqa: E731
                self.assertEqual(strip(f.read()), strip(g.read()), f"examples/exported/{d}/model.hpp is stale: "
                                 "run python examples/exported/make_examples.py")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
