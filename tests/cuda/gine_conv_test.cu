// nn::GINEConv on graphtx::cuda against PyG: the host suite's bodies (tests/nn/gine_conv_cases.hpp).

#include <graphtx/cuda.hpp>

#include "nn/gine_conv_cases.hpp"
#include "support/cuda_skip.hpp"

namespace gc = graphtx::test::gine_cases;
using Cuda = graphtx::cuda;

TEST_CASE("GINEConv on cuda matches PyG (train_eps, eps = 0.3)", "[cuda][nn][gine][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::golden_gine<Cuda>();
}
TEST_CASE("GINEConv on cuda matches PyG (edge_dim)", "[cuda][nn][gine][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::golden_gine_edge_dim<Cuda>();
}
TEST_CASE("GINEConv on cuda loads eps", "[cuda][nn][gine]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::eps_is_loaded<Cuda>();
}
TEST_CASE("GINEConv on cuda counts: profiled == static", "[cuda][nn][gine][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::counts_match<Cuda>();
}
TEST_CASE("GINEConv on cuda save/load round trip", "[cuda][nn][gine][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::round_trip<Cuda>();
}
TEST_CASE("GINEConv on cuda names bad input", "[cuda][nn][gine][errors]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::bad_edge_features_are_named<Cuda>();
}
