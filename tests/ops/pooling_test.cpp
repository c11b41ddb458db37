// ops::global_{mean,add,max}_pool (host) against ops::reference (double sums), PyG semantics:
// an empty graph gives 0 (mean: count clamped to 1; max: scatter from zeros), NaN propagates in max.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <graphtx/ops/pooling.hpp>
#include <graphtx/ops/reference/pooling.hpp>

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

}  // namespace

TEST_CASE("global pools reduce each graph on a hand-checked example", "[ops][pooling]") {
  // Graph 0: nodes 0-2; graph 1: no nodes; graph 2: node 3.
  auto x = gx::Tensor<float, 2>::from({4, 2}, {1, -5, 2, -6, 6, -7, 4, 8});  // [N=4, F=2]
  auto ptr = gx::Tensor<std::int32_t, 1>::from({4}, {0, 3, 3, 4});          // [G+1]
  auto out = gx::Tensor<float, 2>::filled({3, 2}, 99.0f);
  gx::ops::global_mean_pool(x, ptr, out.view());
  CHECK(out.to_vector() == std::vector<float>{3, -6, 0, 0, 4, 8});
  gx::ops::global_add_pool(x, ptr, out.view());
  CHECK(out.to_vector() == std::vector<float>{9, -18, 0, 0, 4, 8});
  gx::ops::global_max_pool(x, ptr, out.view());
  CHECK(out.to_vector() == std::vector<float>{6, -5, 0, 0, 4, 8});

  // Mean divides the float sum by the count (PyG: sum / count). For this sum, multiplying by a
  // rounded 1/3 gives another float, so the check fails for a reciprocal implementation.
  float const sum = (0.1f + 0.3f) + 0.5f;
  REQUIRE(sum / 3.0f != sum * (1.0f / 3.0f));  // guards the test itself
  auto thirds = gx::Tensor<float, 2>::from({3, 1}, {0.1f, 0.3f, 0.5f});
  auto one = gx::Tensor<std::int32_t, 1>::from({2}, {0, 3});
  gx::Tensor<float, 2> mean({1, 1});
  gx::ops::global_mean_pool(thirds, one, mean.view());
  CHECK(mean(0, 0) == sum / 3.0f);
}

TEST_CASE("global_max_pool propagates NaN like torch's amax", "[ops][pooling]") {
  float const nan = std::numeric_limits<float>::quiet_NaN();
  auto x = gx::Tensor<float, 2>::from({3, 2}, {nan, 1, 5, nan, 2, 3});
  auto ptr = gx::Tensor<std::int32_t, 1>::from({2}, {0, 3});
  gx::Tensor<float, 2> out({1, 2});
  gx::ops::global_max_pool(x, ptr, out.view());
  CHECK(std::isnan(out(0, 0)));  // NaN first, larger values after it
  CHECK(std::isnan(out(0, 1)));  // NaN after a larger value
  gx::ops::reference::global_max_pool<float>(x, ptr, out.view());
  CHECK(std::isnan(out(0, 0)));
  CHECK(std::isnan(out(0, 1)));
}

