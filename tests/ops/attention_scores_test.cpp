// ops::attention_scores (host, fp32) against ops::reference::attention_scores (run in double):
// PyG's (q_i * (k_j + e_ji)).sum(-1) / sqrt(C) over random CSR graphs, hand-computed logits, the
// division by sqrtf(C) for C = 3, determinism across thread counts, and the shape errors.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <graphtx/ops/attention_scores.hpp>
#include <graphtx/ops/reference/attention_scores.hpp>

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

/// A CSR by destination: random segment lengths (some empty), segment n/2 made `hub_len` longer,
/// sources uniform in [0, n_src).
struct RandomCsr {
  gx::Tensor<std::int32_t, 1> offsets;  // [N_dst+1]
  gx::Tensor<std::int32_t, 1> sources;  // [E]
};
RandomCsr random_csr(gx::test::rng_t& rng, index_t n_dst, index_t n_src, int max_len, int hub_len) {
  auto offsets = gx::test::random_offsets(rng, n_dst, max_len);
  if (hub_len > 0) {
    for (index_t i = n_dst / 2 + 1; i <= n_dst; ++i) offsets(i) += hub_len;
  }
  index_t const e = offsets(n_dst);
  gx::Tensor<std::int32_t, 1> sources({e});
  std::uniform_int_distribution<std::int32_t> pick(0, static_cast<std::int32_t>(std::max<index_t>(n_src, 1) - 1));
  for (index_t p = 0; p < e; ++p) sources(p) = pick(rng);
  return {std::move(offsets), std::move(sources)};
}

gx::Tensor<double, 2> abs_of(gx::Tensor<float, 2> const& t) {
  auto out = gx::test::convert<double>(t.cview());
  for (index_t x = 0; x < out.size(); ++x) out.data()[x] = std::fabs(out.data()[x]);
  return out;
}

/// REQUIRE |actual - expected| <= bound elementwise (NaN fails); reports the worst element.
void require_within(gx::TensorView<float const, 2> actual, gx::TensorView<double const, 2> expected,
                    gx::TensorView<double const, 2> bound) {
  REQUIRE(actual.extents() == expected.extents());
  index_t worst = -1;
  double worst_excess = 0;
  for (index_t x = 0; x < actual.size(); ++x) {
    double const diff = std::fabs(static_cast<double>(actual.data()[x]) - expected.data()[x]);
    double const excess = std::isnan(diff) ? INFINITY : diff - bound.data()[x];
    if (excess > 0 && (worst < 0 || excess > worst_excess)) {
      worst = x;
      worst_excess = excess;
    }
  }
  if (worst >= 0) {
    FAIL("flat index " << worst << " of " << actual.size() << ": actual " << actual.data()[worst] << ", expected "
                       << expected.data()[worst] << ", bound " << bound.data()[worst]);
  }
}

bool bitwise_equal(gx::Tensor<float, 2> const& a, gx::Tensor<float, 2> const& b) {
  return a.extents() == b.extents() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

gx::TensorView<float const, 2> no_edge_term() { return {}; }

}  // namespace

