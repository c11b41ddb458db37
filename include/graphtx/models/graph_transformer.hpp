#pragma once
/// \file
/// \brief GraphTransformer: the seed model (ryienh/gnn-dataflow `GraphTransformer`), a stack of
/// TransformerConv (concat=False) -> ReLU -> Dropout -> LayerNorm, global mean pooling and a
/// Linear head, loadable from its PyG state_dict.
///
/// The seed's off-by-one is reproduced on purpose (docs/seed_model.md, The off-by-one): for `num_conv_layers = L` PyG's
/// constructor builds L + 1 convs and L LayerNorms, and its forward runs convs[0..L-1] and
/// lns[0..L-2]. convs.L.* and lns.(L-1).* are loaded, counted as parameters, and never run.
///
///     forward(x, edge_index, batch):
///       for i in 0..L-1:  x = convs[i](x); x = relu(x); x = dropout(x); if i != L-1: x = lns[i](x)
///       return post_mp(global_mean_pool(x, batch))                                        // [G, out]
///
/// Profiling: `forward(batch, &profiler)` with a profile::Profiler built from this model records
/// DeepSpeed's counts and the latency of every module, under the PyG model's names (convs,
/// lns, conv_dropout, ReLU, post_mp); see <graphtx/profile/report.hpp> for the report.

#include <cstddef>

#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/dropout.hpp>
#include <graphtx/nn/layer_norm.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/nn/pooling.hpp>
#include <graphtx/nn/transformer_conv.hpp>

namespace graphtx {

/// Shape of a GraphTransformer, fixed at compile time. The defaults are the seed model:
/// `GraphTransformer(input_dim=9, hidden_dim=256, dropout=0.0, num_conv_layers=10, heads=32)`.
struct GraphTransformerConfig {
  int in = 9;                   ///< input_dim: node features (OGB's 9 atom features, as floats)
  int hidden = 256;             ///< hidden_dim: C of every conv (heads are averaged: concat=False)
  int heads = 32;               ///< H of every conv
  int num_conv_layers = 10;     ///< L: convs that run (PyG's constructor argument)
  bool unused_trailing_layer = true;  ///< the seed's off-by-one: build conv L and LayerNorm L-1 too, never run them
  bool single_edge_shortcut = true;  ///< folded convs on the host: nodes with one in-edge skip attention (nn/config.hpp);
                                     ///< next to the other bool to keep the struct 32 bytes (nn/config.hpp says why)
  int out = 1;                  ///< post_mp output features
  float eps = 1e-5f;            ///< LayerNorm eps
  nn::attention_algorithm attention = nn::attention_algorithm::automatic;  ///< folded for every seed layer

  constexpr int convs_built() const { return num_conv_layers + (unused_trailing_layer ? 1 : 0); }
  constexpr int norms_built() const { return num_conv_layers - 1 + (unused_trailing_layer ? 1 : 0); }
  constexpr int norms_run() const { return num_conv_layers - 1; }

  constexpr nn::TransformerConvConfig first_conv() const {
    return {.in = in, .out = hidden, .heads = heads, .concat = false, .single_edge_shortcut = single_edge_shortcut,
            .attention = attention};
  }
  constexpr nn::TransformerConvConfig hidden_conv() const {
    return {.in = hidden, .out = hidden, .heads = heads, .concat = false, .single_edge_shortcut = single_edge_shortcut,
            .attention = attention};
  }
  constexpr nn::LayerNormConfig norm() const { return {.features = hidden, .eps = eps}; }
  constexpr nn::LinearConfig head() const { return {.in = hidden, .out = out, .bias = true}; }

