// nn::MLP (torch_geometric.nn.MLP) on the host against PyG (bodies in tests/nn/mlp_cases.hpp),
// and what does not depend on the space: keys, DeepSpeed's tree, strict load, configurations.

#include <vector>

#include "nn/mlp_cases.hpp"

namespace mc = graphtx::test::mlp_cases;
namespace nn = graphtx::nn;
using graphtx::host;

TEST_CASE("MLP matches PyG (batch_norm, relu)", "[nn][mlp][pyg]") { CHECK(mc::golden_mlp<host>().max_abs < 1e-5); }
TEST_CASE("MLP matches PyG (norm=None)", "[nn][mlp][pyg]") { CHECK(mc::golden_mlp_no_norm<host>().max_abs < 1e-5); }
TEST_CASE("MLP matches PyG (gelu, layer_norm, called without batch)", "[nn][mlp][pyg]") {
  CHECK(mc::golden_mlp_gelu_layernorm<host>().max_abs < 1e-5);
}
TEST_CASE("MLP matches PyG (gelu, layer_norm, called with batch)", "[nn][mlp][pyg]") {
  CHECK(mc::golden_mlp_gelu_layernorm_batch<host>().max_abs < 1e-5);
}
TEST_CASE("MLP counts: profiled == static", "[nn][mlp][profile]") { mc::counts_match<host>(); }
TEST_CASE("MLP runs its act module once per hidden layer", "[nn][mlp][profile]") { mc::act_runs_per_hidden_layer<host>(); }
TEST_CASE("MLP save/load round trip", "[nn][mlp][io]") { mc::round_trip<host>(); }
TEST_CASE("MLP names bad input", "[nn][mlp][errors]") { mc::bad_input_is_named<host>(); }

TEST_CASE("MLP state_dict names and strict load", "[nn][mlp][io][errors]") {
  std::vector<std::string> names;
  for (auto const& e : nn::state_entries(nn::Model<mc::MlpGeluLn>{})) names.push_back(e.name);
  CHECK(names == std::vector<std::string>{"lins.0.weight", "lins.0.bias", "lins.1.weight", "lins.1.bias",
                                          "norms.0.weight", "norms.0.bias"});
  names.clear();
  for (auto const& e : nn::state_entries(nn::Model<mc::Mlp>{})) names.push_back(e.name);
  REQUIRE(names.size() == 6 + 2 * 5);
  CHECK(names[6] == "norms.0.module.weight");
  CHECK(names.back() == "norms.1.module.num_batches_tracked");
  graphtx::test::checks::check_strict_load<mc::Mlp>("modules", "mlp", "norms.1.module.running_var");
  graphtx::test::checks::check_strict_load<mc::Mlp>("modules", "mlp", "lins.2.weight");
  graphtx::test::checks::check_strict_load<mc::MlpGeluLn>("modules", "mlp_gelu_layernorm", "norms.0.weight");
  graphtx::test::checks::check_strict_load<mc::MlpNoNorm>("modules", "mlp_no_norm", "lins.1.bias");
  // A norm=None file into an MLP with norms: the norm keys are missing.
  auto const g = graphtx::test::load_module_golden("modules", "mlp_no_norm");
  using WithNorm = nn::MLP<nn::MlpConfig{.channels = {6, 10, 2}}>;
  REQUIRE_THROWS_WITH(nn::Model<WithNorm>::load(*g.weights), Catch::Contains("missing key \"norms.0.module.weight\""));
}

TEST_CASE("MLP profile tree", "[nn][mlp][profile]") {
  auto const t = nn::Model<mc::Mlp>::profile_module();
  CHECK(t.type == "MLP");
  CHECK(t.repr == "MLP(6, 12, 12, 3)");
  REQUIRE(t.children.size() == 3);  // PyG's registration order: act, lins, norms
  CHECK(t.children[0].name == "act");
  CHECK(t.at("act").type == "ReLU");
  CHECK(t.at("lins").type == "ModuleList");
  CHECK(t.at("lins.1").repr == "Linear(12, 12, bias=True)");
  CHECK(t.at("norms.0").type == "BatchNorm");
  CHECK(t.at("norms.0.module").type == "BatchNorm1d");
  CHECK(t.params() == mc::Mlp::parameter_count);
  auto const n = nn::Model<mc::MlpNoNorm>::profile_module();
  CHECK(n.at("norms.0").type == "Identity");
  auto const l = nn::Model<mc::MlpGeluLn>::profile_module();
  CHECK(l.at("act").type == "GELU");
  CHECK(l.at("norms.0").repr == "LayerNorm(8, affine=True, mode=graph)");
}

TEST_CASE("MLP configurations: one layer, plain_last=False, no bias", "[nn][mlp]") {
  // MLP([6, 3]): one Linear, an empty norms list.
  using One = nn::MLP<nn::MlpConfig{.channels = {6, 3}}>;
  static_assert(One::parameter_count == 6 * 3 + 3);
  CHECK(nn::Model<One>::profile_module().at("norms").children.empty());
  auto const g = graphtx::test::load_module_golden("modules", "mlp");
  auto const batch = graphtx::test::golden_batch(g.io);
  auto const one = nn::Model<One>::random(1);
  auto const y1 = one.forward(batch);
  graphtx::Tensor<float, 2> e1({12, 3});
  graphtx::ops::linear(batch.x.cview(), one.get<"lins">().item<0>().weight.cview(),
                       one.get<"lins">().item<0>().bias.cview(), e1.view());
  CHECK(y1.to_vector() == e1.to_vector());
  // plain_last=False: norm and act after the last Linear too (norms has one entry per Linear).
  using Full = nn::MLP<nn::MlpConfig{.channels = {6, 4, 3}, .norm = nn::mlp_norm::none, .plain_last = false, .bias = false}>;
  static_assert(Full::parameter_count == 6 * 4 + 4 * 3);
  auto const full = nn::Model<Full>::random(2);
  auto const y = full.forward(batch);
  graphtx::Tensor<float, 2> h({12, 4}), e({12, 3});
  graphtx::ops::linear(batch.x.cview(), full.get<"lins">().item<0>().weight.cview(),
                       full.get<"lins">().item<0>().bias.cview(), h.view());
  graphtx::ops::relu(h.cview(), h.view());
  graphtx::ops::linear(h.cview(), full.get<"lins">().item<1>().weight.cview(),
                       full.get<"lins">().item<1>().bias.cview(), e.view());
  graphtx::ops::relu(e.cview(), e.view());
  CHECK(y.to_vector() == e.to_vector());
  CHECK(nn::Model<Full>::profile_module().at("norms").children.size() == 2);
  auto const c = nn::Model<Full>::counts({.nodes = 12, .edges = 0, .graphs = 1});
  CHECK(c.at("act").flops() == 12 * 4 + 12 * 3);
}
