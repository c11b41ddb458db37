#pragma once
/// \file
/// \brief nn::GPSConv: PyG's `GPSConv(channels, conv, heads, dropout=0, act, norm, attn_type=
/// 'multihead')` (Rampasek et al., "Recipe for a General, Powerful, Scalable Graph Transformer"),
/// eval mode, in PyG's order of operations (gps_conv.py):
///
///     h   = norm1(conv(x, edge_index, edge_attr) + x)          (skipped without a conv: Conv = void)
///     a   = norm2(attn(x)[mask] + x)                           (attention reads the layer input x)
///     out = h + a                                              (PyG: sum([h, a]); out = a without a conv)
///     out = norm3(out + mlp(out))
///     mlp = Sequential(Linear(C, 2C), act, Dropout, Linear(2C, C), Dropout)
///
/// attn is nn::MultiheadAttention (torch.nn.MultiheadAttention(C, heads, batch_first=True) over
/// each graph's nodes: to_dense_batch + key_padding_mask, computed per graph of g.ptr, never
/// O(N^2)). Norms: `batch_norm` is PyG's BatchNorm wrapper (keys norm1.module.*; called without
/// batch), `layer_norm` PyG's LayerNorm in graph mode (keys norm1.weight / norm1.bias) called with
/// batch, as PyG does when the norm's forward takes one (`norm_with_batch`); `none`: no norms.
/// Without a conv PyG still builds (and saves) norm1; it is never run. The conv takes its edge
/// features from g.edge_attr (PyG passes `edge_attr=edge_attr` through **kwargs).
///
/// **Example** (the GPS molecule layer):
/// \code
/// using Mlp = nn::Sequential<nn::Linear<nn::LinearConfig{.in = 16, .out = 16}>, nn::ReLU<>,
///                            nn::Linear<nn::LinearConfig{.in = 16, .out = 16}>>;
/// using Layer = nn::GPSConv<nn::GINEConv<Mlp>, nn::GpsConfig{.channels = 16, .heads = 2}>;
/// using AttentionOnly = nn::GPSConv<void, nn::GpsConfig{.channels = 16, .heads = 2}>;   // conv=None
/// \endcode
///
/// DeepSpeed's counts: the children's (conv, attn as nn::MultiheadAttention documents: its F.linear
/// calls of torch's slow path, mlp's Linears and activation, the norms'); the residual `+`,
/// dropout, to_dense_batch and `[mask]` count nothing. The tree: `GPSConv` with children conv,
/// attn, mlp, norm1, norm2, norm3 in PyTorch's order, printed with torch's default repr (PyG's
/// GPSConv.__repr__ is `GPSConv(C, conv=..., heads=H, attn_type=multihead)` as one string; graphtx
/// prints the same children as a tree, with their stats).

#include <string>
#include <type_traits>
#include <utility>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/batch_norm.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/dropout.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/graph_layer_norm.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/multihead_attention.hpp>
#include <graphtx/ops/elementwise.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

/// GPSConv's `norm` argument.
enum class gps_norm {
  batch_norm,  ///< 'batch_norm' (PyG's default): torch_geometric.nn.BatchNorm, keys normK.module.*
  layer_norm,  ///< 'layer_norm': torch_geometric.nn.LayerNorm(C) (mode 'graph'), called with batch
  none,        ///< None: no norms
};
/// GPSConv's `act` argument (the mlp's activation): torch.nn.ReLU() or torch.nn.GELU() (erf form).
enum class gps_act { relu, gelu };

/// `GPSConv(channels, conv, heads=heads, dropout=dropout, act=act, norm=norm)`.
struct GpsConfig {
  int channels = 0;                    ///< C
  int heads = 1;                       ///< attention heads (C must be a multiple)
  gps_norm norm = gps_norm::batch_norm;
  gps_act act = gps_act::relu;
  float dropout = 0.0f;  ///< kept for the profile report (the mlp's Dropout(p)); identity in eval
};

namespace detail {
/// What GPSConv holds for a missing conv (conv=None) or norm (norm=None).
struct gps_none {};

template <class Conv, class Space>
struct gps_conv_of {
  using type = typename Conv::template rebind<Space>;
};
template <class Space>
struct gps_conv_of<void, Space> {
  using type = gps_none;
};
template <class Conv, class S>
struct gps_rebind_conv {
  using type = typename Conv::template rebind<S>;
};
template <class S>
struct gps_rebind_conv<void, S> {
  using type = void;
};

template <GpsConfig Config, class Space>
struct gps_norm_of;
template <GpsConfig Config, class Space>
  requires(Config.norm == gps_norm::batch_norm)
struct gps_norm_of<Config, Space> {
  using type = PygBatchNorm<BatchNormConfig{.features = Config.channels}, Space>;
};
template <GpsConfig Config, class Space>
  requires(Config.norm == gps_norm::layer_norm)
struct gps_norm_of<Config, Space> {
  using type = PygLayerNorm<PygLayerNormConfig{.features = Config.channels, .batch = true}, Space>;
};
template <GpsConfig Config, class Space>
  requires(Config.norm == gps_norm::none)
struct gps_norm_of<Config, Space> {
  using type = gps_none;
};

template <GpsConfig Config, class Space>
struct gps_act_of {
  using type = std::conditional_t<Config.act == gps_act::gelu, GELU<gelu_approximate::none, Space>, ReLU<Space>>;
};
}  // namespace detail

template <class Conv, GpsConfig Config, class Space = host>
class GPSConv {
  static_assert(Config.channels > 0, "nn::GPSConv: .channels must be positive");
  static_assert(Config.heads > 0 && Config.channels % Config.heads == 0,
                "nn::GPSConv: .channels must be a multiple of .heads (torch's MultiheadAttention)");

