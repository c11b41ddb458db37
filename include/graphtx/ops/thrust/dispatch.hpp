#pragma once
/// \file
/// \brief The ops of a space that runs graphtx's Thrust backend (ops/thrust/*.hpp): one
/// specialisation of each op's `detail::<op>_impl` for every space `S` with
/// `thrust_system<S>::enabled`, turning the op's views into the raw pointers and sizes the Thrust
/// code takes and running it with `thrust_system<S>::policy()`. Written once over the trait rather
/// than once per space, so that a space gets every Thrust-backed op by defining the trait.
///
/// The two Thrust spaces:
/// - graphtx::cuda (ops/cuda/policy.cuh: thrust::cuda::par_nosync on the calling thread's
///   stream). The ops it runs with its own CUDA code instead -- linear and head_linear (cuBLAS),
///   layer_norm and folded_attention (kernels) -- are explicit specialisations in ops/cuda/*.cuh,
///   which take precedence over the ones here (layer_norm is the one op in both).
/// - graphtx::thrust_omp (<graphtx/thrust_omp.hpp>: thrust::omp::par on the host's cores), which
///   runs the GPU's code path without a GPU; its GEMMs and folded_attention are the host's.
///
/// Each op's work split (one item per element, row, (node, head), ...) and why it is
/// deterministic is described with its Thrust code in ops/thrust/<op>.hpp.
///
/// A space that defines the trait must also provide, for the ops here that need them,
/// memory_resource<S> (scratch tensors: graph_layer_norm, embedding_sum) and copy_bytes<host, S>
/// (embedding_sum reads its bad-index flags back).

#include <cstdint>
#include <span>
#include <vector>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

#include <graphtx/ops/activation.hpp>
#include <graphtx/ops/attention_aggregate.hpp>
#include <graphtx/ops/attention_scores.hpp>
#include <graphtx/ops/batch_norm.hpp>
#include <graphtx/ops/beta_gate.hpp>
#include <graphtx/ops/bias_to_targets.hpp>
#include <graphtx/ops/concat_columns.hpp>
#include <graphtx/ops/elementwise.hpp>
#include <graphtx/ops/embedding_sum.hpp>
#include <graphtx/ops/gather_rows.hpp>
#include <graphtx/ops/gine_aggregate.hpp>
#include <graphtx/ops/graph_attention.hpp>
#include <graphtx/ops/graph_layer_norm.hpp>
#include <graphtx/ops/layer_norm.hpp>
#include <graphtx/ops/pooling.hpp>
#include <graphtx/ops/scatter_add.hpp>
#include <graphtx/ops/segment_softmax.hpp>
#include <graphtx/ops/segment_sum.hpp>

#include <graphtx/ops/thrust/activation.hpp>
#include <graphtx/ops/thrust/attention_aggregate.hpp>
#include <graphtx/ops/thrust/attention_scores.hpp>
#include <graphtx/ops/thrust/batch_norm.hpp>
#include <graphtx/ops/thrust/beta_gate.hpp>
#include <graphtx/ops/thrust/bias_to_targets.hpp>
#include <graphtx/ops/thrust/concat_columns.hpp>
#include <graphtx/ops/thrust/elementwise.hpp>
#include <graphtx/ops/thrust/embedding_sum.hpp>
#include <graphtx/ops/thrust/gather_rows.hpp>
#include <graphtx/ops/thrust/gine_aggregate.hpp>
#include <graphtx/ops/thrust/graph_attention.hpp>
#include <graphtx/ops/thrust/graph_layer_norm.hpp>
#include <graphtx/ops/thrust/layer_norm.hpp>
#include <graphtx/ops/thrust/pooling.hpp>
#include <graphtx/ops/thrust/scatter_add.hpp>
#include <graphtx/ops/thrust/segment_softmax.hpp>
#include <graphtx/ops/thrust/segment_sum.hpp>

