// The GPS molecule model on graphtx::cuda against PyG: the host suite's bodies
// (tests/nn/gps_molecule_cases.hpp).

#include <graphtx/cuda.hpp>

#include "nn/gps_molecule_cases.hpp"
#include "support/cuda_skip.hpp"

namespace mc = graphtx::test::gps_molecule_cases;
using Cuda = graphtx::cuda;

TEST_CASE("GPS molecule model on cuda matches PyG", "[cuda][nn][gps_molecule][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::golden<Cuda>("gps_molecule");
  mc::golden<Cuda>("gps_molecule_g1");
  mc::golden<Cuda>("gps_molecule_zero_node_graph");
}
TEST_CASE("GPS molecule model on cuda counts: profiled == static", "[cuda][nn][gps_molecule][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::counts_match<Cuda>();
}
TEST_CASE("GPS molecule model on cuda save/load round trip", "[cuda][nn][gps_molecule][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  mc::round_trip<Cuda>();
}
