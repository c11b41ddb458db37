#pragma once
/// \file
/// \brief Validation of graphs from outside: every index is checked on the host before any
/// kernel runs, so ops and kernels can trust their indices. Errors name the first bad edge.

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/coo.hpp>
#include <graphtx/graph/csr.hpp>

namespace graphtx::graph {

namespace detail {

template <class I>
Coo<host> coo_from_edge_index_impl(TensorView<I const, 2, host> edge_index, index_t num_src_nodes,
                                   index_t num_dst_nodes, std::string_view what) {
  if (edge_index.extent(0) != 2) {
    throw shape_error(graphtx::detail::cat(what, ": shape ", graphtx::detail::shape_string(edge_index.extents()),
                                           ", expected [2, E] (row 0 = source, row 1 = target)"));
  }
  index_t const e = edge_index.extent(1);
  check_index_range("number of source nodes", num_src_nodes, what);
  check_index_range("number of destination nodes", num_dst_nodes, what);
  check_index_range("number of edges", e, what);
  Coo<host> coo{Tensor<node_t, 1, host>({e}), Tensor<node_t, 1, host>({e}), num_src_nodes, num_dst_nodes};
  I const* src = edge_index.data();      // row 0: sources j
  I const* dst = edge_index.data() + e;  // row 1: targets i
  bool const bipartite = num_src_nodes != num_dst_nodes;
  auto check = [&](index_t k, I v, char const* role, index_t n, char const* side) {
    if (v < 0) {
      throw graph_error(graphtx::detail::cat(what, ": edge ", k, " has ", role, " ", static_cast<long long>(v),
                                             " (negative)"));
    }
    if (static_cast<index_t>(v) >= n) {
      throw graph_error(graphtx::detail::cat(what, ": edge ", k, " has ", role, " ", static_cast<long long>(v),
                                             " but the graph has ", n, bipartite ? side : " nodes"));
    }
  };
  for (index_t k = 0; k < e; ++k) {
    check(k, src[k], "source", num_src_nodes, " source nodes");
    check(k, dst[k], "target", num_dst_nodes, " destination nodes");
    coo.src(k) = static_cast<node_t>(src[k]);
    coo.dst(k) = static_cast<node_t>(dst[k]);
  }
  return coo;
}

}  // namespace detail

/// Validating constructor from PyG's edge_index [2, E] (int64 as torch.long, or int32): rank and
/// shape, every index >= 0 and below the node count of its side, counts within int32. The first
/// bad edge is reported: "edge_index: edge 1207 has target 9001 but the graph has 6400 nodes".
inline Coo<host> coo_from_edge_index(TensorView<std::int64_t const, 2, host> edge_index, index_t num_src_nodes,
                                     index_t num_dst_nodes, std::string_view what = "edge_index") {
  return detail::coo_from_edge_index_impl(edge_index, num_src_nodes, num_dst_nodes, what);
}
inline Coo<host> coo_from_edge_index(TensorView<std::int32_t const, 2, host> edge_index, index_t num_src_nodes,
                                     index_t num_dst_nodes, std::string_view what = "edge_index") {
  return detail::coo_from_edge_index_impl(edge_index, num_src_nodes, num_dst_nodes, what);
}

/// Structural check of a CSR that came from outside (or from a bug): offsets start at 0, never
/// decrease and end at E; sources in range; edge_ids a permutation of 0..E-1. graph_error names
/// the first bad position.
inline void validate(Csr<host> const& csr, std::string_view what = "csr") {
  index_t const n = csr.num_dst_nodes, e = csr.num_edges();
  if (csr.offsets.extent(0) != n + 1) {
    throw graph_error(graphtx::detail::cat(what, ": offsets has ", csr.offsets.extent(0), " entries, expected ", n + 1,
                                           " (num_dst_nodes + 1)"));
  }
  if (csr.edge_ids.extent(0) != e) {
    throw graph_error(graphtx::detail::cat(what, ": edge_ids has ", csr.edge_ids.extent(0), " entries, expected ", e));
  }
  if (csr.offsets(0) != 0) {
    throw graph_error(graphtx::detail::cat(what, ": offsets[0] is ", csr.offsets(0), ", expected 0"));
  }
  for (index_t i = 0; i < n; ++i) {
    if (csr.offsets(i + 1) < csr.offsets(i)) {
      throw graph_error(graphtx::detail::cat(what, ": offsets[", i + 1, "] = ", csr.offsets(i + 1),
                                             " is less than offsets[", i, "] = ", csr.offsets(i),
                                             " (offsets must not decrease)"));
    }
  }
  if (csr.offsets(n) != e) {
    throw graph_error(graphtx::detail::cat(what, ": offsets[", n, "] is ", csr.offsets(n), ", expected E = ", e));
  }
  std::vector<char> seen(static_cast<std::size_t>(e), 0);
  for (index_t p = 0; p < e; ++p) {
    node_t s = csr.sources(p);
    if (s < 0 || s >= csr.num_src_nodes) {
      throw graph_error(graphtx::detail::cat(what, ": position ", p, " has source ", s, " outside [0, ",
                                             csr.num_src_nodes, ")"));
    }
    node_t id = csr.edge_ids(p);
    if (id < 0 || id >= e || seen[static_cast<std::size_t>(id)]) {
      throw graph_error(graphtx::detail::cat(what, ": position ", p, " has edge id ", id,
                                             " which is out of range or repeated (edge_ids must be a permutation)"));
    }
    seen[static_cast<std::size_t>(id)] = 1;
  }
}

}  // namespace graphtx::graph
