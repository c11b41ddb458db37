// ops::attention_aggregate (host, fp32) against ops::reference::attention_aggregate (run in
// double): PyG's scatter-add of (value_j + edge_term) * alpha over random CSR graphs, a
// hand-computed case, exact zeros for isolated nodes, determinism across thread counts, and the
// shape errors.

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

#include <graphtx/ops/attention_aggregate.hpp>
#include <graphtx/ops/reference/attention_aggregate.hpp>

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

TEST_CASE("attention_aggregate matches hand-computed sums, with and without an edge term",
          "[ops][attention_aggregate]") {
  // N_dst = 3 (node 1 isolated), N_src = 3, H = 2, C = 2; all values exact in fp32.
  auto offsets = gx::Tensor<std::int32_t, 1>::from({4}, {0, 2, 2, 3});
  auto sources = gx::Tensor<std::int32_t, 1>::from({3}, {1, 2, 0});
  auto alpha = gx::Tensor<float, 2>::from({3, 2}, {0.25f, 1.0f,  //
                                                   0.75f, 0.0f,   //
                                                   1.0f, 0.5f});
  auto v = gx::Tensor<float, 2>::from({3, 4}, {2, 4, 6, 8,  //
                                               4, 8, 1, 2,  //
                                               8, 4, 3, 5});
  auto edge = gx::Tensor<float, 2>::from({3, 4}, {1, 1, 1, 1,  //
                                                  0, 0, 0, 0,  //
                                                  2, 2, 2, 2});
  // Node 0: 0.25 * v[1][h0] + 0.75 * v[2][h0] = [1 + 6, 2 + 3] = [7, 5]; head 1: 1 * [1, 2] + 0 = [1, 2].
  // Node 2: 1 * v[0][h0] = [2, 4]; 0.5 * v[0][h1] = [3, 4].
  std::vector<float> const expected = {7, 5, 1, 2, 0, 0, 0, 0, 2, 4, 3, 4};
  // With the edge term added to the value: node 0: 0.25 * [5, 9] + 0.75 * [8, 4] = [7.25, 5.25],
  // 1 * [2, 3] + 0 = [2, 3]; node 2: 1 * [4, 6] = [4, 6], 0.5 * [8, 10] = [4, 5].
  std::vector<float> const expected_edge = {7.25f, 5.25f, 2, 3, 0, 0, 0, 0, 4, 6, 4, 5};

  auto out = gx::Tensor<float, 2>::filled({3, 4}, 42.0f);  // overwritten, isolated row too
  gx::ops::attention_aggregate(alpha, v, no_edge_term(), offsets, sources, 2, out.view());
  CHECK(out.to_vector() == expected);
  gx::ops::attention_aggregate(alpha, v, edge, offsets, sources, 2, out.view());
  CHECK(out.to_vector() == expected_edge);

  auto ref_f = gx::Tensor<float, 2>::filled({3, 4}, 42.0f);
  gx::ops::reference::attention_aggregate<float>(alpha, v, edge, offsets, sources, 2, ref_f.view());
  CHECK(ref_f.to_vector() == expected_edge);
  gx::Tensor<double, 2> ref_d({3, 4});
  gx::ops::reference::attention_aggregate<double>(gx::test::convert<double>(alpha.cview()),
                                                  gx::test::convert<double>(v.cview()),
                                                  gx::TensorView<double const, 2>{}, offsets, sources, 2, ref_d.view());
  CHECK(ref_d.to_vector() == std::vector<double>(expected.begin(), expected.end()));
}

