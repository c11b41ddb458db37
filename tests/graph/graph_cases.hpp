#pragma once
// The graph case table shared by the graph/ tests (one record per shape class, PyTorch-OpInfo
// style) and the textbook CSR the fast conversion is compared with.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/coo.hpp>

#include "support/random.hpp"

namespace graphtx::test {

/// One directed graph in PyG's layout: edge k goes from src[k] to dst[k].
struct GraphCase {
  std::string name;
  index_t num_src_nodes = 0;
  index_t num_dst_nodes = 0;
  std::vector<std::int64_t> src;
  std::vector<std::int64_t> dst;

  index_t num_edges() const { return static_cast<index_t>(src.size()); }

  /// edge_index [2, E] in the integer type I (int64 as torch.long, or int32).
  template <class I = std::int64_t>
  Tensor<I, 2> edge_index() const {
    Tensor<I, 2> ei({2, num_edges()});
    for (index_t k = 0; k < num_edges(); ++k) {
      ei(0, k) = static_cast<I>(src[static_cast<std::size_t>(k)]);
      ei(1, k) = static_cast<I>(dst[static_cast<std::size_t>(k)]);
    }
    return ei;
  }
};

/// E uniform random edges: with E > N there are duplicate edges, with N small self-loops, and
/// (for E < N) isolated nodes.
inline GraphCase random_case(std::string name, rng_t& rng, index_t n_src, index_t n_dst, index_t e) {
  GraphCase c{std::move(name), n_src, n_dst, {}, {}};
  std::uniform_int_distribution<std::int64_t> s(0, n_src > 0 ? n_src - 1 : 0);
  std::uniform_int_distribution<std::int64_t> d(0, n_dst > 0 ? n_dst - 1 : 0);
  for (index_t k = 0; k < e; ++k) {
    c.src.push_back(s(rng));
    c.dst.push_back(d(rng));
  }
  return c;
}

/// Every edge-case class the graph code must survive, from a fixed seed.
inline std::vector<GraphCase> graph_cases() {
  rng_t rng(20240611);
  std::vector<GraphCase> cases;
  cases.push_back(random_case("random, duplicates and self-loops (N=12, E=90)", rng, 12, 12, 90));
  {
    // Edges only among nodes 0..19 of 50: nodes 20..49 are isolated; explicit self-loops and a
    // duplicate edge repeated five times.
    auto c = random_case("isolated nodes, self-loops, duplicates (N=50, E=80)", rng, 20, 20, 60);
    c.num_src_nodes = c.num_dst_nodes = 50;
    for (std::int64_t i = 0; i < 10; ++i) {
      c.src.push_back(i);
      c.dst.push_back(i);
    }
    for (int r = 0; r < 5; ++r) {
      c.src.push_back(3);
      c.dst.push_back(7);
    }
    for (std::int64_t i = 0; i < 5; ++i) {  // node 49 sends but never receives
      c.src.push_back(49);
      c.dst.push_back(i);
    }
    cases.push_back(std::move(c));
  }
  {
    // Node 17 receives 500 edges, interleaved with 60 random ones.
    auto c = random_case("hub of in-degree 500 (N=600, E=560)", rng, 600, 600, 60);
    std::uniform_int_distribution<std::int64_t> s(0, 599);
    std::uniform_int_distribution<std::size_t> at(0, c.src.size());
    for (int k = 0; k < 500; ++k) {
      auto pos = static_cast<std::ptrdiff_t>(at(rng) % (c.src.size() + 1));
      c.src.insert(c.src.begin() + pos, s(rng));
      c.dst.insert(c.dst.begin() + pos, 17);
    }
    cases.push_back(std::move(c));
  }
  cases.push_back(random_case("no edges (N=5, E=0)", rng, 5, 5, 0));
  cases.push_back(random_case("no nodes (N=0, E=0)", rng, 0, 0, 0));
  cases.push_back(random_case("one node, one self-loop", rng, 1, 1, 1));
  cases.push_back(random_case("one destination receives everything", rng, 9, 1, 40));
  cases.push_back(random_case("bipartite, more sources (30 -> 11, E=90)", rng, 30, 11, 90));
  cases.push_back(random_case("bipartite, more destinations (4 -> 25, E=33)", rng, 4, 25, 33));
  cases.push_back(random_case("bipartite, no sources (0 -> 6, E=0)", rng, 0, 6, 0));
  cases.push_back(random_case("larger random (N=3000, E=9000)", rng, 3000, 3000, 9000));
  return cases;
}

/// The textbook CSR by destination: for each destination i, scan all edges in order and append
/// those that end at i. O(N * E): the oracle for graph::to_csr's counting sort.
struct ReferenceCsr {
  std::vector<graph::node_t> offsets, sources, edge_ids;
};
inline ReferenceCsr reference_csr(GraphCase const& c) {
  ReferenceCsr r;
  r.offsets.push_back(0);
  for (index_t i = 0; i < c.num_dst_nodes; ++i) {
    for (index_t k = 0; k < c.num_edges(); ++k) {
      if (c.dst[static_cast<std::size_t>(k)] == i) {
        r.sources.push_back(static_cast<graph::node_t>(c.src[static_cast<std::size_t>(k)]));
        r.edge_ids.push_back(static_cast<graph::node_t>(k));
      }
    }
    r.offsets.push_back(static_cast<graph::node_t>(r.sources.size()));
  }
  return r;
}

}  // namespace graphtx::test
