// Every CUDA op on the same random cases as the host tests (N = 0, E = 0, isolated nodes, a hub of
// in-degree 500, heads 1/3/32), compared with the host backend, and run twice: CUDA results must be
// bitwise identical run to run (no float atomics anywhere).
//
// Tolerances: ops with the same operation order on both sides (gathers, relu, add, head mean,
// segment sums, softmax, attention) at rtol 1e-6 / atol 1e-6 (only expf/libm rounding and FMA
// contraction differ); the beta gate at 1e-5 (see fused_dot);
// layer_norm likewise (double statistics on both); linear at rtol 1e-4 / atol 1e-4 (cuBLAS and
// OpenBLAS sum the K products in different orders: |error| <= K u sum|x w| ~ 1e-4 for K = 256).

#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include <graphtx/cuda.hpp>

#include "support/compare.hpp"
#include "support/cuda_skip.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::test::Tolerance;

namespace {

constexpr Tolerance same_order{1e-6, 1e-6};
constexpr Tolerance gemm_order{1e-4, 1e-4};
// beta_gate: a 3D-term dot product inside a sigmoid; nvcc contracts a*b+c into FMAs (one rounding
// instead of two per term), g++ does not, so z differs by ~D u |z| and the gate by as much.
// Measured on an H100: max abs 1.7e-6 for D = 24.
constexpr Tolerance fused_dot{1e-5, 1e-5};

template <class T, int R>
gx::Tensor<T, R, gx::cuda> dev(gx::Tensor<T, R> const& t) {
  return gx::to_space<gx::cuda>(t);
}
template <class T, int R>
gx::Tensor<T, R> back(gx::Tensor<T, R, gx::cuda> const& t) {
  return gx::to_space<gx::host>(t);
}
template <class T, int R>
bool bitwise_equal(gx::Tensor<T, R> const& a, gx::Tensor<T, R> const& b) {
  return a.extents() == b.extents() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

// A CSR with isolated nodes and, when hub, one node of in-degree 500.
struct Graph {
  gx::Tensor<std::int32_t, 1> offsets, sources;
  gx::index_t n_dst, n_src, e;
};
Graph random_graph(gx::test::rng_t& rng, gx::index_t n_dst, gx::index_t n_src, int max_deg, bool hub) {
  Graph g;
  g.n_dst = n_dst;
  g.n_src = n_src;
  g.offsets = gx::test::random_offsets(rng, n_dst, max_deg);
  if (hub && n_dst > 0) {
    std::vector<std::int32_t> off(g.offsets.data(), g.offsets.data() + n_dst + 1);
    for (gx::index_t i = 1; i <= n_dst; ++i) off[static_cast<std::size_t>(i)] += 500;  // node 0 gets 500 more
    g.offsets = gx::Tensor<std::int32_t, 1>::from({n_dst + 1}, off);
  }
  g.e = g.offsets(n_dst);
  g.sources = gx::Tensor<std::int32_t, 1>({g.e});
  std::uniform_int_distribution<std::int32_t> s(0, static_cast<std::int32_t>(std::max<gx::index_t>(n_src - 1, 0)));
  for (gx::index_t p = 0; p < g.e; ++p) g.sources(p) = s(rng);
  return g;
}

}  // namespace

TEST_CASE("cuda linear matches the host GEMM and is reproducible", "[cuda][ops][linear]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gx::test::rng_t rng(1);
  for (auto [n, in, out, bias] : std::vector<std::tuple<int, int, int, bool>>{
           {100, 256, 512, true}, {33, 9, 8192, true}, {0, 9, 16, true}, {7, 0, 5, true}, {64, 256, 256, false}}) {
    INFO("N=" << n << " in=" << in << " out=" << out << " bias=" << bias);
    auto x = gx::test::random_uniform<float, 2>(rng, {n, in});
    auto w = gx::test::random_uniform<float, 2>(rng, {out, in});
    auto b = gx::test::random_uniform<float, 1>(rng, {bias ? out : 0});
    gx::Tensor<float, 2> y_host({n, out});
    gx::ops::linear(x, w, b, y_host.view());
    auto xd = dev(x), wd = dev(w);
    auto bd = dev(b);
    gx::Tensor<float, 2, gx::cuda> y1({n, out}), y2({n, out});
    gx::ops::linear(xd, wd, bd, y1.view());
    gx::ops::linear(xd, wd, bd, y2.view());
    auto h1 = back(y1);
    GRAPHTX_REQUIRE_CLOSE(h1.cview(), y_host.cview(), gemm_order);
    REQUIRE(bitwise_equal(h1, back(y2)));
  }
}

TEST_CASE("cuda dense ops match the host backend bitwise-closely", "[cuda][ops]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gx::test::rng_t rng(2);
  for (gx::index_t n : {0, 1, 257}) {
    INFO("N=" << n);
    auto x = gx::test::random_normal<float, 2>(rng, {n, 24});
    auto x2 = gx::test::random_normal<float, 2>(rng, {n, 24});
    auto gamma = gx::test::random_normal<float, 1>(rng, {24});
    auto beta = gx::test::random_normal<float, 1>(rng, {24});
    auto xd = dev(x), x2d = dev(x2);
    auto gd = dev(gamma), bd = dev(beta);

    gx::Tensor<float, 2> h({n, 24});
    gx::Tensor<float, 2, gx::cuda> d({n, 24});
    gx::ops::relu(x, h.view());
    gx::ops::relu(xd, d.view());
    GRAPHTX_REQUIRE_CLOSE(back(d).cview(), h.cview(), (Tolerance{0, 0}));
    gx::ops::add(x, x2, h.view());
    gx::ops::add(xd, x2d, d.view());
    GRAPHTX_REQUIRE_CLOSE(back(d).cview(), h.cview(), (Tolerance{0, 0}));
    gx::ops::layer_norm(x, gamma, beta, 1e-5f, h.view());
    gx::ops::layer_norm(xd, gd, bd, 1e-5f, d.view());
    GRAPHTX_REQUIRE_CLOSE(back(d).cview(), h.cview(), same_order);

    gx::Tensor<float, 2> hm({n, 8});
    gx::Tensor<float, 2, gx::cuda> dm({n, 8});
    gx::ops::head_mean(x, 3, hm.view());
    gx::ops::head_mean(xd, 3, dm.view());
    GRAPHTX_REQUIRE_CLOSE(back(dm).cview(), hm.cview(), (Tolerance{0, 0}));

    // Pooling over graphs with an empty one in the middle.
    std::vector<std::int32_t> ptr_v{0};
    for (gx::index_t g = 0; g < 5; ++g) ptr_v.push_back(g == 2 ? ptr_v.back() : static_cast<std::int32_t>(std::min<gx::index_t>(n, ptr_v.back() + n / 4 + 1)));
    ptr_v.back() = static_cast<std::int32_t>(n);
    auto ptr = gx::Tensor<std::int32_t, 1>::from({6}, ptr_v);
    auto ptrd = dev(ptr);
    gx::Tensor<float, 2> hp({5, 24});
    gx::Tensor<float, 2, gx::cuda> dp({5, 24});
    gx::ops::global_mean_pool(x, ptr, hp.view());
    gx::ops::global_mean_pool(xd, ptrd, dp.view());
    GRAPHTX_REQUIRE_CLOSE(back(dp).cview(), hp.cview(), same_order);
    gx::ops::global_max_pool(x, ptr, hp.view());
    gx::ops::global_max_pool(xd, ptrd, dp.view());
    GRAPHTX_REQUIRE_CLOSE(back(dp).cview(), hp.cview(), (Tolerance{0, 0}));

    // beta gate
    auto w_beta = gx::test::random_normal<float, 2>(rng, {1, 72});
    gx::ops::beta_gate(x, x2, w_beta, h.view());
    gx::ops::beta_gate(xd, x2d, dev(w_beta), d.view());
    GRAPHTX_REQUIRE_CLOSE(back(d).cview(), h.cview(), fused_dot);
  }
}

TEST_CASE("cuda edge ops match the host backend and are reproducible", "[cuda][ops][attention]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gx::test::rng_t rng(3);
  struct Case {
    gx::index_t n;
    int heads, channels;
    bool hub, edge;
  };
  for (auto c : std::vector<Case>{{0, 2, 4, false, false}, {40, 1, 8, false, true}, {60, 3, 3, true, false},
                                  {30, 32, 8, true, true}}) {
    INFO("N=" << c.n << " H=" << c.heads << " C=" << c.channels << " hub=" << c.hub << " edge=" << c.edge);
    auto g = random_graph(rng, c.n, c.n + 3, 6, c.hub);
    gx::index_t const w = c.heads * c.channels;
    auto q = gx::test::random_normal<float, 2>(rng, {c.n, w});
    auto k = gx::test::random_normal<float, 2>(rng, {c.n + 3, w});
    auto v = gx::test::random_normal<float, 2>(rng, {c.n + 3, w});
    auto et = gx::test::random_normal<float, 2>(rng, {c.edge ? g.e : 0, c.edge ? w : 0});
    auto qd = dev(q), kd = dev(k), vd = dev(v), etd = dev(et);
    auto offd = dev(g.offsets);
    auto srcd = dev(g.sources);

    gx::Tensor<float, 2> logits({g.e, c.heads});
    gx::Tensor<float, 2, gx::cuda> logits_d({g.e, c.heads});
    gx::ops::attention_scores(q, k, et, g.offsets, g.sources, c.heads, logits.view());
    gx::ops::attention_scores(qd, kd, etd, offd, srcd, c.heads, logits_d.view());
    GRAPHTX_REQUIRE_CLOSE(back(logits_d).cview(), logits.cview(), same_order);

    gx::ops::segment_softmax(logits, g.offsets, logits.view());
    gx::ops::segment_softmax(logits_d, offd, logits_d.view());
    auto alpha_d = back(logits_d);
    GRAPHTX_REQUIRE_CLOSE(alpha_d.cview(), logits.cview(), same_order);

    gx::Tensor<float, 2> agg({c.n, w});
    gx::Tensor<float, 2, gx::cuda> agg_d({c.n, w}), agg_d2({c.n, w});
    gx::ops::attention_aggregate(logits, v, et, g.offsets, g.sources, c.heads, agg.view());
    gx::ops::attention_aggregate(logits_d, vd, etd, offd, srcd, c.heads, agg_d.view());
    gx::ops::attention_aggregate(logits_d, vd, etd, offd, srcd, c.heads, agg_d2.view());
    auto agg_h = back(agg_d);
    GRAPHTX_REQUIRE_CLOSE(agg_h.cview(), agg.cview(), same_order);
    REQUIRE(bitwise_equal(agg_h, back(agg_d2)));

    // segment_sum and gather over the same CSR; scatter_add in edge order.
    auto vals = gx::test::random_normal<float, 2>(rng, {g.e, 5});
    gx::Tensor<float, 2> ss({c.n, 5});
    gx::Tensor<float, 2, gx::cuda> ss_d({c.n, 5});
    gx::ops::segment_sum(vals, g.offsets, ss.view());
    gx::ops::segment_sum(dev(vals), offd, ss_d.view());
    GRAPHTX_REQUIRE_CLOSE(back(ss_d).cview(), ss.cview(), (Tolerance{0, 0}));
    gx::Tensor<float, 2> gath({g.e, w});
    gx::Tensor<float, 2, gx::cuda> gath_d({g.e, w});
    gx::ops::gather_rows(v, g.sources, gath.view());
    gx::ops::gather_rows(vd, srcd, gath_d.view());
    GRAPHTX_REQUIRE_CLOSE(back(gath_d).cview(), gath.cview(), (Tolerance{0, 0}));
    auto sc = gx::Tensor<float, 2>::zeros({c.n + 3, 5});
    auto sc_d = dev(sc);
    gx::ops::scatter_add(vals, g.sources, sc.view());
    gx::ops::scatter_add(dev(vals), srcd, sc_d.view());
    GRAPHTX_REQUIRE_CLOSE(back(sc_d).cview(), sc.cview(), (Tolerance{0, 0}));
  }
}

TEST_CASE("cuda folded attention, head_linear and bias ops match the host backend", "[cuda][ops][folded]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  gx::test::rng_t rng(4);
  struct Case {
    gx::index_t n;
    int heads, f;
    bool hub;
  };
  // F = 9 (the seed's first layer), 256 (registers, the seed's hidden layers), 300 (wide fallback).
  for (auto c : std::vector<Case>{{0, 2, 4, false}, {50, 32, 9, true}, {40, 8, 256, true}, {10, 2, 300, false}}) {
    INFO("N=" << c.n << " H=" << c.heads << " F=" << c.f);
    auto g = random_graph(rng, c.n, c.n + 3, 4, c.hub);
    auto qt = gx::test::random_normal<float, 2>(rng, {c.n, c.heads * c.f}, 0.1);
    auto x = gx::test::random_normal<float, 2>(rng, {c.n + 3, c.f});
    gx::Tensor<float, 2> y({c.n, c.heads * c.f});
    auto u = gx::test::random_normal<float, 1>(rng, {c.heads * c.f}, 0.1);
    gx::ops::folded_attention(qt, u, x, g.offsets, g.sources, c.heads, 16.0f, y.view());
    auto qtd = dev(qt), xd = dev(x);
    auto ud = dev(u);
    auto offd = dev(g.offsets);
    auto srcd = dev(g.sources);
    gx::Tensor<float, 2, gx::cuda> yd({c.n, c.heads * c.f}), yd2({c.n, c.heads * c.f});
    gx::ops::folded_attention(qtd, ud, xd, offd, srcd, c.heads, 16.0f, yd.view());
    gx::ops::folded_attention(qtd, ud, xd, offd, srcd, c.heads, 16.0f, yd2.view());
    auto yh = back(yd);
    // Different summation trees for the F-long dot products (warp shuffle vs sequential): 1e-5.
    GRAPHTX_REQUIRE_CLOSE(yh.cview(), y.cview(), (Tolerance{1e-5, 1e-5}));
    REQUIRE(bitwise_equal(yh, back(yd2)));

    auto w = gx::test::random_normal<float, 2>(rng, {c.heads * 4, c.f});
    gx::Tensor<float, 2> hl({c.n, c.heads * 4});
    gx::Tensor<float, 2, gx::cuda> hld({c.n, c.heads * 4});
    gx::ops::head_linear(y, w, c.heads, hl.view());
    gx::ops::head_linear(dev(y), dev(w), c.heads, hld.view());
    GRAPHTX_REQUIRE_CLOSE(back(hld).cview(), hl.cview(), gemm_order);
    auto bias = gx::test::random_normal<float, 1>(rng, {c.heads * 4});
    gx::ops::add_bias_to_targets(bias, g.offsets, hl.view());
    gx::ops::add_bias_to_targets(dev(bias), offd, hld.view());
    GRAPHTX_REQUIRE_CLOSE(back(hld).cview(), hl.cview(), gemm_order);
  }
}

TEST_CASE("CUDA errors become graphtx::cuda_error naming the call and the error", "[cuda][errors]") {
  GRAPHTX_CUDA_DEVICE_OR_SKIP();
  auto bad = [] { GRAPHTX_CUDA_CHECK(cudaSetDevice(1 << 20)); };
  REQUIRE_THROWS_AS(bad(), gx::cuda_error);
  REQUIRE_THROWS_WITH(bad(), Catch::Contains("cudaErrorInvalidDevice") && Catch::Contains("cudaSetDevice(1 << 20)") &&
                                 Catch::Contains("ops_test.cu"));
  (void)cudaGetLastError();
}