TEST_CASE("attention_scores matches hand-computed logits, with and without an edge term",
          "[ops][attention_scores]") {
  // N_dst = 3 (node 1 isolated), N_src = 3, H = 2, C = 4 (sqrt(C) = 2: every value is exact).
  auto offsets = gx::Tensor<std::int32_t, 1>::from({4}, {0, 2, 2, 3});
  auto sources = gx::Tensor<std::int32_t, 1>::from({3}, {1, 2, 0});
  auto q = gx::Tensor<float, 2>::from({3, 8}, {1, 2, 3, 4, 1, 0, 0, 0,           //
                                               9, 9, 9, 9, 9, 9, 9, 9,           // isolated: unused
                                               0.5f, 0.5f, 0.5f, 0.5f, 1, 1, 1, 1});
  auto k = gx::Tensor<float, 2>::from({3, 8}, {2, 2, 2, 2, 1, 2, 3, 4,  //
                                               1, 1, 1, 1, 2, 2, 2, 2,  //
                                               0, 0, 0, 1, -1, 0, 0, 0});
  auto edge = gx::Tensor<float, 2>::filled({3, 8}, 1.0f);  // [E, H*C]
  // p = 0 (i 0, j 1): head 0 (1+2+3+4)/2 = 5, head 1 2/2 = 1; p = 1 (i 0, j 2): 4/2 = 2, -1/2;
  // p = 2 (i 2, j 0): 0.5*8/2 = 2, (1+2+3+4)/2 = 5. With k + 1: 20/2, 3/2; 14/2, 0/2; 12/2/2, 14/2.
  std::vector<float> const expected = {5, 1, 2, -0.5f, 2, 5};
  std::vector<float> const expected_edge = {10, 1.5f, 7, 0, 3, 7};

  auto logits = gx::Tensor<float, 2>::filled({3, 2}, 42.0f);
  gx::ops::attention_scores(q, k, no_edge_term(), offsets, sources, 2, logits.view());
  CHECK(logits.to_vector() == expected);
  gx::ops::attention_scores(q, k, edge, offsets, sources, 2, logits.view());
  CHECK(logits.to_vector() == expected_edge);

  gx::Tensor<float, 2> ref_f({3, 2});
  gx::ops::reference::attention_scores<float>(q, k, edge, offsets, sources, 2, ref_f.view());
  CHECK(ref_f.to_vector() == expected_edge);
  gx::Tensor<double, 2> ref_d({3, 2});
  gx::ops::reference::attention_scores<double>(gx::test::convert<double>(q.cview()), gx::test::convert<double>(k.cview()),
                                               gx::TensorView<double const, 2>{}, offsets, sources, 2, ref_d.view());
  CHECK(ref_d.to_vector() == std::vector<double>(expected.begin(), expected.end()));
}

TEST_CASE("attention_scores divides the fp32 sum by sqrtf(C), as PyTorch's CPU kernel does (C = 3)",
          "[ops][attention_scores]") {
  // H = 1, C = 3, one edge. Find a sum s for which s / sqrtf(3) and s * (1 / sqrtf(3)) differ,
  // so that this test tells division from multiplication by the reciprocal.
  float const root3 = std::sqrt(3.0f);
  float s = 1.0f;
  while (s / root3 == s * (1.0f / root3)) s += 1.0f;
  REQUIRE(s < 100.0f);
  auto q = gx::Tensor<float, 2>::from({1, 3}, {s, 0, 0});
  auto k = gx::Tensor<float, 2>::from({1, 3}, {1, 0, 0});
  auto offsets = gx::Tensor<std::int32_t, 1>::from({2}, {0, 1});
  auto sources = gx::Tensor<std::int32_t, 1>::from({1}, {0});
  gx::Tensor<float, 2> logits({1, 1});
  gx::ops::attention_scores(q, k, no_edge_term(), offsets, sources, 1, logits.view());
  CHECK(logits(0, 0) == s / root3);
  CHECK(logits(0, 0) != s * (1.0f / root3));
  // And sqrtf(3) is float(math.sqrt(3)): the double root rounded once to fp32.
  CHECK(root3 == static_cast<float>(std::sqrt(3.0)));
}

