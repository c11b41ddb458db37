#pragma once
/// \file
/// \brief COO <-> CSR (by destination) and back to PyG's edge_index layout.
///
/// **Example**:
/// \code
/// auto coo = graphtx::graph::coo_from_edge_index(edge_index.cview(), n, n);   // validated, [E] x 2
/// auto csr = graphtx::graph::to_csr(coo);                                     // incoming edges per node
/// auto back = graphtx::graph::to_edge_index(graphtx::graph::to_coo(csr));     // == edge_index
/// \endcode

#include <cstdint>
#include <vector>

#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/coo.hpp>
#include <graphtx/graph/csr.hpp>
#include <graphtx/graph/validate.hpp>

namespace graphtx::graph {

/// Stable counting sort of the edges by destination, O(N + E): the incoming edges of node i
/// land in CSR positions offsets[i] .. offsets[i+1]-1 in their COO order, so per-node sums run
/// in the order PyG's CPU scatter uses. The Coo is range-checked first (one O(E) pass; its
/// fields are public, and a bad id here would write out of bounds).
inline Csr<host> to_csr(Coo<host> const& coo) {
  validate(coo, "to_csr");
  index_t const n = coo.num_dst_nodes, e = coo.num_edges();
  Csr<host> csr{Tensor<node_t, 1, host>::zeros({n + 1}), Tensor<node_t, 1, host>({e}), Tensor<node_t, 1, host>({e}),
                coo.num_src_nodes, coo.num_dst_nodes};
  node_t* off = csr.offsets.data();           // [N + 1]
  node_t const* src = coo.src.data();         // [E]
  node_t const* dst = coo.dst.data();         // [E]
  for (index_t k = 0; k < e; ++k) ++off[dst[k] + 1];  // in-degree, shifted by one
  for (index_t i = 0; i < n; ++i) off[i + 1] += off[i];  // exclusive prefix sum
  std::vector<node_t> next(off, off + n);                // [N] next free position per destination
  node_t* sources = csr.sources.data();
  node_t* edge_ids = csr.edge_ids.data();
  for (index_t k = 0; k < e; ++k) {
    node_t const p = next[static_cast<std::size_t>(dst[k])]++;
    sources[p] = src[k];
    edge_ids[p] = static_cast<node_t>(k);
  }
  return csr;
}

/// Exact inverse of to_csr: the user's edge order restored through edge_ids. The Csr is
/// validated first (validate(Csr)), since a repeated edge id would leave edges unwritten.
inline Coo<host> to_coo(Csr<host> const& csr) {
  validate(csr, "to_coo");
  index_t const n = csr.num_dst_nodes, e = csr.num_edges();
  Coo<host> coo{Tensor<node_t, 1, host>({e}), Tensor<node_t, 1, host>({e}), csr.num_src_nodes, csr.num_dst_nodes};
  for (index_t i = 0; i < n; ++i) {
    for (node_t p = csr.offsets(i); p < csr.offsets(i + 1); ++p) {
      node_t const k = csr.edge_ids(p);
      coo.src(k) = csr.sources(p);
      coo.dst(k) = static_cast<node_t>(i);
    }
  }
  return coo;
}

/// PyG's layout [2, E] int64 (torch.long): row 0 sources j, row 1 targets i.
inline Tensor<std::int64_t, 2, host> to_edge_index(Coo<host> const& coo) {
  index_t const e = coo.num_edges();
  if (coo.dst.extent(0) != e) {
    throw graph_error(graphtx::detail::cat("to_edge_index: src has ", e, " entries but dst has ", coo.dst.extent(0),
                                           " (one of each per edge)"));
  }
  Tensor<std::int64_t, 2, host> ei({2, e});  // [2, E]
  for (index_t k = 0; k < e; ++k) {
    ei(0, k) = coo.src(k);
    ei(1, k) = coo.dst(k);
  }
  return ei;
}

/// In-degree of every destination node: offsets[i+1] - offsets[i].            -> [N_dst]
inline Tensor<node_t, 1, host> in_degree(Csr<host> const& csr) {
  detail::check_index_range("number of destination nodes", csr.num_dst_nodes, "in_degree");
  if (csr.offsets.extent(0) != csr.num_dst_nodes + 1) {
    throw graph_error(graphtx::detail::cat("in_degree: offsets has ", csr.offsets.extent(0), " entries, expected ",
                                           csr.num_dst_nodes + 1, " (num_dst_nodes + 1)"));
  }
  Tensor<node_t, 1, host> deg({csr.num_dst_nodes});
  for (index_t i = 0; i < csr.num_dst_nodes; ++i) deg(i) = csr.offsets(i + 1) - csr.offsets(i);
  return deg;
}

}  // namespace graphtx::graph
