// ops::scatter_add (host) against ops::reference::scatter_add (double accumulation), plus the
// determinism promise: bitwise the same result as the sequential edge-order loop, for any thread
// count.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <graphtx/ops/reference/scatter_add.hpp>
#include <graphtx/ops/scatter_add.hpp>

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

gx::Tensor<std::int32_t, 1> random_index(gx::test::rng_t& rng, index_t e_count, index_t n) {
  gx::Tensor<std::int32_t, 1> index({e_count});
  std::uniform_int_distribution<std::int32_t> pick(0, static_cast<std::int32_t>(n - 1));
  for (index_t e = 0; e < e_count; ++e) index(e) = pick(rng);
  return index;
}

/// The definition of the result: for e in order, out[index[e]] += values[e], in float.
gx::Tensor<float, 2> sequential(gx::Tensor<float, 2> const& values, gx::Tensor<std::int32_t, 1> const& index,
                                gx::Tensor<float, 2> const& out0) {
  auto out = out0.clone();
  for (index_t e = 0; e < values.extent(0); ++e) {
    for (index_t c = 0; c < values.extent(1); ++c) out(index(e), c) += values(e, c);
  }
  return out;
}

}  // namespace

TEST_CASE("scatter_add adds rows into their targets on a hand-checked example", "[ops][scatter_add]") {
  auto values = gx::Tensor<float, 2>::from({4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});  // [E=4, F=2]
  auto index = gx::Tensor<std::int32_t, 1>::from({4}, {2, 0, 2, 2});            // node 1 gets nothing
  auto out = gx::Tensor<float, 2>::from({3, 2}, {100, 200, -1, -2, 0, 0});      // added to, not replaced
  gx::ops::scatter_add(values, index, out.view());
  CHECK(out.to_vector() == std::vector<float>{103, 204, -1, -2, 13, 16});
}

TEST_CASE("scatter_add matches the double reference on random inputs", "[ops][scatter_add]") {
  gx::test::rng_t rng(31337);
  // (N, E, F): E = 0, F = 1, F = 0, one hot node collecting 500 edges, the OpenMP column split.
  auto [n, e_count, f] = GENERATE(table<index_t, index_t, index_t>(
      {{4, 0, 3}, {9, 40, 1}, {3, 5, 0}, {1, 500, 7}, {50, 3000, 33}, {300, 2000, 256}}));
  CAPTURE(n, e_count, f);
  auto values = gx::test::random_uniform<float, 2>(rng, {e_count, f});
  auto index = random_index(rng, e_count, n);
  auto out0 = gx::test::random_uniform<float, 2>(rng, {n, f});

  auto out = out0.clone();
  gx::ops::scatter_add(values, index, out.view());
  auto ref = gx::test::convert<double>(out0.cview());
  gx::ops::reference::scatter_add<double>(gx::test::convert<double>(values.cview()), index, ref.view());

  // Tolerance: k float additions into one element err by at most gamma_k * (sum of |terms|),
  // gamma_k = k u / (1 - k u), k = terms in that element. |values| < 1 and |out0| < 1, so with
  // k_max the largest in-degree + 1, atol = gamma_kmax * k_max bounds every element.
  std::vector<index_t> degree(static_cast<std::size_t>(n), 1);
  for (index_t e = 0; e < e_count; ++e) ++degree[static_cast<std::size_t>(index(e))];
  double k_max = 1;
  for (auto d : degree) k_max = std::max(k_max, static_cast<double>(d));
  double const gamma = k_max * unit_roundoff / (1 - k_max * unit_roundoff);
  GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.cview(), (gx::test::Tolerance{0.0, gamma * k_max}));

  // Stronger: the host result IS the sequential edge-order float loop, bit for bit.
  auto seq = sequential(values, index, out0);
  REQUIRE(out.to_vector() == seq.to_vector());
}

TEST_CASE("scatter_add gives bitwise identical results for 1, 2 and 3 threads", "[ops][scatter_add]") {
  gx::test::rng_t rng(99);
  index_t const n = 200, e_count = 4000;
  index_t const f = GENERATE(as<index_t>{}, 256, 40, 17);  // 40 and 17: ragged last column block
  CAPTURE(f);
  auto values = gx::test::random_normal<float, 2>(rng, {e_count, f});
  auto index = random_index(rng, e_count, n);
  std::vector<std::vector<float>> results;
  for (int threads : {1, 2, 3}) {
    ScopedThreads scope(threads);
    auto out = gx::Tensor<float, 2>::zeros({n, f});
    gx::ops::scatter_add(values, index, out.view());
    results.push_back(out.to_vector());
  }
  REQUIRE(results[0] == results[1]);
  REQUIRE(results[0] == results[2]);
  auto seq = sequential(values, index, gx::Tensor<float, 2>::zeros({n, f}));
  REQUIRE(results[0] == seq.to_vector());
}

TEST_CASE("scatter_add reports shape mismatches, and the reference reports bad indices", "[ops][scatter_add]") {
  gx::Tensor<float, 2> values({3, 2});
  auto index = gx::Tensor<std::int32_t, 1>::from({3}, {0, 1, 1});
  auto out = gx::Tensor<float, 2>::zeros({2, 2});

  auto short_index = gx::Tensor<std::int32_t, 1>::from({2}, {0, 1});
  REQUIRE_THROWS_AS(gx::ops::scatter_add(values, short_index, out.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::scatter_add(values, short_index, out.view()),
                      Catch::Contains("scatter_add: index has extent 2 in dim 0, expected 3"));
  gx::Tensor<float, 2> out_cols({2, 5});
  REQUIRE_THROWS_AS(gx::ops::scatter_add(values, index, out_cols.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::scatter_add(values, index, out_cols.view()),
                      Catch::Contains("scatter_add: out has extent 5 in dim 1, expected 2"));

  auto bad = gx::Tensor<std::int32_t, 1>::from({3}, {0, 2, 1});
  REQUIRE_THROWS_AS(gx::ops::reference::scatter_add<float>(values, bad, out.view()), gx::graph_error);
  REQUIRE_THROWS_WITH(gx::ops::reference::scatter_add<float>(values, bad, out.view()),
                      Catch::Contains("reference::scatter_add: index[1] is 2, expected in [0, 2)"));
  REQUIRE_THROWS_WITH(gx::ops::reference::scatter_add<float>(values, short_index, out.view()),
                      Catch::Contains("reference::scatter_add: index has extent 2 in dim 0, expected 3"));
}
