// The Thrust-backed op implementations (include/graphtx/ops/thrust/, the code the CUDA backend
// runs) built with g++ against Thrust's OpenMP device system and run on the host: each against the
// textbook reference on random inputs, and bitwise identical for 1 and 2 OpenMP threads. This is
// how CI executes the CUDA backend's op code without a GPU.
//
// Tolerances: the implementations sum in float in a fixed order; the references sum in double.
// rtol 1e-5 / atol 1e-5 covers fp32 sums of up to ~500 O(1) terms (hub of in-degree 500).

#include <catch2/catch.hpp>

#include <thrust/system/omp/execution_policy.h>

#include <omp.h>

#include <cstring>
#include <vector>

#include <graphtx/ops/reference/activation.hpp>
#include <graphtx/ops/reference/attention_aggregate.hpp>
#include <graphtx/ops/reference/attention_scores.hpp>
#include <graphtx/ops/reference/beta_gate.hpp>
#include <graphtx/ops/reference/elementwise.hpp>
#include <graphtx/ops/reference/gather_rows.hpp>
#include <graphtx/ops/reference/layer_norm.hpp>
#include <graphtx/ops/reference/pooling.hpp>
#include <graphtx/ops/reference/scatter_add.hpp>
#include <graphtx/ops/reference/segment_softmax.hpp>
#include <graphtx/ops/reference/segment_sum.hpp>
#include <graphtx/ops/thrust/activation.hpp>
#include <graphtx/ops/thrust/attention_aggregate.hpp>
#include <graphtx/ops/thrust/attention_scores.hpp>
#include <graphtx/ops/thrust/beta_gate.hpp>
#include <graphtx/ops/thrust/elementwise.hpp>
#include <graphtx/ops/thrust/gather_rows.hpp>
#include <graphtx/ops/thrust/layer_norm.hpp>
#include <graphtx/ops/thrust/pooling.hpp>
#include <graphtx/ops/thrust/scatter_add.hpp>
#include <graphtx/ops/thrust/segment_softmax.hpp>
#include <graphtx/ops/thrust/segment_sum.hpp>

#include "support/compare.hpp"
#include "support/thrust_omp.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
namespace tb = graphtx::ops::thrust_backend;
using gx::test::Tolerance;

using gx::test::same_for_1_and_2_threads;

namespace {

constexpr Tolerance tol{1e-5, 1e-5};
auto const policy = gx::test::omp_policy;

struct Csr {
  gx::Tensor<std::int32_t, 1> offsets, sources;
  gx::index_t n, e;
};
Csr random_csr(gx::test::rng_t& rng, gx::index_t n, gx::index_t n_src, bool hub) {
  Csr g;
  g.n = n;
  g.offsets = gx::test::random_offsets(rng, n, 5);
  if (hub && n > 0)
    for (gx::index_t i = 1; i <= n; ++i) g.offsets(i) += 500;
  g.e = g.offsets(n);
  g.sources = gx::Tensor<std::int32_t, 1>({g.e});
  std::uniform_int_distribution<std::int32_t> s(0, static_cast<std::int32_t>(n_src - 1));
  for (gx::index_t p = 0; p < g.e; ++p) g.sources(p) = s(rng);
  return g;
}

}  // namespace

TEST_CASE("Thrust-OMP elementwise, layer norm, pooling and gate ops match the reference", "[omp][thrust]") {
  gx::test::rng_t rng(11);
  for (gx::index_t n : {0, 1, 300}) {
    INFO("N=" << n);
    auto x = gx::test::random_normal<float, 2>(rng, {n, 24});
    auto x2 = gx::test::random_normal<float, 2>(rng, {n, 24});
    auto gamma = gx::test::random_normal<float, 1>(rng, {24});
    auto beta = gx::test::random_normal<float, 1>(rng, {24});
    gx::Tensor<float, 2> ref({n, 24});

    auto relu = same_for_1_and_2_threads([&] {
      gx::Tensor<float, 2> y({n, 24});
      tb::relu(policy, x.data(), y.data(), x.size());
      return y;
    });
    gx::ops::reference::relu<float>(x, ref.view());
    GRAPHTX_REQUIRE_CLOSE(relu.cview(), ref.cview(), (Tolerance{0, 0}));

    auto add = same_for_1_and_2_threads([&] {
      gx::Tensor<float, 2> y({n, 24});
      tb::add(policy, x.data(), x2.data(), y.data(), x.size());
      return y;
    });
    gx::ops::reference::add<float>(x, x2, ref.view());
    GRAPHTX_REQUIRE_CLOSE(add.cview(), ref.cview(), tol);

    auto ln = same_for_1_and_2_threads([&] {
      gx::Tensor<float, 2> y({n, 24});
      tb::layer_norm(policy, x.data(), gamma.data(), beta.data(), 1e-5f, n, 24, y.data());
      return y;
    });
    gx::ops::reference::layer_norm<float>(x, gamma, beta, 1e-5f, ref.view());
    GRAPHTX_REQUIRE_CLOSE(ln.cview(), ref.cview(), tol);

    auto hm = same_for_1_and_2_threads([&] {
      gx::Tensor<float, 2> y({n, 8});
      tb::head_mean(policy, x.data(), n, 3, 8, y.data());
      return y;
    });
    gx::Tensor<float, 2> hm_ref({n, 8});
    gx::ops::reference::head_mean<float>(x, 3, hm_ref.view());
    GRAPHTX_REQUIRE_CLOSE(hm.cview(), hm_ref.cview(), tol);

    auto ptr = gx::Tensor<std::int32_t, 1>::from({4}, {0, static_cast<std::int32_t>(n / 2), static_cast<std::int32_t>(n / 2),
                                                        static_cast<std::int32_t>(n)});
    auto mean = same_for_1_and_2_threads([&] {
      gx::Tensor<float, 2> y({3, 24});
      tb::pool(policy, 1, x.data(), ptr.data(), 3, 24, y.data());
      return y;
    });
    gx::Tensor<float, 2> pool_ref({3, 24});
    gx::ops::reference::global_mean_pool<float>(x, ptr, pool_ref.view());
    GRAPHTX_REQUIRE_CLOSE(mean.cview(), pool_ref.cview(), tol);

    auto w = gx::test::random_normal<float, 2>(rng, {1, 72});
    auto gate = same_for_1_and_2_threads([&] {
      gx::Tensor<float, 2> y({n, 24});
      tb::beta_gate(policy, x.data(), x2.data(), w.data(), n, 24, y.data());
      return y;
    });
    gx::ops::reference::beta_gate<float>(x, x2, w, ref.view());
    GRAPHTX_REQUIRE_CLOSE(gate.cview(), ref.cview(), tol);
  }
}

