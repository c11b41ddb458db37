// ops::graph_attention (torch MultiheadAttention's core per graph, as GPSConv runs it with
// to_dense_batch and key_padding_mask) on the host against ops::reference (double): hand-checked
// cases, isolation between graphs, single-node and empty graphs, a large graph, thread-count
// independence and shape errors.
//
// Tolerance: rtol 1e-5 / atol 1e-5. The logits are dot products of d <= 64 terms of O(1) values
// (q, k ~ N(0, 1), scaled by 1/sqrt(d)): absolute error <= d u |q||k| / sqrt(d) ~ 1e-6 for d = 64;
// the softmax turns a logit error delta into a relative weight error ~delta, and the output is a
// convex combination of O(1) values of v, summed over <= 700 keys in fp32 (~n u per output).

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <graphtx/ops/graph_attention.hpp>
#include <graphtx/ops/reference/graph_attention.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;
using gx::test::Tolerance;

TEST_CASE("graph_attention attends within each graph only (hand-checked)", "[ops][graph_attention]") {
  // Graph 0: nodes 0-1; graph 1: empty; graph 2: node 2 alone; node 3 is outside every graph.
  // E = 2, heads = 2, d = 1: the scale is sqrt(1/1) = 1.
  auto q = gx::Tensor<float, 2>::from({4, 2}, {1, 0, 2, 1, 5, 5, 0, 0});
  auto k = gx::Tensor<float, 2>::from({4, 2}, {0, 1, 1, 3, 7, 7, 0, 0});
  auto v = gx::Tensor<float, 2>::from({4, 2}, {10, 20, 30, 40, 50, 60, 0, 0});
  auto ptr = gx::Tensor<std::int32_t, 1>::from({4}, {0, 2, 2, 3});
  auto out = gx::Tensor<float, 2>::filled({4, 2}, 99.0f);
  gx::ops::graph_attention(q, k, v, ptr, 2, out.view());
  auto softmax2 = [](double a, double b, double va, double vb) {
    double const m = std::max(a, b), ea = std::exp(a - m), eb = std::exp(b - m);
    return (ea * va + eb * vb) / (ea + eb);
  };
  // Node 0, head 0: logits q=1 with k = 0, 1 -> (0, 1); head 1: q=0 -> (0, 0).
  CHECK(out(0, 0) == Approx(softmax2(0, 1, 10, 30)).epsilon(1e-6));
  CHECK(out(0, 1) == Approx(softmax2(0, 0, 20, 40)).epsilon(1e-6));
  // Node 1, head 0: q=2 -> (0, 2); head 1: q=1 -> (1, 3).
  CHECK(out(1, 0) == Approx(softmax2(0, 2, 10, 30)).epsilon(1e-6));
  CHECK(out(1, 1) == Approx(softmax2(1, 3, 20, 40)).epsilon(1e-6));
  // A node alone in its graph attends to itself only: exactly its own v, whatever the logit.
  CHECK(out(2, 0) == 50.0f);
  CHECK(out(2, 1) == 60.0f);
  CHECK(out(3, 0) == 99.0f);  // outside every graph: untouched
  CHECK(out(3, 1) == 99.0f);

  // Other graphs' keys and values never participate: change graph 2's and re-run.
  auto k2 = k.clone();
  auto v2 = v.clone();
  k2(2, 0) = -100;
  v2(2, 1) = 1e6f;
  auto out2 = gx::Tensor<float, 2>::filled({4, 2}, 99.0f);
  gx::ops::graph_attention(q, k2, v2, ptr, 2, out2.view());
  for (index_t t = 0; t < 4; ++t) CHECK(out2.data()[t] == out.data()[t]);
}

TEST_CASE("graph_attention matches the double reference on random batches", "[ops][graph_attention]") {
  gx::test::rng_t rng(99);
  // (G, max nodes per graph, heads, d, nodes added to one big graph)
  auto [g_count, max_len, heads, d, big] = GENERATE(table<index_t, int, int, index_t, int>(
      {{0, 3, 2, 4, 0}, {5, 0, 1, 8, 0}, {30, 6, 1, 1, 0}, {40, 20, 4, 16, 0}, {6, 10, 2, 64, 700},
       {64, 25, 32, 8, 0}}));
  CAPTURE(g_count, max_len, heads, d, big);
  auto ptr = gx::test::random_offsets(rng, g_count, max_len);
  if (big > 0)
    for (index_t g = g_count / 2 + 1; g <= g_count; ++g) ptr(g) += big;
  index_t const n = ptr(g_count), e = heads * d;
  auto q = gx::test::random_normal<float, 2>(rng, {n, e});
  auto k = gx::test::random_normal<float, 2>(rng, {n, e});
  auto v = gx::test::random_normal<float, 2>(rng, {n, e});
  gx::Tensor<float, 2> out({n, e});
  gx::ops::graph_attention(q, k, v, ptr, static_cast<int>(heads), out.view());
  gx::Tensor<double, 2> ref({n, e});
  gx::ops::reference::graph_attention<double>(gx::test::convert<double>(q.cview()), gx::test::convert<double>(k.cview()),
                                              gx::test::convert<double>(v.cview()), ptr, static_cast<int>(heads),
                                              ref.view());
  GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.cview(), (Tolerance{1e-5, 1e-5}));
}

