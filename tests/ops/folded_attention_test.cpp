// ops::folded_attention, ops::head_linear and ops::add_bias_to_targets (the folded
// TransformerConv's ops): host backend vs the textbook reference in double, on graphs with hubs,
// isolated nodes and E = 0, and bitwise identical across OpenMP thread counts.
//
// Tolerances: folded_attention sums F products per logit and deg weighted rows in fp32 against a
// double reference: rtol 1e-5 / atol 1e-5 for O(1) inputs with F <= 64 and deg <= 500 (the weights
// sum to 1, so the output is a convex combination of O(1) rows). head_linear is a GEMM with K = F:
// rtol 1e-5 / atol 1e-5. add_bias_to_targets is exact.

#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include <graphtx/ops/bias_to_targets.hpp>
#include <graphtx/ops/folded_attention.hpp>
#include <graphtx/ops/head_linear.hpp>
#include <graphtx/ops/reference/bias_to_targets.hpp>
#include <graphtx/ops/reference/folded_attention.hpp>
#include <graphtx/ops/reference/head_linear.hpp>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::test::Tolerance;

TEST_CASE("folded_attention matches the textbook reference", "[ops][folded_attention]") {
  gx::test::rng_t rng(21);
  struct Case {
    gx::index_t n_dst, n_src;
    int heads, f, max_deg;
    bool hub;
  };
  for (auto c : std::vector<Case>{{0, 3, 2, 4, 3, false}, {20, 20, 1, 9, 4, false}, {30, 45, 3, 16, 5, true},
                                  {12, 12, 32, 8, 3, true}, {5, 5, 2, 64, 0, false}}) {
    INFO("N_dst=" << c.n_dst << " H=" << c.heads << " F=" << c.f << " hub=" << c.hub);
    auto off = gx::test::random_offsets(rng, c.n_dst, c.max_deg);
    if (c.hub)
      for (gx::index_t i = 1; i <= c.n_dst; ++i) off(i) += 500;
    gx::index_t const e = off(c.n_dst);
    gx::Tensor<std::int32_t, 1> src({e});
    std::uniform_int_distribution<std::int32_t> s(0, static_cast<std::int32_t>(c.n_src - 1));
    for (gx::index_t p = 0; p < e; ++p) src(p) = s(rng);
    auto qt = gx::test::random_normal<float, 2>(rng, {c.n_dst, c.heads * c.f});
    auto x = gx::test::random_normal<float, 2>(rng, {c.n_src, c.f});
    float const divisor = 2.0f;
    gx::Tensor<float, 2> y({c.n_dst, c.heads * c.f});
    auto u = gx::test::random_normal<float, 1>(rng, {c.heads * c.f}, 0.5);
    gx::ops::folded_attention(qt, u, x, off, src, c.heads, divisor, y.view());
    auto qt64 = gx::test::convert<double>(qt.cview());
    auto u64 = gx::test::convert<double>(u.cview());
    auto x64 = gx::test::convert<double>(x.cview());
    gx::Tensor<double, 2> ref({c.n_dst, c.heads * c.f});
    gx::ops::reference::folded_attention<double>(qt64, u64, x64, off, src, c.heads, divisor, ref.view());
    GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), (Tolerance{1e-5, 1e-5}));
    for (gx::index_t i = 0; i < c.n_dst; ++i) {
      if (off(i) == off(i + 1)) {
        for (gx::index_t k = 0; k < c.heads * c.f; ++k) REQUIRE(y(i, k) == 0.0f);  // no in-edges: exactly 0
      }
    }
#if defined(_OPENMP)
    int const saved = omp_get_max_threads();
    omp_set_num_threads(1);
    gx::Tensor<float, 2> y1({c.n_dst, c.heads * c.f});
    gx::ops::folded_attention(qt, u, x, off, src, c.heads, divisor, y1.view());
    omp_set_num_threads(saved);
    // memcmp of zero bytes still needs non-null pointers (UBSan); empty cases have none.
    REQUIRE((y.size_bytes() == 0 || std::memcmp(y1.data(), y.data(), y.size_bytes()) == 0));
