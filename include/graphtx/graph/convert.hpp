#pragma once
/// \file
/// \brief COO <-> CSR (by destination) and back to PyG's edge_index layout.

#include <cstdint>
#include <vector>

#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/coo.hpp>
#include <graphtx/graph/csr.hpp>
#include <graphtx/graph/validate.hpp>

namespace graphtx::graph {

/// Stable counting sort of the edges by destination, O(N + E). Indices were validated when the
/// Coo was built.
inline Csr<host> to_csr(Coo<host> const& coo) {
  index_t const n = coo.num_dst_nodes, e = coo.num_edges();
  Csr<host> csr{Tensor<node_t, 1, host>::zeros({n + 1}), Tensor<node_t, 1, host>({e}), Tensor<node_t, 1, host>({e}),
                coo.num_src_nodes, coo.num_dst_nodes};
  node_t* off = csr.offsets.data();
  for (index_t k = 0; k < e; ++k) ++off[coo.dst(k) + 1];  // in-degree, shifted by one
  for (index_t i = 0; i < n; ++i) off[i + 1] += off[i];     // exclusive prefix sum
  std::vector<node_t> next(off, off + n);                   // next free position per destination
  for (index_t k = 0; k < e; ++k) {
    node_t p = next[static_cast<std::size_t>(coo.dst(k))]++;
    csr.sources(p) = coo.src(k);
    csr.edge_ids(p) = static_cast<node_t>(k);
  }
  return csr;
}

/// Exact inverse of to_csr: the user's edge order restored through edge_ids.
inline Coo<host> to_coo(Csr<host> const& csr) {
  index_t const n = csr.num_dst_nodes, e = csr.num_edges();
  Coo<host> coo{Tensor<node_t, 1, host>({e}), Tensor<node_t, 1, host>({e}), csr.num_src_nodes, csr.num_dst_nodes};
  for (index_t i = 0; i < n; ++i) {
    for (node_t p = csr.offsets(i); p < csr.offsets(i + 1); ++p) {
      node_t k = csr.edge_ids(p);
      coo.src(k) = csr.sources(p);
      coo.dst(k) = static_cast<node_t>(i);
    }
  }
  return coo;
}

/// PyG's layout [2, E] int64: row 0 sources, row 1 targets.
inline Tensor<std::int64_t, 2, host> to_edge_index(Coo<host> const& coo) {
  index_t const e = coo.num_edges();
  Tensor<std::int64_t, 2, host> ei({2, e});
  for (index_t k = 0; k < e; ++k) {
    ei(0, k) = coo.src(k);
    ei(1, k) = coo.dst(k);
  }
  return ei;
}

/// In-degree of every destination node.                                    -> [N_dst]
inline Tensor<node_t, 1, host> in_degree(Csr<host> const& csr) {
  Tensor<node_t, 1, host> deg({csr.num_dst_nodes});
  for (index_t i = 0; i < csr.num_dst_nodes; ++i) deg(i) = csr.offsets(i + 1) - csr.offsets(i);
  return deg;
}

}  // namespace graphtx::graph