namespace graphtx::ops::detail {

/// Specialised (enabled = true, `static auto policy()`: the Thrust execution policy of the calling
/// thread) by each space whose ops run the Thrust backend.
template <class Space>
struct thrust_system {
  static constexpr bool enabled = false;
};

template <class Space>
concept thrust_space = thrust_system<Space>::enabled;

/// An optional input ([0] or [0, 0] when absent) as the null pointer the Thrust code takes.
template <class T, int Rank, class Space>
T* data_or_null(TensorView<T, Rank, Space> v) {
  return v.empty() ? nullptr : v.data();
}

// ---- activations (elementwise over all N x F values) --------------------------------------------

template <thrust_space S>
struct relu_impl<S> {
  static void run(TensorView<float const, 2, S> x, TensorView<float, 2, S> y) {
    thrust_backend::relu(thrust_system<S>::policy(), x.data(), y.data(), x.size());
  }
};

template <thrust_space S>
struct gelu_impl<S> {
  static void run(TensorView<float const, 2, S> x, gelu_approximate approximate, TensorView<float, 2, S> y) {
    thrust_backend::gelu(thrust_system<S>::policy(), x.data(), y.data(), x.size(), approximate == gelu_approximate::tanh);
  }
};

template <thrust_space S>
struct elu_impl<S> {
  static void run(TensorView<float const, 2, S> x, float alpha, TensorView<float, 2, S> y) {
    thrust_backend::elu(thrust_system<S>::policy(), x.data(), y.data(), x.size(), alpha);
  }
};

template <thrust_space S>
struct leaky_relu_impl<S> {
  static void run(TensorView<float const, 2, S> x, float negative_slope, TensorView<float, 2, S> y) {
    thrust_backend::leaky_relu(thrust_system<S>::policy(), x.data(), y.data(), x.size(), negative_slope);
  }
};

template <thrust_space S>
struct silu_impl<S> {
  static void run(TensorView<float const, 2, S> x, TensorView<float, 2, S> y) {
    thrust_backend::silu(thrust_system<S>::policy(), x.data(), y.data(), x.size());
  }
};

template <thrust_space S>
struct sigmoid_impl<S> {
  static void run(TensorView<float const, 2, S> x, TensorView<float, 2, S> y) {
    thrust_backend::sigmoid(thrust_system<S>::policy(), x.data(), y.data(), x.size());
  }
};

template <thrust_space S>
struct tanh_impl<S> {
  static void run(TensorView<float const, 2, S> x, TensorView<float, 2, S> y) {
    thrust_backend::tanh_activation(thrust_system<S>::policy(), x.data(), y.data(), x.size());
  }
};

template <thrust_space S>
struct add_impl<S> {
  static void run(TensorView<float const, 2, S> a, TensorView<float const, 2, S> b, TensorView<float, 2, S> y) {
    thrust_backend::add(thrust_system<S>::policy(), a.data(), b.data(), y.data(), y.size());
  }
};

template <thrust_space S>
struct head_mean_impl<S> {
  static void run(TensorView<float const, 2, S> x, int heads, TensorView<float, 2, S> y) {
    thrust_backend::head_mean(thrust_system<S>::policy(), x.data(), y.extent(0), heads, y.extent(1), y.data());
  }
};

// ---- rows and columns ---------------------------------------------------------------------------

template <thrust_space S>
struct concat_columns_impl<S> {
  static void run(TensorView<float const, 2, S> x, index_t offset, TensorView<float, 2, S> y) {
    thrust_backend::concat_columns(thrust_system<S>::policy(), x.data(), x.extent(0), x.extent(1), y.data(),
                                   y.extent(1), offset);
  }
};

template <thrust_space S>
struct gather_rows_impl<S> {
  static void run(TensorView<float const, 2, S> src, TensorView<std::int32_t const, 1, S> rows,
                  TensorView<float, 2, S> dst) {
    thrust_backend::gather_rows(thrust_system<S>::policy(), src.data(), rows.data(), rows.extent(0), dst.extent(1),
                                dst.data());
  }
};

/// Two passes: each row's first bad index flagged in S, the flags read back on the host (N x 16
/// bytes: on the GPU the op's one synchronisation), the value_error if there is one, then the
/// gather.
template <thrust_space S>
struct embedding_sum_impl<S> {
  static void run(TensorView<std::int64_t const, 2, S> x, std::span<TensorView<float const, 2, S> const> tables,
                  TensorView<float, 2, S> out) {
    index_t const n = x.extent(0), k = x.extent(1);
    std::vector<index_t> rows(tables.size());
    std::vector<float const*> data(tables.size());
    for (std::size_t j = 0; j < tables.size(); ++j) {
      rows[j] = tables[j].extent(0);
      data[j] = tables[j].data();
    }
    Tensor<std::int64_t, 2, S> flags({n, 2});  // [N, 2]: each row's first bad column and index
    thrust_backend::embedding_sum_flag_rows(thrust_system<S>::policy(), x.data(), n, k, rows.data(), flags.data());
    auto const host_flags = to_space<host>(flags);
    auto const bad = thrust_backend::embedding_first_flagged(host_flags.data(), n, k);
    if (bad.position < n * k) {
      index_t const col = bad.position % k;
      throw embedding_index_error("embedding_sum", bad.position / k, col, bad.value, rows[static_cast<std::size_t>(col)]);
    }
    if (n == 0 || out.extent(1) == 0) return;
    thrust_backend::embedding_sum(thrust_system<S>::policy(), x.data(), n, k, data.data(), out.extent(1), out.data());
  }
};

// ---- normalisation ------------------------------------------------------------------------------

template <thrust_space S>
struct layer_norm_impl<S> {
  static void run(TensorView<float const, 2, S> x, TensorView<float const, 1, S> gamma,
                  TensorView<float const, 1, S> beta, float eps, TensorView<float, 2, S> y) {
    if (x.extent(0) == 0 || x.extent(1) == 0) return;
    thrust_backend::layer_norm(thrust_system<S>::policy(), x.data(), gamma.data(), beta.data(), eps, x.extent(0),
                               x.extent(1), y.data());
  }
};

template <thrust_space S>
struct batch_norm_impl<S> {
  static void run(TensorView<float const, 2, S> x, TensorView<float const, 1, S> running_mean,
                  TensorView<float const, 1, S> running_var, TensorView<float const, 1, S> weight,
                  TensorView<float const, 1, S> bias, float eps, TensorView<float, 2, S> y) {
    thrust_backend::batch_norm(thrust_system<S>::policy(), x.data(), running_mean.data(), running_var.data(),
                               data_or_null(weight), data_or_null(bias), eps, x.extent(0), x.extent(1), y.data());
  }
};

/// With a [G, 2] double scratch for the per-graph statistics (on the GPU a stream-ordered
/// allocation). The statistics pass is one item per graph: fine for batches of small graphs (the
/// seed batch: 512 graphs of ~14 nodes), slow on the GPU for a few very large graphs (batch =
/// None: one thread sums all N x C values).
template <thrust_space S>
struct graph_layer_norm_impl<S> {
  static void run(TensorView<float const, 2, S> x, TensorView<std::int32_t const, 1, S> ptr,
                  TensorView<float const, 1, S> weight, TensorView<float const, 1, S> bias, float eps,
                  graph_norm_eps where, TensorView<float, 2, S> y) {
    bool const batched = ptr.extent(0) != 0;
    index_t const graphs = batched ? ptr.extent(0) - 1 : 1;
    if (graphs == 0 || x.extent(0) == 0 || x.extent(1) == 0) return;
    Tensor<double, 1, S> stats({2 * graphs});  // [G, 2]
    thrust_backend::graph_layer_norm(thrust_system<S>::policy(), x.data(), batched ? ptr.data() : nullptr, graphs,
                                     x.extent(0), x.extent(1), data_or_null(weight), data_or_null(bias), eps,
                                     where == graph_norm_eps::added_to_std, stats.data(), y.data());
  }
};

// ---- edges and graphs ---------------------------------------------------------------------------

template <thrust_space S>
struct attention_scores_impl<S> {
  static void run(TensorView<float const, 2, S> q, TensorView<float const, 2, S> k, TensorView<float const, 2, S> edge_term,
                  TensorView<std::int32_t const, 1, S> offsets, TensorView<std::int32_t const, 1, S> sources, int heads,
                  TensorView<float, 2, S> logits) {
    thrust_backend::attention_scores(thrust_system<S>::policy(), q.data(), k.data(), data_or_null(edge_term),
                                     offsets.data(), sources.data(), q.extent(0), heads, q.extent(1) / heads,
                                     logits.data());
  }
};

template <thrust_space S>
struct segment_softmax_impl<S> {
  static void run(TensorView<float const, 2, S> logits, TensorView<std::int32_t const, 1, S> offsets,
                  TensorView<float, 2, S> alpha) {
    thrust_backend::segment_softmax(thrust_system<S>::policy(), logits.data(), offsets.data(), offsets.extent(0) - 1,
                                    logits.extent(1), alpha.data());
  }
};

template <thrust_space S>
struct attention_aggregate_impl<S> {
  static void run(TensorView<float const, 2, S> alpha, TensorView<float const, 2, S> v,
                  TensorView<float const, 2, S> edge_term, TensorView<std::int32_t const, 1, S> offsets,
                  TensorView<std::int32_t const, 1, S> sources, int heads, TensorView<float, 2, S> out) {
    thrust_backend::attention_aggregate(thrust_system<S>::policy(), alpha.data(), v.data(), data_or_null(edge_term),
                                        offsets.data(), sources.data(), out.extent(0), heads, out.extent(1) / heads,
                                        out.data());
  }
};

template <thrust_space S>
struct beta_gate_impl<S> {
  static void run(TensorView<float const, 2, S> out, TensorView<float const, 2, S> x_r, TensorView<float const, 2, S> w_beta,
                  TensorView<float, 2, S> y) {
    thrust_backend::beta_gate(thrust_system<S>::policy(), out.data(), x_r.data(), w_beta.data(), out.extent(0),
                              out.extent(1), y.data());
  }
};

template <thrust_space S>
struct add_bias_to_targets_impl<S> {
  static void run(TensorView<float const, 1, S> bias, TensorView<std::int32_t const, 1, S> offsets,
                  TensorView<float, 2, S> out) {
    thrust_backend::add_bias_to_targets(thrust_system<S>::policy(), bias.data(), offsets.data(), out.extent(0),
                                        out.extent(1), out.data());
  }
};

template <thrust_space S>
struct gine_aggregate_impl<S> {
  static void run(TensorView<float const, 2, S> x_src, TensorView<float const, 2, S> edge_attr,
                  TensorView<std::int32_t const, 1, S> offsets, TensorView<std::int32_t const, 1, S> sources,
                  TensorView<float const, 2, S> x_dst, float eps, TensorView<float, 2, S> out) {
    thrust_backend::gine_aggregate(thrust_system<S>::policy(), x_src.data(), edge_attr.data(), offsets.data(),
                                   sources.data(), x_dst.data(), eps, out.extent(0), out.extent(1), out.data());
  }
};

template <thrust_space S>
struct scatter_add_impl<S> {
  static void run(TensorView<float const, 2, S> values, TensorView<std::int32_t const, 1, S> index,
                  TensorView<float, 2, S> out) {
    thrust_backend::scatter_add(thrust_system<S>::policy(), values.data(), index.data(), values.extent(0), out.extent(1),
                                out.data());
  }
};

template <thrust_space S>
struct segment_sum_impl<S> {
  static void run(TensorView<float const, 2, S> values, TensorView<std::int32_t const, 1, S> offsets,
                  TensorView<float, 2, S> out) {
    thrust_backend::segment_sum(thrust_system<S>::policy(), values.data(), offsets.data(), out.extent(0), out.extent(1),
                                out.data());
  }
};

template <thrust_space S>
struct pool_impl<S> {
  static void run(pool_reduce reduce, TensorView<float const, 2, S> x, TensorView<std::int32_t const, 1, S> ptr,
                  TensorView<float, 2, S> out) {
    int const r = reduce == pool_reduce::sum ? 0 : reduce == pool_reduce::mean ? 1 : 2;
    thrust_backend::pool(thrust_system<S>::policy(), r, x.data(), ptr.data(), out.extent(0), out.extent(1), out.data());
  }
};

/// One item per (node, head), online softmax over its graph's nodes. On the GPU each thread reads
/// its graph's k and v rows for its head (d floats per row, strided by E), so neighbouring threads
/// (the heads of one node, then the next node) read neighbouring columns of the same rows: loads
/// partly coalesce and the graph's rows stay in L1/L2. Not a tuned kernel: a warp-per-(node,
/// head) or tiled [n_g, n_g] version would be faster for large graphs.
template <thrust_space S>
struct graph_attention_impl<S> {
  static void run(TensorView<float const, 2, S> q, TensorView<float const, 2, S> k, TensorView<float const, 2, S> v,
                  TensorView<std::int32_t const, 1, S> ptr, int heads, TensorView<float, 2, S> out) {
    thrust_backend::graph_attention(thrust_system<S>::policy(), q.data(), k.data(), v.data(), ptr.data(),
                                    ptr.extent(0) - 1, q.extent(0), q.extent(1), heads, out.data());
  }
};

}  // namespace graphtx::ops::detail
