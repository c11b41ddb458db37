// nn::PygLayerNorm (torch_geometric.nn.LayerNorm) on graphtx::cuda against PyG: the host suite's
// bodies (tests/nn/graph_layer_norm_cases.hpp).

#include <graphtx/cuda.hpp>

#include "nn/graph_layer_norm_cases.hpp"
#include "support/cuda_skip.hpp"

namespace lc = graphtx::test::graph_layer_norm_cases;
using Cuda = graphtx::cuda;

TEST_CASE("PyG LayerNorm on cuda matches PyG", "[cuda][nn][pyg_layer_norm][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  lc::goldens_match<Cuda>();
}
TEST_CASE("PyG LayerNorm on cuda: .batch chooses PyG's branch", "[cuda][nn][pyg_layer_norm][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  lc::batch_choice_matters<Cuda>();
}
TEST_CASE("PyG LayerNorm on cuda affine=False equals weight 1, bias 0", "[cuda][nn][pyg_layer_norm]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  lc::no_affine_is_unit_affine<Cuda>();
}
TEST_CASE("PyG LayerNorm on cuda in place equals forward", "[cuda][nn][pyg_layer_norm]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  lc::in_place_equals_forward<Cuda>();
}
TEST_CASE("PyG LayerNorm on cuda counts: profiled == static", "[cuda][nn][pyg_layer_norm][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  lc::counts_match<Cuda>();
}
TEST_CASE("PyG LayerNorm on cuda save/load round trip", "[cuda][nn][pyg_layer_norm][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  lc::round_trip<Cuda>();
}
TEST_CASE("PyG LayerNorm on cuda names bad input", "[cuda][nn][pyg_layer_norm][errors]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  lc::bad_input_is_named<Cuda>();
}
