// nn::GlobalAddPool / GlobalMeanPool / GlobalMaxPool on graphtx::cuda against PyG: the host suite's
// bodies (tests/nn/pooling_cases.hpp).

#include <graphtx/cuda.hpp>

#include "nn/pooling_cases.hpp"
#include "support/cuda_skip.hpp"

namespace pc = graphtx::test::pooling_cases;
using gcuda = graphtx::cuda;

TEST_CASE("global pools on cuda match PyG", "[cuda][nn][pooling][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  pc::golden_pools<gcuda>();
}
TEST_CASE("global pools on cuda match PyG with batch=None", "[cuda][nn][pooling][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  pc::golden_pools_batch_none<gcuda>();
}
TEST_CASE("global pools on cuda give 0 for empty graphs", "[cuda][nn][pooling]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  pc::empty_graphs_give_zero<gcuda>();
}
TEST_CASE("global pools on cuda counts: profiled == static", "[cuda][nn][pooling][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  pc::counts_match<gcuda>();
}
TEST_CASE("global pools on cuda have an empty state_dict", "[cuda][nn][pooling][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  pc::empty_state_dict<gcuda>();
}
TEST_CASE("global pools on cuda name a ptr of the wrong length", "[cuda][nn][pooling][errors]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  pc::bad_ptr_is_named<gcuda>();
}
