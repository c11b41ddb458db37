#pragma once
/// \file
/// \brief The CUDA side of a runner (<graphtx/tools/runner.hpp>), for the one .cu translation unit
/// of a program that compiles its model for the GPU:
///
/// \code
/// // model_cuda.cu (graphtx_add_model(... CUDA) writes this file)
/// #include <graphtx/tools/runner_cuda.cuh>
/// #include "model.hpp"
/// graphtx::tools::CudaBackend my_model_cuda_backend() { return graphtx::tools::cuda_backend<ns::Name>(); }
/// \endcode
///
/// and the host main passes `my_model_cuda_backend()` to tools::run_main<ns::Name>. The function
/// between the two files names no model type (a CudaBackend is a function pointer over the host
/// model's address), so nvcc never writes the declaration of a template instantiation whose
/// arguments nest class-type template parameters (nvcc 13 cannot: see
/// <graphtx/models/seed_model_cuda.cuh>); nn::Model<Net, graphtx::cuda> is instantiated here, once.

#include <graphtx/cuda.hpp>
#include <graphtx/tools/runner.hpp>

namespace graphtx::tools {

namespace detail {
/// Copies the model and the batch to the GPU once, runs `request.repeat` forwards (the first one
/// included: it pays for allocations), timed with CUDA events, and copies y back. Throws
/// graphtx::cuda_error when no usable device is present.
template <class Net>
ForwardResult cuda_forward(void const* host_model, graph::Batch<host> const& batch, ForwardRequest const& request) {
  using HostModel = nn::Model<Net, host>;
  using DeviceModel = nn::Model<Net, cuda>;
  auto const& model = *static_cast<HostModel const*>(host_model);
  if (!cuda_device_available()) throw cuda_error("no CUDA device is available (cudaGetDeviceCount)");
  ForwardResult result;
  int dev = 0;
  GRAPHTX_CUDA_CHECK(cudaGetDevice(&dev));
  cudaDeviceProp prop{};
  GRAPHTX_CUDA_CHECK(cudaGetDeviceProperties(&prop, dev));
  result.where = std::string("cuda, ") + prop.name + (request.tf32 ? ", TF32 GEMMs" : ", strict FP32");
  auto& ctx = CudaContext::this_thread();
  ctx.set_precision(request.tf32 ? gemm_precision::tf32 : gemm_precision::strict_fp32);

  using stats = memory_stats<cuda>;
  std::size_t const held_at_start = stats::current();
  DeviceModel const device_model = DeviceModel::from(model);
  result.model_bytes = stats::current() - held_at_start;
  auto const device_batch = graph::to_space<cuda>(batch);
  std::size_t const before_forward = stats::current();
  result.batch_bytes = before_forward - held_at_start - result.model_bytes;
  stats::reset_peak();
  cudaEvent_t start, stop;
  GRAPHTX_CUDA_CHECK(cudaEventCreate(&start));
  GRAPHTX_CUDA_CHECK(cudaEventCreate(&stop));
  Tensor<float, 2, cuda> y;
  int const repeat = request.repeat < 1 ? 1 : request.repeat;
  try {
    for (int r = 0; r < repeat; ++r) {
      GRAPHTX_CUDA_CHECK(cudaEventRecord(start, ctx.stream()));
      y = device_model.forward(device_batch, r == repeat - 1 ? request.profiler : nullptr);
      GRAPHTX_CUDA_CHECK(cudaEventRecord(stop, ctx.stream()));
      GRAPHTX_CUDA_CHECK(cudaEventSynchronize(stop));
      float ms = 0;
      GRAPHTX_CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
      result.forward_ms.push_back(ms);
    }
  } catch (...) {
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    throw;
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  result.forward_peak_bytes = stats::peak() - before_forward;
  result.y = to_space<host>(y);
  return result;
}
}  // namespace detail

/// The CUDA forward of nn::Model<Net> for tools::run_main<Net> / tools::forward_on<Net>.
template <class Net>
CudaBackend cuda_backend() {
  return CudaBackend{&detail::cuda_forward<Net>};
}

}  // namespace graphtx::tools