TEST_CASE("graph_attention gives bitwise identical results for 1 and 2 threads", "[ops][graph_attention]") {
  gx::test::rng_t rng(6);
  auto ptr = gx::test::random_offsets(rng, 128, 28);
  index_t const n = ptr(128);
  auto q = gx::test::random_normal<float, 2>(rng, {n, 64});
  auto k = gx::test::random_normal<float, 2>(rng, {n, 64});
  auto v = gx::test::random_normal<float, 2>(rng, {n, 64});
  std::vector<std::vector<float>> results;
  for ([[maybe_unused]] int threads : {1, 2}) {
#if defined(_OPENMP)
    int const saved = omp_get_max_threads();
    omp_set_num_threads(threads);
#endif
    gx::Tensor<float, 2> out({n, 64});
    gx::ops::graph_attention(q, k, v, ptr, 4, out.view());
    results.push_back(out.to_vector());
#if defined(_OPENMP)
    omp_set_num_threads(saved);
#endif
  }
  REQUIRE(results[0] == results[1]);
}

TEST_CASE("graph_attention reports shape mismatches, and the reference reports a bad ptr", "[ops][graph_attention]") {
  gx::Tensor<float, 2> q({5, 8}), k_rows({4, 8}), k_cols({5, 6}), out({5, 8}), out_cols({5, 4});
  auto ptr = gx::Tensor<std::int32_t, 1>::from({3}, {0, 2, 5});
  REQUIRE_THROWS_WITH(gx::ops::graph_attention(q, q, q, ptr, 0, out.view()),
                      Catch::Contains("graph_attention: heads = 0 must be positive"));
  REQUIRE_THROWS_WITH(gx::ops::graph_attention(q, q, q, ptr, 3, out.view()),
                      Catch::Contains("graph_attention: q has 8 columns, not a multiple of heads = 3"));
  REQUIRE_THROWS_WITH(gx::ops::graph_attention(q, k_rows, q, ptr, 2, out.view()),
                      Catch::Contains("graph_attention: k (N, from q) has extent 4 in dim 0, expected 5"));
  REQUIRE_THROWS_WITH(gx::ops::graph_attention(q, q, k_cols, ptr, 2, out.view()),
                      Catch::Contains("graph_attention: v (E, from q) has extent 6 in dim 1, expected 8"));
  REQUIRE_THROWS_WITH(gx::ops::graph_attention(q, q, q, ptr, 2, out_cols.view()),
                      Catch::Contains("graph_attention: out (E, from q) has extent 4 in dim 1, expected 8"));
  auto past_end = gx::Tensor<std::int32_t, 1>::from({3}, {0, 2, 6});
  REQUIRE_THROWS_WITH(gx::ops::reference::graph_attention<float>(q, q, q, past_end, 2, out.view()),
                      Catch::Contains("reference::graph_attention: ptr[2] is 6, expected in [0, 5]"));
}

TEST_CASE("graph_attention: a NaN or infinite logit makes its row NaN, other graphs are untouched",
          "[ops][graph_attention][nonfinite]") {
  // Graph 0: nodes 0-2; graph 1: nodes 3-4. E = 2, heads = 1.
  auto q = gx::Tensor<float, 2>::from({5, 2}, {1, 0, 0.5f, 1, -1, 2, 1, 1, 0, 1});
  auto k = gx::Tensor<float, 2>::from({5, 2}, {0, 1, NAN, 0, 1, 1, 2, 0, 1, -1});
  auto v = gx::Tensor<float, 2>::from({5, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  auto ptr = gx::Tensor<std::int32_t, 1>::from({3}, {0, 3, 5});
  gx::Tensor<float, 2> out({5, 2});
  gx::ops::graph_attention(q, k, v, ptr, 1, out.view());
  for (index_t i = 0; i < 3; ++i) {  // every query of graph 0 sees the NaN key (torch: NaN rows)
    CHECK(std::isnan(out(i, 0)));
    CHECK(std::isnan(out(i, 1)));
  }
  gx::Tensor<float, 2> ref({5, 2});
  gx::ops::reference::graph_attention<float>(q, k, v, ptr, 1, ref.view());
  for (index_t i = 3; i < 5; ++i) {
    CHECK(out(i, 0) == Approx(ref(i, 0)).epsilon(1e-6));
    CHECK(out(i, 1) == Approx(ref(i, 1)).epsilon(1e-6));
  }
  // An infinite logit: q . k = +inf for node 3 against key 3, exp(inf - inf) = NaN as in torch.
  k(3, 0) = INFINITY;
  gx::ops::graph_attention(q, k, v, ptr, 1, out.view());
  CHECK(std::isnan(out(3, 0)));
}
