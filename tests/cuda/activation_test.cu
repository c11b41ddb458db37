// The activation modules of nn/activation.hpp on graphtx::cuda against torch: the host suite's
// bodies (tests/nn/activation_cases.hpp).

#include <graphtx/cuda.hpp>

#include "nn/activation_cases.hpp"
#include "support/cuda_skip.hpp"

namespace ac = graphtx::test::activation_cases;
using Cuda = graphtx::cuda;

TEST_CASE("activation modules on cuda match torch", "[cuda][nn][activation][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ac::goldens_match<Cuda>();
}
TEST_CASE("activation modules on cuda in place equal forward", "[cuda][nn][activation]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ac::in_place_equals_forward<Cuda>();
}
TEST_CASE("activation modules on cuda count as DeepSpeed", "[cuda][nn][activation][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ac::counts_match<Cuda>();
}
