// nn::GPSConv on graphtx::cuda against PyG: the host suite's bodies (tests/nn/gps_conv_cases.hpp).

#include <graphtx/cuda.hpp>

#include "nn/gps_conv_cases.hpp"
#include "support/cuda_skip.hpp"

namespace gc = graphtx::test::gps_cases;
using Cuda = graphtx::cuda;

TEST_CASE("GPSConv on cuda matches PyG (GINEConv, batch_norm)", "[cuda][nn][gps][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::golden_batch_norm<Cuda>();
}
TEST_CASE("GPSConv on cuda matches PyG (conv=None)", "[cuda][nn][gps][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::golden_no_conv<Cuda>();
}
TEST_CASE("GPSConv on cuda matches PyG (layer_norm with batch)", "[cuda][nn][gps][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::golden_layer_norm<Cuda>();
}
TEST_CASE("GPSConv on cuda counts: profiled == static", "[cuda][nn][gps][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::counts_match<Cuda>();
}
TEST_CASE("GPSConv on cuda save/load round trip", "[cuda][nn][gps][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::round_trip<Cuda>();
}
TEST_CASE("GPSConv on cuda without a conv never runs norm1", "[cuda][nn][gps]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::no_conv_never_runs_norm1<Cuda>();
}
TEST_CASE("GPSConv on cuda names bad input", "[cuda][nn][gps][errors]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gc::bad_input_is_named<Cuda>();
}
