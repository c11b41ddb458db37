#pragma once
/// \file
/// \brief nn::GINEConv: PyG's `GINEConv(nn, eps, train_eps, edge_dim)` (Hu et al., "Strategies for
/// Pre-training Graph Neural Networks"), eval mode:
///
///     x'_i = nn( sum over in-edges (j -> i) of relu(x_j + e_ji)  +  (1 + eps) * x_i )
///     e = lin(edge_attr)   when edge_dim is set (lin: [C, D] PyG Linear), edge_attr itself otherwise
///
/// in PyG's order of operations (gin_conv.py: `out = self.propagate(...)`, then `out = out + (1 +
/// self.eps) * x_r`, then `self.nn(out)`; the message is `(x_j + edge_attr).relu()`), computed by
/// ops::gine_aggregate (fused root term) in CSR order, which sums each destination's edges in the
/// user's edge order as PyG's scatter-add does.
///
/// **Example**:
/// \code
/// using Mlp = nn::Sequential<nn::Linear<nn::LinearConfig{.in = 16, .out = 16}>, nn::ReLU<>,
///                            nn::Linear<nn::LinearConfig{.in = 16, .out = 16}>>;
/// using Conv = nn::GINEConv<Mlp>;                                          // eps a buffer (0), no lin
/// using Trained = nn::GINEConv<Mlp, nn::GineConfig{.edge_dim = 3, .train_eps = true}>;
/// \endcode
///
/// state_dict (PyTorch's order: own tensors, then children): `eps` [1] (always: a Parameter with
/// train_eps, a buffer without), `nn.*` (the inner module's keys, e.g. nn.0.weight), `lin.weight`
/// [C, D] and `lin.bias` [C] (edge_dim only). Only with train_eps is eps a parameter (PyG's
/// `parameters()` holds it then, so DeepSpeed counts it): parameter_count says so. The value is
/// loaded either way; a host copy of it (the op takes eps as a float) is refreshed in prepare().
///
/// Edge features: g.edge_attr [E, D] in CSR order (an nn::OnEdges encoder before the conv
/// replaces it). Without lin D must equal C (PyG raises "Node and edge feature dimensionalities do
/// not match"); with lin D must equal edge_dim. A batch without edges needs no edge_attr.
///
/// DeepSpeed's counts: lin's F.linear over E rows (E x D x C MACs) on the `lin` node, and the inner
/// module's own counts on `nn`. The message's `.relu()` is a Tensor method (not the patched F.relu)
/// and the sums are `+`: nothing. The tree is `GINEConv` with children `nn` and `lin`, printed
/// with torch's default repr (PyG's GINEConv.__repr__, `GINEConv(nn=...)`, would embed the
/// children's stats in one string; graphtx prints the same children as a tree instead). As for
/// TransformerConv, the MessagePassing `aggr_module` (SumAggregation, no parameters, no counts)
/// is not in the tree.

#include <cmath>
#include <string>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/init.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/ops/gine_aggregate.hpp>
#include <graphtx/profile/format.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

/// `GINEConv(nn, eps=eps, train_eps=train_eps, edge_dim=edge_dim or None)`.
struct GineConfig {
  int edge_dim = 0;        ///< D of edge_attr projected by `lin` to C; 0: no lin (edge_attr must be [E, C])
  bool train_eps = false;  ///< eps is a Parameter (counted in parameter_count) rather than a buffer
  float eps = 0.0f;        ///< PyG's initial eps: the value of a default-built or random conv (a load overrides it)
};

namespace detail {
/// The member a GINEConv without edge_dim has in place of `lin`.
struct no_lin {};
}  // namespace detail

template <class Nn, GineConfig Config = GineConfig{}, class Space = host>
class GINEConv {
 public:
  using nn_type = typename Nn::template rebind<Space>;
  static_assert(Layer<nn_type>, "nn::GINEConv: the inner module (1st template argument) must be an nn::Layer");
  static_assert(Nn::in_width > 0,
                "nn::GINEConv: the inner module must have a fixed input width (its first layer's in): it is the "
                "conv's channel count C");
  static_assert(std::is_same_v<typename Nn::input_type, float>, "nn::GINEConv: the inner module must take float features");
  static_assert(Config.edge_dim >= 0, "nn::GINEConv: .edge_dim must be >= 0 (0 means no lin)");

  static constexpr GineConfig config = Config;
  static constexpr int channels = Nn::in_width;  ///< C
  static constexpr bool has_lin = Config.edge_dim > 0;
  static constexpr LinearConfig lin_config{Config.edge_dim, channels, true};
  using lin_type = std::conditional_t<has_lin, Linear<LinearConfig{has_lin ? Config.edge_dim : 0, channels, true}, Space>,
                                      detail::no_lin>;

