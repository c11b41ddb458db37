#pragma once
/// \file
/// \brief Copying graphs between spaces: build and validate on the host, copy once to the device
/// (`graph::to_space<graphtx::cuda>(batch)`). Explicit, like every cross-space copy in graphtx.

#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/batch.hpp>
#include <graphtx/graph/coo.hpp>
#include <graphtx/graph/csr.hpp>

namespace graphtx::graph {

template <class Dst, class Src>
Coo<Dst> to_space(Coo<Src> const& g) {
  return Coo<Dst>{graphtx::to_space<Dst>(g.src), graphtx::to_space<Dst>(g.dst), g.num_src_nodes, g.num_dst_nodes};
}

template <class Dst, class Src>
Csr<Dst> to_space(Csr<Src> const& g) {
  return Csr<Dst>{graphtx::to_space<Dst>(g.offsets), graphtx::to_space<Dst>(g.sources),
                  graphtx::to_space<Dst>(g.edge_ids), g.num_src_nodes, g.num_dst_nodes};
}

/// Every member of the batch, the int64 features (x_int, edge_attr_int) included.
template <class Dst, class Src>
Batch<Dst> to_space(Batch<Src> const& b) {
  Batch<Dst> out;
  out.x = graphtx::to_space<Dst>(b.x);
  out.edge_attr = graphtx::to_space<Dst>(b.edge_attr);
  out.csr = to_space<Dst>(b.csr);
  out.batch = graphtx::to_space<Dst>(b.batch);
  out.ptr = graphtx::to_space<Dst>(b.ptr);
  out.num_graphs = b.num_graphs;
  out.x_int = graphtx::to_space<Dst>(b.x_int);
  out.edge_attr_int = graphtx::to_space<Dst>(b.edge_attr_int);
  return out;
}

}  // namespace graphtx::graph
