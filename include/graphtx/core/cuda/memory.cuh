#pragma once
/// \file
/// \brief Device memory for graphtx::cuda tensors (stream-ordered allocation on the thread's
/// stream) and explicit copies between host and device. Nothing is copied implicitly.

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include <graphtx/core/cuda/check.cuh>
#include <graphtx/core/cuda/context.cuh>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx {

namespace detail {
/// Stream-ordered allocations come from the device's default memory pool. By default that pool
/// returns freed memory to the driver at every synchronisation, so a forward pass that allocates
/// its temporaries would map and unmap hundreds of MB on every call. Keeping the memory in the
/// pool (release threshold = unlimited) makes the second and later forwards allocation-free in
/// practice; the memory is still released when the process exits or the user trims the pool.
inline void keep_pool_memory_once() {
  static bool const done = [] {
    int device = 0;
    cudaMemPool_t pool;
    if (cudaGetDevice(&device) == cudaSuccess && cudaDeviceGetDefaultMemPool(&pool, device) == cudaSuccess) {
      std::uint64_t threshold = ~std::uint64_t{0};
      (void)cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold);
    }
    (void)cudaGetLastError();
    return true;
  }();
  (void)done;
}
}  // namespace detail

template <>
struct memory_resource<cuda> {
  static void* allocate(std::size_t bytes) {
    if (bytes == 0) return nullptr;
    detail::keep_pool_memory_once();
    void* p = nullptr;
    cudaError_t e = cudaMallocAsync(&p, bytes, CudaContext::this_thread().stream());
    if (e == cudaErrorMemoryAllocation) {
      (void)cudaGetLastError();  // clear the non-sticky error
      throw resource_error(detail::cat("cuda: out of device memory allocating ", bytes, " bytes"));
    }
    GRAPHTX_CUDA_CHECK(e);
    memory_stats<cuda>::on_allocate(bytes);
    return p;
  }
  static void deallocate(void* p, std::size_t bytes) noexcept {
    if (p == nullptr) return;
    (void)cudaFreeAsync(p, CudaContext::this_thread().stream());
    memory_stats<cuda>::on_deallocate(bytes);
  }
};

namespace detail {
// Copies are synchronous with respect to the host: when deep_copy returns, the destination holds
// the data and the source may be freed.
template <>
struct copy_bytes<cuda, host> {
  static void run(void* dst, void const* src, std::size_t bytes) {
    if (bytes == 0) return;
    auto s = CudaContext::this_thread().stream();
    GRAPHTX_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, s));
    GRAPHTX_CUDA_CHECK(cudaStreamSynchronize(s));
  }
};
template <>
struct copy_bytes<host, cuda> {
  static void run(void* dst, void const* src, std::size_t bytes) {
    if (bytes == 0) return;
    auto s = CudaContext::this_thread().stream();
    GRAPHTX_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, s));
    GRAPHTX_CUDA_CHECK(cudaStreamSynchronize(s));
  }
};
template <>
struct copy_bytes<cuda, cuda> {
  static void run(void* dst, void const* src, std::size_t bytes) {
    if (bytes == 0) return;
    GRAPHTX_CUDA_CHECK(
        cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, CudaContext::this_thread().stream()));
  }
};
}  // namespace detail

/// True when at least one CUDA device is usable (tests print "skipped: no CUDA device" otherwise).
inline bool cuda_device_available() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    (void)cudaGetLastError();
    return false;
  }
  return count > 0;
}

}  // namespace graphtx
