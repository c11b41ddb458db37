// ops::gine_aggregate (GINEConv's message relu(x_j + e_ji), summed per destination in CSR order,
// optionally + (1 + eps) x_i) on the host against ops::reference (double), on graphs with hubs,
// isolated nodes and E = 0; PyG's order of operations; thread-count independence; shape errors.
//
// Tolerance: the messages are >= 0, so a float sum of k of them (each rounded once when x_j + e
// is formed) is within (k + 1) u of the exact sum, relatively (u = 2^-24); a message that rounds
// across 0 (relu) adds at most u |x_j + e| <= 1e-6 absolutely for |x|, |e| < 8. The root term adds
// three roundings of values below 8 (1 + eps, the product, the sum): 3 u * 8 * 2 < 3e-6.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <graphtx/ops/gine_aggregate.hpp>
#include <graphtx/ops/reference/gine_aggregate.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;
using gx::test::Tolerance;

namespace {
constexpr double u = 5.9604644775390625e-08;  // 2^-24

struct Graph {
  gx::Tensor<std::int32_t, 1> offsets, sources;
  index_t e = 0;
};
Graph random_graph(gx::test::rng_t& rng, index_t n_dst, index_t n_src, int max_deg, bool hub) {
  Graph g;
  g.offsets = gx::test::random_offsets(rng, n_dst, max_deg);
  if (hub && n_dst > 0)
    for (index_t i = 1; i <= n_dst; ++i) g.offsets(i) += 500;  // node 0 has in-degree >= 500
  g.e = g.offsets(n_dst);
  g.sources = gx::Tensor<std::int32_t, 1>({g.e});
  std::uniform_int_distribution<std::int32_t> s(0, static_cast<std::int32_t>(n_src - 1));
  for (index_t p = 0; p < g.e; ++p) g.sources(p) = s(rng);
  return g;
}
}  // namespace

TEST_CASE("gine_aggregate sums relu(x_j + e_ji) per destination (hand-checked)", "[ops][gine_aggregate]") {
  // Edges in CSR order: 1->0 (e = {1, -5}), 2->0 (e = {0, 0}), 0->2 (e = {-1, 1}); node 1 isolated.
  auto x = gx::Tensor<float, 2>::from({3, 2}, {1, 2, -3, 4, 5, -6});
  auto e = gx::Tensor<float, 2>::from({3, 2}, {1, -5, 0, 0, -1, 1});
  auto off = gx::Tensor<std::int32_t, 1>::from({4}, {0, 2, 2, 3});
  auto src = gx::Tensor<std::int32_t, 1>::from({3}, {1, 2, 0});
  auto out = gx::Tensor<float, 2>::filled({3, 2}, 99.0f);
  gx::ops::gine_aggregate(x, e, off, src, out.view());
  // node 0: relu(-3+1, 4-5) + relu(5, -6) = (0, 0) + (5, 0); node 1: 0; node 2: relu(1-1, 2+1) = (0, 3).
  CHECK(out.to_vector() == std::vector<float>{5, 0, 0, 0, 0, 3});
  gx::ops::gine_aggregate(x, e, off, src, x, 0.5f, out.view());
  CHECK(out.to_vector() == std::vector<float>{5 + 1.5f, 0 + 3, -4.5f, 6, 7.5f, 3 - 9});

  // NaN reaches the sum (torch's relu keeps NaN).
  float const nan = std::numeric_limits<float>::quiet_NaN();
  auto xn = gx::Tensor<float, 2>::from({3, 2}, {1, 2, nan, 4, 5, -6});
  gx::ops::gine_aggregate(xn, e, off, src, out.view());
  CHECK(std::isnan(out(0, 0)));
  CHECK(out(0, 1) == 0.0f);
}

TEST_CASE("gine_aggregate follows PyG's order of operations", "[ops][gine_aggregate]") {
  // Messages summed in CSR (= the user's edge) order from 0: (1 + 2^-24) + ... For these values the
  // order decides the result, so a reordered sum fails the check.
  float const big = 1.0f, tiny = 5.9604645e-08f;  // 2^-24: big + tiny rounds back to big
  auto x = gx::Tensor<float, 2>::from({3, 1}, {big, tiny, tiny});
  auto e = gx::Tensor<float, 2>::zeros({3, 1});
  auto off = gx::Tensor<std::int32_t, 1>::from({2}, {0, 3});
  auto src = gx::Tensor<std::int32_t, 1>::from({3}, {0, 1, 2});
  gx::Tensor<float, 2> out({1, 1});
  gx::ops::gine_aggregate(x, e, off, src, out.view());
  float const in_order = (0.0f + big + tiny) + tiny;
  REQUIRE(in_order != (tiny + tiny) + big);  // guards the test itself
  CHECK(out(0, 0) == in_order);

  // Root term: out = agg + ((1 + eps) * x_i), the factor rounded to float first, then the product.
  float const eps = 0.1f, xi = 4.32557297f, agg = 7.20324516f;
  auto xs = gx::Tensor<float, 2>::from({1, 1}, {agg});
  auto xd = gx::Tensor<float, 2>::from({1, 1}, {xi});
  auto e1 = gx::Tensor<float, 2>::zeros({1, 1});
  auto off1 = gx::Tensor<std::int32_t, 1>::from({2}, {0, 1});
  auto src1 = gx::Tensor<std::int32_t, 1>::from({1}, {0});
  gx::ops::gine_aggregate(xs, e1, off1, src1, xd, eps, out.view());
  float const scale = 1.0f + eps;
  float const pyg = agg + scale * xi;
  // Guards the test: a fused multiply-add, or x_i + eps x_i, gives other bits for these values.
  REQUIRE(pyg != std::fma(scale, xi, agg));
  REQUIRE(pyg != (agg + xi) + eps * xi);
  CHECK(out(0, 0) == pyg);
}

