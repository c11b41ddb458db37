// ops::linear (host, OpenBLAS) against ops::reference::linear (double accumulation), plus
// known answers and every shape error of the front door.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <tuple>
#include <vector>

#include <graphtx/ops/linear.hpp>
#include <graphtx/ops/reference/linear.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

namespace {

/// u = 2^-24, the unit roundoff of float.
constexpr double unit_roundoff = 5.9604644775390625e-08;

/// Checks the float result of x w^T + b (+ y0) against the double reference with the classical
/// dot-product bound |fl(s) - s| <= gamma_k * sum|terms|, gamma_k = k u / (1 - k u), k = in + 2
/// (in products, the bias, the old y). It holds for ANY summation order, blocking or FMA use (what
/// BLAS kernels do), so a correct sgemm can never fail it, while a wrong term (transpose, missing
/// bias, stale y) is off by O(1) and fails. Scale-aware: each element has its own bound. It is
/// tighter than a flat rtol of 1e-5 sqrt(in) for every in below ~27,000.
void require_linear_close(gx::Tensor<float, 2> const& y, gx::Tensor<double, 2> const& ref,
                          gx::Tensor<float, 2> const& x, gx::Tensor<float, 2> const& w, gx::Tensor<float, 1> const& b,
                          gx::Tensor<float, 2> const* y0) {
  index_t const n = x.extent(0), in = x.extent(1), out = w.extent(0);
  REQUIRE(y.extent(0) == n);
  REQUIRE(y.extent(1) == out);
  double const k = static_cast<double>(in + 2);
  double const gamma = k * unit_roundoff / (1.0 - k * unit_roundoff);
  double worst = 0;
  for (index_t i = 0; i < n; ++i) {
    for (index_t o = 0; o < out; ++o) {
      double mag = b.size() != 0 ? std::fabs(b(o)) : 0.0;
      if (y0 != nullptr) mag += std::fabs((*y0)(i, o));
      for (index_t c = 0; c < in; ++c) mag += std::fabs(static_cast<double>(x(i, c)) * w(o, c));
      double const err = std::fabs(static_cast<double>(y(i, o)) - ref(i, o));
      double const bound = gamma * mag + 1e-30;
      if (err > bound) {
        INFO("y(" << i << ", " << o << ") = " << y(i, o) << ", reference " << ref(i, o) << ", error " << err
                  << " > bound " << bound);
        REQUIRE(err <= bound);
      }
      worst = std::max(worst, err / bound);
    }
  }
  INFO("worst error / bound = " << worst);
  SUCCEED();
}

}  // namespace

TEST_CASE("linear computes x w^T + b on a hand-checked example", "[ops][linear]") {
  auto x = gx::Tensor<float, 2>::from({2, 2}, {1, 2, 3, 4});                  // [N=2, in=2]
  auto w = gx::Tensor<float, 2>::from({3, 2}, {1, 0, 0, 1, 1, 1});            // [out=3, in=2]
  auto b = gx::Tensor<float, 1>::from({3}, {0.5f, -1.0f, 2.0f});              // [out]
  gx::Tensor<float, 2> y({2, 3});
  gx::ops::linear(x, w, b, y.view());
  // Row 0: (1, 2) -> (1 + 0.5, 2 - 1, 1 + 2 + 2); row 1: (3, 4) -> (3.5, 3, 9).
  CHECK(y.to_vector() == std::vector<float>{1.5f, 1.0f, 5.0f, 3.5f, 3.0f, 9.0f});

  SECTION("accumulate adds to the old y") {
    gx::ops::linear(x, w, b, y.view(), true);
    CHECK(y.to_vector() == std::vector<float>{3.0f, 2.0f, 10.0f, 7.0f, 6.0f, 18.0f});
  }
  SECTION("an empty bias means no bias") {
    gx::ops::linear(x, w, gx::TensorView<float const, 1>{}, y.view());
    CHECK(y.to_vector() == std::vector<float>{1, 2, 3, 3, 4, 7});
  }
  SECTION("the reference gives the same numbers in float and double") {
    gx::Tensor<float, 2> yf({2, 3});
    gx::ops::reference::linear<float>(x, w, b, yf.view());
    CHECK(yf.to_vector() == std::vector<float>{1.5f, 1.0f, 5.0f, 3.5f, 3.0f, 9.0f});
    auto xd = gx::test::convert<double>(x.cview());
    auto wd = gx::test::convert<double>(w.cview());
    auto bd = gx::test::convert<double>(b.cview());
    gx::Tensor<double, 2> yd({2, 3});
    gx::ops::reference::linear<double>(xd, wd, bd, yd.view());
    CHECK(yd.to_vector() == std::vector<double>{1.5, 1.0, 5.0, 3.5, 3.0, 9.0});
  }
}

