// support/compare.hpp: the tolerance rule every numerical test relies on. Finite values pass
// within atol + rtol |expected|; NaN matches only NaN and an infinity only the same infinity,
// whatever the tolerance. (An infinite expected value once made the bound inf, and inf - inf = NaN
// let every mismatch with it pass.)

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <graphtx/core/tensor.hpp>

#include "support/compare.hpp"

namespace gx = graphtx;

namespace {

constexpr double inf_d = std::numeric_limits<double>::infinity();
constexpr double nan_d = std::numeric_limits<double>::quiet_NaN();
constexpr gx::test::Tolerance loose{1e-4, 1e-5};
constexpr gx::test::Tolerance huge{1e30, 1e30};  // would cover any finite difference
constexpr gx::test::Tolerance exact{0, 0};

bool close(double actual, double expected, gx::test::Tolerance tol) {
  return gx::test::compare(&actual, &expected, 1, tol).ok;
}

}  // namespace

TEST_CASE("compare: finite values pass within the tolerance and fail outside it", "[support][compare]") {
  CHECK(close(1.0, 1.0, exact));
  CHECK(close(1.0 + 1e-5, 1.0, loose));     // 1e-5 <= 1e-5 + 1e-4
  CHECK_FALSE(close(1.0 + 2e-4, 1.0, loose));  // 2e-4 > 1.1e-4
  CHECK_FALSE(close(0.0, 1e-300, exact));
  CHECK(close(-3.0, 3.0, huge));
}

TEST_CASE("compare: NaN matches NaN and the same infinity matches itself", "[support][compare]") {
  for (auto tol : {exact, loose, huge}) {
    CAPTURE(tol.rtol, tol.atol);
    CHECK(close(nan_d, nan_d, tol));
    CHECK(close(inf_d, inf_d, tol));
    CHECK(close(-inf_d, -inf_d, tol));
  }
  std::vector<float> const a = {1.0f, std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                                std::numeric_limits<float>::quiet_NaN()};
  std::vector<double> const e = {1.0, inf_d, -inf_d, nan_d};
  auto const r = gx::test::compare(a.data(), e.data(), 4, exact);
  CHECK(r.ok);
  CHECK(r.max_abs == 0);
}

TEST_CASE("compare: every other pairing with an infinity or a NaN fails, whatever the tolerance",
          "[support][compare]") {
  struct Pair {
    double actual, expected;
  };
  std::vector<Pair> const mismatches = {
      {1.0, inf_d},  {1.0, -inf_d}, {inf_d, 1.0},  {-inf_d, 1.0}, {inf_d, -inf_d}, {-inf_d, inf_d}, {1e308, inf_d},
      {nan_d, inf_d},  {inf_d, nan_d},  {nan_d, -inf_d}, {-inf_d, nan_d}, {1.0, nan_d},  {nan_d, 1.0},  {0.0, nan_d},
  };
  for (auto tol : {exact, loose, huge}) {
    for (auto const& p : mismatches) {
      CAPTURE(p.actual, p.expected, tol.rtol, tol.atol);
      auto const r = gx::test::compare(&p.actual, &p.expected, 1, tol);
      CHECK_FALSE(r.ok);
      CHECK(r.worst_index == 0);
      CHECK(r.max_abs == inf_d);
    }
  }
}

TEST_CASE("compare: one mismatched infinity among matches fails and is reported as the worst element",
          "[support][compare]") {
  std::vector<double> const expected = {inf_d, 2.0, -inf_d, nan_d, inf_d, 5.0};
  std::vector<double> actual = expected;
  actual[4] = 4.0;  // finite where inf_d is expected
  actual[1] = 2.0 + 1e-9;
  auto const r = gx::test::compare(actual.data(), expected.data(), 6, loose);
  CHECK_FALSE(r.ok);
  CHECK(r.worst_index == 4);
  CHECK(r.worst_actual == 4.0);
  CHECK(r.worst_expected == inf_d);
  CHECK_THAT(r.text, Catch::Contains("worst flat index 4"));

  actual[4] = inf_d;
  CHECK(gx::test::compare(actual.data(), expected.data(), 6, loose).ok);
}

TEST_CASE("compare: tensor views compare elementwise and fail on a shape mismatch", "[support][compare]") {
  auto const e = gx::Tensor<float, 2>::from({2, 2}, {1.0f, std::numeric_limits<float>::infinity(), 3.0f, 4.0f});
  auto a = e.clone();
  GRAPHTX_REQUIRE_CLOSE(a.cview(), e.cview(), loose);
  a(0, 1) = 1e30f;
  CHECK_FALSE(gx::test::compare(a.cview(), e.cview(), huge).ok);
  auto const wide = gx::Tensor<float, 2>::zeros({2, 3});
  auto const r = gx::test::compare(wide.cview(), e.cview(), huge);
  CHECK_FALSE(r.ok);
  CHECK(r.shape_mismatch);
}
