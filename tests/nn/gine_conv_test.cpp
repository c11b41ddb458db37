// nn::GINEConv on the host against PyG (bodies in tests/nn/gine_conv_cases.hpp).

#include "nn/gine_conv_cases.hpp"

namespace gc = graphtx::test::gine_cases;
using graphtx::host;

TEST_CASE("GINEConv matches PyG (train_eps, eps = 0.3)", "[nn][gine][pyg]") { gc::golden_gine<host>(); }
TEST_CASE("GINEConv matches PyG (edge_dim: lin, eps buffer = -0.2)", "[nn][gine][pyg]") { gc::golden_gine_edge_dim<host>(); }
TEST_CASE("GINEConv loads eps as Parameter or buffer", "[nn][gine]") { gc::eps_is_loaded<host>(); }
TEST_CASE("GINEConv counts: profiled == static", "[nn][gine][profile]") { gc::counts_match<host>(); }
TEST_CASE("GINEConv save/load round trip", "[nn][gine][io]") { gc::round_trip<host>(); }
TEST_CASE("GINEConv names bad input", "[nn][gine][errors]") { gc::bad_edge_features_are_named<host>(); }

TEST_CASE("GINEConv state_dict names and strict load", "[nn][gine][io][errors]") {
  namespace nn = graphtx::nn;
  std::vector<std::string> names;
  std::vector<bool> params;
  for (auto const& e : nn::state_entries(nn::Model<gc::GineEdge>{})) {
    names.push_back(e.name);
    params.push_back(e.parameter);
  }
  CHECK(names == std::vector<std::string>{"eps", "nn.0.weight", "nn.0.bias", "nn.2.weight", "nn.2.bias", "lin.weight",
                                          "lin.bias"});
  CHECK(params == std::vector<bool>{false, true, true, true, true, true, true});
  CHECK(nn::state_entries(nn::Model<gc::Gine>{}).front().parameter);  // train_eps: a Parameter
  graphtx::test::checks::check_strict_load<gc::Gine>("modules", "gine", "eps");
  graphtx::test::checks::check_strict_load<gc::GineEdge>("modules", "gine_edge_dim", "lin.weight");
  // A file with lin loaded into a conv without it: lin.* are unexpected keys.
  auto const g = graphtx::test::load_module_golden("modules", "gine_edge_dim");
  using NoLin = nn::GINEConv<gc::Mlp6>;
  REQUIRE_THROWS_WITH(nn::Model<NoLin>::load(*g.weights), Catch::Contains("lin.bias, lin.weight"));
}

TEST_CASE("GINEConv profile tree", "[nn][gine][profile]") {
  auto const t = graphtx::nn::Model<gc::GineEdge>::profile_module();
  CHECK(t.type == "GINEConv");
  CHECK(t.own_params == 0);
  CHECK(t.at("nn").type == "Sequential");
  CHECK(t.at("lin").repr == "Linear(4, 6, bias=True)");
  CHECK(graphtx::nn::Model<gc::Gine>::profile_module().own_params == 1);
}