 public:
  static constexpr GpsConfig config = Config;
  static constexpr int C = Config.channels;
  static constexpr bool has_conv = !std::is_void_v<Conv>;
  static constexpr bool has_norm = Config.norm != gps_norm::none;

  using conv_type = typename detail::gps_conv_of<Conv, Space>::type;
  using attn_type = MultiheadAttention<MhaConfig{.embed_dim = C, .heads = Config.heads}, Space>;
  using act_type = typename detail::gps_act_of<Config, Space>::type;
  using mlp_type = Sequential<Linear<LinearConfig{.in = C, .out = 2 * C}, Space>, act_type,
                              Dropout<DropoutConfig{.p = Config.dropout}, Space>,
                              Linear<LinearConfig{.in = 2 * C, .out = C}, Space>,
                              Dropout<DropoutConfig{.p = Config.dropout}, Space>>;
  using norm_type = typename detail::gps_norm_of<Config, Space>::type;

  using space = Space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = GPSConv<typename detail::gps_rebind_conv<Conv, S>::type, Config, S>;
  static constexpr int in_width = C;
  static constexpr int out_width = C;

 private:
  static constexpr index_t conv_params() {
    if constexpr (has_conv) {
      return conv_type::parameter_count;
    } else {
      return 0;
    }
  }
  static constexpr index_t norm_params() {
    if constexpr (has_norm) {
      return norm_type::parameter_count;
    } else {
      return 0;
    }
  }

 public:
  static constexpr index_t parameter_count =
      conv_params() + attn_type::parameter_count + mlp_type::parameter_count + 3 * norm_params();

  [[no_unique_address]] conv_type conv;
  attn_type attn;
  mlp_type mlp;
  [[no_unique_address]] norm_type norm1;
  [[no_unique_address]] norm_type norm2;
  [[no_unique_address]] norm_type norm3;

  /// x [N, C] -> [N, C]; g: the batch's CSR, edge_attr (for the conv), batch and ptr (attention,
  /// graph-mode LayerNorm).
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& g,
                                  profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    check_extent("GPSConv", "x (node features, channels)", 1, x.extent(1), C);
    if constexpr (has_conv) {
      static_assert(conv_type::in_width == C || conv_type::in_width == any_width,
                    "nn::GPSConv: the conv's input width must be .channels");
      static_assert(width_after<conv_type>(C) == C, "nn::GPSConv: the conv's output width must be .channels");
      Tensor<float, 2, Space> h = conv.forward(x, g, probe.child("conv"));  // [N, C]
      ops::add(h.cview(), x, h.view());                                    // h = h + x
      h = normed(norm1, std::move(h), g, probe, "norm1");
      Tensor<float, 2, Space> a = attention(x, g, probe);
      ops::add(h.cview(), a.cview(), h.view());  // out = h + a
      return finish(std::move(h), g, probe);
    } else {
      return finish(attention(x, g, probe), g, probe);
    }
  }

  static void add_counts(profile::Module& node, FlowShape s) {
    s.width = C;
    if constexpr (has_conv) {
      conv_type::add_counts(node.at("conv"), s);
      if constexpr (has_norm) norm_type::add_counts(node.at("norm1"), s);
    }
    attn_type::add_counts(node.at("attn"), s);
    mlp_type::add_counts(node.at("mlp"), s);
    if constexpr (has_norm) {
      norm_type::add_counts(node.at("norm2"), s);
      norm_type::add_counts(node.at("norm3"), s);
    }
  }
  static profile::Module profile_module() {
    profile::Module m = profile::Module::leaf("GPSConv", "", 0);
    if constexpr (has_conv) m.add("conv", conv_type::profile_module());
    m.add("attn", attn_type::profile_module());
    m.add("mlp", mlp_type::profile_module());
    if constexpr (has_norm) {
      m.add("norm1", norm_type::profile_module());
      m.add("norm2", norm_type::profile_module());
      m.add("norm3", norm_type::profile_module());
    }
    return m;
  }

  /// conv.*, attn.*, mlp.*, norm1..3.* (PyTorch's registration order).
  template <class V>
  void visit(V& v) {
    if constexpr (has_conv) v.child("conv", conv);
    v.child("attn", attn);
    v.child("mlp", mlp);
    if constexpr (has_norm) {
      v.child("norm1", norm1);
      v.child("norm2", norm2);
      v.child("norm3", norm3);
    }
  }

 private:
  // norm(t) (in place where the norm can), or t when there are no norms.
  static Tensor<float, 2, Space> normed(norm_type const& norm, Tensor<float, 2, Space> t, GraphContext<Space> const& g,
                                        profile::Probe probe, char const* name) {
    if constexpr (has_norm) {
      return run_owned(norm, std::move(t), g, probe.child(name));
    } else {
      (void)norm;
      (void)g;
      (void)probe;
      (void)name;
      return t;
    }
  }
  // norm2(attn(x) + x)
  Tensor<float, 2, Space> attention(TensorView<float const, 2, Space> x, GraphContext<Space> const& g,
                                    profile::Probe probe) const {
    Tensor<float, 2, Space> a = attn.forward(x, g, probe.child("attn"));  // [N, C]
    ops::add(a.cview(), x, a.view());                                     // a = a + x
    return normed(norm2, std::move(a), g, probe, "norm2");
  }
  // norm3(out + mlp(out))
  Tensor<float, 2, Space> finish(Tensor<float, 2, Space> out, GraphContext<Space> const& g, profile::Probe probe) const {
    Tensor<float, 2, Space> m = mlp.forward(out.cview(), g, probe.child("mlp"));
    ops::add(out.cview(), m.cview(), out.view());  // out = out + mlp(out)
    return normed(norm3, std::move(out), g, probe, "norm3");
  }
};

}  // namespace graphtx::nn
