#pragma once
/// \file
/// \brief nn::PygLayerNorm: PyG's torch_geometric.nn.LayerNorm(in_channels, eps, affine, mode) —
/// not torch.nn.LayerNorm (that is nn::LayerNorm). PyG's MLP(norm="layer_norm") and
/// GPSConv(norm="layer_norm") build this class.
///
/// | mode | PyG's forward | graphtx |
/// |---|---|---|
/// | graph, called with `batch` | per graph, over all its nodes and channels: (x - mean_g) / sqrt(var_g + eps) | ops::graph_layer_norm over g.ptr |
/// | graph, called without `batch` | the whole tensor as one graph: (x - mean) / (std + eps), eps on the STD | ops::graph_layer_norm_unbatched |
/// | node | F.layer_norm per row: (x - mean_i) / sqrt(var_i + eps) | ops::layer_norm |
///
/// then `* weight + bias` when affine. Which graph-mode branch PyG runs depends on the CALL, not on
/// the module, so it is a configuration choice here: `.batch` says whether PyG's forward receives
/// `batch` (GPSConv passes it: `.batch = true`; torch_geometric.nn.MLP with norm="layer_norm"
/// calls `norm(x)` unless its own forward is given `batch`: `.batch = false`).
///
/// \code
/// constexpr graphtx::nn::PygLayerNormConfig ln{.features = 64};                 // mode graph, with batch
/// constexpr graphtx::nn::PygLayerNormConfig mlp_ln{.features = 64, .batch = false};  // MLP's norm(x)
/// constexpr graphtx::nn::PygLayerNormConfig per_node{.features = 64, .mode = graphtx::nn::pyg_norm_mode::node};
/// \endcode
///
/// DeepSpeed: graph mode is scatter/mean/std arithmetic that calls no patched functional (PyG
/// computes it with torch_scatter, `*`, `-`, `/`, `.sqrt()` and `x.std()`), so it counts 0; node
/// mode calls F.layer_norm: 5 flops per element (4 without affine).

#include <string>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/init.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/ops/graph_layer_norm.hpp>
#include <graphtx/ops/layer_norm.hpp>
#include <graphtx/profile/op_counts.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

/// PyG LayerNorm's `mode`.
enum class pyg_norm_mode {
  graph,  ///< each graph is one element (PyG's default)
  node,   ///< each node (row) is one element: F.layer_norm
};

/// `torch_geometric.nn.LayerNorm(features, eps, affine, mode)` and how PyG's forward is called.
struct PygLayerNormConfig {
  int features = 0;                          ///< in_channels
  float eps = 1e-5f;                         ///< PyG's default 1e-5 (float32 arithmetic, as torch's)
  bool affine = true;                        ///< weight and bias [features]
  pyg_norm_mode mode = pyg_norm_mode::graph;
  /// Mode graph only: whether PyG's forward receives `batch`. true: per-graph statistics over the
  /// batch's graphs (eps inside the sqrt; GPSConv). false: `norm(x)`, all rows one graph, eps
  /// added to the standard deviation (MLP(norm="layer_norm") called without batch).
  bool batch = true;

  constexpr index_t parameter_count() const { return affine ? 2 * index_t{features} : 0; }
};

template <PygLayerNormConfig Config, class Space = host>
class PygLayerNorm {
  static_assert(Config.features > 0, "nn::PygLayerNorm: .features must be positive; set it in the PygLayerNormConfig");
  static_assert(Config.eps > 0.0f, "nn::PygLayerNorm: .eps must be positive (PyG's default is 1e-5)");

 public:
  static constexpr PygLayerNormConfig config = Config;
  using space = Space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = PygLayerNorm<Config, S>;
  static constexpr int in_width = Config.features;
  static constexpr int out_width = Config.features;
  static constexpr index_t parameter_count = Config.parameter_count();

  static constexpr extents_t<1> shape{Config.features};                            // [C]
  static constexpr extents_t<1> affine_shape{Config.affine ? Config.features : 0};  // [C] or [0]

  Tensor<float, 1, Space> weight = filled(affine_shape, 1.0f);  // PyG's init: ones
  Tensor<float, 1, Space> bias = filled(affine_shape, 0.0f);    // zeros

