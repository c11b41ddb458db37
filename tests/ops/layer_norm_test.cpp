// ops::layer_norm (host) against ops::reference::layer_norm (all in double), torch semantics:
// biased variance, eps inside the sqrt.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include <graphtx/ops/layer_norm.hpp>
#include <graphtx/ops/reference/layer_norm.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

namespace {

constexpr double unit_roundoff = 5.9604644775390625e-08;  // 2^-24

/// Tolerance: |y - ref| <= 2 u (|z gamma| + |beta|) per element, z the exact normalised value.
/// The host path computes the statistics and the affine step in double and rounds once, so it is
/// within 1 u of that scale (measured: 1.00); 2 u leaves room for the double rounding of the
/// statistics. The scale, not |ref|, is the right yardstick: z gamma + beta can cancel to ~0.
/// Float statistics would be off by hundreds of u (see host/layer_norm.hpp) and fail.
void require_layer_norm_close(gx::Tensor<float, 2> const& y, gx::Tensor<double, 2> const& ref,
                              gx::Tensor<float, 1> const& beta) {
  REQUIRE(y.extents() == ref.extents());
  for (index_t i = 0; i < y.extent(0); ++i) {
    for (index_t c = 0; c < y.extent(1); ++c) {
      double const scale = std::fabs(ref(i, c) - beta(c)) + std::fabs(beta(c));
      double const err = std::fabs(static_cast<double>(y(i, c)) - ref(i, c));
      double const bound = 2 * unit_roundoff * scale + 1e-30;
      if (!(err <= bound)) {
        INFO("y(" << i << ", " << c << ") = " << y(i, c) << ", reference " << ref(i, c) << ", error " << err
                  << " > bound " << bound);
        REQUIRE(err <= bound);
      }
    }
  }
}

}  // namespace

TEST_CASE("layer_norm normalises each row on a hand-checked example", "[ops][layer_norm]") {
  // Row (1, 2, 3, 4): mean 2.5, biased var 1.25 (torch's unbiased=False), eps = 0 here so that
  // the numbers are exact: z = (x - 2.5) / sqrt(1.25) = (-3, -1, 1, 3) / sqrt(5).
  auto x = gx::Tensor<float, 2>::from({2, 4}, {1, 2, 3, 4, 5, 5, 5, 5});
  auto gamma = gx::Tensor<float, 1>::from({4}, {1, 1, 2, 1});
  auto beta = gx::Tensor<float, 1>::from({4}, {0, 0, 0, 10});
  gx::Tensor<float, 2> y({2, 4});
  gx::ops::layer_norm(x, gamma, beta, 0.0f, y.view());
  double const s5 = std::sqrt(5.0);
  CHECK(y(0, 0) == static_cast<float>(-3 / s5));
  CHECK(y(0, 1) == static_cast<float>(-1 / s5));
  CHECK(y(0, 2) == static_cast<float>(2 / s5));       // gamma = 2
  CHECK(y(0, 3) == static_cast<float>(3 / s5 + 10));  // beta = 10
  // A constant row has var 0: with eps = 0 that is 0/0; with eps > 0 (next check) it gives beta.
  gx::ops::layer_norm(x, gamma, beta, 1e-5f, y.view());
  CHECK(y.to_vector()[4] == 0.0f);
  CHECK(y.to_vector()[7] == 10.0f);
  // eps sits inside the sqrt: (x - mean) / sqrt(var + eps), not / (sqrt(var) + eps).
  CHECK(y(0, 0) == static_cast<float>(-1.5 / std::sqrt(1.25 + static_cast<double>(1e-5f))));
}

