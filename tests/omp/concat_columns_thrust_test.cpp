// The Thrust-backed concat_columns (include/graphtx/ops/thrust/concat_columns.hpp, the code the CUDA
// backend runs) built with g++ on Thrust's OpenMP system: bitwise equal to the reference and to the
// host backend (a copy), the same for 1 and 2 OpenMP threads, columns outside the block untouched.

#include <catch2/catch.hpp>

#include <tuple>

#include <graphtx/ops/concat_columns.hpp>
#include <graphtx/ops/reference/concat_columns.hpp>
#include <graphtx/ops/thrust/concat_columns.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"
#include "support/thrust_omp.hpp"

namespace gx = graphtx;
namespace tb = graphtx::ops::thrust_backend;
using gx::index_t;

TEST_CASE("Thrust-OMP concat_columns matches the reference and the host backend", "[omp][thrust][concat_columns]") {
  gx::test::rng_t rng(7302);
  auto const shape = GENERATE(table<index_t, index_t, index_t, index_t>(
      {{0, 3, 5, 1}, {4, 0, 5, 5}, {7, 3, 8, 0}, {7, 3, 8, 5}, {9, 6, 6, 0}, {2000, 40, 100, 37}}));
  // Not a structured binding: clang 14 cannot capture one in the lambda below.
  index_t const r = std::get<0>(shape), f = std::get<1>(shape), w = std::get<2>(shape), offset = std::get<3>(shape);
  CAPTURE(r, f, w, offset);
  auto const x = gx::test::random_normal<float, 2>(rng, {r, f});
  auto const y = gx::test::same_for_1_and_2_threads([&] {
    auto out = gx::Tensor<float, 2>::filled({r, w}, 7.5f);
    tb::concat_columns(gx::test::omp_policy, x.data(), r, f, out.data(), w, offset);
    return out;
  });
  auto ref = gx::Tensor<float, 2>::filled({r, w}, 7.5f);
  gx::ops::reference::concat_columns<float>(x, offset, ref.view());
  CHECK(y.to_vector() == ref.to_vector());
  auto host = gx::Tensor<float, 2>::filled({r, w}, 7.5f);
  gx::ops::concat_columns(x, offset, host.view());
  CHECK(y.to_vector() == host.to_vector());
}
