#pragma once
/// \file
/// \brief The molecule batches of support/workload.hpp with OGB's integer features, for the
/// benchmarks of the GPS family (AtomEncoder, BondEncoder, GINEConv, GPSConv, the GPS molecule
/// model): `x_int` [N, 9] int64 atom features (graph::generate_molecule_batch's atom columns are
/// already OGB indices: atomic number - 1, chirality, degree, formal charge + 5, H count, radicals,
/// hybridisation, aromatic, in ring) and `edge_attr_int` [E, 3] int64 bond features (bond type
/// 0..3, stereo 0..5, conjugated 0/1; both directions of a bond get the same row, as OGB's
/// smiles2graph), with their float casts in `x` / `edge_attr`. Plus float tensors of a module's
/// width C: node rows [N, C], edge rows [E, C] (CSR order, in the GraphContext) and graph rows
/// [G, C]. G = 512 is the seed batch (N = 7170, E = 14,762).

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>

#include <graphtx/core/tensor.hpp>
#include <graphtx/detail/random.hpp>
#include <graphtx/graph/batch.hpp>
#include <graphtx/graph/generate.hpp>
#include <graphtx/nn/graph_context.hpp>

#include "support/workload.hpp"

namespace graphtx::bench {

/// OGB's table sizes (ogb.utils.features.get_atom_feature_dims / get_bond_feature_dims).
inline constexpr index_t ogb_atom_dims[9] = {119, 5, 12, 12, 10, 6, 6, 2, 2};
inline constexpr index_t ogb_bond_dims[3] = {5, 6, 2};

/// generate_molecule_batch(G, 0) (exactly 7170 nodes for G = 512) with int64 atom and bond
/// features; the bond features come from `seed`, the same on every platform.
inline graph::Batch<host> make_ogb_molecule_batch(index_t num_graphs, std::uint64_t seed = 1) {
  index_t const exact = num_graphs == seed_graphs ? seed_nodes : -1;
  graph::Batch<host> b = graph::generate_molecule_batch(num_graphs, 0, exact);
  index_t const n = b.num_nodes(), e = b.num_edges(), f = b.x.extent(1);
  b.x_int = Tensor<std::int64_t, 2, host>({n, f});
  for (index_t i = 0; i < n; ++i)
    for (index_t c = 0; c < f; ++c) b.x_int(i, c) = static_cast<std::int64_t>(b.x(i, c));
  graphtx::detail::weight_rng rng(seed);
  b.edge_attr_int = Tensor<std::int64_t, 2, host>({e, 3});
  b.edge_attr = Tensor<float, 2, host>({e, 3});
  for (index_t p = 0; p < e; p += 2) {  // edges come in (i, j), (j, i) pairs
    float const u = graphtx::detail::unit_float(rng);
    std::int64_t const row[3] = {u < 0.6f ? 0 : u < 0.75f ? 1 : u < 0.8f ? 2 : 3,
                                 graphtx::detail::unit_float(rng) < 0.9f ? 0 : 1 + static_cast<std::int64_t>(rng() % 5),
                                 graphtx::detail::unit_float(rng) < 0.4f ? 1 : 0};
    for (index_t q = p; q < std::min(p + 2, e); ++q)
      for (index_t c = 0; c < 3; ++c) {
        b.edge_attr_int(q, c) = row[c];
        b.edge_attr(q, c) = static_cast<float>(row[c]);
      }
  }
  return b;
}

/// One batch with OGB features and float rows of width C, and its GraphContext, whose
/// edge_attr is the [E, C] float rows (what a GINEConv after a BondEncoder sees) and whose
/// edge_attr_int is the bond features, both in CSR order. Built once per (G, C) per process.
struct OgbWorkload {
  graph::Batch<host> batch;
  Tensor<float, 2, host> node_rows;   // [N, C]
  Tensor<float, 2, host> edge_rows;   // [E, C], COO order (the context holds the CSR-order copy)
  Tensor<float, 2, host> graph_rows;  // [G, C]
  std::unique_ptr<nn::BatchContext<host>> ctx;

  nn::GraphContext<host> const& context() const { return ctx->context(); }
  index_t nodes() const { return batch.num_nodes(); }
  index_t edges() const { return batch.num_edges(); }
  index_t graphs() const { return batch.num_graphs; }
};

inline OgbWorkload const& ogb_workload(index_t num_graphs, index_t channels) {
  static std::map<std::pair<index_t, index_t>, std::unique_ptr<OgbWorkload const>> cache;
  auto& slot = cache[{num_graphs, channels}];
  if (!slot) {
    auto w = std::make_unique<OgbWorkload>();
    w->batch = make_ogb_molecule_batch(num_graphs);
    w->node_rows = random_tensor<2>({w->nodes(), channels}, 100 + static_cast<std::uint64_t>(channels));
    w->edge_rows = random_tensor<2>({w->edges(), channels}, 200 + static_cast<std::uint64_t>(channels));
    w->graph_rows = random_tensor<2>({w->graphs(), channels}, 300 + static_cast<std::uint64_t>(channels));
    w->ctx = std::make_unique<nn::BatchContext<host>>(w->batch.csr, w->edge_rows.cview(), w->batch.edge_attr_int.cview(),
                                                     w->batch.batch.cview(), w->batch.ptr.cview(), w->batch.num_graphs);
    slot = std::move(w);
  }
  return *slot;
}

}  // namespace graphtx::bench
