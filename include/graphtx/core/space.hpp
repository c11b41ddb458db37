#pragma once
/// \file
/// \brief Memory-and-execution spaces: tag types passed as template parameters (Kokkos' memory
/// space, Thrust's system tag). Layers, ops and tensors are templates over a Space; a backend is
/// chosen by type, never by macro.
///
/// `graphtx::host` is complete here. `graphtx::cuda` is only a tag in this header: its memory
/// resource, copies and op implementations live in `.cuh` headers reached through
/// `<graphtx/cuda.hpp>`, which only nvcc may read.

#include <cstddef>
#include <new>
#include <type_traits>

namespace graphtx {

/// Host memory, host execution (OpenMP where it pays, BLAS for GEMM).
struct host {
  static constexpr char const* name = "host";
};

/// NVIDIA GPU memory and execution (CUDA, CUB, Thrust, cuBLAS). Usable only from .cu files.
struct cuda {
  static constexpr char const* name = "cuda";
};

template <class Space>
inline constexpr bool is_space_v = std::is_same_v<Space, host> || std::is_same_v<Space, cuda>;

/// Allocates and frees raw bytes in a space. Specialised per space; the primary template is only
/// reached when the space's backend header was not included.
template <class Space>
struct memory_resource {
  static_assert(sizeof(Space) == 0,
                "graphtx: no memory_resource for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

template <>
struct memory_resource<host> {
  /// 64-byte alignment: a cache line, and enough for any AVX-512 load.
  static constexpr std::size_t alignment = 64;
  static void* allocate(std::size_t bytes) {
    if (bytes == 0) return nullptr;
    return ::operator new(bytes, std::align_val_t{alignment});
  }
  static void deallocate(void* p, std::size_t /*bytes*/) noexcept {
    if (p != nullptr) ::operator delete(p, std::align_val_t{alignment});
  }
};

}  // namespace graphtx
