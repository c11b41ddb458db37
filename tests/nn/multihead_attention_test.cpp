// nn::MultiheadAttention on the host against PyG/torch (bodies in tests/nn/multihead_attention_cases.hpp).

#include <graphtx/ops/reference/graph_attention.hpp>

#include "nn/multihead_attention_cases.hpp"

namespace mc = graphtx::test::mha_cases;
using graphtx::host;

TEST_CASE("MultiheadAttention matches torch as GPSConv applies it", "[nn][mha][pyg]") { mc::golden<host>(); }
TEST_CASE("MultiheadAttention counts: profiled == static (torch's slow path)", "[nn][mha][profile]") {
  mc::counts_match<host>();
}
TEST_CASE("MultiheadAttention save/load round trip", "[nn][mha][io]") { mc::round_trip<host>(); }
TEST_CASE("MultiheadAttention attends within each graph only", "[nn][mha]") { mc::graphs_are_independent<host>(); }
TEST_CASE("MultiheadAttention names bad input", "[nn][mha][errors]") { mc::bad_input_is_named<host>(); }

TEST_CASE("MultiheadAttention state_dict names, strict load and tree", "[nn][mha][io][errors][profile]") {
  namespace nn = graphtx::nn;
  std::vector<std::string> names;
  for (auto const& e : nn::state_entries(nn::Model<mc::Mha>{})) names.push_back(e.name);
  CHECK(names == std::vector<std::string>{"in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"});
  graphtx::test::checks::check_strict_load<mc::Mha>("modules", "mha", "in_proj_weight");
  graphtx::test::checks::check_strict_load<mc::Mha>("modules", "mha", "out_proj.bias");
  using NoBias = nn::MultiheadAttention<nn::MhaConfig{.embed_dim = 8, .heads = 2, .bias = false}>;
  static_assert(NoBias::parameter_count == 24 * 8 + 64);
  CHECK(nn::count_parameters(nn::Model<NoBias>{}) == NoBias::parameter_count);
  auto const g = graphtx::test::load_module_golden("modules", "mha");
  REQUIRE_THROWS_WITH(nn::Model<NoBias>::load(*g.weights), Catch::Contains("in_proj_bias, out_proj.bias"));

  auto const t = nn::Model<mc::Mha>::profile_module();
  CHECK(t.type == "MultiheadAttention");
  CHECK(t.own_params == 24 * 8 + 24);
  CHECK(t.at("out_proj").type == "NonDynamicallyQuantizableLinear");
  CHECK(t.at("out_proj").extra_repr == "in_features=8, out_features=8, bias=True");
  CHECK(t.params() == mc::Mha::parameter_count);
}

TEST_CASE("MultiheadAttention equals the ops it is made of", "[nn][mha]") {
  namespace nn = graphtx::nn;
  auto const g = graphtx::test::load_module_golden("modules", "mha");
  auto const model = graphtx::test::golden_model<mc::Mha>(g);
  auto const batch = graphtx::test::golden_batch(g.io);
  auto const y = model.forward(batch);
  // q, k, v from the whole in-projection at once, split by columns; the reference attention; out_proj.
  graphtx::index_t const n = batch.num_nodes();
  graphtx::Tensor<float, 2> qkv({n, 24});
  graphtx::ops::linear(batch.x.cview(), model.in_proj_weight.cview(), model.in_proj_bias.cview(), qkv.view());
  graphtx::Tensor<float, 2> q({n, 8}), k({n, 8}), v({n, 8}), a({n, 8}), out({n, 8});
  for (graphtx::index_t i = 0; i < n; ++i)
    for (graphtx::index_t c = 0; c < 8; ++c) {
      q(i, c) = qkv(i, c);
      k(i, c) = qkv(i, 8 + c);
      v(i, c) = qkv(i, 16 + c);
    }
  graphtx::ops::reference::graph_attention(q.cview(), k.cview(), v.cview(), batch.ptr.cview(), 2, a.view());
  graphtx::ops::linear(a.cview(), model.out_proj.weight.cview(), model.out_proj.bias.cview(), out.view());
  GRAPHTX_REQUIRE_CLOSE(y.cview(), out.cview(), graphtx::test::Tolerance{1e-6, 1e-7});
}