TEST_CASE("linear matches the double reference on random inputs of every shape class", "[ops][linear]") {
  gx::test::rng_t rng(20240611);
  // (N, in, out): N = 0, in = 0, out = 0, scalars, the seed's first layer (in = 9), a 256-wide
  // hidden layer, the 256 -> 8192 (H*C) projection at a modest N, and the shapes that take the
  // few-rows kernel of ops/host/detail/small_m_linear.hpp (and one just past it).
  auto [n, in, out] = GENERATE(table<index_t, index_t, index_t>({{0, 9, 256},
                                                                 {7, 0, 5},
                                                                 {5, 3, 0},
                                                                 {1, 1, 1},
                                                                 {3, 1, 17},
                                                                 {37, 9, 256},
                                                                 {19, 256, 256},
                                                                 {64, 256, 8192},
                                                                 // the weight-streaming kernel's edges (N <= 48): an odd N
                                                                 // (row pairs), in not a multiple of 16 and above its
                                                                 // 1024-column chunk, out not a multiple of 8 rows
                                                                 {3, 100, 237},
                                                                 {48, 2500, 9},
                                                                 {1, 64, 8192},
                                                                 {20, 8192, 256},
                                                                 {49, 256, 256}}));
  bool const with_bias = GENERATE(true, false);
  bool const accumulate = GENERATE(false, true);
  CAPTURE(n, in, out, with_bias, accumulate);

  auto x = gx::test::random_uniform<float, 2>(rng, {n, in});
  auto w = gx::test::random_uniform<float, 2>(rng, {out, in}, -0.2, 0.2);
  auto b = with_bias ? gx::test::random_uniform<float, 1>(rng, {out}) : gx::Tensor<float, 1>({0});
  auto y0 = gx::test::random_uniform<float, 2>(rng, {n, out});
  // Without accumulate the old contents of y must be ignored, even NaN (BLAS beta = 0).
  auto y = accumulate ? y0.clone() : gx::Tensor<float, 2>::filled({n, out}, std::numeric_limits<float>::quiet_NaN());

  gx::ops::linear(x, w, b, y.view(), accumulate);

  auto ref = accumulate ? gx::test::convert<double>(y0.cview()) : gx::Tensor<double, 2>::zeros({n, out});
  gx::ops::reference::linear<double>(gx::test::convert<double>(x.cview()), gx::test::convert<double>(w.cview()),
                                     gx::test::convert<double>(b.cview()), ref.view(), accumulate);
  require_linear_close(y, ref, x, w, b, accumulate ? &y0 : nullptr);
}

TEST_CASE("linear with in = 0 gives the bias", "[ops][linear]") {
  gx::Tensor<float, 2> x({4, 0});
  gx::Tensor<float, 2> w({3, 0});
  auto b = gx::Tensor<float, 1>::from({3}, {1, 2, 3});
  auto y = gx::Tensor<float, 2>::filled({4, 3}, 7.0f);
  gx::ops::linear(x, w, b, y.view());
  CHECK(y.to_vector() == std::vector<float>{1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3});
  gx::ops::linear(x, w, gx::TensorView<float const, 1>{}, y.view());
  CHECK(y.to_vector() == std::vector<float>(12, 0.0f));
}

TEST_CASE("linear reports the tensor, dim and extents of every shape mismatch", "[ops][linear]") {
  gx::Tensor<float, 2> x({5, 9});
  gx::Tensor<float, 2> w({4, 9});
  gx::Tensor<float, 1> b({4});
  gx::Tensor<float, 2> y({5, 4});

  gx::Tensor<float, 2> w_bad({4, 8});
  REQUIRE_THROWS_AS(gx::ops::linear(x, w_bad, b, y.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::linear(x, w_bad, b, y.view()),
                      Catch::Contains("linear: w has extent 8 in dim 1, expected 9"));

  gx::Tensor<float, 1> b_bad({3});
  REQUIRE_THROWS_AS(gx::ops::linear(x, w, b_bad, y.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::linear(x, w, b_bad, y.view()),
                      Catch::Contains("linear: b has extent 3 in dim 0, expected 4"));

  gx::Tensor<float, 2> y_rows({6, 4});
  REQUIRE_THROWS_AS(gx::ops::linear(x, w, b, y_rows.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::linear(x, w, b, y_rows.view()),
                      Catch::Contains("linear: y has extent 6 in dim 0, expected 5"));

  gx::Tensor<float, 2> y_cols({5, 5});
  REQUIRE_THROWS_AS(gx::ops::linear(x, w, b, y_cols.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::linear(x, w, b, y_cols.view()),
                      Catch::Contains("linear: y has extent 5 in dim 1, expected 4"));

  // y written over its own input: sgemm would read values it already overwrote.
  gx::Tensor<float, 2> sq({4, 4});
  gx::Tensor<float, 2> w4({4, 4});
  REQUIRE_THROWS_AS(gx::ops::linear(sq, w4, b, sq.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::linear(sq, w4, b, sq.view()), Catch::Contains("linear: y overlaps an input"));

  // The reference checks the same shapes.
  gx::Tensor<float, 2> yr({5, 4});
  REQUIRE_THROWS_AS(gx::ops::reference::linear<float>(x, w_bad, b, yr.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::reference::linear<float>(x, w, b_bad, yr.view()),
                      Catch::Contains("reference::linear: b has extent 3 in dim 0, expected 4"));
}
