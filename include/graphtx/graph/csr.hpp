#pragma once
/// \file
/// \brief graph::Csr: the graph compressed by DESTINATION, the layout every aggregation uses.
///
/// The incoming edges of node i are CSR positions offsets[i] .. offsets[i+1]-1. Within one
/// destination the edges keep their COO order (the sort is stable), so per-node sums run in the
/// same order as PyG's CPU scatter. edge_ids maps a CSR position back to the user's edge index,
/// for edge features and for returning attention weights in the user's order.

#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/coo.hpp>

namespace graphtx::graph {

template <class Space = host>
struct Csr {
  Tensor<node_t, 1, Space> offsets;   // [N_dst + 1]
  Tensor<node_t, 1, Space> sources;   // [E] source node j of each CSR position
  Tensor<node_t, 1, Space> edge_ids;  // [E] CSR position -> COO edge index
  index_t num_src_nodes = 0;
  index_t num_dst_nodes = 0;

  index_t num_edges() const { return sources.extent(0); }
};

}  // namespace graphtx::graph
