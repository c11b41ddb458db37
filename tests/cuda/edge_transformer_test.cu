// The EdgeTransformer composition on graphtx::cuda against PyG: the host suite's bodies
// (tests/nn/edge_transformer_cases.hpp).

#include <graphtx/cuda.hpp>

#include "nn/edge_transformer_cases.hpp"
#include "support/cuda_skip.hpp"

namespace ec = graphtx::test::edge_transformer_cases;
using gcuda = graphtx::cuda;

TEST_CASE("EdgeTransformer on cuda matches PyG (y)", "[cuda][nn][edge_transformer][pyg][model]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  auto const r = ec::golden_y<gcuda>();
  CHECK(r.max_abs < 1e-5);
}
TEST_CASE("EdgeTransformer on cuda node_forward feeds the head", "[cuda][nn][edge_transformer][model]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ec::node_forward_feeds_the_head<gcuda>();
}
TEST_CASE("EdgeTransformer on cuda counts: profiled == static", "[cuda][nn][edge_transformer][profile][model]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ec::counts_match<gcuda>();
}
TEST_CASE("EdgeTransformer on cuda save/load round trip", "[cuda][nn][edge_transformer][io][model]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ec::round_trip<gcuda>();
}
TEST_CASE("EdgeTransformer on cuda names bad input", "[cuda][nn][edge_transformer][errors][model]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ec::bad_edge_features_are_named<gcuda>();
}
