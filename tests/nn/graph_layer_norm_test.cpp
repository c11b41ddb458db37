// nn::PygLayerNorm (torch_geometric.nn.LayerNorm) on the host against PyG (bodies:
// tests/nn/graph_layer_norm_cases.hpp).

#include <catch2/catch.hpp>

#include <graphtx/graphtx.hpp>

#include "nn/graph_layer_norm_cases.hpp"
#include "nn/module_checks.hpp"

namespace lc = graphtx::test::graph_layer_norm_cases;
namespace checks = graphtx::test::checks;
using graphtx::host;

TEST_CASE("PyG LayerNorm matches PyG (graph with batch, graph without, node)", "[nn][pyg_layer_norm][pyg]") {
  lc::goldens_match<host>();
}
TEST_CASE("PyG LayerNorm: .batch chooses PyG's branch", "[nn][pyg_layer_norm][pyg]") { lc::batch_choice_matters<host>(); }
TEST_CASE("PyG LayerNorm affine=False equals weight 1, bias 0", "[nn][pyg_layer_norm]") {
  lc::no_affine_is_unit_affine<host>();
}
TEST_CASE("PyG LayerNorm in place equals forward", "[nn][pyg_layer_norm]") { lc::in_place_equals_forward<host>(); }
TEST_CASE("PyG LayerNorm counts: profiled == static (graph 0, node 5/elem)", "[nn][pyg_layer_norm][profile]") {
  lc::counts_match<host>();
}
TEST_CASE("PyG LayerNorm save/load round trip", "[nn][pyg_layer_norm][io]") { lc::round_trip<host>(); }
TEST_CASE("PyG LayerNorm names bad input", "[nn][pyg_layer_norm][errors]") { lc::bad_input_is_named<host>(); }
TEST_CASE("PyG LayerNorm strict load names the key", "[nn][pyg_layer_norm][io]") {
  checks::check_strict_load<lc::Graph>("modules", "layer_norm_graph", "weight");
  checks::check_strict_load<lc::Node>("modules", "layer_norm_node", "bias");
  auto const g = graphtx::test::load_module_golden("modules", "layer_norm_graph");
  REQUIRE_THROWS_WITH(graphtx::nn::Model<graphtx::nn::PygLayerNorm<lc::graph6_plain>>::load(*g.weights),
                      Catch::Contains("unexpected key"));
}
TEST_CASE("PyG LayerNorm profile node: PyG's repr", "[nn][pyg_layer_norm][profile]") {
  auto const m = lc::Graph::profile_module();
  CHECK(m.type == "LayerNorm");
  CHECK(m.repr == "LayerNorm(6, affine=True, mode=graph)");
  CHECK(m.own_params == 12);
  CHECK(lc::Node::profile_module().repr == "LayerNorm(6, affine=True, mode=node)");
  CHECK(graphtx::nn::PygLayerNorm<lc::graph6_plain>::profile_module().repr == "LayerNorm(6, affine=False, mode=graph)");
}
