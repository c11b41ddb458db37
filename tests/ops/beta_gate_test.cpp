// ops::beta_gate (host, fp32) against ops::reference::beta_gate (run in double): PyG's
// b = sigmoid(lin_beta([out, x_r, out - x_r])), y = b x_r + (1 - b) out. Hand cases pin the
// concatenation order and the sigmoid; random cases bound the error; in place, determinism across
// thread counts and the shape errors.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <graphtx/ops/beta_gate.hpp>
#include <graphtx/ops/reference/beta_gate.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

namespace {

constexpr double unit_roundoff = 5.9604644775390625e-08;  // 2^-24, fp32
double gamma_n(double n) { return n * unit_roundoff / (1 - n * unit_roundoff); }

/// Sets the OpenMP thread count for one scope (no-op without OpenMP).
struct ScopedThreads {
  explicit ScopedThreads([[maybe_unused]] int n) {
#if defined(_OPENMP)
    old_ = omp_get_max_threads();
    omp_set_num_threads(n);
#endif
  }
  ~ScopedThreads() {
#if defined(_OPENMP)
    omp_set_num_threads(old_);
#endif
  }
  ScopedThreads(ScopedThreads const&) = delete;
  ScopedThreads& operator=(ScopedThreads const&) = delete;

 private:
  int old_ = 1;
};

bool bitwise_equal(gx::Tensor<float, 2> const& a, gx::Tensor<float, 2> const& b) {
  return a.extents() == b.extents() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

}  // namespace

TEST_CASE("beta_gate gives b = 1/2 for zero weights", "[ops][beta_gate]") {
  auto out = gx::Tensor<float, 2>::from({2, 2}, {2, 4, -1, 0});
  auto x_r = gx::Tensor<float, 2>::from({2, 2}, {6, -2, 3, 8});
  auto w = gx::Tensor<float, 2>::zeros({1, 6});
  gx::Tensor<float, 2> y({2, 2});
  gx::ops::beta_gate(out, x_r, w, y.view());  // sigmoid(0) = 1/(1 + 1) = 0.5 exactly
  CHECK(y.to_vector() == std::vector<float>{4, 1, 1, 4});
  gx::Tensor<double, 2> ref({2, 2});
  gx::ops::reference::beta_gate<double>(gx::test::convert<double>(out.cview()), gx::test::convert<double>(x_r.cview()),
                                         gx::test::convert<double>(w.cview()), ref.view());
  CHECK(ref.to_vector() == std::vector<double>{4, 1, 1, 4});
}

TEST_CASE("beta_gate concatenates [out, x_r, out - x_r] in PyG's code order", "[ops][beta_gate]") {
  // Column 0 decides the sign of z; a weight of 1000 saturates the sigmoid to exactly 1 (y = x_r,
  // exp(-z) underflows to 0) or 0 (y = out, exp(-z) overflows to inf: no NaN). The three rows have
  // sign patterns (out, x_r, out - x_r) = (+, +, -), (-, +, -), (+, -, +), so each weight block
  // picks a different pattern of outputs and a swapped block order would be caught.
  auto out = gx::Tensor<float, 2>::from({3, 2}, {1, 5, -1, 6, 2, 7});
  auto x_r = gx::Tensor<float, 2>::from({3, 2}, {3, -5, 1, -6, -1, -7});
  std::vector<float> const y_is_x_r[3] = {{3, -5}, {1, -6}, {-1, -7}};
  std::vector<float> const y_is_out[3] = {{1, 5}, {-1, 6}, {2, 7}};
  struct Case {
    int block;          // 0: weighs out, 1: weighs x_r, 2: weighs out - x_r
    bool picks_x_r[3];  // per row: z > 0
  };
  for (Case const& c : {Case{0, {true, false, true}}, Case{1, {true, true, false}}, Case{2, {false, false, true}}}) {
    CAPTURE(c.block);
    auto w = gx::Tensor<float, 2>::zeros({1, 6});
    w(0, 2 * c.block) = 1000.0f;  // column 0 of the block
    for (bool in_place : {false, true}) {
      CAPTURE(in_place);
      gx::Tensor<float, 2> y = in_place ? out.clone() : gx::Tensor<float, 2>({3, 2});
      gx::ops::beta_gate(in_place ? y.cview() : out.cview(), x_r, w, y.view());  // y aliases out when in place
      gx::Tensor<float, 2> ref_f({3, 2});
      gx::ops::reference::beta_gate<float>(out, x_r, w, ref_f.view());
      for (index_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        std::vector<float> const row = {y(i, 0), y(i, 1)};
        std::vector<float> const ref_row = {ref_f(i, 0), ref_f(i, 1)};
        std::vector<float> const& expected = c.picks_x_r[i] ? y_is_x_r[i] : y_is_out[i];
        CHECK(row == expected);
        CHECK(ref_row == expected);
      }
    }
  }
}

TEST_CASE("beta_gate's sigmoid is 1/(1 + exp(-z)) (b = 3/4 at z = ln 3)", "[ops][beta_gate]") {
  float const ln3 = std::log(3.0f);
  auto out = gx::Tensor<float, 2>::from({1, 2}, {ln3, 0});
  auto x_r = gx::Tensor<float, 2>::from({1, 2}, {0, 8});
  auto w = gx::Tensor<float, 2>::from({1, 6}, {1, 0, 0, 0, 0, 0});  // z = out[0]
  gx::Tensor<float, 2> y({1, 2});
  gx::ops::beta_gate(out, x_r, w, y.view());
  // b = 0.75 up to ln3's fp32 rounding (6e-8 relative in z, 3/16 of that in b) and 3 roundings.
  CHECK(y(0, 0) == Approx(0.25 * std::log(3.0)).epsilon(0).margin(4 * unit_roundoff));
  CHECK(y(0, 1) == Approx(6.0).epsilon(0).margin(8 * 4 * unit_roundoff));
}

TEST_CASE("beta_gate matches the double reference on random inputs", "[ops][beta_gate]") {
  gx::test::rng_t rng(2718);
  // (N, D): N = 0, N = 1, D = 1, odd D (lane tail), the seed model's D = 256, the OpenMP path.
  auto [n, d] = GENERATE(table<index_t, index_t>({{0, 8}, {1, 1}, {50, 3}, {40, 13}, {30, 256}, {1200, 16}}));
  CAPTURE(n, d);
  auto out = gx::test::random_uniform<float, 2>(rng, {n, d});
  auto x_r = gx::test::random_uniform<float, 2>(rng, {n, d});
  auto w = gx::test::random_normal<float, 2>(rng, {1, 3 * d}, 2.0 / std::sqrt(static_cast<double>(d)));  // z = O(1)

  auto y = gx::Tensor<float, 2>::filled({n, d}, NAN);
  gx::ops::beta_gate(out, x_r, w, y.view());
  gx::Tensor<double, 2> ref({n, d});
  gx::ops::reference::beta_gate<double>(gx::test::convert<double>(out.cview()), gx::test::convert<double>(x_r.cview()),
                                         gx::test::convert<double>(w.cview()), ref.view());
  // Tolerance, per element of node i: z is a 3D-term dot product (out - x_r rounds first), so it
  // errs by dz <= gamma(3D + 2) * sum |w| (|out|, |x_r|, |out| + |x_r|). sigmoid' <= 1/4, and exp,
  // 1 + t and 1 / (.) add 3 u, so b errs by dz/4 + 3 u; 1 - b, two products and the sum add at
  // most 4 u of |x_r| + |out|. In all |dy| <= (dz/4 + 8 u) (|x_r| + |out|).
  int failures = 0;
  for (index_t i = 0; i < n; ++i) {
    double zmag = 0;
    for (index_t c = 0; c < d; ++c) {
      double const m = std::fabs(out(i, c)), r = std::fabs(x_r(i, c));
      zmag += std::fabs(w(0, c)) * m + std::fabs(w(0, d + c)) * r + std::fabs(w(0, 2 * d + c)) * (m + r);
    }
    double const db = gamma_n(static_cast<double>(3 * d + 2)) * zmag / 4 + 8 * unit_roundoff;
    for (index_t c = 0; c < d; ++c) {
      double const bound = db * (std::fabs(out(i, c)) + std::fabs(x_r(i, c)));
      double const diff = std::fabs(static_cast<double>(y(i, c)) - ref(i, c));
      if (!(diff <= bound) && failures++ < 5) {
        FAIL_CHECK("y(" << i << ", " << c << ") = " << y(i, c) << ", reference " << ref(i, c) << ", bound " << bound);
      }
    }
  }
  REQUIRE(failures == 0);
}

TEST_CASE("beta_gate works in place (y is out, or y is x_r)", "[ops][beta_gate]") {
  gx::test::rng_t rng(99);
  auto out = gx::test::random_uniform<float, 2>(rng, {200, 24});
  auto x_r = gx::test::random_uniform<float, 2>(rng, {200, 24});
  auto w = gx::test::random_normal<float, 2>(rng, {1, 72}, 0.4);
  gx::Tensor<float, 2> separate({200, 24});
  gx::ops::beta_gate(out, x_r, w, separate.view());
  auto y_out = out.clone();
  gx::ops::beta_gate(y_out.cview(), x_r, w, y_out.view());
  REQUIRE(bitwise_equal(y_out, separate));
  auto y_xr = x_r.clone();
  gx::ops::beta_gate(out, y_xr.cview(), w, y_xr.view());
  REQUIRE(bitwise_equal(y_xr, separate));
}

TEST_CASE("beta_gate is bitwise identical for 1, 2 and 3 threads", "[ops][beta_gate]") {
  gx::test::rng_t rng(14);
  auto out = gx::test::random_normal<float, 2>(rng, {3000, 16});
  auto x_r = gx::test::random_normal<float, 2>(rng, {3000, 16});
  auto w = gx::test::random_normal<float, 2>(rng, {1, 48}, 0.3);
  REQUIRE(out.size() >= gx::ops::detail::beta_gate_impl<gx::host>::parallel_min_elements);
  std::vector<gx::Tensor<float, 2>> results;
  for (int threads : {1, 2, 3}) {
    ScopedThreads scope(threads);
    gx::Tensor<float, 2> y({3000, 16});
    gx::ops::beta_gate(out, x_r, w, y.view());
    results.push_back(std::move(y));
  }
  REQUIRE(bitwise_equal(results[0], results[1]));
  REQUIRE(bitwise_equal(results[0], results[2]));
}

TEST_CASE("beta_gate reports shape mismatches", "[ops][beta_gate]") {
  gx::Tensor<float, 2> out = gx::Tensor<float, 2>::zeros({4, 3});  // N = 4, D = 3
  gx::Tensor<float, 2> x_r = gx::Tensor<float, 2>::zeros({4, 3});
  gx::Tensor<float, 2> w = gx::Tensor<float, 2>::zeros({1, 9});
  gx::Tensor<float, 2> y({4, 3});
  gx::ops::beta_gate(out, x_r, w, y.view());  // the valid call

  using Catch::Contains;
  gx::Tensor<float, 2> x_r_rows({5, 3}), x_r_cols({4, 2}), w_rows({2, 9}), w_cols({1, 3}), y_rows({3, 3}),
      y_cols({4, 4});
  REQUIRE_THROWS_AS(gx::ops::beta_gate(out, x_r_rows, w, y.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::beta_gate(out, x_r_rows, w, y.view()),
                      Contains("beta_gate: x_r has extent 5 in dim 0, expected 4 (N, as out)"));
  REQUIRE_THROWS_AS(gx::ops::beta_gate(out, x_r_cols, w, y.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::beta_gate(out, x_r_cols, w, y.view()),
                      Contains("beta_gate: x_r has extent 2 in dim 1, expected 3 (D, as out)"));
  REQUIRE_THROWS_AS(gx::ops::beta_gate(out, x_r, w_rows, y.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::beta_gate(out, x_r, w_rows, y.view()),
                      Contains("beta_gate: w_beta has extent 2 in dim 0, expected 1 (lin_beta has one output)"));
  REQUIRE_THROWS_AS(gx::ops::beta_gate(out, x_r, w_cols, y.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::beta_gate(out, x_r, w_cols, y.view()),
                      Contains("beta_gate: w_beta has extent 3 in dim 1, expected 9 (3*D, for [out, x_r, out - x_r])"));
  REQUIRE_THROWS_AS(gx::ops::beta_gate(out, x_r, w, y_rows.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::beta_gate(out, x_r, w, y_rows.view()),
                      Contains("beta_gate: y has extent 3 in dim 0, expected 4 (N, as out)"));
  REQUIRE_THROWS_AS(gx::ops::beta_gate(out, x_r, w, y_cols.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::beta_gate(out, x_r, w, y_cols.view()),
                      Contains("beta_gate: y has extent 4 in dim 1, expected 3 (D, as out)"));

  // The reference checks the same shapes.
  REQUIRE_THROWS_AS(gx::ops::reference::beta_gate<float>(out, x_r_rows, w, y.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::reference::beta_gate<float>(out, x_r_rows, w, y.view()),
                      Contains("reference::beta_gate: x_r has extent 5 in dim 0, expected 4"));
  REQUIRE_THROWS_WITH(gx::ops::reference::beta_gate<float>(out, x_r_cols, w, y.view()),
                      Contains("reference::beta_gate: x_r has extent 2 in dim 1, expected 3"));
  REQUIRE_THROWS_WITH(gx::ops::reference::beta_gate<float>(out, x_r, w_rows, y.view()),
                      Contains("reference::beta_gate: w_beta has extent 2 in dim 0, expected 1"));
  REQUIRE_THROWS_WITH(gx::ops::reference::beta_gate<float>(out, x_r, w_cols, y.view()),
                      Contains("reference::beta_gate: w_beta has extent 3 in dim 1, expected 9"));
  REQUIRE_THROWS_WITH(gx::ops::reference::beta_gate<float>(out, x_r, w, y_rows.view()),
                      Contains("reference::beta_gate: y has extent 3 in dim 0, expected 4"));
  REQUIRE_THROWS_WITH(gx::ops::reference::beta_gate<float>(out, x_r, w, y_cols.view()),
                      Contains("reference::beta_gate: y has extent 4 in dim 1, expected 3"));
}
