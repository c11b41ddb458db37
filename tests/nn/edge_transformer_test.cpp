// The EdgeTransformer (tools/graphtx_pyg.py) as a composition on the host, against PyG (bodies in
// tests/nn/edge_transformer_cases.hpp), and what does not depend on the space: the tree, strict load.

#include <cstdlib>
#include <iostream>

#include "nn/edge_transformer_cases.hpp"

namespace ec = graphtx::test::edge_transformer_cases;
namespace nn = graphtx::nn;
using graphtx::host;

TEST_CASE("EdgeTransformer matches PyG (y)", "[nn][edge_transformer][pyg][model]") {
  auto const r = ec::golden_y<host>();
  // Measured on the host: max |diff| 1.5e-7 (max rel 3.7e-6) over the 12 values.
  CHECK(r.max_abs < 1e-5);
}
TEST_CASE("EdgeTransformer node_forward feeds the head", "[nn][edge_transformer][model]") {
  ec::node_forward_feeds_the_head<host>();
}
TEST_CASE("EdgeTransformer counts: profiled == static", "[nn][edge_transformer][profile][model]") { ec::counts_match<host>(); }
TEST_CASE("EdgeTransformer save/load round trip", "[nn][edge_transformer][io][model]") { ec::round_trip<host>(); }
TEST_CASE("EdgeTransformer names bad input", "[nn][edge_transformer][errors][model]") {
  ec::bad_edge_features_are_named<host>();
}

TEST_CASE("EdgeTransformer loads strictly", "[nn][edge_transformer][io][errors][model]") {
  graphtx::test::checks::check_strict_load<ec::EdgeTransformer>("models", "edge_transformer", "blocks.2.conv.lin_edge.weight");
  graphtx::test::checks::check_strict_load<ec::EdgeTransformer>("models", "edge_transformer", "head.2.bias");
  auto const entries = nn::state_entries(nn::Model<ec::EdgeTransformer>{});
  REQUIRE(entries.size() == 40);  // 3 blocks x (10 conv + 2 norm) + 4 head
  CHECK(entries.front().name == "blocks.0.conv.lin_key.weight");
  CHECK(entries[11].name == "blocks.0.norm.bias");
  CHECK(entries.back().name == "head.2.bias");
}

TEST_CASE("EdgeTransformer profile tree", "[nn][edge_transformer][profile][model]") {
  auto const t = nn::Model<ec::EdgeTransformer>::profile_module();
  CHECK(t.type == "EdgeTransformer");
  REQUIRE(t.children.size() == 2);  // blocks, head
  CHECK(t.at("blocks").type == "ModuleList");
  REQUIRE(t.at("blocks").children.size() == 3);
  CHECK(t.at("blocks.1").type == "EdgeTransformerBlock");  // a Residual adds no node
  CHECK(t.at("blocks.1.conv").type == "TransformerConv");
  CHECK(t.at("blocks.2.norm").extra_repr == "(8,), eps=1e-05, elementwise_affine=True");
  CHECK(t.at("head.1").type == "GELU");
  CHECK(t.params() == ec::EdgeTransformer::parameter_count);
}
