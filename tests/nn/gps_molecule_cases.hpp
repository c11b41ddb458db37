#pragma once
// The GPS molecule model of tools/graphtx_pyg.py (GPSMolecule) written as a composition, test
// bodies once for every space (tests/nn/gps_molecule_test.cpp: host, tests/cuda/gps_molecule_test.cu:
// CUDA), against the PyG goldens models/gps_molecule (8 molecules), gps_molecule_g1 (one molecule)
// and gps_molecule_zero_node_graph (sizes 9, 1, 0, 6: the empty graph pools to 0, y = mlp(0)):
//
//   class GPSMolecule(nn.Module):
//       atom_encoder = AtomEncoder(16); bond_encoder = BondEncoder(16)
//       convs = ModuleList([GPSConv(16, GINEConv(Sequential(Linear(16, 16), ReLU(), Linear(16, 16))),
//                                   heads=2) for _ in range(3)])
//       mlp = MLP([16, 8, 1])
//       forward: x = atom_encoder(x); edge_attr = bond_encoder(edge_attr)
//                for conv in convs: x = conv(x, edge_index, batch, edge_attr=edge_attr)
//                return mlp(global_add_pool(x, batch))

#include <catch2/catch.hpp>

#include <string>

#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/embedding.hpp>
#include <graphtx/nn/gine_conv.hpp>
#include <graphtx/nn/gps_conv.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/mlp.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/nn/pooling.hpp>

#include "../../examples/models/gps_molecule.hpp"
#include "nn/module_checks.hpp"
#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::gps_molecule_cases {

namespace nn = graphtx::nn;
using namespace graphtx::test::checks;

// The model as user code (examples/models/gps_molecule.hpp, which the benchmarks run too) at its
// defaults: C = 16, 3 GPSConv(GINEConv) layers, 2 heads, MLP([16, 8, 1]) -- tools/graphtx_pyg.py's
// GPSMolecule. Written once; the tests hold it against PyG's goldens.
using GpsMolecule = graphtx_examples::GPSMolecule<>;

static_assert(nn::Layer<GpsMolecule>);
static_assert(GpsMolecule::out_width == 1);

template <class Space>
void golden(std::string const& name) {
  check_golden<GpsMolecule, Space>("models", name, "y");
}

template <class Space>
void counts_match() {
  auto const t = check_counts<GpsMolecule, Space>("models", "gps_molecule");
  index_t const n = 66, e = 128, g = 8;
  CHECK(t.at("convs.0.attn").macs() == n * 16 * 48 + n * 16 * 16);
  CHECK(t.at("convs.2.conv.nn.2").macs() == n * 16 * 16);
  CHECK(t.at("atom_encoder").counts() == profile::Counts{});
  CHECK(t.at("mlp.lins.0").macs() == g * 16 * 8);  // after the readout: G rows
  (void)e;
}

template <class Space>
void round_trip() {
  check_round_trip<GpsMolecule, Space>("models", "gps_molecule");
}

}  // namespace graphtx::test::gps_molecule_cases
