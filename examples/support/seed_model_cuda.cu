// The helper that quickstart and run_model call for --device cuda: the one translation unit of the
// examples that compiles the seed model for the GPU.

#include "seed_model_cuda.hpp"

#include <graphtx/models/seed_model_cuda.cuh>

namespace graphtx_examples {

namespace gx = graphtx;
using SeedModelCuda = gx::GraphTransformer<gx::seed_config, gx::cuda>;

CudaForward seed_forward_cuda(SeedModelHost const& model, gx::graph::Batch<gx::host> const& batch, int repeat,
                              bool tf32, gx::profile::Profiler* profiler) {
  if (!gx::cuda_device_available()) throw gx::cuda_error("no CUDA device is available (cudaGetDeviceCount)");
  CudaForward result;
  int dev = 0;
  GRAPHTX_CUDA_CHECK(cudaGetDevice(&dev));
  cudaDeviceProp prop{};
  GRAPHTX_CUDA_CHECK(cudaGetDeviceProperties(&prop, dev));
  result.device = prop.name;
  auto& ctx = gx::CudaContext::this_thread();
  ctx.set_precision(tf32 ? gx::gemm_precision::tf32 : gx::gemm_precision::strict_fp32);

  using stats = gx::memory_stats<gx::cuda>;
  std::size_t const held_at_start = stats::current();
  SeedModelCuda const device_model = SeedModelCuda::from(model);
  result.model_bytes = stats::current() - held_at_start;
  auto const device_batch = gx::graph::to_space<gx::cuda>(batch);
  std::size_t const before_forward = stats::current();
  result.batch_bytes = before_forward - held_at_start - result.model_bytes;
  stats::reset_peak();
  cudaEvent_t start, stop;
  GRAPHTX_CUDA_CHECK(cudaEventCreate(&start));
  GRAPHTX_CUDA_CHECK(cudaEventCreate(&stop));
  gx::Tensor<float, 2, gx::cuda> y;
  for (int r = 0; r < repeat; ++r) {
    GRAPHTX_CUDA_CHECK(cudaEventRecord(start, ctx.stream()));
    y = device_model.forward(device_batch, r == repeat - 1 ? profiler : nullptr);
    GRAPHTX_CUDA_CHECK(cudaEventRecord(stop, ctx.stream()));
    GRAPHTX_CUDA_CHECK(cudaEventSynchronize(stop));
    float ms = 0;
    GRAPHTX_CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
    result.forward_ms.push_back(ms);
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  result.forward_peak_bytes = stats::peak() - before_forward;
  result.y = gx::to_space<gx::host>(y);
  return result;
}

}  // namespace graphtx_examples
