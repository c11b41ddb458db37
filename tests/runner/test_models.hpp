#pragma once
// The model headers of the graphtx_add_model tests (tests/runner/CMakeLists.txt), standing in for
// what the exporter (tools/export) writes: one named, non-template type per model.

#include "../../examples/models/gps_molecule.hpp"

namespace graphtx_test_models {

namespace nn = graphtx::nn;

/// tools/graphtx_pyg.py's GPSMolecule(hidden=16, layers=3, heads=2): the golden
/// tests/data/models/gps_molecule (int64 x and edge_attr, global_add_pool, y [G, 1]).
using GpsMolecule = graphtx_examples::GPSMolecule<>;

/// A node-level model (no pooling, y [N, 8]): PyG's GPSConv(8, GINEConv(Sequential(Linear(8, 8),
/// ReLU(), Linear(8, 8))), heads=2) alone, the golden tests/data/modules/gps_conv (float x and
/// edge_attr) as tests/data/runner/gps_conv_node.check.safetensors.
inline constexpr nn::LinearConfig lin_8_8{.in = 8, .out = 8};
using Gine8 = nn::GINEConv<nn::Sequential<nn::Linear<lin_8_8>, nn::ReLU<>, nn::Linear<lin_8_8>>>;
inline constexpr nn::GpsConfig gps_8_2{.channels = 8, .heads = 2};
using GpsConvNode = nn::GPSConv<Gine8, gps_8_2>;

}  // namespace graphtx_test_models
