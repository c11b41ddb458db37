// nn::GPSConv on the host against PyG (bodies in tests/nn/gps_conv_cases.hpp).

#include "nn/gps_conv_cases.hpp"

namespace gc = graphtx::test::gps_cases;
using graphtx::host;

TEST_CASE("GPSConv matches PyG (GINEConv, batch_norm)", "[nn][gps][pyg]") { gc::golden_batch_norm<host>(); }
TEST_CASE("GPSConv matches PyG (conv=None)", "[nn][gps][pyg]") { gc::golden_no_conv<host>(); }
TEST_CASE("GPSConv matches PyG (layer_norm with batch)", "[nn][gps][pyg]") { gc::golden_layer_norm<host>(); }
TEST_CASE("GPSConv counts: profiled == static", "[nn][gps][profile]") { gc::counts_match<host>(); }
TEST_CASE("GPSConv save/load round trip", "[nn][gps][io]") { gc::round_trip<host>(); }
TEST_CASE("GPSConv without a conv never runs norm1", "[nn][gps]") { gc::no_conv_never_runs_norm1<host>(); }
TEST_CASE("GPSConv names bad input", "[nn][gps][errors]") { gc::bad_input_is_named<host>(); }

TEST_CASE("GPSConv state_dict names, strict load and tree", "[nn][gps][io][errors][profile]") {
  namespace nn = graphtx::nn;
  std::vector<std::string> names;
  for (auto const& e : nn::state_entries(nn::Model<gc::GpsLayerNorm>{})) names.push_back(e.name);
  CHECK(names == std::vector<std::string>{
                     "conv.eps", "conv.nn.0.weight", "conv.nn.0.bias", "conv.nn.2.weight", "conv.nn.2.bias",
                     "attn.in_proj_weight", "attn.in_proj_bias", "attn.out_proj.weight", "attn.out_proj.bias",
                     "mlp.0.weight", "mlp.0.bias", "mlp.3.weight", "mlp.3.bias", "norm1.weight", "norm1.bias",
                     "norm2.weight", "norm2.bias", "norm3.weight", "norm3.bias"});
  graphtx::test::checks::check_strict_load<gc::Gps>("modules", "gps_conv", "norm3.module.running_var");
  graphtx::test::checks::check_strict_load<gc::Gps>("modules", "gps_conv", "norm2.module.num_batches_tracked");
  graphtx::test::checks::check_strict_load<gc::Gps>("modules", "gps_conv", "conv.eps");
  graphtx::test::checks::check_strict_load<gc::GpsNoConv>("modules", "gps_conv_no_conv", "norm1.module.weight");
  graphtx::test::checks::check_strict_load<gc::GpsLayerNorm>("modules", "gps_conv_layer_norm", "mlp.3.weight");
  // A file with a conv into a GPSConv without one: the conv's keys are unexpected.
  auto const g = graphtx::test::load_module_golden("modules", "gps_conv");
  REQUIRE_THROWS_WITH(nn::Model<gc::GpsNoConv>::load(*g.weights), Catch::Contains("unexpected key") &&
                                                                     Catch::Contains("conv.eps"));

  auto const t = nn::Model<gc::Gps>::profile_module();
  CHECK(t.type == "GPSConv");
  std::vector<std::string> children;
  for (auto const& c : t.children) children.push_back(c.name);
  CHECK(children == std::vector<std::string>{"conv", "attn", "mlp", "norm1", "norm2", "norm3"});
  CHECK(t.at("conv").type == "GINEConv");
  CHECK(t.at("attn").type == "MultiheadAttention");
  CHECK(t.at("mlp.1").type == "ReLU");
  CHECK(t.at("mlp.2").extra_repr == "p=0.0, inplace=False");
  CHECK(t.params() == gc::Gps::parameter_count);
  CHECK(nn::Model<gc::GpsNoConv>::profile_module().children.size() == 5);
}

TEST_CASE("GPSConv with act='gelu'", "[nn][gps][profile]") {
  namespace nn = graphtx::nn;
  using GpsGelu = nn::GPSConv<gc::Gine8, nn::GpsConfig{.channels = 8, .heads = 2, .act = nn::gps_act::gelu}>;
  static_assert(GpsGelu::parameter_count == gc::Gps::parameter_count);
  CHECK(nn::Model<GpsGelu>::profile_module().at("mlp.1").type == "GELU");
  // The same keys as act='relu': the relu golden's weights load; counts as a profiled forward.
  auto const t = graphtx::test::checks::check_counts<GpsGelu, graphtx::host>("modules", "gps_conv");
  CHECK(t.at("mlp.1").flops() == 20 * 16);
}
