// ops::concat_columns (host) against ops::reference::concat_columns: a copy, so results must be
// bitwise identical (tolerance 0), and the columns outside the block untouched.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <graphtx/ops/concat_columns.hpp>
#include <graphtx/ops/reference/concat_columns.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

TEST_CASE("concat_columns writes torch.cat([a, b], -1) on a hand-checked example", "[ops][concat_columns]") {
  auto a = gx::Tensor<float, 2>::from({2, 2}, {1, 2, 3, 4});         // [R=2, 2]
  auto b = gx::Tensor<float, 2>::from({2, 3}, {10, 11, 12, 13, 14, 15});  // [R=2, 3]
  auto y = gx::Tensor<float, 2>::filled({2, 5}, -1.0f);
  gx::ops::concat_columns(a, 0, y.view());
  CHECK(y.to_vector() == std::vector<float>{1, 2, -1, -1, -1, 3, 4, -1, -1, -1});
  gx::ops::concat_columns(b, 2, y.view());
  CHECK(y.to_vector() == std::vector<float>{1, 2, 10, 11, 12, 3, 4, 13, 14, 15});

  auto ref = gx::Tensor<float, 2>::filled({2, 5}, -1.0f);
  gx::ops::reference::concat_columns<float>(a, 0, ref.view());
  gx::ops::reference::concat_columns<float>(b, 2, ref.view());
  CHECK(ref.to_vector() == y.to_vector());
}

TEST_CASE("concat_columns matches the reference bitwise on random inputs", "[ops][concat_columns]") {
  gx::test::rng_t rng(7301);
  // (R, F, W, offset): R = 0, F = 0, a block at the start, in the middle, at the end, the whole row,
  // and sizes large enough for the OpenMP path.
  auto [r, f, w, offset] = GENERATE(table<index_t, index_t, index_t, index_t>(
      {{0, 3, 5, 1}, {4, 0, 5, 5}, {7, 3, 8, 0}, {7, 3, 8, 2}, {7, 3, 8, 5}, {9, 6, 6, 0}, {3000, 40, 100, 37}}));
  CAPTURE(r, f, w, offset);
  auto x = gx::test::random_normal<float, 2>(rng, {r, f});
  auto y = gx::Tensor<float, 2>::filled({r, w}, 7.5f);
  gx::ops::concat_columns(x, offset, y.view());
  auto ref = gx::Tensor<double, 2>::filled({r, w}, 7.5);
  gx::ops::reference::concat_columns<double>(gx::test::convert<double>(x.cview()), offset, ref.view());
  GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), (gx::test::Tolerance{0.0, 0.0}));
}

TEST_CASE("concat_columns copies the bits: NaN, infinities, -0.0, denormals", "[ops][concat_columns]") {
  float const nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  auto x = gx::Tensor<float, 2>::from({1, 5}, {nan, inf, -inf, -0.0f, 1e-40f});
  gx::Tensor<float, 2> y = gx::Tensor<float, 2>::zeros({1, 6});
  gx::ops::concat_columns(x, 1, y.view());
  CHECK(y(0, 0) == 0.0f);
  CHECK(std::memcmp(x.data(), y.data() + 1, 5 * sizeof(float)) == 0);
}

TEST_CASE("concat_columns reports blocks that do not fit", "[ops][concat_columns]") {
  gx::Tensor<float, 2> x({3, 4});
  gx::Tensor<float, 2> y({3, 6});
  REQUIRE_THROWS_AS(gx::ops::concat_columns(x, 3, y.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::concat_columns(x, 3, y.view()),
                      Catch::Contains("concat_columns: columns [3, 7) of x (F = 4 at offset 3) do not fit in y of 6 columns"));
  REQUIRE_THROWS_WITH(gx::ops::concat_columns(x, -1, y.view()), Catch::Contains("at offset -1"));
  gx::Tensor<float, 2> y_rows({2, 6});
  REQUIRE_THROWS_WITH(gx::ops::concat_columns(x, 0, y_rows.view()),
                      Catch::Contains("concat_columns: y (rows of x) has extent 2 in dim 0, expected 3"));
  REQUIRE_THROWS_WITH(gx::ops::reference::concat_columns<float>(x, 3, y.view()),
                      Catch::Contains("reference::concat_columns: columns [3, 7)"));
}
