#pragma once
// Test bodies for nn::PygLayerNorm (torch_geometric.nn.LayerNorm, modes graph and node), written
// once for every space: the host suite (tests/nn/graph_layer_norm_test.cpp) and the CUDA suite
// (tests/cuda/graph_layer_norm_test.cu) call them.
//
// Goldens (tests/data/modules): layer_norm_graph (m(x, batch, batch_size=6), graphs of 5, 1, 0, 7,
// 3, 0 nodes, graph 3 scaled by 0.003), layer_norm_graph_no_batch (m(x): eps on the std, x ~ 0.003),
// layer_norm_node (F.layer_norm per row, row 4 x 0.003). Tolerance: pyg_fp32 (rtol 1e-4, atol
// 1e-5); the ops accumulate in double and round once, so the error is PyG's own float rounding.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <graphtx/nn/graph_layer_norm.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/nn/parameters.hpp>

#include "nn/module_checks.hpp"
#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::graph_layer_norm_cases {

inline constexpr nn::PygLayerNormConfig graph6{.features = 6};
inline constexpr nn::PygLayerNormConfig graph6_no_batch{.features = 6, .batch = false};
inline constexpr nn::PygLayerNormConfig node6{.features = 6, .mode = nn::pyg_norm_mode::node};
inline constexpr nn::PygLayerNormConfig graph6_plain{.features = 6, .affine = false};
inline constexpr nn::PygLayerNormConfig graph6_no_batch_plain{.features = 6, .affine = false, .batch = false};
inline constexpr nn::PygLayerNormConfig node6_plain{.features = 6, .affine = false, .mode = nn::pyg_norm_mode::node};

using Graph = nn::PygLayerNorm<graph6>;
using GraphNoBatch = nn::PygLayerNorm<graph6_no_batch>;
using Node = nn::PygLayerNorm<node6>;

static_assert(nn::Layer<Graph> && nn::Layer<GraphNoBatch> && nn::Layer<Node>);
static_assert(Graph::in_width == 6 && Graph::out_width == 6 && Graph::parameter_count == 12);
static_assert(nn::PygLayerNorm<graph6_plain>::parameter_count == 0);
static_assert(nn::has_forward_in_place_v<Graph>);

inline constexpr Tolerance bitwise{0.0, 0.0};

/// The three goldens within pyg_fp32; returns the largest |error|.
template <class Space>
double goldens_match() {
  double worst = 0;
  worst = std::max(worst, checks::check_golden<Graph, Space>("modules", "layer_norm_graph").max_abs);
  worst = std::max(worst, checks::check_golden<GraphNoBatch, Space>("modules", "layer_norm_graph_no_batch").max_abs);
  worst = std::max(worst, checks::check_golden<Node, Space>("modules", "layer_norm_node").max_abs);
  return worst;
}

/// `.batch` matters: the per-graph formula (eps inside the sqrt) on PyG's m(x) golden, whose x is
/// ~0.003 (std ~ 3e-3, eps 1e-5), is far from PyG's eps-on-the-std result.
template <class Space>
void batch_choice_matters() {
  auto const g = load_module_golden("modules", "layer_norm_graph_no_batch");
  auto const y = golden_forward<Graph, Space>(g);  // one graph of all rows, but eps inside the sqrt
  auto const expected = g.io.read_float<2>("out");
  CHECK_FALSE(compare(y.cview(), expected.cview(), pyg_fp32).ok);
}

