// graph/csr.hpp + to_csr / in_degree (convert.hpp): the counting sort by destination against the
// textbook O(N * E) scan, on every case of graph_cases.hpp. All comparisons are exact (integer
// ids and counts).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include <graphtx/graph/convert.hpp>
#include <graphtx/graph/csr.hpp>
#include <graphtx/graph/validate.hpp>

#include "graph/graph_cases.hpp"

namespace gx = graphtx;
using gx::graph::node_t;

TEST_CASE("to_csr equals the textbook scan by destination on every graph case", "[graph][csr]") {
  for (auto const& c : gx::test::graph_cases()) {
    INFO("case: " << c.name);
    auto ei = c.edge_index();
    auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), c.num_src_nodes, c.num_dst_nodes));
    auto ref = gx::test::reference_csr(c);
    REQUIRE(csr.num_src_nodes == c.num_src_nodes);
    REQUIRE(csr.num_dst_nodes == c.num_dst_nodes);
    REQUIRE(csr.num_edges() == c.num_edges());
    REQUIRE(csr.offsets.to_vector() == ref.offsets);
    REQUIRE(csr.sources.to_vector() == ref.sources);
    REQUIRE(csr.edge_ids.to_vector() == ref.edge_ids);
    REQUIRE_NOTHROW(gx::graph::validate(csr));
  }
}

TEST_CASE("to_csr is stable: within a destination the edges keep their COO order", "[graph][csr]") {
  for (auto const& c : gx::test::graph_cases()) {
    INFO("case: " << c.name);
    auto ei = c.edge_index();
    auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), c.num_src_nodes, c.num_dst_nodes));
    for (gx::index_t i = 0; i < c.num_dst_nodes; ++i) {
      for (node_t p = csr.offsets(i); p < csr.offsets(i + 1); ++p) {
        node_t const k = csr.edge_ids(p);
        REQUIRE(c.dst[static_cast<std::size_t>(k)] == i);                 // the edge really ends at i
        REQUIRE(c.src[static_cast<std::size_t>(k)] == csr.sources(p));    // and starts at sources[p]
        if (p > csr.offsets(i)) REQUIRE(csr.edge_ids(p - 1) < k);         // increasing edge ids
      }
    }
  }
}

TEST_CASE("in_degree equals a brute-force count of incoming edges", "[graph][csr]") {
  for (auto const& c : gx::test::graph_cases()) {
    INFO("case: " << c.name);
    std::vector<node_t> count(static_cast<std::size_t>(c.num_dst_nodes), 0);
    for (auto d : c.dst) ++count[static_cast<std::size_t>(d)];
    auto ei = c.edge_index();
    auto deg = gx::graph::in_degree(gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), c.num_src_nodes,
                                                                                      c.num_dst_nodes)));
    REQUIRE(deg.extent(0) == c.num_dst_nodes);
    REQUIRE(deg.to_vector() == count);
  }
  SECTION("the hub case really has a node of in-degree 500") {
    auto cases = gx::test::graph_cases();
    auto const& hub =
        *std::find_if(cases.begin(), cases.end(), [](auto const& c) { return c.name.rfind("hub", 0) == 0; });
    auto ei = hub.edge_index();
    auto deg = gx::graph::in_degree(gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), 600, 600)));
    REQUIRE(deg(17) >= 500);
  }
}

TEST_CASE("to_csr on a small known graph", "[graph][csr]") {
  // Edges (src -> dst): 0->1, 2->1, 1->0, 2->1, 0->2.
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 5}, {0, 2, 1, 2, 0, /**/ 1, 1, 0, 1, 2});
  auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), 3, 3));
  REQUIRE(csr.offsets.to_vector() == std::vector<node_t>{0, 1, 4, 5});
  REQUIRE(csr.sources.to_vector() == std::vector<node_t>{1, 0, 2, 2, 0});
  REQUIRE(csr.edge_ids.to_vector() == std::vector<node_t>{2, 0, 1, 3, 4});
  REQUIRE(gx::graph::in_degree(csr).to_vector() == std::vector<node_t>{1, 3, 1});
}

TEST_CASE("to_csr and in_degree refuse hand-built graphs with bad ids or sizes", "[graph][csr][errors]") {
  auto ids = [](std::vector<node_t> v) {
    return gx::Tensor<node_t, 1>::from({static_cast<gx::index_t>(v.size())}, v);
  };
  SECTION("a target beyond the node count (would write out of bounds)") {
    gx::graph::Coo<> coo{ids({0, 1, 2}), ids({1, 7, 0}), 3, 3};
    REQUIRE_THROWS_AS(gx::graph::to_csr(coo), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::to_csr(coo), "to_csr: edge 1 has target 7 but the graph has 3 nodes");
  }
  SECTION("a negative source") {
    gx::graph::Coo<> coo{ids({0, -2, 2}), ids({1, 1, 0}), 3, 3};
    REQUIRE_THROWS_WITH(gx::graph::to_csr(coo), "to_csr: edge 1 has source -2 (negative)");
  }
  SECTION("src and dst of different lengths") {
    gx::graph::Coo<> coo{ids({0, 1, 2}), ids({1, 1}), 3, 3};
    REQUIRE_THROWS_WITH(gx::graph::to_csr(coo), "to_csr: src has 3 entries but dst has 2 (one of each per edge)");
  }
  SECTION("in_degree on offsets of the wrong length") {
    gx::graph::Csr<> csr{ids({0, 1}), ids({0}), ids({0}), 3, 3};
    REQUIRE_THROWS_AS(gx::graph::in_degree(csr), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::in_degree(csr), "in_degree: offsets has 2 entries, expected 4 (num_dst_nodes + 1)");
  }
}
