#pragma once
/// \file
/// \brief nn::MLP: torch_geometric.nn.MLP(channel_list, act, norm, plain_last) at inference.
///
///     for i in 0 .. L-2 (every layer when plain_last=False):
///         x = lins[i](x); x = norms[i](x); x = act(x); x = F.dropout(x)   # dropout: identity in eval
///     x = lins[L-1](x)                                                    # plain_last=True
///
/// \code
/// constexpr graphtx::nn::MlpConfig cfg{.channels = {6, 12, 12, 3}};      // norm batch_norm, act relu
/// using Mlp = graphtx::nn::MLP<cfg>;                                      // keys lins.{i}.*, norms.{i}.module.*
/// constexpr graphtx::nn::MlpConfig ln{.channels = {6, 8, 2}, .norm = graphtx::nn::mlp_norm::layer_norm,
///                                     .act = graphtx::nn::mlp_act::gelu};  // norms.{i}.weight/bias
/// \endcode
///
/// PyG's attributes, in its registration order (DeepSpeed's tree): `act` (the activation module,
/// torch.nn.ReLU / GELU ...: one module called after every hidden layer, so its node counts every
/// call), `lins` (ModuleList of PyG Linear), `norms` (ModuleList of PyG BatchNorm, PyG LayerNorm or
/// torch.nn.Identity for norm=None). MLP overrides __repr__: "MLP(6, 12, 12, 3)".
///
/// norm="layer_norm" is PyG's LayerNorm in graph mode. PyG's MLP passes `batch` to it only when
/// its own forward is given one; GPS-style models call `mlp(x)`, so `.norm_batch = false` (the
/// default) normalises all rows as one graph ((x - mean) / (std + eps)); `.norm_batch = true` is
/// `mlp(x, batch, batch_size)`: per graph over the batch's ptr.
///
/// Written as an nn::Module composition; its Forward spells PyG's loop out with the steps
/// `CallItem<"lins", i>` (item i of a list field), `CallItem<"norms", i>` and `Call<"act">`.

#include <array>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

#include <graphtx/core/config.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/batch_norm.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/graph_layer_norm.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/profile/module.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

/// torch.nn.Identity: the input unchanged (PyG MLP's norms for norm=None). No parameters, no counts.
template <class Space = host>
struct Identity {
  using space = Space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = Identity<S>;
  static constexpr int in_width = any_width;
  static constexpr int out_width = any_width;
  static constexpr index_t parameter_count = 0;

  /// A copy (forward returns a tensor of its own).          x: [rows, F] -> [rows, F]
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& /*g*/,
                                  profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    Tensor<float, 2, Space> y(x.extents());
    deep_copy<float, 2, Space, Space>(y.view(), x);
    return y;
  }
  void forward_in_place(TensorView<float, 2, Space> /*x*/, GraphContext<Space> const& /*g*/,
                        profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
  }
  static void add_counts(profile::Module& /*node*/, FlowShape /*s*/) {}
  static profile::Module profile_module() { return profile::Module::leaf("Identity", "", 0); }
  template <class V>
  void visit(V& /*v*/) {}
};

/// torch_geometric.nn.Linear (dense): torch.nn.Linear's numbers and keys, PyG's __repr__
/// "Linear(6, 12, bias=True)" in DeepSpeed's tree.
template <LinearConfig Config, class Space = host>
struct PygLinear : Linear<Config, Space> {
  template <class S>
  using rebind = PygLinear<Config, S>;
  static profile::Module profile_module() {
    profile::Module m = Linear<Config, Space>::profile_module();
    m.repr = graphtx::detail::cat("Linear(", Config.in, ", ", Config.out, ", bias=", Config.bias ? "True" : "False", ")");
    return m;
  }
};

/// A Forward step: run item I of the list field `Name` (`self.lins[I](x)`).
template <fixed_string Name, std::size_t I>
struct CallItem {
  template <class S>
  using rebind = CallItem<Name, I>;
  template <class Storage>
  using plan = detail::type_list<detail::field_item_ref<Storage::template index_of<Name>(), I>>;
};