TEST_CASE("global pools match the double reference on random batches", "[ops][pooling]") {
  gx::test::rng_t rng(2718);
  // (G, max nodes per graph, F, nodes in one extra-large graph): G = 0, N = 0 (all graphs empty),
  // F = 1, empty graphs (random_offsets makes some), a 500-node graph, the OpenMP path.
  auto [g_count, max_len, f, big] = GENERATE(table<index_t, int, index_t, int>(
      {{0, 4, 8, 0}, {5, 0, 3, 0}, {30, 6, 1, 0}, {64, 30, 256, 500}, {512, 25, 256, 0}}));
  CAPTURE(g_count, max_len, f, big);
  auto ptr = gx::test::random_offsets(rng, g_count, max_len);
  if (big > 0) {
    for (index_t g = g_count / 3 + 1; g <= g_count; ++g) ptr(g) += big;
  }
  index_t const n = ptr(g_count);
  auto x = gx::test::random_uniform<float, 2>(rng, {n, f});
  auto xd = gx::test::convert<double>(x.cview());
  double k_max = 1;
  for (index_t g = 0; g < g_count; ++g) k_max = std::max(k_max, static_cast<double>(ptr(g + 1) - ptr(g)));
  // Sum of k terms with |x| < 1: |err| <= gamma_k * k (gamma_k = k u / (1 - k u)); the mean
  // divides that by k and adds one rounding (u, |mean| < 1); max is exact.
  double const gamma = k_max * unit_roundoff / (1 - k_max * unit_roundoff);

  gx::Tensor<float, 2> out({g_count, f});
  gx::Tensor<double, 2> ref({g_count, f});
  gx::ops::global_add_pool(x, ptr, out.view());
  gx::ops::reference::global_add_pool<double>(xd, ptr, ref.view());
  GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.cview(), (gx::test::Tolerance{0.0, gamma * k_max}));
  gx::ops::global_mean_pool(x, ptr, out.view());
  gx::ops::reference::global_mean_pool<double>(xd, ptr, ref.view());
  GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.cview(), (gx::test::Tolerance{0.0, gamma + unit_roundoff}));
  gx::ops::global_max_pool(x, ptr, out.view());
  gx::ops::reference::global_max_pool<double>(xd, ptr, ref.view());
  GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.cview(), (gx::test::Tolerance{0.0, 0.0}));
}

TEST_CASE("global_mean_pool gives bitwise identical results for 1 and 2 threads", "[ops][pooling]") {
  gx::test::rng_t rng(3);
  auto ptr = gx::test::random_offsets(rng, 512, 28);
  auto x = gx::test::random_normal<float, 2>(rng, {ptr(512), 256});
  std::vector<std::vector<float>> results;
  for (int threads : {1, 2}) {
    ScopedThreads scope(threads);
    gx::Tensor<float, 2> out({512, 256});
    gx::ops::global_mean_pool(x, ptr, out.view());
    results.push_back(out.to_vector());
  }
  REQUIRE(results[0] == results[1]);
}

TEST_CASE("global pools report shape mismatches, and the reference reports a bad ptr", "[ops][pooling]") {
  gx::Tensor<float, 2> x({5, 3});
  auto ptr = gx::Tensor<std::int32_t, 1>::from({3}, {0, 2, 5});
  gx::Tensor<float, 2> out({2, 3});
  gx::Tensor<float, 2> out_rows({3, 3});
  gx::Tensor<float, 2> out_cols({2, 4});
  REQUIRE_THROWS_AS(gx::ops::global_mean_pool(x, ptr, out_rows.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::global_mean_pool(x, ptr, out_rows.view()),
                      Catch::Contains("global_mean_pool: ptr has extent 3 in dim 0, expected 4 (G+1"));
  REQUIRE_THROWS_AS(gx::ops::global_mean_pool(x, ptr, out_cols.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::global_mean_pool(x, ptr, out_cols.view()),
                      Catch::Contains("global_mean_pool: out has extent 4 in dim 1, expected 3"));
  REQUIRE_THROWS_WITH(gx::ops::global_add_pool(x, ptr, out_rows.view()),
                      Catch::Contains("global_add_pool: ptr has extent 3"));
  REQUIRE_THROWS_WITH(gx::ops::global_max_pool(x, ptr, out_cols.view()),
                      Catch::Contains("global_max_pool: out has extent 4 in dim 1, expected 3"));

  auto past_end = gx::Tensor<std::int32_t, 1>::from({3}, {0, 2, 6});
  REQUIRE_THROWS_AS(gx::ops::reference::global_mean_pool<float>(x, past_end, out.view()), gx::graph_error);
  REQUIRE_THROWS_WITH(gx::ops::reference::global_mean_pool<float>(x, past_end, out.view()),
                      Catch::Contains("reference::global_mean_pool: ptr[2] is 6, expected in [0, 5]"));
  REQUIRE_THROWS_WITH(gx::ops::reference::global_max_pool<float>(x, ptr, out_rows.view()),
                      Catch::Contains("reference::global_max_pool: ptr has extent 3 in dim 0, expected 4"));
}
