// nn::BatchNorm1d and nn::PygBatchNorm on graphtx::cuda against PyG: the host suite's bodies
// (tests/nn/batch_norm_cases.hpp).

#include <graphtx/cuda.hpp>

#include "nn/batch_norm_cases.hpp"
#include "support/cuda_skip.hpp"

namespace bc = graphtx::test::batch_norm_cases;
using Cuda = graphtx::cuda;

TEST_CASE("BatchNorm1d on cuda matches PyG (affine, no affine, module.*)", "[cuda][nn][batch_norm][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  bc::goldens_match<Cuda>();
}
TEST_CASE("BatchNorm1d on cuda state_dict: names, buffers, num_batches_tracked", "[cuda][nn][batch_norm][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  bc::state_names_and_buffers<Cuda>();
}
TEST_CASE("BatchNorm1d on cuda init is torch's", "[cuda][nn][batch_norm]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  bc::init_is_torchs<Cuda>();
}
TEST_CASE("BatchNorm1d on cuda in place equals forward", "[cuda][nn][batch_norm]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  bc::in_place_equals_forward<Cuda>();
}
TEST_CASE("BatchNorm1d on cuda counts: profiled == static", "[cuda][nn][batch_norm][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  bc::counts_match<Cuda>();
}
TEST_CASE("BatchNorm1d on cuda save/load round trip", "[cuda][nn][batch_norm][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  bc::round_trip<Cuda>();
}
TEST_CASE("BatchNorm1d on cuda names a bad width", "[cuda][nn][batch_norm][errors]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  bc::bad_width_is_named<Cuda>();
}