TEST_CASE("layer_norm matches the double reference on random rows", "[ops][layer_norm]") {
  gx::test::rng_t rng(777);
  // (N, F, mean of x): N = 0, F = 1 (var 0 -> y = beta), the seed's 256, rows far from zero mean
  // (where float statistics lose digits), and enough rows for the OpenMP path.
  auto [n, f, shift] = GENERATE(table<index_t, index_t, double>(
      {{0, 256, 0.0}, {5, 1, 0.0}, {9, 7, 0.0}, {64, 256, 0.0}, {200, 256, 100.0}, {300, 256, -3.0}}));
  bool const in_place = GENERATE(false, true);
  CAPTURE(n, f, shift, in_place);
  auto x = gx::test::random_normal<float, 2>(rng, {n, f});
  for (index_t i = 0; i < x.size(); ++i) x.data()[i] += static_cast<float>(shift);
  auto gamma = gx::test::random_uniform<float, 1>(rng, {f}, 0.5, 1.5);
  auto beta = gx::test::random_uniform<float, 1>(rng, {f}, -0.5, 0.5);
  float const eps = 1e-5f;

  gx::Tensor<double, 2> ref({n, f});
  gx::ops::reference::layer_norm<double>(gx::test::convert<double>(x.cview()), gx::test::convert<double>(gamma.cview()),
                                         gx::test::convert<double>(beta.cview()), static_cast<double>(eps), ref.view());
  gx::Tensor<float, 2> y({n, f});
  if (in_place) {
    y = x.clone();
    gx::ops::layer_norm(y, gamma, beta, eps, y.view());
  } else {
    gx::ops::layer_norm(x, gamma, beta, eps, y.view());
  }
  require_layer_norm_close(y, ref, beta);
}

TEST_CASE("layer_norm's reference runs in place and in float", "[ops][layer_norm]") {
  gx::test::rng_t rng(8);
  auto x = gx::test::random_normal<float, 2>(rng, {3, 5});
  auto gamma = gx::test::random_uniform<float, 1>(rng, {5});
  auto beta = gx::test::random_uniform<float, 1>(rng, {5});
  gx::Tensor<float, 2> y({3, 5});
  gx::ops::reference::layer_norm<float>(x, gamma, beta, 1e-5, y.view());
  auto z = x.clone();
  gx::ops::reference::layer_norm<float>(z, gamma, beta, 1e-5, z.view());
  CHECK(z.to_vector() == y.to_vector());
  gx::Tensor<float, 2> host({3, 5});
  gx::ops::layer_norm(x, gamma, beta, 1e-5f, host.view());
  GRAPHTX_REQUIRE_CLOSE(host.cview(), y.cview(), (gx::test::Tolerance{2.4e-7, 1e-7}));  // both ~0.5 ulp from exact
}

TEST_CASE("layer_norm reports the tensor, dim and extents of every shape mismatch", "[ops][layer_norm]") {
  gx::Tensor<float, 2> x({3, 4});
  gx::Tensor<float, 1> gamma({4});
  gx::Tensor<float, 1> beta({4});
  gx::Tensor<float, 2> y({3, 4});
  gx::Tensor<float, 1> v5({5});
  REQUIRE_THROWS_AS(gx::ops::layer_norm(x, v5, beta, 1e-5f, y.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::layer_norm(x, v5, beta, 1e-5f, y.view()),
                      Catch::Contains("layer_norm: gamma has extent 5 in dim 0, expected 4"));
  REQUIRE_THROWS_WITH(gx::ops::layer_norm(x, gamma, v5, 1e-5f, y.view()),
                      Catch::Contains("layer_norm: beta has extent 5 in dim 0, expected 4"));
  gx::Tensor<float, 2> y_rows({2, 4});
  REQUIRE_THROWS_WITH(gx::ops::layer_norm(x, gamma, beta, 1e-5f, y_rows.view()),
                      Catch::Contains("layer_norm: y has extent 2 in dim 0, expected 3"));
  gx::Tensor<float, 2> y_cols({3, 5});
  REQUIRE_THROWS_AS(gx::ops::layer_norm(x, gamma, beta, 1e-5f, y_cols.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::layer_norm(x, gamma, beta, 1e-5f, y_cols.view()),
                      Catch::Contains("layer_norm: y has extent 5 in dim 1, expected 4"));
  REQUIRE_THROWS_WITH(gx::ops::reference::layer_norm<float>(x, v5, beta, 1e-5, y.view()),
                      Catch::Contains("reference::layer_norm: gamma has extent 5 in dim 0, expected 4"));
}