#endif
  }
}

TEST_CASE("folded_attention: a known answer and hostile values", "[ops][folded_attention]") {
  // Node 0 receives from nodes 1 and 2; one head, F = 2, divisor 1: logits 1 and 3.
  auto qt = gx::Tensor<float, 2>::from({3, 2}, {1, 1, 0, 0, 0, 0});
  auto x = gx::Tensor<float, 2>::from({3, 2}, {0, 0, 1, 0, 1, 2});
  auto off = gx::Tensor<std::int32_t, 1>::from({4}, {0, 2, 2, 2});
  auto src = gx::Tensor<std::int32_t, 1>::from({2}, {1, 2});
  gx::Tensor<float, 2> y({3, 2});
  gx::ops::folded_attention(qt, {}, x, off, src, 1, 1.0f, y.view());
  double const a2 = std::exp(2.0) / (1.0 + std::exp(2.0));  // weight of node 2
  REQUIRE(y(0, 0) == Approx(1.0).epsilon(1e-6));
  REQUIRE(y(0, 1) == Approx(2 * a2).epsilon(1e-6));
  REQUIRE(y(1, 0) == 0.0f);
  // Large logits stay finite (max subtraction); an inf logit gives NaN as in PyG.
  auto big = gx::Tensor<float, 2>::from({3, 2}, {1e4f, 0, 0, 0, 0, 0});
  gx::ops::folded_attention(big, {}, x, off, src, 1, 1.0f, y.view());
  REQUIRE(std::isfinite(y(0, 0)));
  auto inf = gx::Tensor<float, 2>::from({3, 2}, {INFINITY, 0, 0, 0, 0, 0});
  gx::ops::folded_attention(inf, {}, x, off, src, 1, 1.0f, y.view());
  REQUIRE(std::isnan(y(0, 0)));
  REQUIRE_THROWS_WITH(gx::ops::folded_attention(qt, {}, x, off, src, 2, 1.0f, y.view()),
                      Catch::Contains("qt (H*F, F from x_src)"));
}

TEST_CASE("head_linear and add_bias_to_targets match the reference", "[ops][head_linear]") {
  gx::test::rng_t rng(22);
  for (auto [n, heads, f, c] : std::vector<std::tuple<gx::index_t, int, int, int>>{{0, 2, 3, 4}, {17, 3, 5, 4}, {40, 32, 9, 8}}) {
    auto y = gx::test::random_normal<float, 2>(rng, {n, heads * f});
    auto w = gx::test::random_normal<float, 2>(rng, {heads * c, f});
    gx::Tensor<float, 2> out({n, heads * c});
    gx::ops::head_linear(y, w, heads, out.view());
    gx::Tensor<float, 2> ref({n, heads * c});
    gx::ops::reference::head_linear<float>(y, w, heads, ref.view());
    GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.cview(), (Tolerance{1e-5, 1e-5}));

    auto off = gx::test::random_offsets(rng, n, 2);
    auto bias = gx::test::random_normal<float, 1>(rng, {heads * c});
    auto expected = out.clone();
    gx::ops::reference::add_bias_to_targets<float>(bias, off, expected.view());
    gx::ops::add_bias_to_targets(bias, off, out.view());
    GRAPHTX_REQUIRE_CLOSE(out.cview(), expected.cview(), (Tolerance{0, 0}));
  }
  auto y = gx::Tensor<float, 2>::zeros({2, 6});
  auto w = gx::Tensor<float, 2>::zeros({4, 3});
  gx::Tensor<float, 2> out({2, 4});
  REQUIRE_THROWS_WITH(gx::ops::head_linear(y, w, 3, out.view()), Catch::Contains("must be positive and divide"));
}
