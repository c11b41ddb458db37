// ops/host/detail/exp_array.hpp: the vectorised exp the host softmax kernels use, against std::exp
// (computed in double, rounded to float): the ulp distance over the whole finite range it
// computes, the special values, and the shifted sum.

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <graphtx/ops/host/detail/exp_array.hpp>

namespace gd = graphtx::ops::detail;
using graphtx::index_t;

namespace {

// Distance in units in the last place between two finite non-negative floats.
std::int64_t ulp_distance(float a, float b) {
  return std::abs(std::int64_t{std::bit_cast<std::int32_t>(a)} - std::int64_t{std::bit_cast<std::int32_t>(b)});
}

}  // namespace

TEST_CASE("exp_select is within 2 ulp of exp over [-87.3, 88.7]", "[ops][exp]") {
  std::int64_t worst = 0;
  float worst_x = 0.0f;
  // Every 97th float bit pattern in the range: ~1.1 M values, both signs, all exponents.
  for (float const sign : {-1.0f, 1.0f}) {
    float const limit = sign < 0 ? 87.3f : 88.7f;
    for (std::int32_t b = 0; b <= std::bit_cast<std::int32_t>(limit); b += 97) {
      float const x = sign * std::bit_cast<float>(b);
      float const expect = static_cast<float>(std::exp(static_cast<double>(x)));
      std::int64_t const d = ulp_distance(gd::exp_select(x), expect);
      if (d > worst) {
        worst = d;
        worst_x = x;
      }
    }
  }
  CAPTURE(worst_x);
  CHECK(worst <= 2);
  CHECK(gd::exp_select(0.0f) == 1.0f);
  CHECK(gd::exp_select(-0.0f) == 1.0f);
}

TEST_CASE("exp_select special values: NaN, infinities, underflow, overflow, subnormals", "[ops][exp]") {
  float const inf = std::numeric_limits<float>::infinity();
  float const nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(std::isnan(gd::exp_select(nan)));
  CHECK(std::isnan(gd::exp_select(-nan)));
  CHECK(gd::exp_select(-inf) == 0.0f);
  CHECK(gd::exp_select(inf) == inf);
  CHECK(gd::exp_select(-1e30f) == 0.0f);
  CHECK(gd::exp_select(-100.0f) == 0.0f);
  CHECK(gd::exp_select(1e30f) == inf);
  CHECK(gd::exp_select(89.0f) == inf);
  CHECK(gd::exp_select(88.72f) == Approx(std::exp(static_cast<double>(88.72f))).epsilon(1e-6));
  // Just below the smallest normal result: a subnormal, as std::exp gives, not 0.
  float const sub = gd::exp_select(-87.5f);
  CHECK(sub > 0.0f);
  CHECK(sub < std::numeric_limits<float>::min());
  CHECK(sub == Approx(std::exp(-87.5)).epsilon(1e-4));
  // Huge |x| where x / ln 2 is beyond the rounding trick's 2^22: still 0 or inf, over every
  // magnitude (x near -1e7 once wrapped the integer difference of the trick into an overflow).
  for (float mag = 1e2f; mag < 3e38f; mag *= 1.7f) {
    CAPTURE(mag);
    CHECK(gd::exp_select(-mag) == 0.0f);
    CHECK(gd::exp_select(mag) == inf);
  }
  CHECK(gd::exp_select(-1.2e7f) == 0.0f);
  CHECK(gd::exp_select(-8.8e6f) == 0.0f);
  CHECK(gd::exp_select(-std::numeric_limits<float>::max()) == 0.0f);
  CHECK(gd::exp_select(std::numeric_limits<float>::max()) == inf);
  CHECK(gd::exp_select(-std::numeric_limits<float>::denorm_min()) == 1.0f);
}

TEST_CASE("exp_shifted_sum: exp(x - shift) in place and the sum of the results", "[ops][exp]") {
  std::vector<float> x(48);
  double expect_sum = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<float>(i) * 0.25f - 6.0f;
    expect_sum += std::exp(static_cast<double>(x[i]) - 3.0);
  }
  x[47] = -std::numeric_limits<float>::infinity();  // padding contributes 0
  expect_sum -= std::exp(static_cast<double>(47 * 0.25f - 6.0f) - 3.0);
  float const sum = gd::exp_shifted_sum(x.data(), static_cast<index_t>(x.size()), 3.0f);
  CHECK(sum == Approx(expect_sum).epsilon(1e-6));
  CHECK(x[0] == Approx(std::exp(-9.0)).epsilon(1e-6));
  CHECK(x[47] == 0.0f);
  // A NaN anywhere makes the sum NaN (a softmax row with a NaN logit is NaN in torch).
  std::vector<float> y(16, 0.0f);
  y[5] = std::numeric_limits<float>::quiet_NaN();
  CHECK(std::isnan(gd::exp_shifted_sum(y.data(), 16, 0.0f)));
}
