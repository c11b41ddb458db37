#pragma once
/// \file
/// \brief Validation of graphs from outside: every index is checked on the host before any
/// kernel runs, so ops and kernels can trust their indices. Errors name the first bad edge or
/// position, and the expected and actual values.
///
/// **Example**:
/// \code
/// auto ei = graphtx::Tensor<std::int64_t, 2>::from({2, 3}, {0, 1, 2, /**/ 1, 2, 9});
/// graphtx::graph::coo_from_edge_index(ei.cview(), 3, 3);
/// // throws graph_error "edge_index: edge 2 has target 9 but the graph has 3 nodes"
/// \endcode

#include <cstdint>
#include <string_view>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/coo.hpp>
#include <graphtx/graph/csr.hpp>

namespace graphtx::graph {

namespace detail {

/// graph_error for the first index of `edge` outside [0, n): "<what>: edge 12 has target 9001 but
/// the graph has 6400 nodes" or "... has source -3 (negative)". `side` names the node set when
/// the graph is bipartite (" source nodes" / " destination nodes").
template <class I>
void check_endpoint(std::string_view what, index_t edge, I v, char const* role, index_t n, bool bipartite,
                    char const* side) {
  if (v < 0) {
    throw graph_error(graphtx::detail::cat(what, ": edge ", edge, " has ", role, " ", static_cast<long long>(v),
                                           " (negative)"));
  }
  if (static_cast<index_t>(v) >= n) {
    throw graph_error(graphtx::detail::cat(what, ": edge ", edge, " has ", role, " ", static_cast<long long>(v),
                                           " but the graph has ", n, bipartite ? side : " nodes"));
  }
}

template <class I>
Coo<host> coo_from_edge_index_impl(TensorView<I const, 2, host> edge_index, index_t num_src_nodes,
                                   index_t num_dst_nodes, std::string_view what) {
  if (edge_index.extent(0) != 2) {
    throw shape_error(graphtx::detail::cat(what, ": shape ", graphtx::detail::shape_string(edge_index.extents()),
                                           ", expected [2, E] (row 0 = source, row 1 = target)"));
  }
  index_t const e = edge_index.extent(1);
  // All three counts are checked before anything is allocated or read.
  detail::check_index_range("number of source nodes", num_src_nodes, what);
  detail::check_index_range("number of destination nodes", num_dst_nodes, what);
  detail::check_index_range("number of edges", e, what);
  Coo<host> coo{Tensor<node_t, 1, host>({e}), Tensor<node_t, 1, host>({e}), num_src_nodes, num_dst_nodes};
  I const* src = edge_index.data();      // [E] row 0: sources j
  I const* dst = edge_index.data() + e;  // [E] row 1: targets i
  bool const bipartite = num_src_nodes != num_dst_nodes;
  node_t* out_src = coo.src.data();
  node_t* out_dst = coo.dst.data();
  for (index_t k = 0; k < e; ++k) {
    check_endpoint(what, k, src[k], "source", num_src_nodes, bipartite, " source nodes");
    check_endpoint(what, k, dst[k], "target", num_dst_nodes, bipartite, " destination nodes");
    out_src[k] = static_cast<node_t>(src[k]);
    out_dst[k] = static_cast<node_t>(dst[k]);
  }
  return coo;
}

}  // namespace detail

/// Validating constructor from PyG's edge_index [2, E] (int64 as torch.long, or int32): shape
/// [2, E]; node and edge counts within graphtx's int32 index (resource_error otherwise, before
/// any allocation); every index >= 0 and below the node count of its side (row 0 < num_src_nodes,
/// row 1 < num_dst_nodes). The FIRST bad edge is reported, as graph_error
/// "edge_index: edge 1207 has target 9001 but the graph has 6400 nodes". `what` starts every
/// message (pass e.g. "graph.safetensors: edge_index").
inline Coo<host> coo_from_edge_index(TensorView<std::int64_t const, 2, host> edge_index, index_t num_src_nodes,
                                     index_t num_dst_nodes, std::string_view what = "edge_index") {
  return detail::coo_from_edge_index_impl(edge_index, num_src_nodes, num_dst_nodes, what);
}
inline Coo<host> coo_from_edge_index(TensorView<std::int32_t const, 2, host> edge_index, index_t num_src_nodes,
                                     index_t num_dst_nodes, std::string_view what = "edge_index") {
  return detail::coo_from_edge_index_impl(edge_index, num_src_nodes, num_dst_nodes, what);
}

/// Structural check of a Coo assembled by hand (its fields are public): src and dst of equal
/// length, counts within int32, every id in range. graph_error names the first bad edge, in the
/// same words as coo_from_edge_index.
inline void validate(Coo<host> const& coo, std::string_view what = "coo") {
  detail::check_index_range("number of source nodes", coo.num_src_nodes, what);
  detail::check_index_range("number of destination nodes", coo.num_dst_nodes, what);
  index_t const e = coo.src.extent(0);
  if (coo.dst.extent(0) != e) {
    throw graph_error(graphtx::detail::cat(what, ": src has ", e, " entries but dst has ", coo.dst.extent(0),
                                           " (one of each per edge)"));
  }
  detail::check_index_range("number of edges", e, what);
  bool const bipartite = coo.num_src_nodes != coo.num_dst_nodes;
  node_t const* src = coo.src.data();
  node_t const* dst = coo.dst.data();
  for (index_t k = 0; k < e; ++k) {
    detail::check_endpoint(what, k, src[k], "source", coo.num_src_nodes, bipartite, " source nodes");
    detail::check_endpoint(what, k, dst[k], "target", coo.num_dst_nodes, bipartite, " destination nodes");
  }
}

/// Structural check of a CSR that came from outside (or from a bug): counts within int32;
/// offsets [N_dst + 1] start at 0, never decrease and end at E; sources in [0, N_src); edge_ids a
/// permutation of 0..E-1. graph_error names the first bad entry. O(N + E) time, E bytes.
inline void validate(Csr<host> const& csr, std::string_view what = "csr") {
  index_t const n = csr.num_dst_nodes, e = csr.num_edges();
  detail::check_index_range("number of source nodes", csr.num_src_nodes, what);
  detail::check_index_range("number of destination nodes", n, what);
  detail::check_index_range("number of edges", e, what);
  if (csr.offsets.extent(0) != n + 1) {
    throw graph_error(graphtx::detail::cat(what, ": offsets has ", csr.offsets.extent(0), " entries, expected ", n + 1,
                                           " (num_dst_nodes + 1)"));
  }
  if (csr.edge_ids.extent(0) != e) {
    throw graph_error(graphtx::detail::cat(what, ": edge_ids has ", csr.edge_ids.extent(0), " entries, expected ", e,
                                           " (one per edge, as sources)"));
  }
  node_t const* off = csr.offsets.data();
  if (off[0] != 0) {
    throw graph_error(graphtx::detail::cat(what, ": offsets[0] is ", off[0], ", expected 0"));
  }
  for (index_t i = 0; i < n; ++i) {
    if (off[i + 1] < off[i]) {
      throw graph_error(graphtx::detail::cat(what, ": offsets[", i + 1, "] = ", off[i + 1], " is less than offsets[", i,
                                             "] = ", off[i], " (offsets must not decrease)"));
    }
  }
  if (off[n] != e) {
    throw graph_error(graphtx::detail::cat(what, ": offsets[", n, "] is ", off[n], ", expected E = ", e));
  }
  std::vector<char> seen(static_cast<std::size_t>(e), 0);
  for (index_t p = 0; p < e; ++p) {
    node_t const s = csr.sources(p);
    if (s < 0 || s >= csr.num_src_nodes) {
      throw graph_error(graphtx::detail::cat(what, ": position ", p, " has source ", s, " outside [0, ",
                                             csr.num_src_nodes, ")"));
    }
    node_t const id = csr.edge_ids(p);
    if (id < 0 || id >= e) {
      throw graph_error(graphtx::detail::cat(what, ": position ", p, " has edge id ", id, " outside [0, ", e,
                                             ") (edge_ids must be a permutation)"));
    }
    if (seen[static_cast<std::size_t>(id)] != 0) {
      throw graph_error(graphtx::detail::cat(what, ": position ", p, " has edge id ", id,
                                             " which an earlier position already has",
                                             " (edge_ids must be a permutation)"));
    }
    seen[static_cast<std::size_t>(id)] = 1;
  }
}

}  // namespace graphtx::graph
