#pragma once
/// \file
/// \brief Umbrella header for the space graphtx::thrust_omp: everything in <graphtx/graphtx.hpp>
/// plus the backend that runs the CUDA backend's Thrust code (include/graphtx/ops/thrust/) on
/// Thrust's OpenMP system, on the host's cores. Its purpose is to run whole layers and models
/// down the code path the GPU runs -- the same modules, the same Thrust ops, the same
/// host<->space copies -- where there is no GPU (CI, tests/omp/). It is not a fast host backend:
/// use graphtx::host for that.
///
/// Include it only from a program built against Thrust with OpenMP on (the ops name the policy
/// thrust::omp::par; CMake: `thrust_create_target(t HOST CPP DEVICE OMP)`, as tests/CMakeLists.txt
/// does). graphtx.hpp does not include it, and the host build never needs Thrust.
///
/// **Example**:
/// \code
/// #include <graphtx/thrust_omp.hpp>
/// using Model = graphtx::nn::Model<Net, graphtx::thrust_omp>;
/// auto model = Model::from(graphtx::nn::Model<Net>::load("model.safetensors"));   // memcpy
/// auto y = graphtx::to_space<graphtx::host>(model.forward(graphtx::graph::to_space<graphtx::thrust_omp>(batch)));
/// \endcode
///
/// What runs where:
/// - **Memory**: host memory (the host allocator and block cache), counted apart in
///   memory_stats<thrust_omp>. Copies to and from host (and within the space) are memcpy, but
///   stay explicit (to_space, deep_copy), as for cuda. Element access stays host-only.
/// - **Thrust backend with thrust::omp::par** (ops/thrust/dispatch.hpp): relu, gelu, elu,
///   leaky_relu, silu, sigmoid, tanh, add, head_mean, concat_columns, gather_rows, embedding_sum,
///   layer_norm, batch_norm, graph_layer_norm, attention_scores, segment_softmax,
///   attention_aggregate, beta_gate, add_bias_to_targets, gine_aggregate, scatter_add,
///   segment_sum, pool (sum, mean, max), graph_attention.
/// - **Host backend** (no Thrust version exists): linear and head_linear (the host BLAS, where
///   cuda calls cuBLAS), folded_attention (a CUDA kernel on cuda) and scatter_rows (host only;
///   unused here: the single-edge shortcut that needs it is host-only, as on cuda).
/// - So thrust_omp runs the GPU's code except for those four ops and layer_norm: cuda runs
///   the Thrust version of every op above but layer_norm, for which it has a warp-per-row kernel
///   (ops/cuda/layer_norm.cuh) with the same double statistics as the Thrust version's one thread
///   per row.
/// - Profiling: steady_clock, as on the host (OpenMP algorithms return when they are done).

#include <thrust/system/omp/execution_policy.h>

#include <graphtx/graphtx.hpp>

#include <graphtx/ops/thrust/dispatch.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx {

template <>
struct memory_resource<thrust_omp> : detail::host_memory_resource<thrust_omp> {};

namespace detail {
// Both spaces are host memory: the copies are host<->host's memcpy.
template <>
struct copy_bytes<thrust_omp, host> : copy_bytes<host, host> {};
template <>
struct copy_bytes<host, thrust_omp> : copy_bytes<host, host> {};
template <>
struct copy_bytes<thrust_omp, thrust_omp> : copy_bytes<host, host> {};
}  // namespace detail

namespace profile::detail {
template <>
struct scope_clock<thrust_omp> : scope_clock<host> {};
}  // namespace profile::detail

namespace ops::detail {

template <>
struct thrust_system<thrust_omp> {
  static constexpr bool enabled = true;
  static auto policy() { return ::thrust::omp::par; }
};

/// The ops with no Thrust version run their host implementation on the same memory, seen as host
/// views (the data is host memory; only the view's space tag changes).
template <class T, int Rank>
TensorView<T, Rank, host> as_host(TensorView<T, Rank, thrust_omp> v) {
  return {v.data(), v.extents()};
}
template <class A>
A as_host(A a) {  // heads, eps, flags: passed as they are
  return a;
}
template <class HostImpl>
struct on_host_impl {
  template <class... Args>
  static void run(Args... args) {
    HostImpl::run(as_host(args)...);
  }
};

template <>
struct linear_impl<thrust_omp> : on_host_impl<linear_impl<host>> {};
template <>
struct head_linear_impl<thrust_omp> : on_host_impl<head_linear_impl<host>> {};
template <>
struct folded_attention_impl<thrust_omp> : on_host_impl<folded_attention_impl<host>> {};
template <>
struct scatter_rows_impl<thrust_omp> : on_host_impl<scatter_rows_impl<host>> {};

}  // namespace ops::detail

}  // namespace graphtx