TEST_CASE("attention_aggregate matches the double reference on random CSR graphs", "[ops][attention_aggregate]") {
  gx::test::rng_t rng(31337);
  // (N_dst, N_src, max segment length, H, C, hub length, edge term): N_dst = 0, E = 0, heads
  // 1/3/32, C = 3/4/8, empty segments, a hub of 500+, bipartite sizes, the OpenMP path.
  auto [n_dst, n_src, max_len, heads, c, hub_len, with_edge] =
      GENERATE(table<index_t, index_t, int, int, index_t, int, bool>({{0, 5, 3, 2, 4, 0, false},
                                                                      {0, 0, 3, 1, 3, 0, true},
                                                                      {6, 4, 0, 3, 4, 0, true},
                                                                      {20, 30, 5, 1, 3, 0, false},
                                                                      {25, 10, 6, 3, 8, 0, true},
                                                                      {12, 40, 4, 32, 4, 500, false},
                                                                      {30, 7, 5, 3, 3, 500, true},
                                                                      {300, 150, 10, 32, 8, 0, true}}));
  CAPTURE(n_dst, n_src, max_len, heads, c, hub_len, with_edge);
  auto csr = random_csr(rng, n_dst, n_src, max_len, hub_len);
  index_t const e_count = csr.offsets(n_dst);
  index_t const width = heads * c;
  auto alpha = gx::test::random_uniform<float, 2>(rng, {e_count, heads}, 0.0, 1.0);  // [E, H]
  auto v = gx::test::random_uniform<float, 2>(rng, {n_src, width});                  // [N_src, H*C]
  auto edge = with_edge ? gx::test::random_uniform<float, 2>(rng, {e_count, width}) : gx::Tensor<float, 2>({0, 0});

  auto out = gx::Tensor<float, 2>::filled({n_dst, width}, NAN);  // every row must be written
  gx::ops::attention_aggregate(alpha, v, edge, csr.offsets, csr.sources, heads, out.view());
  gx::Tensor<double, 2> ref({n_dst, width});
  gx::ops::reference::attention_aggregate<double>(gx::test::convert<double>(alpha.cview()),
                                                  gx::test::convert<double>(v.cview()),
                                                  gx::test::convert<double>(edge.cview()), csr.offsets, csr.sources,
                                                  heads, ref.view());
  // Tolerance, per output element of a node with k in-edges: v + e rounds once, the product once,
  // and a k-term sum errs by gamma(k - 1) of the sum of |terms|: in all gamma(k + 1) *
  // sum_p (|v| + |e|) |alpha|, computed by the reference on absolute values.
  gx::Tensor<double, 2> bound({n_dst, width});
  gx::ops::reference::attention_aggregate<double>(abs_of(alpha), abs_of(v), abs_of(edge), csr.offsets, csr.sources,
                                                  heads, bound.view());
  for (index_t i = 0; i < n_dst; ++i) {
    double const k = static_cast<double>(csr.offsets(i + 1) - csr.offsets(i));
    for (index_t col = 0; col < width; ++col) bound(i, col) *= gamma_n(k + 1);
  }
  require_within(out.cview(), ref.cview(), bound.cview());
  // Isolated nodes get exactly +0 (PyG's zeros plus no messages).
  for (index_t i = 0; i < n_dst; ++i) {
    if (csr.offsets(i + 1) != csr.offsets(i)) continue;
    for (index_t col = 0; col < width; ++col) {
      REQUIRE(out(i, col) == 0.0f);
      REQUIRE_FALSE(std::signbit(out(i, col)));
    }
  }
}

