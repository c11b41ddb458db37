#pragma once
/// \file
/// \brief Translating CUDA runtime and cuBLAS errors into graphtx::cuda_error.
///
/// Device code never throws; every host-side call into the CUDA runtime or cuBLAS goes through
/// one of these macros, which throw with the call's text, file:line and the error's name. After
/// a sticky error (illegal address, launch failure) the CUDA context cannot be used again in this
/// process; the message says so, and graphtx still throws rather than aborting: the process
/// belongs to the user.

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>

#include <graphtx/core/error.hpp>

namespace graphtx::detail {

inline bool is_sticky_cuda_error(cudaError_t e) {
  switch (e) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchFailure:
    case cudaErrorHardwareStackError:
    case cudaErrorIllegalInstruction:
    case cudaErrorMisalignedAddress:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorAssert:
      return true;
    default:
      return false;
  }
}

[[noreturn]] inline void throw_cuda_error(cudaError_t e, char const* expr, char const* file, int line) {
  std::string msg = cat("CUDA error ", cudaGetErrorName(e), " (", cudaGetErrorString(e), ") in ", expr, " at ",
                        file, ":", line);
  if (is_sticky_cuda_error(e)) {
    msg += "; this error is sticky: the CUDA context is unusable for the rest of this process";
  }
  throw cuda_error(msg);
}

inline char const* cublas_status_name(cublasStatus_t s) {
  switch (s) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_LICENSE_ERROR: return "CUBLAS_STATUS_LICENSE_ERROR";
    default: return "CUBLAS_STATUS_<unknown>";
  }
}

[[noreturn]] inline void throw_cublas_error(cublasStatus_t s, char const* expr, char const* file, int line) {
  throw cuda_error(cat("cuBLAS error ", cublas_status_name(s), " in ", expr, " at ", file, ":", line));
}

}  // namespace graphtx::detail

/// Throws graphtx::cuda_error naming the call, file:line and the CUDA error when `expr` fails.
#define GRAPHTX_CUDA_CHECK(expr)                                                   \
  do {                                                                             \
    cudaError_t graphtx_status_ = (expr);                                          \
    if (graphtx_status_ != cudaSuccess) {                                          \
      ::graphtx::detail::throw_cuda_error(graphtx_status_, #expr, __FILE__, __LINE__); \
    }                                                                              \
  } while (0)

/// Same for cuBLAS status codes.
#define GRAPHTX_CUBLAS_CHECK(expr)                                                  \
  do {                                                                              \
    cublasStatus_t graphtx_status_ = (expr);                                        \
    if (graphtx_status_ != CUBLAS_STATUS_SUCCESS) {                                 \
      ::graphtx::detail::throw_cublas_error(graphtx_status_, #expr, __FILE__, __LINE__); \
    }                                                                               \
  } while (0)

/// After a kernel launch: reports launch-configuration errors at the launch site.
#define GRAPHTX_CUDA_CHECK_LAUNCH() GRAPHTX_CUDA_CHECK(cudaGetLastError())
