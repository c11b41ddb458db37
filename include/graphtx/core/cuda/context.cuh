#pragma once
/// \file
/// \brief Per-thread CUDA execution state: the stream graphtx queues work on and the cuBLAS
/// handle bound to it.
///
/// Every host thread has its own context, so threads that share one loaded model run forwards
/// concurrently on their own streams. The default stream is `cudaStreamPerThread`; a program that
/// owns a stream hands it over with `CudaContext::this_thread().set_stream(s)` (or a
/// `ScopedCudaStream`). graphtx never synchronises the device; copies to the host synchronise the
/// context's stream only.

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <graphtx/core/cuda/check.cuh>

namespace graphtx {

/// How cuBLAS may compute FP32 GEMMs. `strict_fp32` (the default) never uses TF32 tensor cores,
/// so results match the host path to FP32 rounding; `tf32` trades about 1e-3 relative error for
/// speed and must be asked for.
enum class gemm_precision { strict_fp32, tf32 };

class CudaContext {
 public:
  static CudaContext& this_thread() {
    thread_local CudaContext context;
    return context;
  }

  cudaStream_t stream() const { return stream_; }
  void set_stream(cudaStream_t s) {
    stream_ = s;
    if (blas_ != nullptr) GRAPHTX_CUBLAS_CHECK(cublasSetStream(blas_, stream_));
  }

  gemm_precision precision() const { return precision_; }
  void set_precision(gemm_precision p) {
    precision_ = p;
    if (blas_ != nullptr) apply_math_mode();
  }

  /// The cuBLAS handle of this thread, created on first use and bound to stream().
  cublasHandle_t blas() {
    if (blas_ == nullptr) {
      GRAPHTX_CUBLAS_CHECK(cublasCreate(&blas_));
      GRAPHTX_CUBLAS_CHECK(cublasSetStream(blas_, stream_));
      apply_math_mode();
    }
    return blas_;
  }

  /// Blocks the host until all graphtx work queued on this thread's stream has finished.
  void synchronize() const { GRAPHTX_CUDA_CHECK(cudaStreamSynchronize(stream_)); }

  CudaContext(CudaContext const&) = delete;
  CudaContext& operator=(CudaContext const&) = delete;
  ~CudaContext() {
    if (blas_ != nullptr) cublasDestroy(blas_);  // no throw from a destructor
  }

 private:
  CudaContext() = default;
  void apply_math_mode() {
    // CUBLAS_PEDANTIC_MATH would also forbid other reduced-precision shortcuts; DEFAULT_MATH is
    // FP32 without tensor cores for sgemm, which is what "strict FP32" means here.
    GRAPHTX_CUBLAS_CHECK(cublasSetMathMode(
        blas_, precision_ == gemm_precision::tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
  }

  cudaStream_t stream_ = cudaStreamPerThread;
  cublasHandle_t blas_ = nullptr;
  gemm_precision precision_ = gemm_precision::strict_fp32;
};

/// Puts graphtx work of this thread on `s` for the scope's lifetime.
class ScopedCudaStream {
 public:
  explicit ScopedCudaStream(cudaStream_t s) : previous_(CudaContext::this_thread().stream()) {
    CudaContext::this_thread().set_stream(s);
  }
  ~ScopedCudaStream() {
    try {
      CudaContext::this_thread().set_stream(previous_);
    } catch (...) {
    }
  }
  ScopedCudaStream(ScopedCudaStream const&) = delete;
  ScopedCudaStream& operator=(ScopedCudaStream const&) = delete;

 private:
  cudaStream_t previous_;
};

}  // namespace graphtx
