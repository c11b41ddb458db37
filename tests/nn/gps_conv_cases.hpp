#pragma once
// nn::GPSConv test bodies, once for every space (tests/nn/gps_conv_test.cpp: host,
// tests/cuda/gps_conv_test.cu: CUDA), against the PyG goldens modules/gps_conv (GINEConv,
// batch_norm), gps_conv_no_conv (conv=None) and gps_conv_layer_norm (PyG LayerNorm, graph mode,
// called with batch): C = 8, heads = 2, graphs of 5, 1, 0, 7, 3, 4 nodes (graph 2 empty).

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <graphtx/graph/transfer.hpp>
#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/gine_conv.hpp>
#include <graphtx/nn/gps_conv.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/model.hpp>

#include "nn/module_checks.hpp"
#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::gps_cases {

namespace nn = graphtx::nn;
using namespace graphtx::test::checks;

constexpr nn::LinearConfig lin_8_8{.in = 8, .out = 8};
// GINEConv(Sequential(Linear(8, 8), ReLU(), Linear(8, 8))): eps a buffer, no lin
using Gine8 = nn::GINEConv<nn::Sequential<nn::Linear<lin_8_8>, nn::ReLU<>, nn::Linear<lin_8_8>>>;
// GPSConv(8, GINEConv(...), heads=2): batch_norm, relu
using Gps = nn::GPSConv<Gine8, nn::GpsConfig{.channels = 8, .heads = 2}>;
// GPSConv(8, None, heads=2)
using GpsNoConv = nn::GPSConv<void, nn::GpsConfig{.channels = 8, .heads = 2}>;
// GPSConv(8, GINEConv(...), heads=2, norm='layer_norm')
using GpsLayerNorm = nn::GPSConv<Gine8, nn::GpsConfig{.channels = 8, .heads = 2, .norm = nn::gps_norm::layer_norm}>;

static_assert(nn::Layer<Gps> && nn::Layer<GpsNoConv> && nn::Layer<GpsLayerNorm>);
// conv 2 x 72 (eps a buffer); attn 3*64 + 24 + 64 + 8; mlp 8*16 + 16 + 16*8 + 8; 3 BatchNorms 16 each
static_assert(Gps::parameter_count == 144 + 288 + 280 + 48);
static_assert(GpsNoConv::parameter_count == 288 + 280 + 48);  // norm1 is built (and saved) without a conv
static_assert(GpsLayerNorm::parameter_count == 144 + 288 + 280 + 48);

template <class Space>
void golden_batch_norm() {
  check_golden<Gps, Space>("modules", "gps_conv");
}
template <class Space>
void golden_no_conv() {
  check_golden<GpsNoConv, Space>("modules", "gps_conv_no_conv");
}
template <class Space>
void golden_layer_norm() {
  check_golden<GpsLayerNorm, Space>("modules", "gps_conv_layer_norm");
}

template <class Space>
void counts_match() {
  auto const t = check_counts<Gps, Space>("modules", "gps_conv");
  index_t const n = 20;
  CHECK(t.own == profile::Counts{});  // the residual sums, dropout, to_dense_batch: nothing
  CHECK(t.at("conv.nn.0").macs() == n * 64);
  CHECK(t.at("attn").macs() == n * 8 * 24 + n * 8 * 8);
  CHECK(t.at("mlp.0").macs() == n * 8 * 16);
  CHECK(t.at("mlp.1").flops() == n * 16);
  CHECK(t.at("mlp.3").macs() == n * 16 * 8);
  CHECK(t.at("norm1").flops() == 2 * n * 8);  // BatchNorm eval with affine: 2 flops per element
  auto const nc = check_counts<GpsNoConv, Space>("modules", "gps_conv_no_conv");
  CHECK(nc.at("norm1").counts() == profile::Counts{});  // built, never run
  check_counts<GpsLayerNorm, Space>("modules", "gps_conv_layer_norm");
}

template <class Space>
void round_trip() {
  check_round_trip<Gps, Space>("modules", "gps_conv");
  check_round_trip<GpsNoConv, Space>("modules", "gps_conv_no_conv");
  check_round_trip<GpsLayerNorm, Space>("modules", "gps_conv_layer_norm");
}

// Without a conv norm1 never runs: NaN in its weights changes nothing.
template <class Space>
void no_conv_never_runs_norm1() {
  auto const g = load_module_golden("modules", "gps_conv_no_conv");
  auto const host_model = golden_model<GpsNoConv, host>(g);
  auto changed = nn::Model<GpsNoConv, host>::from(host_model);
  auto w = changed.norm1.module.weight.to_vector();
  for (auto& v : w) v = std::nanf("");
  changed.norm1.module.weight = Tensor<float, 1, host>::from({8}, w);
  auto const batch = golden_batch(g.io);
  auto const a = nn::Model<GpsNoConv, Space>::from(host_model);
  auto const b = nn::Model<GpsNoConv, Space>::from(changed);
  REQUIRE(to_space<host>(a.forward(batch_in<Space>(batch))).to_vector() ==
          to_space<host>(b.forward(batch_in<Space>(batch))).to_vector());
}

template <class Space>
void bad_input_is_named() {
  auto const g = load_module_golden("modules", "gps_conv");
  auto const model = golden_model<Gps, Space>(g);
  auto host_batch = golden_batch(g.io);
  SECTION("x of another width") {
    host_batch.x = Tensor<float, 2, host>::zeros({host_batch.num_nodes(), 6});
    REQUIRE_THROWS_WITH(model.forward(batch_in<Space>(host_batch)), Catch::Contains("has extent 6 in dim 1, expected 8"));
  }
  SECTION("no edge features for the GINEConv") {
    host_batch.edge_attr = Tensor<float, 2, host>({0, 0});
    REQUIRE_THROWS_WITH(model.forward(batch_in<Space>(host_batch)), Catch::Contains("GINEConv: needs edge features"));
  }
}

}  // namespace graphtx::test::gps_cases
