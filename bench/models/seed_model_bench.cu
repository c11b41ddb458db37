// The seed model forward on the GPU, timed with CUDA events around forward() only (manual time):
// GraphTransformer<seed_config, cuda> with random weights (GraphTransformer::random(0) copied to
// the device) on the molecule batch of G graphs, already on the device.
//
//   seed_model/<algorithm>/cuda       strict FP32 GEMMs (cuBLAS without TF32), graphtx's default
//   seed_model/<algorithm>-tf32/cuda  TF32 tensor-core GEMMs (about 1e-3 relative error)
//
// <algorithm> is what seed_config resolves to. The model's GPU code is compiled once in
// examples/support/seed_model_cuda.cu (graphtx_examples_cuda); this file only instantiates the
// benchmark. Without a device every benchmark reports "no CUDA device".

#include <cstdint>
#include <map>
#include <string>

#include <graphtx/models/seed_model_cuda.cuh>

#include "support/algorithms.hpp"
#include "support/context.hpp"
#include "support/model_flops.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

using SeedHost = gx::GraphTransformer<gx::seed_config, gx::host>;
using SeedCuda = gx::GraphTransformer<gx::seed_config, gx::cuda>;

void bm_seed_model_cuda(benchmark::State& state, gx::gemm_precision precision) {
  if (!gx::cuda_device_available()) {
    state.SkipWithError("no CUDA device");
    return;
  }
  static SeedCuda const model = SeedCuda::from(SeedHost::random(0));
  auto const& host_batch = gb::molecule_batch(state.range(0));
  auto const batch = gx::graph::to_space<gx::cuda>(host_batch);
  auto& ctx = gx::CudaContext::this_thread();
  gx::gemm_precision const previous = ctx.precision();
  ctx.set_precision(precision);
  cudaEvent_t start{}, stop{};
  GRAPHTX_CUDA_CHECK(cudaEventCreate(&start));
  GRAPHTX_CUDA_CHECK(cudaEventCreate(&stop));
  {
    auto warm = model.forward(batch);  // cuBLAS handle, pool allocations: not part of a forward
    ctx.synchronize();
  }
  for (auto _ : state) {
    GRAPHTX_CUDA_CHECK(cudaEventRecord(start, ctx.stream()));
    gx::Tensor<float, 2, gx::cuda> y = model.forward(batch);  // [G, 1]
    GRAPHTX_CUDA_CHECK(cudaEventRecord(stop, ctx.stream()));
    GRAPHTX_CUDA_CHECK(cudaEventSynchronize(stop));
    float ms = 0.0f;
    GRAPHTX_CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
    state.SetIterationTime(static_cast<double>(ms) * 1e-3);
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  ctx.set_precision(previous);
  auto const g = static_cast<double>(host_batch.num_graphs), n = static_cast<double>(host_batch.num_nodes()),
             e = static_cast<double>(host_batch.num_edges());
  state.counters["FLOP/s"] = gb::flops_rate(gb::textbook_flops(gx::seed_config, g, n, e));
  state.counters["graphs/s"] = benchmark::Counter(g, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["nodes/s"] = benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate);
  gb::report_batch(state, host_batch);
}

int const registered = [] {
  std::string const algorithm = gb::resolved_algorithm(gx::seed_config.first_conv());
  for (auto [suffix, precision] : {std::pair{"", gx::gemm_precision::strict_fp32},
                                   std::pair{"-tf32", gx::gemm_precision::tf32}}) {
    std::string const name = "seed_model/" + algorithm + suffix + "/cuda";
    benchmark::RegisterBenchmark(name.c_str(), bm_seed_model_cuda, precision)
        ->Arg(gb::small_graphs)
        ->Arg(gb::seed_graphs)
        ->Arg(4096)
        ->ArgName("G")
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  }
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
