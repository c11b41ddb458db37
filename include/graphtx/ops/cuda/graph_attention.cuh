#pragma once
/// \file
/// \brief CUDA backend of ops::graph_attention: the Thrust-backed implementation in
/// ops/thrust/graph_attention.hpp (one thread per (node, head), online softmax over its graph's
/// nodes) run on the calling thread's stream. Included by <graphtx/cuda.hpp>.
///
/// Each thread reads its graph's k and v rows for its head (d floats per row, strided by E), so
/// neighbouring threads (the heads of one node, then the next node) read neighbouring columns of
/// the same rows: loads partly coalesce and the graph's rows stay in L1/L2. Not a tuned kernel: a
/// warp-per-(node, head) or tiled [n_g, n_g] version would be faster for large graphs.

#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/graph_attention.hpp>
#include <graphtx/ops/thrust/graph_attention.hpp>

namespace graphtx::ops::detail {

template <>
struct graph_attention_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> q, TensorView<float const, 2, cuda> k,
                  TensorView<float const, 2, cuda> v, TensorView<std::int32_t const, 1, cuda> ptr, int heads,
                  TensorView<float, 2, cuda> out) {
    thrust_backend::graph_attention(cuda_policy(), q.data(), k.data(), v.data(), ptr.data(), ptr.extent(0) - 1,
                                    q.extent(0), q.extent(1), heads, out.data());
  }
};

}  // namespace graphtx::ops::detail
