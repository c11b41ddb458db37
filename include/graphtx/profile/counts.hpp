#pragma once
/// \file
/// \brief The sizes a model's DeepSpeed counts depend on. Every graphtx module computes its own
/// counts from its configuration and these sizes alone (no weights, no forward pass):
/// `nn::Model<Net>::counts(shape)` gives the whole model's tree, `nn::forward_counts<M>(shape)` any
/// module's. For the seed model (docs/seed_model.md) with G = 512 and N = 7170 the totals are
/// 411,819,233,792 MACs ("411.82 GMACs"), 823,739,421,184 flops ("823.74 G") and 64,071,937
/// parameters ("64.07 M").
///
/// **Example**:
/// \code
/// auto tree = graphtx::GraphTransformer<graphtx::seed_config>::counts({.nodes = 7170, .edges = 14762, .graphs = 512});
/// tree.macs();                                             // 411819233792
/// graphtx::profile::print_report(std::cout, tree);         // latencies all "0"
/// \endcode

#include <graphtx/core/config.hpp>

namespace graphtx::profile {

/// Sizes of one forward's input.
struct BatchShape {
  index_t nodes = 0;   ///< N
  index_t edges = 0;   ///< E (counts only through Linears on edges, e.g. TransformerConv's lin_edge)
  index_t graphs = 0;  ///< G
};

}  // namespace graphtx::profile
