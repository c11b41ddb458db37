// graph/convert.hpp: COO -> CSR -> COO -> edge_index is the identity on every graph case, and
// to_coo refuses a CSR that is not a valid permutation. All comparisons are exact (integer ids).

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include <graphtx/graph/convert.hpp>
#include <graphtx/graph/validate.hpp>

#include "graph/graph_cases.hpp"

namespace gx = graphtx;
using gx::graph::node_t;

TEST_CASE("COO -> CSR -> COO -> edge_index restores the user's edges in the user's order", "[graph][convert]") {
  for (auto const& c : gx::test::graph_cases()) {
    INFO("case: " << c.name);
    auto ei = c.edge_index();
    auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), c.num_src_nodes, c.num_dst_nodes));
    auto coo = gx::graph::to_coo(csr);
    REQUIRE(coo.num_src_nodes == c.num_src_nodes);
    REQUIRE(coo.num_dst_nodes == c.num_dst_nodes);
    REQUIRE(coo.num_edges() == c.num_edges());
    for (gx::index_t k = 0; k < c.num_edges(); ++k) {
      REQUIRE(coo.src(k) == c.src[static_cast<std::size_t>(k)]);
      REQUIRE(coo.dst(k) == c.dst[static_cast<std::size_t>(k)]);
    }
    auto back = gx::graph::to_edge_index(coo);
    REQUIRE(back.extent(0) == 2);
    REQUIRE(back.extent(1) == c.num_edges());
    REQUIRE(back.to_vector() == ei.to_vector());
  }
}

TEST_CASE("an int32 edge_index round-trips to the same int64 edge_index", "[graph][convert]") {
  for (auto const& c : gx::test::graph_cases()) {
    INFO("case: " << c.name);
    auto e32 = c.edge_index<std::int32_t>();
    auto back = gx::graph::to_edge_index(
        gx::graph::to_coo(gx::graph::to_csr(gx::graph::coo_from_edge_index(e32.cview(), c.num_src_nodes,
                                                                            c.num_dst_nodes))));
    REQUIRE(back.to_vector() == c.edge_index().to_vector());
  }
}

TEST_CASE("to_coo validates the CSR it inverts", "[graph][convert][errors]") {
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 4}, {0, 1, 2, 3, /**/ 1, 2, 3, 0});
  auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), 4, 4));
  SECTION("a repeated edge id would leave an edge unwritten") {
    csr.edge_ids(2) = csr.edge_ids(1);
    REQUIRE_THROWS_AS(gx::graph::to_coo(csr), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::to_coo(csr), Catch::StartsWith("to_coo: position 2 has edge id"));
  }
  SECTION("an edge id beyond E would write out of bounds") {
    csr.edge_ids(0) = 4;
    REQUIRE_THROWS_WITH(gx::graph::to_coo(csr), Catch::StartsWith("to_coo: position 0 has edge id 4 outside [0, 4)"));
  }
}

TEST_CASE("to_edge_index refuses a Coo whose src and dst differ in length", "[graph][convert][errors]") {
  gx::graph::Coo<> coo{gx::Tensor<node_t, 1>::from({2}, {0, 1}), gx::Tensor<node_t, 1>::from({1}, {1}), 2, 2};
  REQUIRE_THROWS_AS(gx::graph::to_edge_index(coo), gx::graph_error);
  REQUIRE_THROWS_WITH(gx::graph::to_edge_index(coo), Catch::Contains("src has 2 entries but dst has 1"));
}