  using space = Space;
  using input_type = float;
  using output_type = typename nn_type::output_type;
  template <class S>
  using rebind = GINEConv<typename Nn::template rebind<S>, Config, S>;
  static constexpr int in_width = channels;
  static constexpr int out_width = width_after<nn_type>(channels);
  static constexpr index_t parameter_count =
      nn_type::parameter_count + (has_lin ? lin_config.parameter_count() : 0) + (Config.train_eps ? 1 : 0);

  nn_type nn;
  [[no_unique_address]] lin_type lin;
  Tensor<float, 1, Space> eps = initial_eps();  ///< [1], PyG's `eps` (Parameter or buffer)

  GINEConv() = default;

  /// x [N, C] -> nn(agg + (1 + eps) x) [N, out_width]; edge features from g.edge_attr (CSR order).
  Tensor<output_type, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& g,
                                        profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    check_extent("GINEConv", "x (node features, C = the inner module's in)", 1, x.extent(1), channels);
    if (g.csr == nullptr) throw shape_error("GINEConv: the GraphContext has no graph (csr is null)");
    index_t const n = x.extent(0);
    check_extent("GINEConv", "x (rows = the graph's nodes)", 0, n, g.num_nodes());
    index_t const e = g.num_edges();

    TensorView<float const, 2, Space> edge = g.edge_attr;
    Tensor<float, 2, Space> projected;  // [E, C]: lin(edge_attr)
    if (e == 0) {
      edge = TensorView<float const, 2, Space>(nullptr, extents_t<2>{0, channels});  // no edges: no features needed
    } else {
      if (g.edge_attr.extent(0) != e) {
        throw shape_error(graphtx::detail::cat("GINEConv: needs edge features (edge_attr [E, ",
                                               has_lin ? Config.edge_dim : channels, "] for E = ", e,
                                               " edges); the batch has ", g.edge_attr.extent(0), " rows"));
      }
      if constexpr (has_lin) {
        check_extent("GINEConv", "edge_attr (D = edge_dim)", 1, g.edge_attr.extent(1), Config.edge_dim);
        projected = lin(g.edge_attr, probe.child("lin"));  // [E, C]
        edge = projected.cview();
      } else {
        if (g.edge_attr.extent(1) != channels) {
          throw shape_error(graphtx::detail::cat(
              "GINEConv: edge_attr has extent ", g.edge_attr.extent(1), " in dim 1, expected ", channels,
              " (node and edge feature dimensionalities must match without edge_dim; set GineConfig::edge_dim)"));
        }
      }
    }
    Tensor<float, 2, Space> h({n, channels});  // [N, C]
    ops::gine_aggregate(x, edge, g.csr->offsets.cview(), g.csr->sources.cview(), x, eps_host_, h.view());
    return nn.forward(h.cview(), g, probe.child("nn"));
  }

  /// The value of eps the forward uses (host copy of the [1] tensor).
  float eps_value() const { return eps_host_; }

  /// Refreshes the host copy of eps (after load, init or copy).
  void prepare() {
    check_extent("GINEConv", "eps", 0, eps.extent(0), 1);
    eps_host_ = to_space<host>(eps.cview())(0);
  }

  static void add_counts(profile::Module& node, FlowShape s) {
    if constexpr (has_lin) node.at("lin").own += profile::linear_counts(s.edges, Config.edge_dim, channels);
    FlowShape inner = s;
    inner.width = channels;
    nn_type::add_counts(node.at("nn"), inner);
  }
  /// DeepSpeed's tree: GINEConv (own parameter: eps with train_eps) with `nn` and `lin`.
  static profile::Module profile_module() {
    profile::Module m = profile::Module::leaf("GINEConv", "", Config.train_eps ? 1 : 0);
    m.add("nn", nn_type::profile_module());
    if constexpr (has_lin) {
      profile::Module l = lin_type::profile_module();
      l.repr = graphtx::detail::cat("Linear(", Config.edge_dim, ", ", channels, ", bias=True)");  // PyG's Linear
      m.add("lin", std::move(l));
    }
    return m;
  }

  /// `eps`, `nn.*`, `lin.*` (PyTorch's state_dict order: own tensors first, then children).
  template <class V>
  void visit(V& v) {
    if constexpr (Config.train_eps) {
      v.param("eps", eps, Init::keep());  // PyG's reset_parameters fills the initial eps: the default-built value
    } else {
      v.buffer("eps", eps);
    }
    v.child("nn", nn);
    if constexpr (has_lin) v.child("lin", lin);
  }

 private:
  static Tensor<float, 1, Space> initial_eps() {
    return to_space<Space>(Tensor<float, 1, host>::filled(extents_t<1>{1}, Config.eps));
  }
  float eps_host_ = Config.eps;
};

}  // namespace graphtx::nn