TEST_CASE("Thrust-OMP edge ops match the reference on graphs with hubs and isolated nodes", "[omp][thrust]") {
  gx::test::rng_t rng(12);
  for (auto const& cfg : std::vector<std::tuple<gx::index_t, int, int, bool, bool>>{
           {0, 2, 4, false, false}, {50, 1, 8, false, true}, {40, 3, 3, true, false}, {20, 32, 4, true, true}}) {
    // Plain variables, not a structured binding: clang before 16 cannot capture bindings in lambdas.
    gx::index_t const n = std::get<0>(cfg);
    int const heads = std::get<1>(cfg), channels = std::get<2>(cfg);
    bool const hub = std::get<3>(cfg), edge = std::get<4>(cfg);
    INFO("N=" << n << " H=" << heads << " C=" << channels);
    auto g = random_csr(rng, n, n + 2, hub);
    gx::index_t const w = heads * channels;
    auto q = gx::test::random_normal<float, 2>(rng, {n, w});
    auto k = gx::test::random_normal<float, 2>(rng, {n + 2, w});
    auto v = gx::test::random_normal<float, 2>(rng, {n + 2, w});
    auto et = gx::test::random_normal<float, 2>(rng, {edge ? g.e : 0, edge ? w : 0});

    auto logits = same_for_1_and_2_threads([&] {
      gx::Tensor<float, 2> y({g.e, heads});
      tb::attention_scores(policy, q.data(), k.data(), edge ? et.data() : nullptr, g.offsets.data(), g.sources.data(),
                           n, heads, channels, y.data());
      return y;
    });
    gx::Tensor<float, 2> logits_ref({g.e, heads});
    gx::ops::reference::attention_scores<float>(q, k, et, g.offsets, g.sources, heads, logits_ref.view());
    GRAPHTX_REQUIRE_CLOSE(logits.cview(), logits_ref.cview(), tol);

    auto alpha = same_for_1_and_2_threads([&] {
      gx::Tensor<float, 2> y({g.e, heads});
      tb::segment_softmax(policy, logits.data(), g.offsets.data(), n, heads, y.data());
      return y;
    });
    gx::Tensor<float, 2> alpha_ref({g.e, heads});
    gx::ops::reference::segment_softmax<float>(logits, g.offsets, alpha_ref.view());
    GRAPHTX_REQUIRE_CLOSE(alpha.cview(), alpha_ref.cview(), tol);

    auto agg = same_for_1_and_2_threads([&] {
      gx::Tensor<float, 2> y({n, w});
      tb::attention_aggregate(policy, alpha.data(), v.data(), edge ? et.data() : nullptr, g.offsets.data(),
                              g.sources.data(), n, heads, channels, y.data());
      return y;
    });
    gx::Tensor<float, 2> agg_ref({n, w});
    gx::ops::reference::attention_aggregate<float>(alpha, v, et, g.offsets, g.sources, heads, agg_ref.view());
    GRAPHTX_REQUIRE_CLOSE(agg.cview(), agg_ref.cview(), tol);

    auto vals = gx::test::random_normal<float, 2>(rng, {g.e, 5});
    auto ss = same_for_1_and_2_threads([&] {
      gx::Tensor<float, 2> y({n, 5});
      tb::segment_sum(policy, vals.data(), g.offsets.data(), n, 5, y.data());
      return y;
    });
    gx::Tensor<float, 2> ss_ref({n, 5});
    gx::ops::reference::segment_sum<float>(vals, g.offsets, ss_ref.view());
    GRAPHTX_REQUIRE_CLOSE(ss.cview(), ss_ref.cview(), tol);

    auto gathered = same_for_1_and_2_threads([&] {
      gx::Tensor<float, 2> y({g.e, w});
      tb::gather_rows(policy, v.data(), g.sources.data(), g.e, w, y.data());
      return y;
    });
    gx::Tensor<float, 2> gather_ref({g.e, w});
    gx::ops::reference::gather_rows<float>(v, g.sources, gather_ref.view());
    GRAPHTX_REQUIRE_CLOSE(gathered.cview(), gather_ref.cview(), (Tolerance{0, 0}));

    auto scattered = same_for_1_and_2_threads([&] {
      auto y = gx::Tensor<float, 2>::zeros({n + 2, 5});
      tb::scatter_add(policy, vals.data(), g.sources.data(), g.e, 5, y.data());
      return y;
    });
    auto scatter_ref = gx::Tensor<float, 2>::zeros({n + 2, 5});
    gx::ops::reference::scatter_add<float>(vals, g.sources, scatter_ref.view());
    GRAPHTX_REQUIRE_CLOSE(scattered.cview(), scatter_ref.cview(), tol);
  }
}
