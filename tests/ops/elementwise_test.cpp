// ops::add and ops::head_mean (host) against ops::reference (double arithmetic).

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include <graphtx/ops/elementwise.hpp>
#include <graphtx/ops/reference/elementwise.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

namespace {
constexpr double unit_roundoff = 5.9604644775390625e-08;  // 2^-24
}

TEST_CASE("add sums elementwise, also in place, on a hand-checked example", "[ops][elementwise]") {
  auto a = gx::Tensor<float, 2>::from({2, 2}, {1, 2, 3, 4});
  auto b = gx::Tensor<float, 2>::from({2, 2}, {10, -20, 0.5f, 0});
  gx::Tensor<float, 2> y({2, 2});
  gx::ops::add(a, b, y.view());
  CHECK(y.to_vector() == std::vector<float>{11, -18, 3.5f, 4});
  gx::ops::add(a, b, a.view());  // y aliases a (the skip term: out = out + lin_skip(x))
  CHECK(a.to_vector() == std::vector<float>{11, -18, 3.5f, 4});
  gx::ops::add(a, b, b.view());  // y aliases b
  CHECK(b.to_vector() == std::vector<float>{21, -38, 4, 4});
}

TEST_CASE("add matches the double reference on random inputs", "[ops][elementwise]") {
  gx::test::rng_t rng(55);
  auto [n, f] = GENERATE(table<index_t, index_t>({{0, 5}, {9, 1}, {31, 7}, {1024, 256}}));
  CAPTURE(n, f);
  auto a = gx::test::random_normal<float, 2>(rng, {n, f});
  auto b = gx::test::random_normal<float, 2>(rng, {n, f});
  gx::Tensor<float, 2> y({n, f});
  gx::ops::add(a, b, y.view());
  gx::Tensor<double, 2> ref({n, f});
  gx::ops::reference::add<double>(gx::test::convert<double>(a.cview()), gx::test::convert<double>(b.cview()),
                                  ref.view());
  // One correctly rounded float addition: |y - (a + b)| <= u |a + b|, nothing more.
  GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), (gx::test::Tolerance{unit_roundoff, 0.0}));
}

TEST_CASE("head_mean averages heads by summing in head order and dividing", "[ops][elementwise]") {
  // N = 2, H = 3, C = 2: x[n] = (h0c0, h0c1, h1c0, h1c1, h2c0, h2c1).
  auto x = gx::Tensor<float, 2>::from({2, 6}, {1, 2, 3, 4, 5, 6, 0, -3, 3, 3, 3, 3});
  gx::Tensor<float, 2> y({2, 2});
  gx::ops::head_mean(x, 3, y.view());
  CHECK(y.to_vector() == std::vector<float>{3, 4, 2, 1});

  // torch's mean is sum / H. For this sum, sum * (1/3) rounds differently from sum / 3, so the
  // check below fails for an implementation that multiplies by the reciprocal.
  float const a = 0.1f, b = 0.3f, c = 0.5f;
  float const sum = (a + b) + c;
  float const third = 1.0f / 3.0f;
  REQUIRE(sum / 3.0f != sum * third);  // guards the test itself: the two roundings differ here
  auto xr = gx::Tensor<float, 2>::from({1, 3}, {a, b, c});  // H = 3, C = 1
  gx::Tensor<float, 2> yr({1, 1});
  gx::ops::head_mean(xr, 3, yr.view());
  CHECK(yr(0, 0) == sum / 3.0f);
}

TEST_CASE("head_mean matches the double reference on random inputs", "[ops][elementwise]") {
  gx::test::rng_t rng(66);
  // (N, H, C): N = 0, H = 1 (a copy), C = 1, and the seed's 32 heads of 256 at a modest N.
  auto [n, h, c] = GENERATE(table<index_t, int, index_t>({{0, 4, 8}, {5, 1, 7}, {6, 5, 1}, {40, 32, 256}}));
  CAPTURE(n, h, c);
  auto x = gx::test::random_uniform<float, 2>(rng, {n, h * c});
  gx::Tensor<float, 2> y({n, c});
  gx::ops::head_mean(x, h, y.view());
  gx::Tensor<double, 2> ref({n, c});
  gx::ops::reference::head_mean<double>(gx::test::convert<double>(x.cview()), h, ref.view());
  // H - 1 float additions of |x| < 1 err by at most gamma_H * H; dividing by H scales that to
  // gamma_H, and the division adds one rounding (u |mean| <= u).
  double const k = static_cast<double>(h);
  double const gamma = k * unit_roundoff / (1 - k * unit_roundoff);
  GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), (gx::test::Tolerance{0.0, gamma + unit_roundoff}));
}

TEST_CASE("add and head_mean report the tensor, dim and extents of every shape mismatch", "[ops][elementwise]") {
  gx::Tensor<float, 2> a({3, 4});
  gx::Tensor<float, 2> b_rows({2, 4});
  gx::Tensor<float, 2> b_cols({3, 5});
  gx::Tensor<float, 2> y({3, 4});
  REQUIRE_THROWS_AS(gx::ops::add(a, b_rows, y.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::add(a, b_rows, y.view()), Catch::Contains("add: b has extent 2 in dim 0, expected 3"));
  REQUIRE_THROWS_WITH(gx::ops::add(a, b_cols, y.view()), Catch::Contains("add: b has extent 5 in dim 1, expected 4"));
  REQUIRE_THROWS_WITH(gx::ops::add(a, a, b_rows.view()), Catch::Contains("add: y has extent 2 in dim 0, expected 3"));
  REQUIRE_THROWS_WITH(gx::ops::add(a, a, b_cols.view()), Catch::Contains("add: y has extent 5 in dim 1, expected 4"));

  gx::Tensor<float, 2> x({3, 12});
  gx::Tensor<float, 2> out({3, 4});
  REQUIRE_THROWS_AS(gx::ops::head_mean(x, 0, out.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::head_mean(x, 0, out.view()),
                      Catch::Contains("head_mean: heads is 0, expected a positive count"));
  REQUIRE_THROWS_AS(gx::ops::head_mean(x, 2, out.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::head_mean(x, 2, out.view()),
                      Catch::Contains("head_mean: x has extent 12 in dim 1, expected 8 (heads 2 x C 4"));
  gx::Tensor<float, 2> out_rows({2, 4});
  REQUIRE_THROWS_WITH(gx::ops::head_mean(x, 3, out_rows.view()),
                      Catch::Contains("head_mean: y has extent 2 in dim 0, expected 3"));
  REQUIRE_THROWS_WITH(gx::ops::reference::head_mean<float>(x, 2, out.view()),
                      Catch::Contains("reference::head_mean: x has extent 12 in dim 1, expected 8"));
  REQUIRE_THROWS_WITH(gx::ops::reference::add<float>(a, b_cols, y.view()),
                      Catch::Contains("reference::add: b has extent 5 in dim 1, expected 4"));
}