/// PyG MLP's `norm`.
enum class mlp_norm {
  batch_norm,  ///< torch_geometric.nn.BatchNorm (keys norms.{i}.module.*); PyG's default
  layer_norm,  ///< torch_geometric.nn.LayerNorm, graph mode (keys norms.{i}.weight/bias)
  none,        ///< torch.nn.Identity
};
/// PyG MLP's `act` (activation_resolver's torch.nn modules, default arguments).
enum class mlp_act { relu, gelu, gelu_tanh, silu, elu, leaky_relu, tanh, sigmoid };

/// `torch_geometric.nn.MLP(channel_list, act, norm, plain_last, bias)`; dropout is the identity at
/// inference and act_first=False. `channels` lists up to 8 widths; the list ends at the first 0.
struct MlpConfig {
  std::array<int, 8> channels{};  ///< channel_list: in, hidden..., out (at least 2 entries)
  mlp_norm norm = mlp_norm::batch_norm;
  mlp_act act = mlp_act::relu;
  bool plain_last = true;  ///< no norm and act after the last Linear
  bool bias = true;        ///< every Linear has a bias
  bool norm_batch = false; ///< layer_norm: PyG's forward is given `batch` (per-graph statistics)
  float eps = 1e-5f;       ///< the norms' eps (PyG's default)

  constexpr int count() const {
    int n = 0;
    while (n < static_cast<int>(channels.size()) && channels[static_cast<std::size_t>(n)] > 0) ++n;
    return n;
  }
  constexpr int num_layers() const { return count() - 1; }
  constexpr int num_norms() const { return plain_last ? num_layers() - 1 : num_layers(); }
  constexpr int in() const { return channels[0]; }
  constexpr int out() const { return channels[static_cast<std::size_t>(count() - 1)]; }
  constexpr LinearConfig lin(std::size_t i) const { return {channels[i], channels[i + 1], bias}; }
  constexpr index_t parameter_count() const {
    index_t n = 0;
    for (int i = 0; i < num_layers(); ++i) n += lin(static_cast<std::size_t>(i)).parameter_count();
    if (norm != mlp_norm::none) {
      for (int i = 0; i < num_norms(); ++i) n += 2 * index_t{channels[static_cast<std::size_t>(i + 1)]};
    }
    return n;
  }
};

template <MlpConfig Config, class Space = host>
struct MLP;

