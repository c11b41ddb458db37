#pragma once
/// \file
/// \brief graph::Coo: edges in the user's (PyG's) order, int32 node ids.
///
/// Build one with coo_from_edge_index (validate.hpp), which checks every index; a Coo assembled
/// by hand can be checked with validate(Coo).

#include <cstdint>
#include <limits>
#include <string_view>

#include <graphtx/core/config.hpp>
#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::graph {

/// graphtx::node_t (core/config.hpp), the 32-bit node id and edge position, also spelled graph::node_t.
using graphtx::node_t;

/// The largest node count, edge count or graph count graphtx accepts (2^31 - 1).
inline constexpr index_t max_index = std::numeric_limits<node_t>::max();

/// Edges in the user's order: edge e goes from src[e] (source j, PyG's edge_index[0]) to dst[e]
/// (target i, edge_index[1]).
template <class Space = host>
struct Coo {
  Tensor<node_t, 1, Space> src;  // [E]
  Tensor<node_t, 1, Space> dst;  // [E]
  index_t num_src_nodes = 0;     // N_src (= N_dst unless bipartite)
  index_t num_dst_nodes = 0;     // N_dst

  index_t num_edges() const { return src.extent(0); }
};

namespace detail {
/// graph_error when a count is negative, resource_error when it does not fit graphtx's 32-bit
/// node and edge indices: "<where>: number of edges 3000000000 does not fit ...". Called before
/// anything is allocated, so a hostile count costs nothing.
inline void check_index_range(char const* what, index_t count, std::string_view where) {
  if (count < 0) {
    throw graph_error(graphtx::detail::cat(where, ": ", what, " is negative (", count, ")"));
  }
  if (count > max_index) {
    throw resource_error(graphtx::detail::cat(where, ": ", what, " ", count,
                                              " does not fit graphtx's 32-bit node/edge index (max ", max_index,
                                              ")"));
  }
}
}  // namespace detail

}  // namespace graphtx::graph
