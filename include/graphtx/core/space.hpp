#pragma once
/// \file
/// \brief Memory-and-execution spaces: tag types passed as template parameters (Kokkos' memory
/// space, Thrust's system tag). Layers, ops and tensors are templates over a Space; a backend is
/// chosen by type, never by macro.
///
/// `graphtx::host` is complete here. `graphtx::cuda` is only a tag in this header: its memory
/// resource, copies and op implementations live in `.cuh` headers reached through
/// `<graphtx/cuda.hpp>`, which only nvcc may read. `graphtx::thrust_omp` is also only a tag here:
/// its backend is `<graphtx/thrust_omp.hpp>`, which needs Thrust (built with its OpenMP system).

#include <atomic>
#include <cstddef>
#include <new>
#include <type_traits>

#include <graphtx/core/host_memory.hpp>

namespace graphtx {

/// Host memory, host execution (OpenMP where it pays, BLAS for GEMM).
struct host {
  static constexpr char const* name = "host";
};

/// NVIDIA GPU memory and execution (CUDA, CUB, Thrust, cuBLAS). Usable only from .cu files.
struct cuda {
  static constexpr char const* name = "cuda";
};

/// The CUDA backend's code path on the host's cores: host memory, every op that the CUDA backend
/// runs with Thrust run by the same Thrust code on Thrust's OpenMP system, the others (GEMMs) on
/// the host backend. For testing the GPU's path without a GPU; usable only with
/// <graphtx/thrust_omp.hpp> (which says which ops run where).
struct thrust_omp {
  static constexpr char const* name = "thrust_omp";
};

template <class Space>
inline constexpr bool is_space_v =
    std::is_same_v<Space, host> || std::is_same_v<Space, cuda> || std::is_same_v<Space, thrust_omp>;

/// Allocates and frees raw bytes in a space. Specialised per space; the primary template is only
/// reached when the space's backend header was not included.
template <class Space>
struct memory_resource {
  static_assert(sizeof(Space) == 0,
                "graphtx: no memory_resource for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

/// Bytes that graphtx tensors hold in a space, now and at the most since the last reset_peak():
/// what a forward pass needs beyond the weights and the batch is `peak() - current()` read after
/// `reset_peak()` was called before it. Counted by every memory_resource<Space>; process-wide
/// (all threads together), so measure one forward at a time. Two relaxed atomics per tensor
/// allocation: nothing next to the allocation itself.
///
/// \code
/// graphtx::memory_stats<graphtx::host>::reset_peak();
/// std::size_t const before = graphtx::memory_stats<graphtx::host>::current();
/// auto y = model.forward(batch);
/// std::size_t const forward_peak = graphtx::memory_stats<graphtx::host>::peak() - before;
/// \endcode
template <class Space>
struct memory_stats {
  static std::size_t current() noexcept { return current_.load(std::memory_order_relaxed); }
  static std::size_t peak() noexcept { return peak_.load(std::memory_order_relaxed); }
  /// Starts a new measurement: the peak becomes the bytes held now.
  static void reset_peak() noexcept { peak_.store(current(), std::memory_order_relaxed); }

  // Called by memory_resource<Space>; not for users.
  static void on_allocate(std::size_t bytes) noexcept {
    std::size_t const now = current_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
    std::size_t seen = peak_.load(std::memory_order_relaxed);
    while (now > seen && !peak_.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
    }
  }
  static void on_deallocate(std::size_t bytes) noexcept { current_.fetch_sub(bytes, std::memory_order_relaxed); }

 private:
  static inline std::atomic<std::size_t> current_{0};
  static inline std::atomic<std::size_t> peak_{0};
};

namespace detail {
/// Host memory counted in `memory_stats<Space>`: the memory_resource of every space whose tensors
/// live in host memory (host, thrust_omp), so that each space keeps its own counts.
/// 64-byte alignment: a cache line, and enough for any AVX-512 load. Blocks of
/// host_block_cache::min_block_bytes (128 KiB) and more come from host_block_cache (kept across
/// forwards; 2 MiB aligned from 2 MiB on: <graphtx/core/host_memory.hpp>).
template <class Space>
struct host_memory_resource {
  static constexpr std::size_t alignment = 64;
  static void* allocate(std::size_t bytes) {
    if (bytes == 0) return nullptr;
    void* p = bytes >= host_block_cache::min_block_bytes ? host_block_cache::instance().allocate(bytes)
                                                         : ::operator new(bytes, std::align_val_t{alignment});
    memory_stats<Space>::on_allocate(bytes);
    return p;
  }
  /// `bytes` must be the size given to allocate (it decides where the block came from).
  static void deallocate(void* p, std::size_t bytes) noexcept {
    if (p == nullptr) return;
    if (bytes >= host_block_cache::min_block_bytes) {
      host_block_cache::instance().deallocate(p);
    } else {
      ::operator delete(p, std::align_val_t{alignment});
    }
    memory_stats<Space>::on_deallocate(bytes);
  }
};
}  // namespace detail

template <>
struct memory_resource<host> : detail::host_memory_resource<host> {};

}  // namespace graphtx