TEST_CASE("attention_scores matches the double reference on random CSR graphs", "[ops][attention_scores]") {
  gx::test::rng_t rng(9001);
  // (N_dst, N_src, max segment length, H, C, hub length, edge term): N_dst = 0, E = 0, heads
  // 1/3/32, C = 3/4/8 (and 9: lanes plus a tail), empty segments, a hub of 500+, bipartite sizes.
  auto [n_dst, n_src, max_len, heads, c, hub_len, with_edge] =
      GENERATE(table<index_t, index_t, int, int, index_t, int, bool>({{0, 5, 3, 2, 4, 0, false},
                                                                      {0, 0, 3, 1, 3, 0, true},
                                                                      {6, 4, 0, 3, 4, 0, true},
                                                                      {20, 30, 5, 1, 3, 0, false},
                                                                      {25, 10, 6, 3, 8, 0, true},
                                                                      {12, 40, 4, 32, 4, 500, false},
                                                                      {30, 7, 5, 3, 9, 500, true},
                                                                      {200, 150, 10, 32, 8, 0, true}}));
  CAPTURE(n_dst, n_src, max_len, heads, c, hub_len, with_edge);
  auto csr = random_csr(rng, n_dst, n_src, max_len, hub_len);
  index_t const e_count = csr.offsets(n_dst);
  index_t const width = heads * c;
  auto q = gx::test::random_uniform<float, 2>(rng, {n_dst, width});  // [N_dst, H*C]
  auto k = gx::test::random_uniform<float, 2>(rng, {n_src, width});  // [N_src, H*C]
  auto edge = with_edge ? gx::test::random_uniform<float, 2>(rng, {e_count, width}) : gx::Tensor<float, 2>({0, 0});

  auto logits = gx::Tensor<float, 2>::filled({e_count, heads}, NAN);  // every row must be written
  gx::ops::attention_scores(q, k, edge, csr.offsets, csr.sources, heads, logits.view());
  gx::Tensor<double, 2> ref({e_count, heads});
  gx::ops::reference::attention_scores<double>(gx::test::convert<double>(q.cview()), gx::test::convert<double>(k.cview()),
                                               gx::test::convert<double>(edge.cview()), csr.offsets, csr.sources, heads,
                                               ref.view());
  // Tolerance, per logit: k + e rounds once, each product once, a C-term fp32 sum in any order errs
  // by gamma_n(C - 1) of the sum of |terms|, sqrtf(C) and the divide round once each: in all
  // gamma_n(C + 3) * sum_c |q| (|k| + |e|) / sqrt(C), computed by the reference on absolute values.
  gx::Tensor<double, 2> bound({e_count, heads});
  gx::ops::reference::attention_scores<double>(abs_of(q), abs_of(k), abs_of(edge), csr.offsets, csr.sources, heads,
                                               bound.view());
  for (index_t x = 0; x < bound.size(); ++x) bound.data()[x] *= gamma_n(static_cast<double>(c + 3));
  require_within(logits.cview(), ref.cview(), bound.cview());
}

TEST_CASE("attention_scores treats a [0, 0] edge_term as none, and accepts [0, H*C] when E = 0",
          "[ops][attention_scores]") {
  gx::test::rng_t rng(5);
  auto csr = random_csr(rng, 10, 10, 4, 0);
  index_t const e_count = csr.offsets(10);
  auto q = gx::test::random_uniform<float, 2>(rng, {10, 12});
  auto k = gx::test::random_uniform<float, 2>(rng, {10, 12});
  gx::Tensor<float, 2> none({e_count, 3}), zeros({e_count, 3});
  gx::ops::attention_scores(q, k, gx::Tensor<float, 2>({0, 0}), csr.offsets, csr.sources, 3, none.view());
  gx::ops::attention_scores(q, k, gx::Tensor<float, 2>::zeros({e_count, 12}), csr.offsets, csr.sources, 3,
                            zeros.view());
  REQUIRE(bitwise_equal(none, zeros));  // k + 0 == k

  auto no_edges = gx::Tensor<std::int32_t, 1>::filled({11}, 0);
  gx::Tensor<std::int32_t, 1> no_sources({0});
  gx::Tensor<float, 2> empty_logits({0, 3});
  gx::ops::attention_scores(q, k, gx::Tensor<float, 2>({0, 12}), no_edges, no_sources, 3, empty_logits.view());
}