/// affine=False equals affine with weight 1 and bias 0 bitwise, in every mode.
template <nn::PygLayerNormConfig Plain, nn::PygLayerNormConfig Affine, class Space>
void plain_one(std::string const& golden) {
  auto const g = load_module_golden("modules", golden);
  auto const batch = golden_batch(g.io);
  nn::Model<nn::PygLayerNorm<Plain>, Space> const plain;
  nn::Model<nn::PygLayerNorm<Affine>, Space> const unit;  // PyG's init: weight 1, bias 0
  auto const& b = checks::batch_in<Space>(batch);
  auto const a = to_space<host>(plain.forward(b));
  auto const e = to_space<host>(unit.forward(b));
  GRAPHTX_REQUIRE_CLOSE(a.cview(), e.cview(), bitwise);
  CHECK(nn::state_entries(plain).empty());
}
template <class Space>
void no_affine_is_unit_affine() {
  plain_one<graph6_plain, graph6, Space>("layer_norm_graph");
  plain_one<graph6_no_batch_plain, graph6_no_batch, Space>("layer_norm_graph_no_batch");
  plain_one<node6_plain, node6, Space>("layer_norm_node");
}

template <class Space>
void in_place_equals_forward() {
  auto const g = load_module_golden("modules", "layer_norm_graph");
  auto const m = golden_model<Graph, Space>(g);
  auto const host_batch = golden_batch(g.io);
  auto const& b = checks::batch_in<Space>(host_batch);
  nn::BatchContext<Space> ctx(b);
  auto x = to_space<Space>(g.io.read_float<2>("x"));
  auto const y = to_space<host>(m.forward(x.cview(), ctx.context()));
  m.forward_in_place(x.view(), ctx.context());
  CHECK(to_space<host>(x).to_vector() == y.to_vector());
}

/// DeepSpeed: mode graph counts 0 (scatter arithmetic, no patched call); mode node F.layer_norm's
/// 5 flops per element.
template <class Space>
void counts_match() {
  CHECK(checks::check_counts<Graph, Space>("modules", "layer_norm_graph").counts() == profile::Counts{});
  CHECK(checks::check_counts<GraphNoBatch, Space>("modules", "layer_norm_graph_no_batch").counts() == profile::Counts{});
  CHECK(checks::check_counts<Node, Space>("modules", "layer_norm_node").own == profile::Counts{0, 9 * 6 * 5});
}

template <class Space>
void round_trip() {
  checks::check_round_trip<Graph, Space>("modules", "layer_norm_graph");
  checks::check_round_trip<GraphNoBatch, Space>("modules", "layer_norm_graph_no_batch");
  checks::check_round_trip<Node, Space>("modules", "layer_norm_node");
}

/// Named errors: another width; mode graph with batch and no ptr in the context; x rows other
/// than the batch's nodes.
template <class Space>
void bad_input_is_named() {
  nn::PygLayerNorm<graph6, Space> const m;
  nn::GraphContext<Space> const none{};
  auto const x = to_space<Space>(Tensor<float, 2, host>::zeros({4, 6}));
  REQUIRE_THROWS_AS(m.forward(x.cview(), none), shape_error);
  REQUIRE_THROWS_WITH(m.forward(x.cview(), none), Catch::Contains("ptr") && Catch::Contains(".batch = false"));
  auto const narrow = to_space<Space>(Tensor<float, 2, host>::zeros({4, 5}));
  REQUIRE_THROWS_WITH(m.forward(narrow.cview(), none), Catch::Contains("LayerNorm (PyG)") && Catch::Contains("x (features"));
  auto const g = load_module_golden("modules", "layer_norm_graph");
  auto const host_batch = golden_batch(g.io);
  auto const& b = checks::batch_in<Space>(host_batch);
  nn::BatchContext<Space> ctx(b);
  REQUIRE_THROWS_WITH(m.forward(x.cview(), ctx.context()), Catch::Contains("rows = the batch's nodes"));
  // Without batch and in node mode no graph is needed.
  nn::PygLayerNorm<graph6_no_batch, Space> const nb;
  CHECK(nb.forward(x.cview(), none).extent(0) == 4);
  nn::PygLayerNorm<node6, Space> const nd;
  CHECK(nd.forward(x.cview(), none).extent(0) == 4);
}

}  // namespace graphtx::test::graph_layer_norm_cases
