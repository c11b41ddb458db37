#pragma once
/// \file
/// \brief A deterministic generator of molecule-like graph batches: the seed batch (G = 512,
/// N = 7170, E ~ 14,770) that every benchmark and example uses, without any dataset download.
///
/// Molecules are trees of atoms (mostly chains, some branches, valence at most 4) with ring
/// closures added at about 1.42 rings per molecule, PCQM4Mv2's average (docs/seed_model.md, The
/// seed batch). Every bond is two directed edges (i, j), (j, i), interleaved as OGB stores them;
/// no self-loops. About 1% of the molecules are single atoms with no edges. x holds OGB's 9 integer
/// atom features (atomic number, chirality, degree, formal charge, H count, radicals,
/// hybridisation, aromatic, in-ring) cast to float, as the seed model consumes them.

#include <algorithm>
#include <cstdint>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/detail/random.hpp>
#include <graphtx/graph/batch.hpp>

namespace graphtx::graph {

namespace detail {

inline int uniform_int(graphtx::detail::weight_rng& rng, int lo, int hi) {  // [lo, hi]
  return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
}

// One molecule of n atoms: bonds as (a, b) pairs, local ids.
inline GraphData make_molecule(graphtx::detail::weight_rng& rng, int n) {
  std::vector<int> degree(static_cast<std::size_t>(n), 0);
  std::vector<char> in_ring(static_cast<std::size_t>(n), 0);
  std::vector<std::pair<int, int>> bonds;
  auto bonded = [&](int a, int b) {
    return std::find(bonds.begin(), bonds.end(), std::pair{std::min(a, b), std::max(a, b)}) != bonds.end();
  };
  for (int k = 1; k < n; ++k) {
    int parent = k - 1;  // chain
    if (graphtx::detail::unit_float(rng) < 0.3f || degree[static_cast<std::size_t>(parent)] >= 4) {
      for (int tries = 0; tries < 8; ++tries) {  // branch from an earlier atom with free valence
        int p = uniform_int(rng, 0, k - 1);
        if (degree[static_cast<std::size_t>(p)] < 4) {
          parent = p;
          break;
        }
      }
    }
    bonds.emplace_back(std::min(parent, k), std::max(parent, k));
    ++degree[static_cast<std::size_t>(parent)];
    ++degree[static_cast<std::size_t>(k)];
  }
  // Ring closures: E[rings] = 0.119 (n - 2) for n >= 5 gives ~1.42 rings per PCQM4Mv2-sized molecule.
  if (n >= 5) {
    float expected = 0.119f * static_cast<float>(n - 2);
    int rings = static_cast<int>(expected + graphtx::detail::unit_float(rng));
    for (int r = 0, tries = 0; r < rings && tries < 4 * rings + 8; ++tries) {
      int a = uniform_int(rng, 0, n - 1);
      int b = a + (graphtx::detail::unit_float(rng) < 0.6f ? 5 : 4);  // 6- or 5-membered on a chain
      if (b >= n || bonded(a, b) || degree[static_cast<std::size_t>(a)] >= 4 ||
          degree[static_cast<std::size_t>(b)] >= 4) {
        continue;
      }
      bonds.emplace_back(a, b);
      ++degree[static_cast<std::size_t>(a)];
      ++degree[static_cast<std::size_t>(b)];
      for (int k = a; k <= b; ++k) in_ring[static_cast<std::size_t>(k)] = 1;
      ++r;
    }
  }
  GraphData g;
  index_t const e = 2 * static_cast<index_t>(bonds.size());
  g.edge_index = Tensor<std::int64_t, 2, host>({2, e});
  for (std::size_t b = 0; b < bonds.size(); ++b) {  // (i, j) then (j, i), as OGB's smiles2graph
    auto k = static_cast<index_t>(2 * b);
    g.edge_index(0, k) = bonds[b].first;
    g.edge_index(1, k) = bonds[b].second;
    g.edge_index(0, k + 1) = bonds[b].second;
    g.edge_index(1, k + 1) = bonds[b].first;
  }
  g.x = Tensor<float, 2, host>({n, 9});
  static constexpr int elements[] = {6, 6, 6, 6, 6, 6, 6, 7, 7, 8, 8, 9, 16, 17};
  for (int a = 0; a < n; ++a) {
    auto ai = static_cast<std::size_t>(a);
    int z = elements[uniform_int(rng, 0, 13)];
    bool ring = in_ring[ai] != 0;
    g.x(a, 0) = static_cast<float>(z - 1);                                // atomic number index
    g.x(a, 1) = graphtx::detail::unit_float(rng) < 0.03f ? 1.0f : 0.0f;   // chirality tag
    g.x(a, 2) = static_cast<float>(degree[ai]);                           // degree
    g.x(a, 3) = graphtx::detail::unit_float(rng) < 0.02f ? 6.0f : 5.0f;   // formal charge (5 = neutral)
    g.x(a, 4) = static_cast<float>(std::max(0, (z == 6 ? 4 : z == 7 ? 3 : z == 8 ? 2 : 1) - degree[ai]));  // H
    g.x(a, 5) = 0.0f;                                                     // radical electrons
    g.x(a, 6) = static_cast<float>(ring ? 2 : uniform_int(rng, 1, 3));    // hybridisation
    g.x(a, 7) = ring && graphtx::detail::unit_float(rng) < 0.7f ? 1.0f : 0.0f;  // aromatic
    g.x(a, 8) = ring ? 1.0f : 0.0f;                                       // in ring
  }
  return g;
}

}  // namespace detail

/// `num_graphs` molecule-like graphs from `seed`. With `exact_num_nodes` >= 0 the molecule sizes
/// are adjusted (deterministically) so that the batch has exactly that many nodes; the seed batch
/// is generate_molecule_batch(512, seed, 7170): G = 512, N = 7170, E about 14,770 (14,762 for
/// seed 0). Molecule sizes are 4..24 atoms (about 1% single atoms with no edges) before the
/// adjustment and 1..60 after it; graph_error when `exact_num_nodes` cannot be met that way.
/// The same seed gives the same batch on every platform (own integer-to-float mapping, no
/// std:: distributions).
inline Batch<host> generate_molecule_batch(index_t num_graphs, std::uint64_t seed, index_t exact_num_nodes = -1) {
  detail::check_index_range("number of graphs", num_graphs, "generate_molecule_batch");
  if (exact_num_nodes >= 0 && (exact_num_nodes < num_graphs || exact_num_nodes > 60 * num_graphs)) {
    throw graph_error(graphtx::detail::cat("generate_molecule_batch: cannot make ", num_graphs,
                                           " molecules of 1..60 atoms with exactly ",
                                           exact_num_nodes, " atoms in total"));
  }
  graphtx::detail::weight_rng rng(seed ^ 0x9e3779b97f4a7c15ull);
  std::vector<int> sizes(static_cast<std::size_t>(num_graphs));
  index_t total = 0;
  for (auto& s : sizes) {
    // ~1% single atoms; otherwise 4..24 atoms, mean 14 (PCQM4Mv2: 14.1).
    s = graphtx::detail::unit_float(rng) < 0.01f ? 1
                                                  : detail::uniform_int(rng, 4, 14) + detail::uniform_int(rng, 0, 10);
    total += s;
  }
  if (exact_num_nodes >= 0) {
    // Move the total to the target one atom at a time, on molecules picked at random, keeping
    // every molecule between 1 and 60 atoms.
    while (total != exact_num_nodes) {
      auto& s = sizes[static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(num_graphs))];
      if (s == 1 && (rng() % 8) != 0) continue;  // mostly keep the single atoms single
      if (total < exact_num_nodes && s < 60) {
        ++s;
        ++total;
      } else if (total > exact_num_nodes && s > 1) {
        --s;
        --total;
      }
    }
  }
  std::vector<GraphData> graphs;
  graphs.reserve(sizes.size());
  for (int s : sizes) graphs.push_back(detail::make_molecule(rng, s));
  return batch_graphs(graphs);
}

}  // namespace graphtx::graph
