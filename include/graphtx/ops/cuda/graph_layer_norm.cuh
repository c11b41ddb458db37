#pragma once
/// \file
/// \brief CUDA backend of ops::graph_layer_norm and ops::graph_layer_norm_unbatched: the
/// Thrust-backed implementation in ops/thrust/graph_layer_norm.hpp run on the calling thread's
/// stream, with a [G, 2] double scratch for the per-graph statistics (stream-ordered allocation).
/// Included by <graphtx/cuda.hpp>.
///
/// The statistics pass is one thread per graph: fine for batches of small graphs (the seed batch:
/// 512 graphs of ~14 nodes), slow for a few very large graphs (batch = None: one thread sums all
/// N x C values).

#include <graphtx/core/cuda/memory.cuh>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/graph_layer_norm.hpp>
#include <graphtx/ops/thrust/graph_layer_norm.hpp>

namespace graphtx::ops::detail {

template <>
struct graph_layer_norm_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> x, TensorView<std::int32_t const, 1, cuda> ptr,
                  TensorView<float const, 1, cuda> weight, TensorView<float const, 1, cuda> bias, float eps,
                  graph_norm_eps where, TensorView<float, 2, cuda> y) {
    bool const batched = ptr.extent(0) != 0;
    index_t const graphs = batched ? ptr.extent(0) - 1 : 1;
    if (graphs == 0 || x.extent(0) == 0 || x.extent(1) == 0) return;
    Tensor<double, 1, cuda> stats({2 * graphs});  // [G, 2]
    thrust_backend::graph_layer_norm(cuda_policy(), x.data(), batched ? ptr.data() : nullptr, graphs, x.extent(0),
                                     x.extent(1), weight.extent(0) != 0 ? weight.data() : nullptr,
                                     bias.extent(0) != 0 ? bias.data() : nullptr, eps,
                                     where == graph_norm_eps::added_to_std, stats.data(), y.data());
  }
};

}  // namespace graphtx::ops::detail
