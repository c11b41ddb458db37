// ops::linear (y = x W^T + b) on the GEMM shapes of the seed model, OpenBLAS against the textbook
// loop. Arguments: G (graphs in the molecule batch; N = its node count), in, out.
//
//   linear/blas/host       ops::linear: one cblas_sgemm, or the weight-streaming kernel for few rows
//   linear/sgemm/host      cblas_sgemm alone, whatever the rows (what ops::linear did before the kernel)
//   linear/reference/host  ops::reference::linear, three loops accumulating in double (small sizes only)

#include <cstdint>
#include <vector>

#include <graphtx/ops/linear.hpp>
#include <graphtx/ops/reference/linear.hpp>

#include "support/context.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

enum class variant { blas, sgemm, reference };

template <variant V>
void bm_linear(benchmark::State& state) {
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const n = batch.num_nodes(), in = state.range(1), out = state.range(2);
  auto const x = gb::random_tensor<2>({n, in}, 1);   // [N, in]
  auto const w = gb::random_tensor<2>({out, in}, 2); // [out, in]
  auto const b = gb::random_tensor<1>({out}, 3);     // [out]
  gx::Tensor<float, 2> y({n, out});                  // [N, out]
  auto run = [&] {
    if constexpr (V == variant::blas) {
      gx::ops::linear(x, w, b, y.view());
    } else if constexpr (V == variant::sgemm) {
      for (gx::index_t i = 0; i < n; ++i) std::memcpy(y.view().row(i), b.data(), static_cast<std::size_t>(out) * sizeof(float));
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(n), static_cast<int>(out), static_cast<int>(in),
                  1.0f, x.data(), static_cast<int>(in), w.data(), static_cast<int>(in), 1.0f, y.data(), static_cast<int>(out));
    } else {
      gx::ops::reference::linear<float>(x, w, b, y.view());
    }
  };
  gb::run_timed(state, run, y.data());
  auto const nd = static_cast<double>(n), ind = static_cast<double>(in), outd = static_cast<double>(out);
  state.counters["FLOP/s"] = gb::flops_rate(2.0 * nd * ind * outd + nd * outd);  // multiply-adds + bias
  state.counters["bytes/s"] = gb::bytes_rate(4.0 * (nd * ind + outd * ind + outd + nd * outd));
  state.counters["N"] = static_cast<double>(n);
}

// (in, out) of the seed model's GEMMs.
struct Shape {
  std::int64_t in, out;
};
constexpr Shape shapes[] = {
    {9, 8192},    // convs.0 lin_query/key/value: F = 9 -> H*C = 32*256
    {256, 8192},  // convs.i lin_query/key/value (and the folded query GEMM, [N, 256] x [256, 32*256])
    {8192, 256},  // the folded value GEMM: [N, H*F] x [H*F, C]
    {256, 256},   // lin_skip
};

int const registered = [] {
  auto* blas = benchmark::RegisterBenchmark("linear/blas/host", bm_linear<variant::blas>);
  auto* sgemm = benchmark::RegisterBenchmark("linear/sgemm/host", bm_linear<variant::sgemm>);
  for (auto* b : {blas, sgemm}) {
    // G = 1, 2, 4, 8 (N = 20, 40, 53, 115 nodes): where the weight-streaming kernel is chosen or not
    for (std::int64_t g : {std::int64_t{1}, std::int64_t{2}, std::int64_t{4}, std::int64_t{8}, gb::small_graphs, gb::seed_graphs})
      for (Shape s : shapes) b->Args({g, s.in, s.out});
  }
  // The double-accumulating loops take seconds at the seed size: the small batch and the small
  // shapes only, enough to show the gap.
  auto* ref = benchmark::RegisterBenchmark("linear/reference/host", bm_linear<variant::reference>);
  ref->Args({gb::small_graphs, 9, 8192})->Args({gb::small_graphs, 256, 256});
  for (auto* b : {blas, sgemm, ref}) b->ArgNames({"G", "in", "out"})->UseRealTime()->Unit(benchmark::kMillisecond);
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
