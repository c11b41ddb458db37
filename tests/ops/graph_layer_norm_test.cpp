// ops::graph_layer_norm and ops::graph_layer_norm_unbatched (PyG LayerNorm, mode="graph") on the
// host against ops::reference (double), with a hand-checked example of both eps placements,
// empty graphs, affine=False, in-place use and thread-count independence.
//
// Tolerance: the host backend accumulates the statistics in double and computes each output in
// double, rounded once, like the reference; only the double rounding errors of sums of up to
// ~10^5 terms differ (relative ~1e-11), so outputs agree to one float rounding:
// |y - ref| <= 2 u (|ref| + 1) (u = 2^-24; the "+1" covers a bias that cancels the product).

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <graphtx/ops/graph_layer_norm.hpp>
#include <graphtx/ops/reference/graph_layer_norm.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;
using gx::test::Tolerance;

namespace {
constexpr double u = 5.9604644775390625e-08;  // 2^-24
constexpr Tolerance one_rounding{2 * u, 2 * u};
}  // namespace

TEST_CASE("graph_layer_norm normalises each graph over nodes and channels (hand-checked)", "[ops][graph_layer_norm]") {
  // Graph 0: rows 0-1, values {1, 3, 5, 7}: mean 4, var (9+1+1+9)/4 = 5. Graph 1: empty. Graph 2:
  // row 2, values {2, 2}: mean 2, var 0. Row 3 is outside every graph and stays untouched.
  auto x = gx::Tensor<float, 2>::from({4, 2}, {1, 3, 5, 7, 2, 2, 9, 9});
  auto ptr = gx::Tensor<std::int32_t, 1>::from({4}, {0, 2, 2, 3});
  auto w = gx::Tensor<float, 1>::from({2}, {2, -1});
  auto b = gx::Tensor<float, 1>::from({2}, {0.5f, 1});
  auto y = gx::Tensor<float, 2>::filled({4, 2}, 99.0f);
  float const eps = 1.0f;  // large, so that its placement shows
  gx::ops::graph_layer_norm(x, ptr, w, b, eps, y.view());
  double const d0 = std::sqrt(5.0 + 1.0);  // graph 2: (2 - 2) / sqrt(0 + 1) = 0
  std::vector<double> const expect{-3 / d0 * 2 + 0.5, -1 / d0 * -1 + 1, 1 / d0 * 2 + 0.5, 3 / d0 * -1 + 1,
                                   0 * 2 + 0.5,       0 * -1 + 1,       99,              99};
  for (index_t t = 0; t < 8; ++t) CHECK(y.data()[t] == Approx(expect[static_cast<std::size_t>(t)]).epsilon(1e-6));

  // batch = None: eps added to the std: rows 0-3 as one graph (no affine).
  gx::Tensor<float, 2> yu({4, 2});
  gx::ops::graph_layer_norm_unbatched(x, gx::TensorView<float const, 1>(), gx::TensorView<float const, 1>(), eps,
                                      yu.view());
  double mean = 0, var = 0;
  for (float v : x.to_vector()) mean += v / 8.0;
  for (float v : x.to_vector()) var += (v - mean) * (v - mean) / 8.0;
  for (index_t t = 0; t < 8; ++t)
    CHECK(yu.data()[t] == Approx((x.data()[t] - mean) / (std::sqrt(var) + eps)).epsilon(1e-6));
}

