// ops::segment_softmax (host, fp32) against ops::reference::segment_softmax (run in double), with
// PyG's semantics: true max subtracted, eps 1e-16 on the sum, NaN from +inf, nothing for empty
// segments; plus in-place use, determinism across thread counts and the shape errors.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <graphtx/ops/reference/segment_softmax.hpp>
#include <graphtx/ops/segment_softmax.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

namespace {

constexpr double unit_roundoff = 5.9604644775390625e-08;  // 2^-24, fp32
constexpr float inf_f = std::numeric_limits<float>::infinity();
constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();

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

/// random_offsets, with segment n/2 made `hub_len` rows longer (a hub node).
gx::Tensor<std::int32_t, 1> offsets_with_hub(gx::test::rng_t& rng, index_t n, int max_len, int hub_len) {
  auto offsets = gx::test::random_offsets(rng, n, max_len);
  if (hub_len > 0) {
    for (index_t i = n / 2 + 1; i <= n; ++i) offsets(i) += hub_len;
  }
  return offsets;
}

bool bitwise_equal(gx::Tensor<float, 2> const& a, gx::Tensor<float, 2> const& b) {
  return a.extents() == b.extents() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

}  // namespace

TEST_CASE("segment_softmax matches hand-computed values, with an empty segment and large logits",
          "[ops][segment_softmax]") {
  float const ln3 = std::log(3.0f);
  // N = 3 destinations, node 1 isolated; H = 2.
  auto offsets = gx::Tensor<std::int32_t, 1>::from({4}, {0, 2, 2, 5});
  auto logits = gx::Tensor<float, 2>::from({5, 2}, {
                                                       0.0f, ln3,     // node 0: head 0 equal logits, head 1 3:1
                                                       0.0f, 0.0f,    //
                                                       1e4f, -1.0f,   // node 2: head 0 equal and huge,
                                                       1e4f, -1.0f,   //         head 1 one -inf term
                                                       1e4f, -inf_f,    //
                                                   });
  std::vector<double> const expected = {0.5, 0.75, 0.5, 0.25, 1.0 / 3, 0.5, 1.0 / 3, 0.5, 1.0 / 3, 0.0};

  auto alpha = gx::Tensor<float, 2>::filled({5, 2}, 42.0f);
  gx::ops::segment_softmax(logits, offsets, alpha.view());
  auto ref_f = gx::Tensor<float, 2>::filled({5, 2}, 42.0f);
  gx::ops::reference::segment_softmax<float>(logits, offsets, ref_f.view());
  gx::Tensor<double, 2> ref_d({5, 2});
  gx::ops::reference::segment_softmax<double>(gx::test::convert<double>(logits.cview()), offsets, ref_d.view());
  for (std::size_t x = 0; x < expected.size(); ++x) {
    CAPTURE(x);
    // 3 ulp of the value: 0.75 comes through exp(ln3f - ln3f) / (1 + exp(-ln3f)), each step one rounding.
    CHECK(alpha.data()[x] == Approx(expected[x]).epsilon(0).margin(3 * unit_roundoff));
    CHECK(ref_f.data()[x] == Approx(expected[x]).epsilon(0).margin(3 * unit_roundoff));
    CHECK(ref_d.data()[x] == Approx(expected[x]).epsilon(0).margin(3 * unit_roundoff));
  }
  // The equal-logit cases and the -inf term are exact in fp32.
  CHECK(alpha(0, 0) == 0.5f);
  CHECK(alpha(2, 1) == 0.5f);
  CHECK(alpha(4, 1) == 0.0f);
  CHECK(alpha(2, 0) == 1.0f / 3.0f);
}

TEST_CASE("segment_softmax matches the double reference on random CSR graphs", "[ops][segment_softmax]") {
  gx::test::rng_t rng(20240611);
  // (N, max segment length, H, hub length): N = 0, E = 0 (all segments empty), heads 1/3/32,
  // empty segments (random_offsets makes some), a hub of 500+ edges, and sizes for the OpenMP path.
  auto [n, max_len, heads, hub_len] = GENERATE(table<index_t, int, index_t, int>({{0, 4, 3, 0},
                                                                                 {7, 0, 3, 0},
                                                                                 {20, 5, 1, 0},
                                                                                 {30, 6, 3, 0},
                                                                                 {15, 4, 32, 500},
                                                                                 {400, 12, 32, 500},
                                                                                 {64, 3, 70, 0}}));
  CAPTURE(n, max_len, heads, hub_len);
  auto offsets = offsets_with_hub(rng, n, max_len, hub_len);
  index_t const e_count = offsets(n);
  auto logits = gx::test::random_normal<float, 2>(rng, {e_count, heads}, 3.0);  // [E, H]

  auto alpha = gx::Tensor<float, 2>::filled({e_count, heads}, nan_f);  // every row must be written
  gx::ops::segment_softmax(logits, offsets, alpha.view());
  gx::Tensor<double, 2> ref({e_count, heads});
  gx::ops::reference::segment_softmax<double>(gx::test::convert<double>(logits.cview()), offsets, ref.view());

  // Tolerance, per (segment, head), relative to the value: with k terms and logit range R =
  // max - min, logit - max errs by R u, so exp by (R + 1) u; the sum adds (k - 1) u; the divide u.
  // alpha then errs by at most (2 (R + 1) + k + 1) u relative; +2 u of slack for the double ref.
  int failures = 0;
  for (index_t i = 0; i < n; ++i) {
    index_t const begin = offsets(i), end = offsets(i + 1);
    for (index_t h = 0; h < heads; ++h) {
      double lo = INFINITY, hi = -INFINITY;
      for (index_t p = begin; p < end; ++p) {
        lo = std::min(lo, static_cast<double>(logits(p, h)));
        hi = std::max(hi, static_cast<double>(logits(p, h)));
      }
      double const k = static_cast<double>(end - begin);
      double const rel = (2 * (hi - lo + 1) + k + 3) * unit_roundoff;
      double row_sum = 0;
      for (index_t p = begin; p < end; ++p) {
        double const a = alpha(p, h);
        double const e = ref(p, h);
        row_sum += a;
        if (!(std::fabs(a - e) <= rel * e) && failures++ < 5) {
          FAIL_CHECK("alpha(" << p << ", " << h << ") = " << a << ", reference " << e << ", allowed relative "
                              << rel);
        }
      }
      // Rows of a nonempty segment sum to 1: each alpha errs by at most rel of itself.
      if (end > begin && !(std::fabs(row_sum - 1.0) <= rel) && failures++ < 5) {
        FAIL_CHECK("segment " << i << " head " << h << " sums to " << row_sum);
      }
    }
  }
  REQUIRE(failures == 0);
}

TEST_CASE("segment_softmax works in place (alpha is logits)", "[ops][segment_softmax]") {
  gx::test::rng_t rng(7);
  auto offsets = offsets_with_hub(rng, 300, 10, 500);
  auto logits = gx::test::random_normal<float, 2>(rng, {offsets(300), 32}, 2.0);
  auto ref = gx::test::convert<double>(logits.cview());  // the reference, in place too
  gx::Tensor<double, 2> ref_separate({offsets(300), 32});
  gx::ops::reference::segment_softmax<double>(ref.cview(), offsets, ref_separate.view());
  gx::ops::reference::segment_softmax<double>(ref.cview(), offsets, ref.view());
  REQUIRE(std::memcmp(ref.data(), ref_separate.data(), ref.size_bytes()) == 0);

  gx::Tensor<float, 2> separate({offsets(300), 32});
  gx::ops::segment_softmax(logits, offsets, separate.view());
  gx::ops::segment_softmax(logits.cview(), offsets, logits.view());
  REQUIRE(bitwise_equal(logits, separate));
  REQUIRE_FALSE(std::isnan(logits(0, 0)));
}

TEST_CASE("segment_softmax is bitwise identical for 1, 2 and 3 threads", "[ops][segment_softmax]") {
  // Big enough (E*H >= 2^14) for the parallel path; without OpenMP this checks repeatability.
  gx::test::rng_t rng(11);
  auto offsets = offsets_with_hub(rng, 3000, 12, 500);
  auto logits = gx::test::random_normal<float, 2>(rng, {offsets(3000), 8}, 3.0);
  REQUIRE(logits.size() >= gx::ops::detail::segment_softmax_impl<gx::host>::parallel_min_elements);
  std::vector<gx::Tensor<float, 2>> results;
  for (int threads : {1, 2, 3}) {
    ScopedThreads scope(threads);
    gx::Tensor<float, 2> alpha(logits.extents());
    gx::ops::segment_softmax(logits, offsets, alpha.view());
    results.push_back(std::move(alpha));
  }
  REQUIRE(bitwise_equal(results[0], results[1]));
  REQUIRE(bitwise_equal(results[0], results[2]));
}

TEST_CASE("segment_softmax stays finite for logits of 1e4 (max subtraction)", "[ops][segment_softmax]") {
  gx::test::rng_t rng(3);
  auto offsets = offsets_with_hub(rng, 50, 8, 500);
  index_t const e_count = offsets(50);
  auto logits = gx::test::random_uniform<float, 2>(rng, {e_count, 4}, 1e4 - 20, 1e4);  // exp(1e4) overflows
  gx::Tensor<float, 2> alpha({e_count, 4});
  gx::ops::segment_softmax(logits, offsets, alpha.view());
  for (index_t i = 0; i < 50; ++i) {
    index_t const k = offsets(i + 1) - offsets(i);
    for (index_t h = 0; h < 4; ++h) {
      double sum = 0;
      for (index_t p = offsets(i); p < offsets(i + 1); ++p) {
        REQUIRE(std::isfinite(alpha(p, h)));
        REQUIRE(alpha(p, h) >= 0.0f);
        sum += alpha(p, h);
      }
      // alpha = e_p / fl(sum e_p): the exponents' rounding cancels; sum and divide err by (k + 1) u.
      if (k > 0) REQUIRE(std::fabs(sum - 1.0) <= static_cast<double>(k + 2) * unit_roundoff);
    }
  }
  // A hand case: 1e4 and 1e4 - 1 behave like 0 and -1.
  auto two = gx::Tensor<float, 2>::from({2, 1}, {1e4f, 1e4f - 1.0f});
  auto off2 = gx::Tensor<std::int32_t, 1>::from({2}, {0, 2});
  gx::Tensor<float, 2> a2({2, 1});
  gx::ops::segment_softmax(two, off2, a2.view());
  double const e1 = std::exp(-1.0);
  CHECK(a2(0, 0) == Approx(1 / (1 + e1)).epsilon(4 * unit_roundoff));
  CHECK(a2(1, 0) == Approx(e1 / (1 + e1)).epsilon(4 * unit_roundoff));
}

TEST_CASE("segment_softmax turns a segment with +inf, NaN or only -inf into NaN, as PyG does",
          "[ops][segment_softmax]") {
  // Five segments of 3 edges, H = 1: +inf (inf - inf = NaN poisons the sum), NaN, all -inf
  // (-inf - -inf), one -inf among finite logits (weight 0), and a clean segment.
  auto offsets = gx::Tensor<std::int32_t, 1>::from({6}, {0, 3, 6, 9, 12, 15});
  auto logits = gx::Tensor<float, 2>::from({15, 1}, {inf_f, 1, 2, nan_f, 1, 2, -inf_f, -inf_f, -inf_f, -inf_f, 0, 0, 0, 0, 0});
  for (bool in_place : {false, true}) {
    CAPTURE(in_place);
    gx::Tensor<float, 2> alpha = in_place ? logits.clone() : gx::Tensor<float, 2>({15, 1});
    gx::ops::segment_softmax(logits.cview(), offsets, alpha.view());
    for (index_t p = 0; p < 9; ++p) CHECK(std::isnan(alpha(p, 0)));
    CHECK(alpha(9, 0) == 0.0f);
    CHECK(alpha(10, 0) == 0.5f);
    CHECK(alpha(11, 0) == 0.5f);
    for (index_t p = 12; p < 15; ++p) CHECK(alpha(p, 0) == 1.0f / 3.0f);
  }
  gx::Tensor<double, 2> ref({15, 1});  // the reference agrees
  gx::ops::reference::segment_softmax<double>(gx::test::convert<double>(logits.cview()), offsets, ref.view());
  for (index_t p = 0; p < 9; ++p) CHECK(std::isnan(ref(p, 0)));
  CHECK(ref(10, 0) == 0.5);
}

TEST_CASE("segment_softmax handles N = 0 and E = 0", "[ops][segment_softmax]") {
  // alpha is a [0, 4] view into a sentinel buffer: a write through it would show there.
  std::vector<float> sentinel(8, 42.0f);
  gx::TensorView<float, 2> alpha(sentinel.data(), {0, 4});
  gx::Tensor<float, 2> empty({0, 4});
  auto none = gx::Tensor<std::int32_t, 1>::from({1}, {0});  // N = 0
  REQUIRE_NOTHROW(gx::ops::segment_softmax(empty, none, alpha));
  auto isolated = gx::Tensor<std::int32_t, 1>::from({4}, {0, 0, 0, 0});  // N = 3, E = 0
  REQUIRE_NOTHROW(gx::ops::segment_softmax(empty, isolated, alpha));
  std::vector<double> ref_sentinel(8, 42.0);
  gx::TensorView<double, 2> ref(ref_sentinel.data(), {0, 4});
  REQUIRE_NOTHROW(gx::ops::reference::segment_softmax<double>(gx::Tensor<double, 2>({0, 4}).cview(), isolated, ref));
  CHECK(alpha.extent(0) == 0);
  CHECK(alpha.extent(1) == 4);
  CHECK(sentinel == std::vector<float>(8, 42.0f));
  CHECK(ref_sentinel == std::vector<double>(8, 42.0));
  // E = 0 still checks offsets against E: a last offset of 1 is an error, not a silent no-op.
  auto past_e = gx::Tensor<std::int32_t, 1>::from({2}, {0, 1});
  REQUIRE_THROWS_AS(gx::ops::reference::segment_softmax<double>(gx::Tensor<double, 2>({0, 4}).cview(), past_e, ref),
                    gx::graph_error);
}

TEST_CASE("segment_softmax reports shape mismatches, and the reference reports bad offsets",
          "[ops][segment_softmax]") {
  gx::Tensor<float, 2> logits = gx::Tensor<float, 2>::zeros({4, 2});
  auto offsets = gx::Tensor<std::int32_t, 1>::from({3}, {0, 1, 4});
  gx::Tensor<float, 2> alpha({4, 2});

  gx::Tensor<std::int32_t, 1> no_offsets({0});
  REQUIRE_THROWS_AS(gx::ops::segment_softmax(logits, no_offsets, alpha.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::segment_softmax(logits, no_offsets, alpha.view()),
                      Catch::Contains("segment_softmax: offsets has extent 0 in dim 0, expected at least 1 (N+1)"));
  gx::Tensor<float, 2> alpha_rows({5, 2});
  REQUIRE_THROWS_AS(gx::ops::segment_softmax(logits, offsets, alpha_rows.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::segment_softmax(logits, offsets, alpha_rows.view()),
                      Catch::Contains("segment_softmax: alpha has extent 5 in dim 0, expected 4"));
  gx::Tensor<float, 2> alpha_cols({4, 3});
  REQUIRE_THROWS_AS(gx::ops::segment_softmax(logits, offsets, alpha_cols.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::segment_softmax(logits, offsets, alpha_cols.view()),
                      Catch::Contains("segment_softmax: alpha has extent 3 in dim 1, expected 2"));

  // The reference checks what the fast path trusts.
  auto ref = [&](std::vector<std::int32_t> const& off) {
    auto o = gx::Tensor<std::int32_t, 1>::from({static_cast<index_t>(off.size())}, off);
    gx::ops::reference::segment_softmax<float>(logits, o, alpha.view());
  };
  REQUIRE_THROWS_AS(ref({1, 2, 4}), gx::graph_error);
  REQUIRE_THROWS_WITH(ref({1, 2, 4}), Catch::Contains("reference::segment_softmax: offsets[0] is 1, expected 0"));
  REQUIRE_THROWS_AS(ref({0, 3, 2, 4}), gx::graph_error);
  REQUIRE_THROWS_WITH(ref({0, 3, 2, 4}), Catch::Contains("offsets[2] is 2, less than offsets[1] = 3"));
  REQUIRE_THROWS_AS(ref({0, 1, 3}), gx::graph_error);
  REQUIRE_THROWS_WITH(ref({0, 1, 3}), Catch::Contains("reference::segment_softmax: offsets[2] is 3, expected 4 (E)"));
  REQUIRE_THROWS_AS(ref({}), gx::shape_error);
  REQUIRE_THROWS_WITH(ref({}), Catch::Contains("reference::segment_softmax: offsets has extent 0 in dim 0"));
  REQUIRE_THROWS_WITH(gx::ops::reference::segment_softmax<float>(logits, offsets, alpha_cols.view()),
                      Catch::Contains("reference::segment_softmax: alpha has extent 3 in dim 1, expected 2"));
  REQUIRE_THROWS_WITH(gx::ops::reference::segment_softmax<float>(logits, offsets, alpha_rows.view()),
                      Catch::Contains("reference::segment_softmax: alpha has extent 5 in dim 0, expected 4"));
}
