// nn::MultiheadAttention on graphtx::cuda against torch: the host suite's bodies
// (tests/nn/multihead_attention_cases.hpp).

#include <graphtx/cuda.hpp>

#include "nn/multihead_attention_cases.hpp"
#include "support/cuda_skip.hpp"

namespace mc = graphtx::test::mha_cases;
using Cuda = graphtx::cuda;

TEST_CASE("MultiheadAttention on cuda matches torch as GPSConv applies it", "[cuda][nn][mha][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::golden<Cuda>();
}
TEST_CASE("MultiheadAttention on cuda counts: profiled == static", "[cuda][nn][mha][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::counts_match<Cuda>();
}
TEST_CASE("MultiheadAttention on cuda save/load round trip", "[cuda][nn][mha][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::round_trip<Cuda>();
}
TEST_CASE("MultiheadAttention on cuda attends within each graph only", "[cuda][nn][mha]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::graphs_are_independent<Cuda>();
}
TEST_CASE("MultiheadAttention on cuda names bad input", "[cuda][nn][mha][errors]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::bad_input_is_named<Cuda>();
}
