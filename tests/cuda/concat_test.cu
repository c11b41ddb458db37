// nn::Concat and ops::concat_columns on graphtx::cuda: the host suite's bodies
// (tests/nn/concat_cases.hpp) and the op against the host backend (a copy: bitwise).

#include <graphtx/cuda.hpp>

#include "nn/concat_cases.hpp"
#include "support/cuda_skip.hpp"
#include "support/random.hpp"

namespace cc = graphtx::test::concat_cases;
using gcuda = graphtx::cuda;

TEST_CASE("concat_columns on cuda equals the host backend", "[cuda][ops][concat_columns]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  namespace gx = graphtx;
  gx::test::rng_t rng(7303);
  for (auto [r, f, w, offset] : std::vector<std::array<gx::index_t, 4>>{{0, 3, 5, 1}, {7, 3, 8, 5}, {2000, 40, 100, 37}}) {
    CAPTURE(r, f, w, offset);
    auto const x = gx::test::random_normal<float, 2>(rng, {r, f});
    auto host = gx::Tensor<float, 2>::filled({r, w}, 7.5f);
    gx::ops::concat_columns(x, offset, host.view());
    auto dev = gx::to_space<gcuda>(gx::Tensor<float, 2>::filled({r, w}, 7.5f));
    auto const xd = gx::to_space<gcuda>(x);
    gx::ops::concat_columns(xd.cview(), offset, dev.view());
    CHECK(gx::to_space<gx::host>(dev).to_vector() == host.to_vector());
  }
}
TEST_CASE("Concat on cuda is torch.cat of its branches", "[cuda][nn][concat]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  cc::both_is_the_cat_of_its_branches<gcuda>();
}
TEST_CASE("Concat on cuda in a Module is the chain by hand", "[cuda][nn][concat]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  cc::net_is_the_chain_by_hand<gcuda>();
}
TEST_CASE("Concat on cuda counts: profiled == static", "[cuda][nn][concat][profile]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  cc::counts_match<gcuda>();
}
TEST_CASE("Concat on cuda save/load round trip", "[cuda][nn][concat][io]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  cc::round_trip<gcuda>();
}
TEST_CASE("Concat on cuda names bad input", "[cuda][nn][concat][errors]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  cc::bad_input_is_named<gcuda>();
}
