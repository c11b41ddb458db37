// nn::MLP on graphtx::cuda against PyG: the host suite's bodies (tests/nn/mlp_cases.hpp).

#include <graphtx/cuda.hpp>

#include "nn/mlp_cases.hpp"
#include "support/cuda_skip.hpp"

namespace mc = graphtx::test::mlp_cases;
using gcuda = graphtx::cuda;

TEST_CASE("MLP on cuda matches PyG (batch_norm, relu)", "[cuda][nn][mlp][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::golden_mlp<gcuda>();
}
TEST_CASE("MLP on cuda matches PyG (norm=None)", "[cuda][nn][mlp][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::golden_mlp_no_norm<gcuda>();
}
TEST_CASE("MLP on cuda matches PyG (gelu, layer_norm without batch)", "[cuda][nn][mlp][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::golden_mlp_gelu_layernorm<gcuda>();
}
TEST_CASE("MLP on cuda matches PyG (gelu, layer_norm with batch)", "[cuda][nn][mlp][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::golden_mlp_gelu_layernorm_batch<gcuda>();
}
TEST_CASE("MLP on cuda counts: profiled == static", "[cuda][nn][mlp][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::counts_match<gcuda>();
}
TEST_CASE("MLP on cuda runs its act once per hidden layer", "[cuda][nn][mlp][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::act_runs_per_hidden_layer<gcuda>();
}
TEST_CASE("MLP on cuda save/load round trip", "[cuda][nn][mlp][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::round_trip<gcuda>();
}
TEST_CASE("MLP on cuda names bad input", "[cuda][nn][mlp][errors]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::bad_input_is_named<gcuda>();
}