TEST_CASE("gine_aggregate matches the double reference on random graphs", "[ops][gine_aggregate]") {
  gx::test::rng_t rng(77);
  struct Case {
    index_t n_dst, n_src, c;
    int max_deg;
    bool hub;
  };
  for (auto cs : std::vector<Case>{{0, 3, 4, 3, false}, {20, 20, 1, 4, false}, {30, 45, 16, 5, true},
                                   {7, 7, 64, 0, false}, {400, 400, 256, 6, false}}) {
    INFO("N_dst=" << cs.n_dst << " N_src=" << cs.n_src << " C=" << cs.c << " hub=" << cs.hub);
    auto g = random_graph(rng, cs.n_dst, cs.n_src, cs.max_deg, cs.hub);
    auto x = gx::test::random_uniform<float, 2>(rng, {cs.n_src, cs.c}, -4, 4);
    auto xd = gx::test::random_uniform<float, 2>(rng, {cs.n_dst, cs.c}, -4, 4);
    auto e = gx::test::random_uniform<float, 2>(rng, {g.e, cs.c}, -4, 4);
    double kmax = 0;
    for (index_t i = 0; i < cs.n_dst; ++i) kmax = std::max(kmax, static_cast<double>(g.offsets(i + 1) - g.offsets(i)));

    gx::Tensor<float, 2> out({cs.n_dst, cs.c});
    gx::Tensor<double, 2> ref({cs.n_dst, cs.c});
    auto x64 = gx::test::convert<double>(x.cview());
    auto xd64 = gx::test::convert<double>(xd.cview());
    auto e64 = gx::test::convert<double>(e.cview());
    gx::ops::gine_aggregate(x, e, g.offsets, g.sources, out.view());
    gx::ops::reference::gine_aggregate<double>(x64, e64, g.offsets, g.sources, ref.view());
    GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.cview(), (Tolerance{(kmax + 1) * u * 1.001, 1e-6}));

    float const eps = 0.25f;
    gx::ops::gine_aggregate(x, e, g.offsets, g.sources, xd, eps, out.view());
    gx::ops::reference::gine_aggregate<double>(x64, e64, g.offsets, g.sources, xd64, eps, ref.view());
    GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.cview(), (Tolerance{(kmax + 2) * u * 1.001, 4e-6}));
  }
}

TEST_CASE("gine_aggregate gives bitwise identical results for 1 and 2 threads", "[ops][gine_aggregate]") {
  gx::test::rng_t rng(8);
  auto g = random_graph(rng, 3000, 3000, 6, true);
  auto x = gx::test::random_normal<float, 2>(rng, {3000, 64});
  auto e = gx::test::random_normal<float, 2>(rng, {g.e, 64});
  std::vector<std::vector<float>> results;
  for ([[maybe_unused]] int threads : {1, 2}) {
#if defined(_OPENMP)
    int const saved = omp_get_max_threads();
    omp_set_num_threads(threads);
#endif
    gx::Tensor<float, 2> out({3000, 64});
    gx::ops::gine_aggregate(x, e, g.offsets, g.sources, x, 0.1f, out.view());
    results.push_back(out.to_vector());
#if defined(_OPENMP)
    omp_set_num_threads(saved);
#endif
  }
  REQUIRE(results[0] == results[1]);
}

TEST_CASE("gine_aggregate reports shape mismatches, and the reference reports bad indices", "[ops][gine_aggregate]") {
  gx::Tensor<float, 2> x({4, 3}), e({5, 3}), e_rows({4, 3}), e_cols({5, 2}), out({3, 3}), out_cols({3, 4});
  gx::Tensor<float, 2> xd_rows({2, 3});
  auto off = gx::Tensor<std::int32_t, 1>::from({4}, {0, 2, 2, 5});
  auto src = gx::Tensor<std::int32_t, 1>::from({5}, {0, 1, 2, 3, 0});
  REQUIRE_THROWS_WITH(gx::ops::gine_aggregate(x, e_rows, off, src, out.view()),
                      Catch::Contains("gine_aggregate: edge_attr (E, from sources) has extent 4 in dim 0, expected 5"));
  REQUIRE_THROWS_WITH(gx::ops::gine_aggregate(x, e_cols, off, src, out.view()),
                      Catch::Contains("edge_attr (C, from x_src) has extent 2 in dim 1, expected 3"));
  REQUIRE_THROWS_WITH(gx::ops::gine_aggregate(x, e, off, src, out_cols.view()),
                      Catch::Contains("out (C, from x_src) has extent 4 in dim 1, expected 3"));
  gx::Tensor<float, 2> out_rows({4, 3});
  REQUIRE_THROWS_WITH(gx::ops::gine_aggregate(x, e, off, src, out_rows.view()),
                      Catch::Contains("gine_aggregate: offsets has extent 4 in dim 0, expected 5"));
  REQUIRE_THROWS_WITH(gx::ops::gine_aggregate(x, e, off, src, xd_rows, 0.0f, out.view()),
                      Catch::Contains("x_dst (N_dst, from out) has extent 2 in dim 0, expected 3"));
  auto bad_src = gx::Tensor<std::int32_t, 1>::from({5}, {0, 1, 4, 3, 0});
  REQUIRE_THROWS_WITH(gx::ops::reference::gine_aggregate<float>(x, e, off, bad_src, out.view()),
                      Catch::Contains("reference::gine_aggregate: sources[2] is 4, expected in [0, 4)"));
}
