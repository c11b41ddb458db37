#pragma once
/// \file
/// \brief What DeepSpeed's flops profiler counts for one forward of a layer or of the model,
/// computed from the configuration and the batch's sizes alone: no weights, no forward pass.
///
/// The result is the same module tree a profiled forward fills in (profile::Profiler), with the
/// same counts per module but no latencies. For the seed model the totals depend on N and G only
/// (PYG_SPEC.md §3.2): with G = 512 and N = 7170, 411,819,233,792 MACs ("411.82 GMACs") and
/// 823,739,421,184 flops ("823.74 G"), 64,071,937 parameters ("64.07 M").
///
/// **Example**:
/// \code
/// auto tree = graphtx::profile::graph_transformer_counts<graphtx::seed_config>({.nodes = 7170, .edges = 14762, .graphs = 512});
/// tree.macs();                                             // 411819233792
/// graphtx::profile::print_report(std::cout, tree);         // latencies all "0"
/// \endcode

#include <cstddef>

#include <graphtx/models/graph_transformer.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/transformer_conv.hpp>
#include <graphtx/profile/module.hpp>
#include <graphtx/profile/op_counts.hpp>

namespace graphtx::profile {

/// Sizes of one forward's input.
struct BatchShape {
  index_t nodes = 0;   ///< N
  index_t edges = 0;   ///< E (counts only through lin_edge, which the seed model has not)
  index_t graphs = 0;  ///< G
};

/// Adds one forward's counts to the tree of a TransformerConv (`nn::TransformerConv<Config>::profile_module()`):
/// the F.linear calls of PyG's conv over n_src source rows, n_dst destination rows and e edges.
template <nn::TransformerConvConfig Config>
void add_transformer_conv_counts(Module& conv, index_t n_src, index_t n_dst, index_t e) {
  auto lin = [&](char const* key, nn::LinearConfig c, index_t rows) {
    Module* m = conv.child(key);
    if (m == nullptr) throw error(graphtx::detail::cat("profile: TransformerConv has no child '", key, "'"));
    m->own += linear_counts(rows, c.in, c.out);
  };
  lin("lin_key", Config.key(), n_src);
  lin("lin_query", Config.query(), n_dst);
  lin("lin_value", Config.value(), n_src);
  if constexpr (Config.uses_edge()) lin("lin_edge", Config.edge(), e);
  if constexpr (Config.root_weight) lin("lin_skip", Config.skip(), n_dst);
  if constexpr (Config.uses_beta()) lin("lin_beta", Config.gate(), n_dst);
}

/// A TransformerConv's tree with one forward's counts (bipartite: n_src != n_dst).
template <nn::TransformerConvConfig Config>
Module transformer_conv_counts(index_t n_src, index_t n_dst, index_t edges) {
  Module conv = nn::TransformerConv<Config, host>::profile_module();
  add_transformer_conv_counts<Config>(conv, n_src, n_dst, edges);
  return conv;
}
template <nn::TransformerConvConfig Config>
Module transformer_conv_counts(index_t nodes, index_t edges) {
  return transformer_conv_counts<Config>(nodes, nodes, edges);
}

/// GraphTransformer<Config>'s tree with one forward's counts over `shape`: convs[0 .. L-1] (their
/// Linears), L ReLU calls, lns[0 .. L-2], post_mp over G rows. The trailing conv and LayerNorm of
/// the seed's off-by-one keep their parameters and count nothing.
template <GraphTransformerConfig Config>
Module graph_transformer_counts(BatchShape shape) {
  Module m = GraphTransformer<Config, host>::profile_module();
  index_t const n = shape.nodes;
  index_t const hidden_numel = n * Config.hidden;
  Module& convs = *m.child("convs");
  add_transformer_conv_counts<Config.first_conv()>(convs.children[0], n, n, shape.edges);
  for (int i = 1; i < Config.num_conv_layers; ++i) {
    add_transformer_conv_counts<Config.hidden_conv()>(convs.children[static_cast<std::size_t>(i)], n, n, shape.edges);
  }
  m.child("ReLU")->own += index_t{Config.num_conv_layers} * relu_counts(hidden_numel);
  Module& lns = *m.child("lns");
  for (int i = 0; i < Config.norms_run(); ++i) lns.children[static_cast<std::size_t>(i)].own += layer_norm_counts(hidden_numel);
  m.child("post_mp")->children[0].own += linear_counts(shape.graphs, Config.hidden, Config.out);
  return m;
}

}  // namespace graphtx::profile
