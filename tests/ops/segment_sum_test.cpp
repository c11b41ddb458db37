// ops::segment_sum (host) against ops::reference::segment_sum (double accumulation), plus the
// determinism promise (bitwise the same as the sequential loop for any thread count).

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <graphtx/ops/reference/segment_sum.hpp>
#include <graphtx/ops/segment_sum.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

namespace {

constexpr double unit_roundoff = 5.9604644775390625e-08;  // 2^-24

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

/// The definition: out[i] = ((0 + v[o_i]) + v[o_i + 1]) + ..., in float.
std::vector<float> sequential(gx::Tensor<float, 2> const& values, gx::Tensor<std::int32_t, 1> const& offsets) {
  index_t const n = offsets.extent(0) - 1, f = values.extent(1);
  std::vector<float> out(static_cast<std::size_t>(n * f), 0.0f);
  for (index_t i = 0; i < n; ++i) {
    for (index_t e = offsets(i); e < offsets(i + 1); ++e) {
      for (index_t c = 0; c < f; ++c) out[static_cast<std::size_t>(i * f + c)] += values(e, c);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("segment_sum sums each CSR segment on a hand-checked example", "[ops][segment_sum]") {
  auto values = gx::Tensor<float, 2>::from({5, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});  // [E=5, F=2]
  auto offsets = gx::Tensor<std::int32_t, 1>::from({5}, {0, 2, 2, 5, 5});            // N=4, 2 empty
  auto out = gx::Tensor<float, 2>::filled({4, 2}, 42.0f);                           // overwritten
  gx::ops::segment_sum(values, offsets, out.view());
  CHECK(out.to_vector() == std::vector<float>{4, 6, 0, 0, 21, 24, 0, 0});
  gx::Tensor<float, 2> ref({4, 2});
  gx::ops::reference::segment_sum<float>(values, offsets, ref.view());
  CHECK(ref.to_vector() == out.to_vector());
}

TEST_CASE("segment_sum matches the double reference on random CSR inputs", "[ops][segment_sum]") {
  gx::test::rng_t rng(4242);
  // (N, max segment length, F, length of one extra long segment): N = 0, F = 1, F = 0, empty
  // segments (random_offsets makes some), a segment of length 500, and sizes for the OpenMP path.
  auto [n, max_len, f, long_len] = GENERATE(table<index_t, int, index_t, int>(
      {{0, 3, 4, 0}, {6, 0, 3, 0}, {20, 5, 1, 0}, {8, 4, 0, 0}, {40, 6, 9, 500}, {300, 12, 256, 500}}));
  CAPTURE(n, max_len, f, long_len);
  auto offsets = gx::test::random_offsets(rng, n, max_len);
  if (long_len > 0) {  // make segment n/2 long_len rows longer
    for (index_t i = n / 2 + 1; i <= n; ++i) offsets(i) += long_len;
  }
  index_t const e_count = offsets(n);
  auto values = gx::test::random_uniform<float, 2>(rng, {e_count, f});

  auto out = gx::Tensor<float, 2>::filled({n, f}, 1e30f);
  gx::ops::segment_sum(values, offsets, out.view());
  gx::Tensor<double, 2> ref({n, f});
  gx::ops::reference::segment_sum<double>(gx::test::convert<double>(values.cview()), offsets, ref.view());

  // Tolerance: a segment of k rows errs by at most gamma_k * sum|v| <= gamma_k * k (|v| < 1),
  // gamma_k = k u / (1 - k u); k_max = the longest segment bounds every element.
  double k_max = 1;
  for (index_t i = 0; i < n; ++i) k_max = std::max(k_max, static_cast<double>(offsets(i + 1) - offsets(i)));
  double const gamma = k_max * unit_roundoff / (1 - k_max * unit_roundoff);
  GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.cview(), (gx::test::Tolerance{0.0, gamma * k_max}));
  REQUIRE(out.to_vector() == sequential(values, offsets));  // and exactly the in-order float sum
}

TEST_CASE("segment_sum gives bitwise identical results for 1, 2 and 3 threads", "[ops][segment_sum]") {
  gx::test::rng_t rng(5);
  auto offsets = gx::test::random_offsets(rng, 500, 20);
  for (index_t i = 251; i <= 500; ++i) offsets(i) += 500;  // one segment of 500+ rows
  auto values = gx::test::random_normal<float, 2>(rng, {offsets(500), 64});
  std::vector<std::vector<float>> results;
  for (int threads : {1, 2, 3}) {
    ScopedThreads scope(threads);
    gx::Tensor<float, 2> out({500, 64});
    gx::ops::segment_sum(values, offsets, out.view());
    results.push_back(out.to_vector());
  }
  REQUIRE(results[0] == results[1]);
  REQUIRE(results[0] == results[2]);
  REQUIRE(results[0] == sequential(values, offsets));
}

TEST_CASE("segment_sum reports shape mismatches, and the reference reports bad offsets", "[ops][segment_sum]") {
  gx::Tensor<float, 2> values({4, 2});
  auto offsets = gx::Tensor<std::int32_t, 1>::from({3}, {0, 1, 4});
  gx::Tensor<float, 2> out({2, 2});

  gx::Tensor<float, 2> out_rows({3, 2});
  REQUIRE_THROWS_AS(gx::ops::segment_sum(values, offsets, out_rows.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::segment_sum(values, offsets, out_rows.view()),
                      Catch::Contains("segment_sum: offsets has extent 3 in dim 0, expected 4 (N+1"));
  gx::Tensor<float, 2> out_cols({2, 3});
  REQUIRE_THROWS_AS(gx::ops::segment_sum(values, offsets, out_cols.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::segment_sum(values, offsets, out_cols.view()),
                      Catch::Contains("segment_sum: out has extent 3 in dim 1, expected 2"));

  auto past_end = gx::Tensor<std::int32_t, 1>::from({3}, {0, 1, 5});
  REQUIRE_THROWS_AS(gx::ops::reference::segment_sum<float>(values, past_end, out.view()), gx::graph_error);
  REQUIRE_THROWS_WITH(gx::ops::reference::segment_sum<float>(values, past_end, out.view()),
                      Catch::Contains("reference::segment_sum: offsets[2] is 5, expected in [0, 4]"));
  auto decreasing = gx::Tensor<std::int32_t, 1>::from({3}, {0, 3, 2});
  REQUIRE_THROWS_AS(gx::ops::reference::segment_sum<float>(values, decreasing, out.view()), gx::graph_error);
  REQUIRE_THROWS_WITH(gx::ops::reference::segment_sum<float>(values, decreasing, out.view()),
                      Catch::Contains("offsets[2] is 2, less than offsets[1] = 3"));
  REQUIRE_THROWS_WITH(gx::ops::reference::segment_sum<float>(values, offsets, out_rows.view()),
                      Catch::Contains("reference::segment_sum: offsets has extent 3 in dim 0, expected 4"));
}
