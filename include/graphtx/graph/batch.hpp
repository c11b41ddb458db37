#pragma once
/// \file
/// \brief graph::Batch: many graphs as one block-diagonal graph, like PyG's `Batch`: node
/// features stacked, each graph's edge ids shifted by the nodes before it, `batch` [N] holding each
/// node's graph id (non-decreasing) and `ptr` [G+1] the first node of each graph.

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <utility>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/convert.hpp>
#include <graphtx/graph/coo.hpp>
#include <graphtx/graph/csr.hpp>
#include <graphtx/graph/validate.hpp>

namespace graphtx::graph {

template <class Space = host>
struct Batch {
  Tensor<float, 2, Space> x;          // [N, F]
  Tensor<float, 2, Space> edge_attr;  // [E, D] in COO order, or [0, 0] when the graphs have none
  Csr<Space> csr;                     // by destination, over all N nodes
  Tensor<node_t, 1, Space> batch;     // [N] graph id of each node, non-decreasing
  Tensor<node_t, 1, Space> ptr;       // [G + 1] first node of each graph
  index_t num_graphs = 0;

  index_t num_nodes() const { return x.extent(0); }
  index_t num_edges() const { return csr.num_edges(); }
};

/// One graph as a user hands it in (PyG's Data): ids local to the graph.
struct GraphData {
  Tensor<float, 2, host> x;                 // [n, F]
  Tensor<std::int64_t, 2, host> edge_index;  // [2, e]
  Tensor<float, 2, host> edge_attr;         // [e, D] or empty
};

namespace detail {
// ptr [G+1] from a validated, non-decreasing batch vector.
inline Tensor<node_t, 1, host> ptr_from_batch(TensorView<node_t const, 1, host> batch, index_t num_graphs) {
  auto ptr = Tensor<node_t, 1, host>::zeros({num_graphs + 1});
  for (index_t n = 0; n < batch.extent(0); ++n) ++ptr(batch(n) + 1);
  for (index_t g = 0; g < num_graphs; ++g) ptr(g + 1) += ptr(g);
  return ptr;
}
}  // namespace detail

/// Concatenates graphs (PyG's Batch.from_data_list). Graphs with zero nodes or zero edges are
/// allowed; all graphs must agree on F and on D.
inline Batch<host> batch_graphs(std::span<GraphData const> graphs) {
  index_t const g_count = static_cast<index_t>(graphs.size());
  index_t n = 0, e = 0;
  index_t const f = g_count > 0 ? graphs[0].x.extent(1) : 0;
  index_t const d = g_count > 0 ? graphs[0].edge_attr.extent(1) : 0;
  for (index_t g = 0; g < g_count; ++g) {
    auto const& gd = graphs[static_cast<std::size_t>(g)];
    if (gd.x.extent(1) != f) {
      throw shape_error(graphtx::detail::cat("batch_graphs: graph ", g, " has x with ", gd.x.extent(1),
                                             " features, graph 0 has ", f));
    }
    if (gd.edge_index.extent(0) != 2) {
      throw shape_error(graphtx::detail::cat("batch_graphs: graph ", g, " has edge_index of shape ",
                                             graphtx::detail::shape_string(gd.edge_index.extents()),
                                             ", expected [2, E]"));
    }
    index_t const ge = gd.edge_index.extent(1);
    if ((d > 0 || gd.edge_attr.size() > 0) && ge > 0 &&
        (gd.edge_attr.extent(0) != ge || gd.edge_attr.extent(1) != d)) {
      throw shape_error(graphtx::detail::cat("batch_graphs: graph ", g, " has edge_attr of shape ",
                                             graphtx::detail::shape_string(gd.edge_attr.extents()), ", expected [",
                                             ge, ", ", d, "]"));
    }
    n += gd.x.extent(0);
    e += ge;
  }
  detail::check_index_range("number of nodes", n, "batch_graphs");
  detail::check_index_range("number of edges", e, "batch_graphs");
  detail::check_index_range("number of graphs", g_count, "batch_graphs");

  Batch<host> b;
  b.x = Tensor<float, 2, host>({n, f});
  b.edge_attr = Tensor<float, 2, host>({d > 0 ? e : 0, d});
  b.batch = Tensor<node_t, 1, host>({n});
  b.ptr = Tensor<node_t, 1, host>({g_count + 1});
  b.num_graphs = g_count;
  Coo<host> coo{Tensor<node_t, 1, host>({e}), Tensor<node_t, 1, host>({e}), n, n};
  index_t node0 = 0, edge0 = 0;
  b.ptr(0) = 0;
  for (index_t g = 0; g < g_count; ++g) {
    auto const& gd = graphs[static_cast<std::size_t>(g)];
    index_t const gn = gd.x.extent(0), ge = gd.edge_index.extent(1);
    if (gd.x.size() > 0) std::memcpy(b.x.data() + node0 * f, gd.x.data(), gd.x.size_bytes());
    if (d > 0 && ge > 0) std::memcpy(b.edge_attr.data() + edge0 * d, gd.edge_attr.data(), gd.edge_attr.size_bytes());
    // Validate the graph's own ids against its own node count, then shift.
    Coo<host> local = coo_from_edge_index(gd.edge_index.cview(), gn, gn,
                                          graphtx::detail::cat("batch_graphs: graph ", g, " edge_index"));
    for (index_t k = 0; k < ge; ++k) {
      coo.src(edge0 + k) = static_cast<node_t>(local.src(k) + node0);
      coo.dst(edge0 + k) = static_cast<node_t>(local.dst(k) + node0);
    }
    for (index_t k = 0; k < gn; ++k) b.batch(node0 + k) = static_cast<node_t>(g);
    node0 += gn;
    edge0 += ge;
    b.ptr(g + 1) = static_cast<node_t>(node0);
  }
  b.csr = to_csr(coo);
  return b;
}

/// A batch from already-batched tensors, as a file holds them (PyG's Batch fields):
/// x [N, F], edge_index [2, E], batch [N], edge_attr [E, D] or empty. `num_graphs` < 0 means
/// batch.max() + 1 (0 when N = 0), as PyG infers it; pass it explicitly when the last graphs of the
/// batch have no nodes. Validates everything and names the first bad node or edge.
inline Batch<host> make_batch(Tensor<float, 2, host> x, TensorView<std::int64_t const, 2, host> edge_index,
                              TensorView<std::int64_t const, 1, host> batch, index_t num_graphs = -1,
                              Tensor<float, 2, host> edge_attr = {}) {
  index_t const n = x.extent(0);
  detail::check_index_range("number of nodes", n, "make_batch");
  if (batch.extent(0) != n) {
    throw graph_error(graphtx::detail::cat("batch: has ", batch.extent(0), " entries but x has ", n,
                                           " rows (one graph id per node)"));
  }
  std::int64_t max_id = -1;
  for (index_t k = 0; k < n; ++k) {
    std::int64_t id = batch(k);
    if (id < 0) throw graph_error(graphtx::detail::cat("batch: node ", k, " has graph id ", id, " (negative)"));
    if (k > 0 && id < batch(k - 1)) {
      throw graph_error(graphtx::detail::cat("batch: not sorted: node ", k, " has graph id ", id, " after ",
                                             batch(k - 1), " (PyG batches list each graph's nodes contiguously)"));
    }
    max_id = id;
  }
  if (num_graphs < 0) num_graphs = max_id + 1;
  if (max_id >= num_graphs) {
    throw graph_error(graphtx::detail::cat("batch: node ", n - 1, " has graph id ", max_id, " but num_graphs is ",
                                           num_graphs));
  }
  detail::check_index_range("number of graphs", num_graphs, "make_batch");
  index_t const e = edge_index.extent(0) == 2 ? edge_index.extent(1) : 0;
  if (edge_attr.size() > 0 && edge_attr.extent(0) != e) {
    throw shape_error(graphtx::detail::cat("edge_attr: has ", edge_attr.extent(0), " rows, expected ", e,
                                           " (one per edge)"));
  }
  Batch<host> b;
  b.csr = to_csr(coo_from_edge_index(edge_index, n, n, "edge_index"));
  b.batch = Tensor<node_t, 1, host>({n});
  for (index_t k = 0; k < n; ++k) b.batch(k) = static_cast<node_t>(batch(k));
  b.ptr = detail::ptr_from_batch(b.batch.cview(), num_graphs);
  b.num_graphs = num_graphs;
  b.x = std::move(x);
  b.edge_attr = std::move(edge_attr);
  return b;
}

}  // namespace graphtx::graph
