#pragma once
/// \file
/// \brief Graph readouts as modules: PyG's global_add_pool, global_mean_pool and global_max_pool
/// (functions in PyG: use them as `nn::Apply<nn::GlobalMeanPool<>>`, or as a Sequential entry).
/// They turn node rows [N, F] into graph rows [G, F] over the batch's `ptr`; an empty graph gives
/// 0 for every reduction, as PyG. DeepSpeed counts nothing for them (torch_scatter is not patched).

#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/ops/pooling.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

template <ops::pool_reduce Reduce, class Space = host>
struct GlobalPool {
  using space = Space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = GlobalPool<Reduce, S>;
  static constexpr int in_width = any_width;
  static constexpr int out_width = any_width;
  static constexpr index_t parameter_count = 0;

  /// x: [N, F] -> [G, F] (G = g.num_graphs; graph g owns rows g.ptr[g] .. g.ptr[g+1]-1).
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& g,
                                  profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    check_extent(name(), "ptr (G + 1 entries)", 0, g.ptr.extent(0), g.num_graphs + 1);
    Tensor<float, 2, Space> out({g.num_graphs, x.extent(1)});  // [G, F]
    if constexpr (Reduce == ops::pool_reduce::sum) {
      ops::global_add_pool(x, g.ptr, out.view());
    } else if constexpr (Reduce == ops::pool_reduce::mean) {
      ops::global_mean_pool(x, g.ptr, out.view());
    } else {
      ops::global_max_pool(x, g.ptr, out.view());
    }
    return out;
  }
  static constexpr FlowShape out_shape(FlowShape s) {
    s.rows = s.graphs;
    return s;
  }
  static void add_counts(profile::Module& /*node*/, FlowShape /*s*/) {}
  static profile::Module profile_module() { return profile::Module::leaf(name(), "", 0); }
  template <class V>
  void visit(V& /*v*/) {}

  static constexpr char const* name() {
    return Reduce == ops::pool_reduce::sum ? "global_add_pool"
           : Reduce == ops::pool_reduce::mean ? "global_mean_pool"
                                              : "global_max_pool";
  }
};

template <class Space = host>
using GlobalAddPool = GlobalPool<ops::pool_reduce::sum, Space>;
template <class Space = host>
using GlobalMeanPool = GlobalPool<ops::pool_reduce::mean, Space>;
template <class Space = host>
using GlobalMaxPool = GlobalPool<ops::pool_reduce::max, Space>;

}  // namespace graphtx::nn
