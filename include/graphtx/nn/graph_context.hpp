#pragma once
/// \file
/// \brief nn::GraphContext: what every layer's forward sees besides the node features, built once
/// per batch — the CSR by destination, the edge features already in CSR order (so no layer
/// gathers them again), PyG's `batch` [N] and `ptr` [G+1], and the number of graphs G.
///
///     forward(x, g):  x [N, F] (or [G, F] after a readout), g.csr, g.edge_attr [E, D] in CSR order
///
/// nn::BatchContext owns the CSR-ordered copies of a graph::Batch's edge features and hands out
/// the (cheap, copyable) GraphContext of views.

#include <cstdint>
#include <utility>

#include <graphtx/core/config.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/batch.hpp>
#include <graphtx/graph/csr.hpp>
#include <graphtx/ops/gather_rows.hpp>

namespace graphtx::nn {

/// Views of one batch's graph structure, valid while the batch (and its BatchContext) lives.
template <class Space>
struct GraphContext {
  graph::Csr<Space> const* csr = nullptr;                  ///< by destination, over all N nodes
  TensorView<float const, 2, Space> edge_attr;             ///< [E, D] float, CSR order; [0, 0] when none
  TensorView<std::int64_t const, 2, Space> edge_attr_int;  ///< [E, D] int64 (OGB bond features), CSR order
  TensorView<graph::node_t const, 1, Space> batch;         ///< [N] graph id of each node (may be empty)
  TensorView<graph::node_t const, 1, Space> ptr;           ///< [G + 1] first node of each graph
  index_t num_graphs = 0;                                  ///< G

  index_t num_nodes() const { return csr != nullptr ? csr->num_dst_nodes : 0; }
  index_t num_edges() const { return csr != nullptr ? csr->num_edges() : 0; }

  /// The same graph with other (already CSR-ordered) edge features: what an edge encoder
  /// (BondEncoder, a Linear on edge_attr) hands to the layers after it.
  GraphContext with_edge_attr(TensorView<float const, 2, Space> e) const {
    GraphContext g = *this;
    g.edge_attr = e;
    return g;
  }
};

namespace detail {
// dst[p, :] = src[edge_ids[p], :] for int64 rows, on the host (edge features are E x a few).
inline Tensor<std::int64_t, 2, host> gather_int_rows(TensorView<std::int64_t const, 2, host> src,
                                                     TensorView<graph::node_t const, 1, host> ids) {
  Tensor<std::int64_t, 2, host> out({ids.extent(0), src.extent(1)});
  for (index_t p = 0; p < ids.extent(0); ++p)
    for (index_t c = 0; c < src.extent(1); ++c) out(p, c) = src(ids(p), c);
  return out;
}
}  // namespace detail

/// The edge features of one batch put in CSR order once, and the GraphContext over them.
/// Not copyable or movable: the context points into it.
template <class Space>
class BatchContext {
 public:
  /// From a batch (edge features in COO order, as the file and PyG hold them).
  explicit BatchContext(graph::Batch<Space> const& b)
      : BatchContext(b.csr, b.edge_attr.cview(), edge_attr_int_of(b), b.batch.cview(), b.ptr.cview(), b.num_graphs) {}

  /// From the parts: edge_attr [E, D] float and edge_attr_int [E, D] int64 in COO order, or empty.
  BatchContext(graph::Csr<Space> const& csr, TensorView<float const, 2, Space> edge_attr_coo,
               TensorView<std::int64_t const, 2, Space> edge_attr_int_coo,
               TensorView<graph::node_t const, 1, Space> batch, TensorView<graph::node_t const, 1, Space> ptr,
               index_t num_graphs) {
    index_t const e = csr.num_edges();
    if (edge_attr_coo.size() > 0 || (edge_attr_coo.extent(1) > 0 && e == 0)) {
      check_extent("BatchContext", "edge_attr (rows = edges)", 0, edge_attr_coo.extent(0), e);
      edge_attr_ = Tensor<float, 2, Space>({e, edge_attr_coo.extent(1)});  // [E, D], CSR order
      ops::gather_rows(edge_attr_coo, csr.edge_ids.cview(), edge_attr_.view());
    }
    if (edge_attr_int_coo.size() > 0 || (edge_attr_int_coo.extent(1) > 0 && e == 0)) {
      check_extent("BatchContext", "edge_attr (integer, rows = edges)", 0, edge_attr_int_coo.extent(0), e);
      if constexpr (std::is_same_v<Space, host>) {
        edge_attr_int_ = detail::gather_int_rows(edge_attr_int_coo, csr.edge_ids.cview());
      } else {  // E x a few int64: permuted on the host, copied back once per batch
        auto host_rows = to_space<host>(edge_attr_int_coo);
        auto host_ids = to_space<host>(csr.edge_ids.cview());
        edge_attr_int_ = to_space<Space>(detail::gather_int_rows(host_rows.cview(), host_ids.cview()));
      }
    }
    ctx_.csr = &csr;
    ctx_.edge_attr = edge_attr_.cview();
    ctx_.edge_attr_int = edge_attr_int_.cview();
    ctx_.batch = batch;
    ctx_.ptr = ptr;
    ctx_.num_graphs = num_graphs;
  }
  BatchContext(BatchContext const&) = delete;
  BatchContext& operator=(BatchContext const&) = delete;

  GraphContext<Space> const& context() const { return ctx_; }
  operator GraphContext<Space> const&() const { return ctx_; }  // NOLINT(google-explicit-constructor)

 private:
  template <class B>
  static TensorView<std::int64_t const, 2, Space> edge_attr_int_of(B const& b) {
    if constexpr (requires { b.edge_attr_int; }) {
      return b.edge_attr_int.cview();
    } else {
      return {};
    }
  }

  Tensor<float, 2, Space> edge_attr_;             // [E, D] CSR order
  Tensor<std::int64_t, 2, Space> edge_attr_int_;  // [E, D] CSR order
  GraphContext<Space> ctx_;
};

}  // namespace graphtx::nn
