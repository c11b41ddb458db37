// nn::Embedding, nn::AtomEncoder and nn::BondEncoder on graphtx::cuda against PyG / OGB: the host
// suite's bodies (tests/nn/embedding_cases.hpp).

#include <graphtx/cuda.hpp>

#include "nn/embedding_cases.hpp"
#include "support/cuda_skip.hpp"

namespace ec = graphtx::test::embedding_cases;
using Cuda = graphtx::cuda;

TEST_CASE("Embedding / AtomEncoder / BondEncoder on cuda match PyG bitwise", "[cuda][nn][embedding][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ec::goldens_match<Cuda>();
}
TEST_CASE("BondEncoder on cuda as OnEdges in a composition", "[cuda][nn][embedding][pyg]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ec::bond_encoder_on_edges<Cuda>();
}
TEST_CASE("Embedding / OGB encoders on cuda state_dict names", "[cuda][nn][embedding][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ec::state_names<Cuda>();
}
TEST_CASE("Embedding / OGB encoders on cuda counts: profiled == static", "[cuda][nn][embedding][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ec::counts_match<Cuda>();
}
TEST_CASE("Embedding / OGB encoders on cuda save/load round trip", "[cuda][nn][embedding][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ec::round_trip<Cuda>();
}
TEST_CASE("Embedding / OGB encoders on cuda random init", "[cuda][nn][embedding]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ec::random_init_has_unit_variance<Cuda>();
}
TEST_CASE("Embedding / OGB encoders on cuda name bad input", "[cuda][nn][embedding][errors]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  ec::bad_input_is_named<Cuda>();
}