namespace detail {

template <mlp_act A, class Space>
struct mlp_act_module;
template <class Space>
struct mlp_act_module<mlp_act::relu, Space> {
  using type = ReLU<Space>;
};
template <class Space>
struct mlp_act_module<mlp_act::gelu, Space> {
  using type = GELU<gelu_approximate::none, Space>;
};
template <class Space>
struct mlp_act_module<mlp_act::gelu_tanh, Space> {
  using type = GELU<gelu_approximate::tanh, Space>;
};
template <class Space>
struct mlp_act_module<mlp_act::silu, Space> {
  using type = SiLU<Space>;
};
template <class Space>
struct mlp_act_module<mlp_act::elu, Space> {
  using type = ELU<EluConfig{}, Space>;
};
template <class Space>
struct mlp_act_module<mlp_act::leaky_relu, Space> {
  using type = LeakyReLU<LeakyReLUConfig{}, Space>;
};
template <class Space>
struct mlp_act_module<mlp_act::tanh, Space> {
  using type = Tanh<Space>;
};
template <class Space>
struct mlp_act_module<mlp_act::sigmoid, Space> {
  using type = Sigmoid<Space>;
};

template <MlpConfig Config, std::size_t I, class Space>
struct mlp_norm_module {
  static constexpr int c = Config.channels[I + 1];
  using type = std::conditional_t<
      Config.norm == mlp_norm::batch_norm, PygBatchNorm<BatchNormConfig{.features = c, .eps = Config.eps}, Space>,
      std::conditional_t<Config.norm == mlp_norm::layer_norm,
                         PygLayerNorm<PygLayerNormConfig{.features = c, .eps = Config.eps, .batch = Config.norm_batch},
                                      Space>,
                         Identity<Space>>>;
};

/// An empty torch.nn.ModuleList in a given space (MLP([in, out]) with plain_last has no norms;
/// nn::ModuleList<> would be in host whatever the space). Never run.
template <class Space>
struct empty_module_list {
  using space = Space;
  template <class S>
  using rebind = empty_module_list<S>;
  static constexpr index_t parameter_count = 0;
  static constexpr std::size_t size = 0;
  using slots = type_list<>;
  using items_tuple = std::tuple<>;
  template <class V>
  void visit(V& /*v*/) {}
  static profile::Module profile_module() { return profile::Module::leaf("ModuleList", "", 0); }
  static void add_counts(profile::Module& /*node*/, FlowShape /*s*/) {}
};

template <class List>
struct to_forward;
template <class... S>
struct to_forward<type_list<S...>> {
  using type = Forward<S...>;
};

template <MlpConfig Config, class Space, class Layers, class Norms>
struct mlp_parts_impl;
template <MlpConfig Config, class Space, std::size_t... L, std::size_t... K>
struct mlp_parts_impl<Config, Space, std::index_sequence<L...>, std::index_sequence<K...>> {
  using act = typename mlp_act_module<Config.act, Space>::type;
  using lins = ModuleList<PygLinear<Config.lin(L), Space>...>;
  using norms = std::conditional_t<sizeof...(K) == 0, empty_module_list<Space>,
                                   ModuleList<typename mlp_norm_module<Config, K, Space>::type...>>;
  // lins[k], norms[k], act for every normed layer k; then the plain last Linear.
  using steps = concat_t<type_list<CallItem<"lins", K>, CallItem<"norms", K>, Call<"act">>...,
                         std::conditional_t<Config.plain_last,
                                            type_list<CallItem<"lins", sizeof...(L) - 1>>, type_list<>>>;
  using module = Module<"MLP", typename to_forward<steps>::type, Field<"act", act>, Field<"lins", lins>,
                        Field<"norms", norms>>;
};

template <MlpConfig Config, class Space>
struct mlp_parts {
  static_assert(Config.count() >= 2, "nn::MLP: .channels needs at least 2 positive widths (in, out)");
  static_assert(Config.count() == static_cast<int>(Config.channels.size()) ||
                    [] {
                      for (std::size_t i = static_cast<std::size_t>(Config.count()); i < Config.channels.size(); ++i)
                        if (Config.channels[i] != 0) return false;
                      return true;
                    }(),
                "nn::MLP: .channels must be positive widths followed only by zeros");
  static constexpr std::size_t layers = Config.count() >= 2 ? static_cast<std::size_t>(Config.num_layers()) : 1;
  static constexpr std::size_t norms = Config.count() >= 2 ? static_cast<std::size_t>(Config.num_norms()) : 0;
  using impl = mlp_parts_impl<Config, Space, std::make_index_sequence<layers>, std::make_index_sequence<norms>>;
  using module = typename impl::module;
};

}  // namespace detail

/// torch_geometric.nn.MLP; see the file comment. `model.get<"lins">().item<0>()` is lins.0.
template <MlpConfig Config, class Space>
struct MLP : detail::mlp_parts<Config, Space>::module {
  using base = typename detail::mlp_parts<Config, Space>::module;
  static constexpr MlpConfig config = Config;
  template <class S>
  using rebind = MLP<Config, S>;
  static_assert(base::parameter_count == Config.parameter_count());

  /// PyG's MLP overrides __repr__: "MLP(6, 12, 12, 3)" (children hidden in the printed tree).
  static profile::Module profile_module() {
    profile::Module m = base::profile_module();
    std::string r = "MLP(";
    for (int i = 0; i < Config.count(); ++i) {
      if (i > 0) r += ", ";
      r += std::to_string(Config.channels[static_cast<std::size_t>(i)]);
    }
    m.repr = r + ")";
    return m;
  }
};

}  // namespace graphtx::nn