TEST_CASE("attention_aggregate is bitwise identical for 1, 2 and 3 threads", "[ops][attention_aggregate]") {
  gx::test::rng_t rng(13);
  auto csr = random_csr(rng, 2000, 1500, 10, 500);
  index_t const e_count = csr.offsets(2000);
  auto alpha = gx::test::random_uniform<float, 2>(rng, {e_count, 4}, 0.0, 1.0);
  auto v = gx::test::random_normal<float, 2>(rng, {1500, 32});
  auto edge = gx::test::random_normal<float, 2>(rng, {e_count, 32});
  REQUIRE(e_count * 32 >= gx::ops::detail::attention_aggregate_impl<gx::host>::parallel_min_work);
  std::vector<gx::Tensor<float, 2>> results;
  for (int threads : {1, 2, 3}) {
    ScopedThreads scope(threads);
    gx::Tensor<float, 2> out({2000, 32});
    gx::ops::attention_aggregate(alpha, v, edge, csr.offsets, csr.sources, 4, out.view());
    results.push_back(std::move(out));
  }
  REQUIRE(bitwise_equal(results[0], results[1]));
  REQUIRE(bitwise_equal(results[0], results[2]));
  // And it is the in-order fp32 sum: the float reference (same order, plain loops) agrees to the bit.
  gx::Tensor<float, 2> ref_f({2000, 32});
  gx::ops::reference::attention_aggregate<float>(alpha, v, edge, csr.offsets, csr.sources, 4, ref_f.view());
  REQUIRE(bitwise_equal(results[0], ref_f));
}

