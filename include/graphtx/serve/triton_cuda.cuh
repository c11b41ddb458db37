#pragma once
/// \file
/// \brief The CUDA side of a graphtx Triton backend (<graphtx/serve/triton.hpp>), for the one .cu
/// translation unit of a backend library with KIND_GPU instances:
///
/// \code
/// // backend_cuda.cu (graphtx_add_triton_backend(... CUDA) writes this file)
/// #include <graphtx/serve/triton_cuda.cuh>
/// #include "model.hpp"
/// graphtx::serve::triton::CudaHooks my_backend_cuda_hooks() { return graphtx::serve::triton::cuda_hooks<ns::Name>(); }
/// // backend.cpp
/// graphtx::serve::triton::CudaHooks my_backend_cuda_hooks();
/// GRAPHTX_TRITON_BACKEND_CUDA(ns::Name, my_backend_cuda_hooks)
/// \endcode
///
/// Each KIND_GPU instance loads the weights file onto its device (nn::Model<Net, cuda>, strict
/// load), owns a non-blocking stream, and runs every forward of its Execute calls on that stream
/// (Triton serialises Execute per instance, so one stream per instance is one stream per thread of
/// work); the merged batch goes to the device and y comes back to the host per forward.

#include <filesystem>
#include <memory>
#include <string>

#include <graphtx/cuda.hpp>
#include <graphtx/serve/triton.hpp>

namespace graphtx::serve::triton {

namespace detail {
template <class Net>
struct GpuInstance {
  std::unique_ptr<nn::Model<Net, cuda>> model;
  cudaStream_t stream = nullptr;
  int device = 0;
};

template <class Net>
void* gpu_load(std::string const& weights, int device) {
  if (!cuda_device_available()) throw cuda_error("KIND_GPU: no CUDA device is available (cudaGetDeviceCount)");
  GRAPHTX_CUDA_CHECK(cudaSetDevice(device));
  auto g = std::make_unique<GpuInstance<Net>>();
  g->device = device;
  GRAPHTX_CUDA_CHECK(cudaStreamCreateWithFlags(&g->stream, cudaStreamNonBlocking));
  try {
    ScopedCudaStream scope(g->stream);
    g->model = std::make_unique<nn::Model<Net, cuda>>(nn::Model<Net, cuda>::load(std::filesystem::path(weights)));
    CudaContext::this_thread().synchronize();
  } catch (...) {
    g->model.reset();
    cudaStreamDestroy(g->stream);
    throw;
  }
  return g.release();
}

template <class Net>
void gpu_destroy(void* p) {
  auto* g = static_cast<GpuInstance<Net>*>(p);
  if (cudaSetDevice(g->device) == cudaSuccess) {
    try {
      ScopedCudaStream scope(g->stream);
      g->model.reset();
    } catch (...) {
    }
    cudaStreamSynchronize(g->stream);
    cudaStreamDestroy(g->stream);
  }
  delete g;
}

template <class Net>
Tensor<float, 2, host> gpu_forward(void* p, graph::Batch<host> const& batch) {
  auto& g = *static_cast<GpuInstance<Net>*>(p);
  GRAPHTX_CUDA_CHECK(cudaSetDevice(g.device));
  ScopedCudaStream scope(g.stream);
  auto const device_batch = graph::to_space<cuda>(batch);
  Tensor<float, 2, cuda> y = g.model->forward(device_batch);
  return to_space<host>(y);  // synchronises the stream
}
}  // namespace detail

/// The CUDA hooks of nn::Model<Net> for GRAPHTX_TRITON_BACKEND_CUDA.
template <class Net>
CudaHooks cuda_hooks() {
  return CudaHooks{&detail::gpu_load<Net>, &detail::gpu_destroy<Net>, &detail::gpu_forward<Net>};
}

}  // namespace graphtx::serve::triton