  /// x: [N, C] -> [N, C]. Mode graph with batch uses g.ptr (G + 1 entries) and needs x's rows to
  /// be the batch's nodes.
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& g,
                                  profile::Probe probe = {}) const {
    Tensor<float, 2, Space> y(x.extents());
    apply(x, g, y.view(), probe);
    return y;
  }
  void forward_in_place(TensorView<float, 2, Space> x, GraphContext<Space> const& g, profile::Probe probe = {}) const {
    apply(x, g, x, probe);
  }
  /// y = LayerNorm(x); y may be x. Throws shape_error for another width than C, and (mode graph
  /// with batch) for a context without ptr or rows other than its nodes.
  void apply(TensorView<float const, 2, Space> x, GraphContext<Space> const& g, TensorView<float, 2, Space> y,
             profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    check_extent("LayerNorm (PyG)", "x (features, .features)", 1, x.extent(1), Config.features);
    if constexpr (Config.mode == pyg_norm_mode::node) {
      probe.count(profile::layer_norm_counts(x.size(), Config.affine));
      if constexpr (Config.affine) {
        ops::layer_norm(x, weight.cview(), bias.cview(), Config.eps, y);
      } else {
        // F.layer_norm without weights: ops::layer_norm with weight 1 and bias 0 gives the same values.
        ops::layer_norm(x, unit_weight_.cview(), zero_bias_.cview(), Config.eps, y);
      }
    } else if constexpr (Config.batch) {
      if (g.ptr.extent(0) != g.num_graphs + 1 || g.ptr.extent(0) == 0) {
        throw shape_error(graphtx::detail::cat(
            "LayerNorm (PyG, mode graph, with batch): needs the batch's ptr with G + 1 = ", g.num_graphs + 1,
            " entries, got ", g.ptr.extent(0), " (for PyG's norm(x) without batch use .batch = false)"));
      }
      if (g.csr != nullptr) {
        check_extent("LayerNorm (PyG, mode graph, with batch)", "x (rows = the batch's nodes)", 0, x.extent(0),
                     g.num_nodes());
      }
      ops::graph_layer_norm(x, g.ptr, weight.cview(), bias.cview(), Config.eps, y);
    } else {
      ops::graph_layer_norm_unbatched(x, weight.cview(), bias.cview(), Config.eps, y);
    }
  }

  /// Node mode: F.layer_norm's 5 flops per element (4 without affine). Graph mode: 0 (no patched call).
  static void add_counts(profile::Module& node, FlowShape s) {
    if constexpr (Config.mode == pyg_norm_mode::node) {
      node.own += profile::layer_norm_counts(s.rows * Config.features, Config.affine);
    }
  }
  /// PyG's LayerNorm overrides __repr__: "LayerNorm(6, affine=True, mode=graph)".
  static profile::Module profile_module() {
    profile::Module m = profile::Module::leaf("LayerNorm", "", parameter_count);
    m.repr = graphtx::detail::cat("LayerNorm(", Config.features, ", affine=", Config.affine ? "True" : "False",
                                  ", mode=", Config.mode == pyg_norm_mode::graph ? "graph" : "node", ")");
    return m;
  }

  /// `weight` and `bias` [C] when affine; init ones and zeros (PyG's reset_parameters).
  template <class V>
  void visit(V& v) {
    if constexpr (Config.affine) {
      v.param("weight", weight, Init::ones());
      v.param("bias", bias, Init::zeros());
    }
  }

 private:
  // Node mode without affine: the weight 1 and bias 0 that ops::layer_norm takes (not state).
  static constexpr extents_t<1> unit_shape{Config.mode == pyg_norm_mode::node && !Config.affine ? Config.features : 0};
  Tensor<float, 1, Space> unit_weight_ = filled(unit_shape, 1.0f);
  Tensor<float, 1, Space> zero_bias_ = filled(unit_shape, 0.0f);

  static Tensor<float, 1, Space> filled(extents_t<1> e, float value) {
    return to_space<Space>(Tensor<float, 1, host>::filled(e, value));
  }
};

}  // namespace graphtx::nn
