// ops::graph_attention (MultiheadAttention's core per graph, as GPSConv) on the molecule batch.
// Arguments: G (graphs in the batch), E (embed dim = H * d), H (heads).
//
//   graph_attention/host/host           ops::graph_attention (host backend: per node and head)
//   graph_attention/sgemm_blocks/host   the alternative the host backend was measured against:
//                                       per (graph, head) two cblas_sgemm calls (S = Q K^T scaled,
//                                       O = softmax(S) V) on the strided [n_g, d] blocks
//   graph_attention/reference/host      ops::reference::graph_attention (double)

#include <cblas.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include <graphtx/ops/graph_attention.hpp>
#include <graphtx/ops/reference/graph_attention.hpp>

#include "support/context.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

enum class variant { host, sgemm_blocks, reference };

// Per (graph, head): S = scale Q_g^h K_g^h^T ([n_g, n_g]), row softmax, O_g^h = S V_g^h.
void sgemm_blocks(gx::TensorView<float const, 2> q, gx::TensorView<float const, 2> k, gx::TensorView<float const, 2> v,
                  gx::TensorView<std::int32_t const, 1> ptr, int heads, gx::TensorView<float, 2> out) {
  gx::index_t const e = q.extent(1), d = e / heads, graphs = ptr.extent(0) - 1;
  float const scale = static_cast<float>(std::sqrt(1.0 / static_cast<double>(d)));
#if defined(_OPENMP)
#pragma omp parallel
#endif
  {
    std::vector<float> s;
#if defined(_OPENMP)
#pragma omp for schedule(dynamic, 4)
#endif
    for (gx::index_t t = 0; t < graphs * heads; ++t) {
      gx::index_t const g = t / heads, col = (t % heads) * d;
      gx::index_t const begin = ptr(g), n = ptr(g + 1) - ptr(g);
      if (n == 0) continue;
      s.resize(static_cast<std::size_t>(n * n));
      int const ni = static_cast<int>(n), di = static_cast<int>(d), ei = static_cast<int>(e);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, ni, ni, di, scale, q.row(begin) + col, ei, k.row(begin) + col,
                  ei, 0.0f, s.data(), ni);
      for (gx::index_t i = 0; i < n; ++i) {
        float* r = s.data() + i * n;
        float m = -INFINITY, sum = 0.0f;
        for (gx::index_t j = 0; j < n; ++j) m = r[j] > m ? r[j] : m;
        for (gx::index_t j = 0; j < n; ++j) sum += (r[j] = std::exp(r[j] - m));
        for (gx::index_t j = 0; j < n; ++j) r[j] /= sum;
      }
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, di, ni, 1.0f, s.data(), ni, v.row(begin) + col, ei,
                  0.0f, out.row(begin) + col, ei);
    }
  }
}

template <variant V>
void bm_graph_attention(benchmark::State& state) {
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const n = batch.num_nodes(), e = state.range(1);
  int const heads = static_cast<int>(state.range(2));
  auto const q = gb::random_tensor<2>({n, e}, 1);  // [N, E]
  auto const k = gb::random_tensor<2>({n, e}, 2);  // [N, E]
  auto const v = gb::random_tensor<2>({n, e}, 3);  // [N, E]
  gx::Tensor<float, 2> out({n, e});                // [N, E]
  auto run = [&] {
    if constexpr (V == variant::host) {
      gx::ops::graph_attention(q, k, v, batch.ptr, heads, out.view());
    } else if constexpr (V == variant::sgemm_blocks) {
      sgemm_blocks(q, k, v, batch.ptr, heads, out.view());
    } else {
      gx::ops::reference::graph_attention<float>(q, k, v, batch.ptr, heads, out.view());
    }
  };
  gb::run_timed(state, run, out.data());
  double pairs = 0;  // sum_g n_g^2
  for (gx::index_t g = 0; g + 1 < batch.ptr.extent(0); ++g) {
    auto const len = static_cast<double>(batch.ptr(g + 1) - batch.ptr(g));
    pairs += len * len;
  }
  auto const ed = static_cast<double>(e), nd = static_cast<double>(n);
  state.counters["FLOP/s"] = gb::flops_rate(4.0 * pairs * ed);  // q.k and p v: 2 FLOP each per pair and column
  state.counters["bytes/s"] = gb::bytes_rate(4.0 * 4.0 * nd * ed);  // q, k, v in, out
  gb::report_batch(state, batch);
}

int const registered = [] {
  auto* host = benchmark::RegisterBenchmark("graph_attention/host/host", bm_graph_attention<variant::host>);
  auto* blas = benchmark::RegisterBenchmark("graph_attention/sgemm_blocks/host", bm_graph_attention<variant::sgemm_blocks>);
  auto* ref = benchmark::RegisterBenchmark("graph_attention/reference/host", bm_graph_attention<variant::reference>);
  for (auto* b : {host, blas, ref}) {
    for (std::int64_t g : {gb::small_graphs, gb::seed_graphs}) {
      b->Args({g, 256, 32});  // the seed's width and heads: d = 8
      b->Args({g, 256, 4});   // GPS-like: d = 64
      b->Args({g, 64, 4});    // the GPS molecule model of bench/models (C = 64, 4 heads): d = 16
    }
    b->ArgNames({"G", "E", "H"})->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
