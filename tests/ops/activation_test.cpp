// ops::relu (host) against ops::reference::relu: no arithmetic, so bitwise equality.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include <graphtx/ops/activation.hpp>
#include <graphtx/ops/reference/activation.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

TEST_CASE("relu zeroes negatives and propagates NaN on a hand-checked example", "[ops][activation]") {
  float const nan = std::numeric_limits<float>::quiet_NaN();
  float const inf = std::numeric_limits<float>::infinity();
  auto x = gx::Tensor<float, 2>::from({2, 4}, {-2.0f, 0.0f, 3.5f, nan, -inf, inf, -1e-30f, 1e-30f});
  gx::Tensor<float, 2> y({2, 4});
  gx::ops::relu(x, y.view());
  CHECK(y(0, 0) == 0.0f);
  CHECK(y(0, 1) == 0.0f);
  CHECK(y(0, 2) == 3.5f);
  CHECK(std::isnan(y(0, 3)));  // torch.relu(nan) is nan, not 0
  CHECK(y(1, 0) == 0.0f);
  CHECK(y(1, 1) == inf);
  CHECK(y(1, 2) == 0.0f);
  CHECK(y(1, 3) == 1e-30f);

  gx::Tensor<double, 2> yd({2, 4});
  gx::ops::reference::relu<double>(gx::test::convert<double>(x.cview()), yd.view());
  CHECK(std::isnan(yd(0, 3)));
  CHECK(yd(0, 0) == 0.0);
  CHECK(yd(0, 2) == 3.5);

  SECTION("in place") {
    gx::ops::relu(x, x.view());
    CHECK(x(0, 0) == 0.0f);
    CHECK(std::isnan(x(0, 3)));
    CHECK(x(0, 2) == 3.5f);
  }
}

TEST_CASE("relu matches the reference bitwise on random inputs", "[ops][activation]") {
  gx::test::rng_t rng(12);
  // (N, F): empty, F = 1, and one large enough for the OpenMP path (2^18 elements).
  auto [n, f] = GENERATE(table<index_t, index_t>({{0, 256}, {17, 1}, {33, 9}, {1024, 256}}));
  bool const in_place = GENERATE(false, true);
  CAPTURE(n, f, in_place);
  auto x = gx::test::random_normal<float, 2>(rng, {n, f});
  if (x.size() > 3) x.data()[3] = std::numeric_limits<float>::quiet_NaN();
  gx::Tensor<float, 2> ref({n, f});
  gx::ops::reference::relu<float>(x, ref.view());
  gx::Tensor<float, 2> y({n, f});
  if (in_place) {
    y = x.clone();
    gx::ops::relu(y, y.view());
  } else {
    gx::ops::relu(x, y.view());
  }
  GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), (gx::test::Tolerance{0.0, 0.0}));  // no arithmetic: exact
  if (x.size() > 3) CHECK(std::isnan(y.data()[3]));
}

TEST_CASE("relu reports the tensor, dim and extents of a shape mismatch", "[ops][activation]") {
  gx::Tensor<float, 2> x({3, 4});
  gx::Tensor<float, 2> y_rows({2, 4});
  REQUIRE_THROWS_AS(gx::ops::relu(x, y_rows.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::relu(x, y_rows.view()), Catch::Contains("relu: y has extent 2 in dim 0, expected 3"));
  gx::Tensor<float, 2> y_cols({3, 1});
  REQUIRE_THROWS_AS(gx::ops::relu(x, y_cols.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::relu(x, y_cols.view()), Catch::Contains("relu: y has extent 1 in dim 1, expected 4"));
  REQUIRE_THROWS_WITH(gx::ops::reference::relu<float>(x, y_cols.view()),
                      Catch::Contains("reference::relu: y has extent 1 in dim 1, expected 4"));
}