  constexpr index_t parameter_count() const {
    return first_conv().parameter_count() + index_t{convs_built() - 1} * hidden_conv().parameter_count() +
           index_t{norms_built()} * norm().parameter_count() + head().parameter_count();
  }
};

/// The seed model's configuration (64,071,937 parameters, "64.07 M").
inline constexpr GraphTransformerConfig seed_config{};

/// The seed architecture as a composition (PyG's attribute names, its forward as a Zip over the
/// two ModuleLists, the off-by-one as Unused slots). Written once; every space, load, save, count and
/// profile of the model comes from this type.
template <GraphTransformerConfig Config>
struct GraphTransformerNet;

namespace detail {
template <GraphTransformerConfig Config>
struct graph_transformer_parts {
  static_assert(Config.in > 0, "GraphTransformer: .in (input_dim) must be positive; set it in the GraphTransformerConfig");
  static_assert(Config.hidden > 0, "GraphTransformer: .hidden (hidden_dim) must be positive; set it in the GraphTransformerConfig");
  static_assert(Config.heads > 0, "GraphTransformer: .heads must be positive; set it in the GraphTransformerConfig");
  static_assert(Config.num_conv_layers >= 1, "GraphTransformer: .num_conv_layers must be at least 1 (post_mp reads hidden features)");
  static_assert(Config.out > 0, "GraphTransformer: .out must be positive; set it in the GraphTransformerConfig");
  static constexpr std::size_t layers = Config.num_conv_layers >= 1 ? static_cast<std::size_t>(Config.num_conv_layers) : 1;
  static constexpr std::size_t trailing = Config.unused_trailing_layer ? 1 : 0;

  using FirstConv = nn::TransformerConv<Config.first_conv()>;    // convs.0: in -> hidden
  using HiddenConv = nn::TransformerConv<Config.hidden_conv()>;  // convs.1 ..: hidden -> hidden
  using Norm = nn::LayerNorm<Config.norm()>;
  using Head = nn::Linear<Config.head()>;

  using module = nn::Module<"GraphTransformer",
      //   for i, conv in enumerate(convs[:L]): x = dropout(relu(conv(x))); if i != L-1: x = lns[i](x)
      nn::Forward<nn::Zip<"convs", "ReLU", "conv_dropout", "lns">,
                  nn::Apply<nn::GlobalMeanPool<>>,  // global_mean_pool(x, batch)
                  nn::Call<"post_mp">>,
      nn::Field<"convs", nn::ModuleList<FirstConv, nn::Repeat<layers - 1, HiddenConv>,
                                        nn::Repeat<trailing, nn::Unused<HiddenConv>>>>,
      nn::Field<"lns", nn::ModuleList<nn::Repeat<layers - 1, Norm>, nn::Repeat<trailing, nn::Unused<Norm>>>>,
      nn::Field<"conv_dropout", nn::Dropout<>>,
      nn::Field<"ReLU", nn::ReLU<>>,
      nn::Field<"post_mp", nn::Sequential<Head>>>;
};
}  // namespace detail

template <GraphTransformerConfig Config>
struct GraphTransformerNet : detail::graph_transformer_parts<Config>::module {
  static constexpr GraphTransformerConfig config = Config;
};

/// The seed model (or another shape of its architecture) in a space:
///
///     GraphTransformer
///       (convs): ModuleList  (0): TransformerConv(in, hidden) ... (convs_built-1)
///       (lns): ModuleList    (0): LayerNorm ... (norms_built-1)
///       (conv_dropout): Dropout   (ReLU): ReLU   (post_mp): Sequential  (0): Linear
///
/// `model.get<"convs">().item<3>()` is convs.3; load/save/random/from/counts come from nn::Model.
/// To compile it once for the GPU, instantiate `graphtx::nn::Model<graphtx::GraphTransformerNet<cfg>,
/// graphtx::cuda>` (an alias cannot be explicitly instantiated).
template <GraphTransformerConfig Config, class Space = host>
using GraphTransformer = nn::Model<GraphTransformerNet<Config>, Space>;

/// The seed model's size, checked against DeepSpeed's "64.07 M" at compile time.
static_assert(seed_config.parameter_count() == 64'071'937,
              "the seed model must have exactly 64,071,937 parameters (docs/seed_model.md, Parameter count)");

}  // namespace graphtx