TEST_CASE("graph_layer_norm matches the double reference on random batches", "[ops][graph_layer_norm]") {
  gx::test::rng_t rng(4242);
  // (G, max nodes per graph, C, affine, nodes of one big graph, shift): G = 0, all graphs empty,
  // C = 1, a 2000-node graph, shifted inputs (mean far from 0), the seed shape.
  auto [g_count, max_len, c, affine, big, shift] = GENERATE(table<index_t, int, index_t, bool, int, double>(
      {{0, 3, 4, true, 0, 0.0}, {6, 0, 3, true, 0, 0.0}, {20, 5, 1, false, 0, 0.0}, {8, 30, 16, true, 2000, 0.0},
       {40, 20, 64, true, 0, 50.0}, {512, 25, 256, true, 0, 0.0}}));
  CAPTURE(g_count, max_len, c, affine, big, shift);
  auto ptr = gx::test::random_offsets(rng, g_count, max_len);
  if (big > 0)
    for (index_t g = g_count / 2 + 1; g <= g_count; ++g) ptr(g) += big;
  index_t const n = ptr(g_count);
  auto x = gx::test::random_normal<float, 2>(rng, {n, c});
  for (index_t t = 0; t < x.size(); ++t) x.data()[t] += static_cast<float>(shift);
  auto w = gx::test::random_normal<float, 1>(rng, {affine ? c : 0});
  auto b = gx::test::random_normal<float, 1>(rng, {affine ? c : 0});
  auto xd = gx::test::convert<double>(x.cview());
  auto wd = gx::test::convert<double>(w.cview());
  auto bd = gx::test::convert<double>(b.cview());

  gx::Tensor<float, 2> y({n, c});
  gx::Tensor<double, 2> ref({n, c});
  gx::ops::graph_layer_norm(x, ptr, w, b, 1e-5f, y.view());
  gx::ops::reference::graph_layer_norm<double>(xd, ptr, wd, bd, static_cast<double>(1e-5f), ref.view());
  GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), one_rounding);

  gx::ops::graph_layer_norm_unbatched(x, w, b, 1e-5f, y.view());
  gx::ops::reference::graph_layer_norm_unbatched<double>(xd, wd, bd, static_cast<double>(1e-5f), ref.view());
  GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), one_rounding);

  // In place gives the same bits as out of place.
  gx::ops::graph_layer_norm(x, ptr, w, b, 1e-5f, y.view());
  auto inplace = x.clone();
  gx::ops::graph_layer_norm(inplace, ptr, w, b, 1e-5f, inplace.view());
  REQUIRE(inplace.to_vector() == y.to_vector());
}

TEST_CASE("graph_layer_norm gives bitwise identical results for 1 and 2 threads", "[ops][graph_layer_norm]") {
  gx::test::rng_t rng(5);
  auto ptr = gx::test::random_offsets(rng, 512, 28);
  auto x = gx::test::random_normal<float, 2>(rng, {ptr(512), 256});
  auto w = gx::test::random_normal<float, 1>(rng, {256});
  auto b = gx::test::random_normal<float, 1>(rng, {256});
  std::vector<std::vector<float>> results;
  for ([[maybe_unused]] int threads : {1, 2}) {
#if defined(_OPENMP)
    int const saved = omp_get_max_threads();
    omp_set_num_threads(threads);
#endif
    gx::Tensor<float, 2> y({ptr(512), 256});
    gx::ops::graph_layer_norm(x, ptr, w, b, 1e-5f, y.view());
    results.push_back(y.to_vector());
#if defined(_OPENMP)
    omp_set_num_threads(saved);
#endif
  }
  REQUIRE(results[0] == results[1]);
}

TEST_CASE("graph_layer_norm reports shape mismatches, and the reference reports a bad ptr", "[ops][graph_layer_norm]") {
  gx::Tensor<float, 2> x({5, 3});
  auto ptr = gx::Tensor<std::int32_t, 1>::from({3}, {0, 2, 5});
  gx::Tensor<float, 1> w3({3}), w4({4}), none({0});
  gx::Tensor<float, 2> y({5, 3}), y_rows({4, 3}), y_cols({5, 2});
  REQUIRE_THROWS_WITH(gx::ops::graph_layer_norm(x, ptr, w3, w3, 1e-5f, y_rows.view()),
                      Catch::Contains("graph_layer_norm: y has extent 4 in dim 0, expected 5"));
  REQUIRE_THROWS_WITH(gx::ops::graph_layer_norm(x, ptr, w3, w3, 1e-5f, y_cols.view()),
                      Catch::Contains("graph_layer_norm: y has extent 2 in dim 1, expected 3"));
  REQUIRE_THROWS_WITH(gx::ops::graph_layer_norm(x, ptr, w4, w4, 1e-5f, y.view()),
                      Catch::Contains("graph_layer_norm: weight (C) has extent 4 in dim 0, expected 3"));
  REQUIRE_THROWS_WITH(gx::ops::graph_layer_norm_unbatched(x, w3, none, 1e-5f, y.view()),
                      Catch::Contains("give both (affine=True, [C]) or neither"));
  REQUIRE_THROWS_AS(gx::ops::graph_layer_norm(x, gx::Tensor<std::int32_t, 1>({0}), w3, w3, 1e-5f, y.view()),
                    gx::shape_error);
  auto past_end = gx::Tensor<std::int32_t, 1>::from({3}, {0, 2, 6});
  REQUIRE_THROWS_WITH(gx::ops::reference::graph_layer_norm<float>(x, past_end, w3, w3, 1e-5, y.view()),
                      Catch::Contains("reference::graph_layer_norm: ptr[2] is 6, expected in [0, 5]"));
}