TEST_CASE("attention_aggregate reports shape mismatches, and the reference reports bad graphs",
          "[ops][attention_aggregate]") {
  gx::Tensor<float, 2> alpha = gx::Tensor<float, 2>::zeros({3, 2});  // E = 3, H = 2
  gx::Tensor<float, 2> v = gx::Tensor<float, 2>::zeros({2, 8});      // N_src = 2, H*C = 8
  auto offsets = gx::Tensor<std::int32_t, 1>::from({4}, {0, 1, 1, 3});
  auto sources = gx::Tensor<std::int32_t, 1>::from({3}, {0, 1, 1});
  gx::Tensor<float, 2> edge = gx::Tensor<float, 2>::zeros({3, 8});
  gx::Tensor<float, 2> out({3, 8});  // N_dst = 3
  auto call = [&](auto const& a_, auto const& v_, auto const& e_, auto const& off_, auto const& src_, int heads,
                  gx::Tensor<float, 2>& o_) {
    gx::ops::attention_aggregate(a_, v_, e_, off_, src_, heads, o_.view());
  };
  call(alpha, v, edge, offsets, sources, 2, out);  // the valid call

  using Catch::Contains;
  REQUIRE_THROWS_AS(call(alpha, v, edge, offsets, sources, -1, out), gx::shape_error);
  REQUIRE_THROWS_WITH(call(alpha, v, edge, offsets, sources, -1, out),
                      Contains("attention_aggregate: heads is -1, expected a positive count"));
  REQUIRE_THROWS_AS(call(alpha, v, edge, offsets, sources, 3, out), gx::shape_error);
  REQUIRE_THROWS_WITH(call(alpha, v, edge, offsets, sources, 3, out),
                      Contains("attention_aggregate: out has extent 8 in dim 1, expected a multiple of heads = 3 (H*C)"));
  gx::Tensor<float, 2> v_wide({2, 10});
  REQUIRE_THROWS_AS(call(alpha, v_wide, edge, offsets, sources, 2, out), gx::shape_error);
  REQUIRE_THROWS_WITH(call(alpha, v_wide, edge, offsets, sources, 2, out),
                      Contains("attention_aggregate: v has extent 10 in dim 1, expected 8 (H*C, as out)"));
  gx::Tensor<float, 2> out_rows({2, 8});
  REQUIRE_THROWS_AS(call(alpha, v, edge, offsets, sources, 2, out_rows), gx::shape_error);
  REQUIRE_THROWS_WITH(call(alpha, v, edge, offsets, sources, 2, out_rows),
                      Contains("attention_aggregate: offsets has extent 4 in dim 0, expected 3 (N_dst+1, from out)"));
  gx::Tensor<float, 2> alpha_cols({3, 4});
  REQUIRE_THROWS_AS(call(alpha_cols, v, edge, offsets, sources, 2, out), gx::shape_error);
  REQUIRE_THROWS_WITH(call(alpha_cols, v, edge, offsets, sources, 2, out),
                      Contains("attention_aggregate: alpha has extent 4 in dim 1, expected 2 (heads)"));
  auto sources_long = gx::Tensor<std::int32_t, 1>::from({4}, {0, 1, 1, 0});
  REQUIRE_THROWS_AS(call(alpha, v, edge, offsets, sources_long, 2, out), gx::shape_error);
  REQUIRE_THROWS_WITH(call(alpha, v, edge, offsets, sources_long, 2, out),
                      Contains("attention_aggregate: sources has extent 4 in dim 0, expected 3 (E, from alpha)"));
  gx::Tensor<float, 2> edge_rows({2, 8});
  REQUIRE_THROWS_AS(call(alpha, v, edge_rows, offsets, sources, 2, out), gx::shape_error);
  REQUIRE_THROWS_WITH(call(alpha, v, edge_rows, offsets, sources, 2, out),
                      Contains("attention_aggregate: edge_term has extent 2 in dim 0, expected 3 (E, or a [0, 0] view"));
  gx::Tensor<float, 2> edge_cols({3, 0});
  REQUIRE_THROWS_AS(call(alpha, v, edge_cols, offsets, sources, 2, out), gx::shape_error);
  REQUIRE_THROWS_WITH(call(alpha, v, edge_cols, offsets, sources, 2, out),
                      Contains("attention_aggregate: edge_term has extent 0 in dim 1, expected 8 (H*C)"));

  // The reference: the same shape checks, plus the graph checks the fast path trusts.
  auto ref = [&](auto const& off_, auto const& src_, int heads, gx::Tensor<float, 2>& o_) {
    gx::ops::reference::attention_aggregate<float>(alpha, v, edge, off_, src_, heads, o_.view());
  };
  REQUIRE_THROWS_AS(ref(offsets, sources, 0, out), gx::shape_error);
  REQUIRE_THROWS_WITH(ref(offsets, sources, 0, out), Contains("reference::attention_aggregate: heads is 0"));
  REQUIRE_THROWS_WITH(ref(offsets, sources, 2, out_rows),
                      Contains("reference::attention_aggregate: offsets has extent 4 in dim 0, expected 3"));
  REQUIRE_THROWS_WITH(ref(offsets, sources_long, 2, out),
                      Contains("reference::attention_aggregate: sources has extent 4 in dim 0, expected 3"));
  auto bad_source = gx::Tensor<std::int32_t, 1>::from({3}, {0, 1, 5});
  REQUIRE_THROWS_AS(ref(offsets, bad_source, 2, out), gx::graph_error);
  REQUIRE_THROWS_WITH(ref(offsets, bad_source, 2, out),
                      Contains("reference::attention_aggregate: sources[2] is 5, expected in [0, 2) (N_src)"));
  auto short_offsets = gx::Tensor<std::int32_t, 1>::from({4}, {0, 1, 1, 2});
  REQUIRE_THROWS_AS(ref(short_offsets, sources, 2, out), gx::graph_error);
  REQUIRE_THROWS_WITH(ref(short_offsets, sources, 2, out),
                      Contains("reference::attention_aggregate: offsets[3] is 2, expected 3 (E)"));
  REQUIRE_THROWS_WITH(gx::ops::reference::attention_aggregate<float>(alpha_cols, v, edge, offsets, sources, 2,
                                                                     out.view()),
                      Contains("reference::attention_aggregate: alpha has extent 4 in dim 1, expected 2"));
  REQUIRE_THROWS_WITH(gx::ops::reference::attention_aggregate<float>(alpha, v_wide, edge, offsets, sources, 2,
                                                                     out.view()),
                      Contains("reference::attention_aggregate: v has extent 10 in dim 1, expected 8"));
  REQUIRE_THROWS_WITH(gx::ops::reference::attention_aggregate<float>(alpha, v, edge_rows, offsets, sources, 2,
                                                                     out.view()),
                      Contains("reference::attention_aggregate: edge_term has extent 2 in dim 0, expected 3"));
}