TEST_CASE("attention_scores is bitwise identical for 1, 2 and 3 threads", "[ops][attention_scores]") {
  gx::test::rng_t rng(12);
  auto csr = random_csr(rng, 2000, 1500, 10, 500);
  index_t const e_count = csr.offsets(2000);
  auto q = gx::test::random_normal<float, 2>(rng, {2000, 32});
  auto k = gx::test::random_normal<float, 2>(rng, {1500, 32});
  auto edge = gx::test::random_normal<float, 2>(rng, {e_count, 32});
  REQUIRE(e_count * 32 >= gx::ops::detail::attention_scores_impl<gx::host>::parallel_min_work);
  std::vector<gx::Tensor<float, 2>> results;
  for (int threads : {1, 2, 3}) {
    ScopedThreads scope(threads);
    gx::Tensor<float, 2> logits({e_count, 4});
    gx::ops::attention_scores(q, k, edge, csr.offsets, csr.sources, 4, logits.view());
    results.push_back(std::move(logits));
  }
  REQUIRE(bitwise_equal(results[0], results[1]));
  REQUIRE(bitwise_equal(results[0], results[2]));
}

TEST_CASE("attention_scores reports shape mismatches, and the reference reports bad graphs",
          "[ops][attention_scores]") {
  gx::Tensor<float, 2> q = gx::Tensor<float, 2>::zeros({3, 8});  // N_dst = 3, H*C = 8
  gx::Tensor<float, 2> k = gx::Tensor<float, 2>::zeros({2, 8});  // N_src = 2
  auto offsets = gx::Tensor<std::int32_t, 1>::from({4}, {0, 1, 1, 3});
  auto sources = gx::Tensor<std::int32_t, 1>::from({3}, {0, 1, 1});
  gx::Tensor<float, 2> edge = gx::Tensor<float, 2>::zeros({3, 8});
  gx::Tensor<float, 2> logits({3, 2});
  auto call = [&](auto const& q_, auto const& k_, auto const& e_, auto const& off_, auto const& src_, int heads,
                  gx::Tensor<float, 2>& out) {
    gx::ops::attention_scores(q_, k_, e_, off_, src_, heads, out.view());
  };
  call(q, k, edge, offsets, sources, 2, logits);  // the valid call

  using Catch::Contains;
  REQUIRE_THROWS_AS(call(q, k, edge, offsets, sources, 0, logits), gx::shape_error);
  REQUIRE_THROWS_WITH(call(q, k, edge, offsets, sources, 0, logits),
                      Contains("attention_scores: heads is 0, expected a positive count"));
  gx::Tensor<float, 2> logits3({3, 3});
  REQUIRE_THROWS_AS(call(q, k, edge, offsets, sources, 3, logits3), gx::shape_error);
  REQUIRE_THROWS_WITH(call(q, k, edge, offsets, sources, 3, logits3),
                      Contains("attention_scores: q has extent 8 in dim 1, expected a multiple of heads = 3 (H*C)"));
  gx::Tensor<float, 2> k_narrow({2, 6});
  REQUIRE_THROWS_AS(call(q, k_narrow, edge, offsets, sources, 2, logits), gx::shape_error);
  REQUIRE_THROWS_WITH(call(q, k_narrow, edge, offsets, sources, 2, logits),
                      Contains("attention_scores: k has extent 6 in dim 1, expected 8 (H*C, as q)"));
  auto offsets_long = gx::Tensor<std::int32_t, 1>::from({5}, {0, 1, 1, 3, 3});
  REQUIRE_THROWS_AS(call(q, k, edge, offsets_long, sources, 2, logits), gx::shape_error);
  REQUIRE_THROWS_WITH(call(q, k, edge, offsets_long, sources, 2, logits),
                      Contains("attention_scores: offsets has extent 5 in dim 0, expected 4 (N_dst+1, from q)"));
  gx::Tensor<float, 2> logits_cols({3, 4});
  REQUIRE_THROWS_AS(call(q, k, edge, offsets, sources, 2, logits_cols), gx::shape_error);
  REQUIRE_THROWS_WITH(call(q, k, edge, offsets, sources, 2, logits_cols),
                      Contains("attention_scores: logits has extent 4 in dim 1, expected 2 (heads)"));
  auto sources_short = gx::Tensor<std::int32_t, 1>::from({2}, {0, 1});
  REQUIRE_THROWS_AS(call(q, k, edge, offsets, sources_short, 2, logits), gx::shape_error);
  REQUIRE_THROWS_WITH(call(q, k, edge, offsets, sources_short, 2, logits),
                      Contains("attention_scores: sources has extent 2 in dim 0, expected 3 (E, from logits)"));
  gx::Tensor<float, 2> edge_rows({0, 8});
  REQUIRE_THROWS_AS(call(q, k, edge_rows, offsets, sources, 2, logits), gx::shape_error);
  REQUIRE_THROWS_WITH(call(q, k, edge_rows, offsets, sources, 2, logits),
                      Contains("attention_scores: edge_term has extent 0 in dim 0, expected 3 (E, or a [0, 0] view"));
  gx::Tensor<float, 2> edge_cols({3, 4});
  REQUIRE_THROWS_AS(call(q, k, edge_cols, offsets, sources, 2, logits), gx::shape_error);
  REQUIRE_THROWS_WITH(call(q, k, edge_cols, offsets, sources, 2, logits),
                      Contains("attention_scores: edge_term has extent 4 in dim 1, expected 8 (H*C)"));

  // The reference: the same shape checks, plus the graph checks the fast path trusts.
  auto ref = [&](auto const& off_, auto const& src_, int heads, gx::Tensor<float, 2>& out) {
    gx::ops::reference::attention_scores<float>(q, k, edge, off_, src_, heads, out.view());
  };
  REQUIRE_THROWS_AS(ref(offsets, sources, 3, logits3), gx::shape_error);
  REQUIRE_THROWS_WITH(ref(offsets, sources, 3, logits3), Contains("reference::attention_scores: heads is 3"));
  REQUIRE_THROWS_WITH(ref(offsets, sources, 2, logits_cols),
                      Contains("reference::attention_scores: logits has extent 4 in dim 1, expected 2"));
  REQUIRE_THROWS_WITH(ref(offsets, sources_short, 2, logits),
                      Contains("reference::attention_scores: sources has extent 2 in dim 0, expected 3"));
  REQUIRE_THROWS_WITH(ref(offsets_long, sources, 2, logits),
                      Contains("reference::attention_scores: offsets has extent 5 in dim 0, expected 4"));
  auto bad_source = gx::Tensor<std::int32_t, 1>::from({3}, {0, 2, 1});
  REQUIRE_THROWS_AS(ref(offsets, bad_source, 2, logits), gx::graph_error);
  REQUIRE_THROWS_WITH(ref(offsets, bad_source, 2, logits),
                      Contains("reference::attention_scores: sources[1] is 2, expected in [0, 2) (N_src)"));
  auto negative_source = gx::Tensor<std::int32_t, 1>::from({3}, {0, -1, 1});
  REQUIRE_THROWS_WITH(ref(offsets, negative_source, 2, logits), Contains("sources[1] is -1"));
  auto bad_offsets = gx::Tensor<std::int32_t, 1>::from({4}, {0, 2, 1, 3});
  REQUIRE_THROWS_AS(ref(bad_offsets, sources, 2, logits), gx::graph_error);
  REQUIRE_THROWS_WITH(ref(bad_offsets, sources, 2, logits),
                      Contains("reference::attention_scores: offsets[2] is 1, less than offsets[1] = 2"));
  REQUIRE_THROWS_WITH(gx::ops::reference::attention_scores<float>(q, k, edge_cols, offsets, sources, 2, logits.view()),
                      Contains("reference::attention_scores: edge_term has extent 4 in dim 1, expected 8"));
  REQUIRE_THROWS_WITH(gx::ops::reference::attention_scores<float>(q, k_narrow, edge, offsets, sources, 2, logits.view()),
                      Contains("reference::attention_scores: k has extent 6 in dim 1, expected 8"));
}
