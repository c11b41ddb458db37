// graph/validate.hpp: structural checks of a Csr or Coo that came from outside. Each test breaks
// one rule of a valid graph and requires a graph_error (or resource_error for counts beyond
// int32) that names the first bad entry. edge_index validation is in coo_test.cpp.

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include <graphtx/graph/convert.hpp>
#include <graphtx/graph/validate.hpp>

#include "graph/graph_cases.hpp"

namespace gx = graphtx;
using gx::graph::node_t;

namespace {

gx::Tensor<node_t, 1> ids(std::vector<node_t> const& v) {
  return gx::Tensor<node_t, 1>::from({static_cast<gx::index_t>(v.size())}, v);
}

// 4 nodes, edges 0->1, 1->2, 2->3, 3->0, 0->2: offsets [0, 1, 2, 4, 5].
gx::graph::Csr<> valid_csr() {
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 5}, {0, 1, 2, 3, 0, /**/ 1, 2, 3, 0, 2});
  return gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), 4, 4));
}

}  // namespace

TEST_CASE("validate accepts every CSR that to_csr builds", "[graph][validate]") {
  for (auto const& c : gx::test::graph_cases()) {
    INFO("case: " << c.name);
    auto ei = c.edge_index();
    auto coo = gx::graph::coo_from_edge_index(ei.cview(), c.num_src_nodes, c.num_dst_nodes);
    REQUIRE_NOTHROW(gx::graph::validate(coo));
    REQUIRE_NOTHROW(gx::graph::validate(gx::graph::to_csr(coo)));
  }
  REQUIRE_NOTHROW(gx::graph::validate(gx::graph::Csr<>{ids({0}), ids({}), ids({}), 0, 0}));  // N = 0
}

TEST_CASE("validate(Csr) names the first structural error", "[graph][validate][errors]") {
  auto csr = valid_csr();
  REQUIRE(csr.offsets.to_vector() == std::vector<node_t>{0, 1, 2, 4, 5});
  SECTION("offsets do not start at 0") {
    csr.offsets(0) = 1;
    REQUIRE_THROWS_AS(gx::graph::validate(csr), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::validate(csr), "csr: offsets[0] is 1, expected 0");
  }
  SECTION("offsets decrease") {
    csr.offsets(2) = 0;
    REQUIRE_THROWS_WITH(gx::graph::validate(csr),
                        "csr: offsets[2] = 0 is less than offsets[1] = 1 (offsets must not decrease)");
  }
  SECTION("the last offset is not E") {
    csr.offsets(4) = 4;
    REQUIRE_THROWS_WITH(gx::graph::validate(csr), "csr: offsets[4] is 4, expected E = 5");
  }
  SECTION("offsets of the wrong length") {
    gx::graph::Csr<> bad{ids({0, 1, 2, 5}), csr.sources.clone(), csr.edge_ids.clone(), 4, 4};
    REQUIRE_THROWS_WITH(gx::graph::validate(bad), "csr: offsets has 4 entries, expected 5 (num_dst_nodes + 1)");
  }
  SECTION("edge_ids of the wrong length") {
    gx::graph::Csr<> bad{csr.offsets.clone(), csr.sources.clone(), ids({0, 1, 2, 3}), 4, 4};
    REQUIRE_THROWS_WITH(gx::graph::validate(bad), Catch::StartsWith("csr: edge_ids has 4 entries, expected 5"));
  }
  SECTION("a source out of range") {
    csr.sources(3) = 4;
    REQUIRE_THROWS_WITH(gx::graph::validate(csr), "csr: position 3 has source 4 outside [0, 4)");
  }
  SECTION("a negative source") {
    csr.sources(1) = -1;
    REQUIRE_THROWS_WITH(gx::graph::validate(csr), "csr: position 1 has source -1 outside [0, 4)");
  }
  SECTION("an edge id out of range") {
    csr.edge_ids(4) = 5;
    REQUIRE_THROWS_WITH(gx::graph::validate(csr), Catch::StartsWith("csr: position 4 has edge id 5 outside [0, 5)"));
  }
  SECTION("a repeated edge id: edge_ids is not a permutation") {
    csr.edge_ids(3) = csr.edge_ids(0);
    REQUIRE_THROWS_WITH(gx::graph::validate(csr),
                        Catch::StartsWith("csr: position 3 has edge id") && Catch::Contains("an earlier position"));
  }
  SECTION("a negative node count (offsets would be read before its start)") {
    gx::graph::Csr<> bad{gx::Tensor<node_t, 1>({0}), ids({}), ids({}), 0, -1};
    REQUIRE_THROWS_AS(gx::graph::validate(bad), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::validate(bad), "csr: number of destination nodes is negative (-1)");
  }
  SECTION("a node count beyond int32") {
    csr.num_src_nodes = gx::index_t{1} << 31;
    REQUIRE_THROWS_AS(gx::graph::validate(csr), gx::resource_error);
    REQUIRE_THROWS_WITH(gx::graph::validate(csr), Catch::Contains("number of source nodes 2147483648"));
  }
  SECTION("the caller's name prefixes the message") {
    csr.offsets(0) = 2;
    REQUIRE_THROWS_WITH(gx::graph::validate(csr, "adj.bin"), Catch::StartsWith("adj.bin: offsets[0] is 2"));
  }
}

TEST_CASE("validate(Coo) checks a hand-built Coo like coo_from_edge_index does", "[graph][validate][errors]") {
  REQUIRE_NOTHROW(gx::graph::validate(gx::graph::Coo<>{ids({0, 1, 2}), ids({1, 2, 0}), 3, 3}));
  SECTION("a target out of range") {
    gx::graph::Coo<> coo{ids({0, 1, 2}), ids({1, 3, 0}), 3, 3};
    REQUIRE_THROWS_WITH(gx::graph::validate(coo), "coo: edge 1 has target 3 but the graph has 3 nodes");
  }
  SECTION("a negative source") {
    gx::graph::Coo<> coo{ids({0, 1, -5}), ids({1, 2, 0}), 3, 3};
    REQUIRE_THROWS_WITH(gx::graph::validate(coo), "coo: edge 2 has source -5 (negative)");
  }
  SECTION("bipartite sides named") {
    gx::graph::Coo<> coo{ids({0, 3}), ids({1, 0}), 4, 2};
    REQUIRE_NOTHROW(gx::graph::validate(coo));
    coo.dst(1) = 2;
    REQUIRE_THROWS_WITH(gx::graph::validate(coo), "coo: edge 1 has target 2 but the graph has 2 destination nodes");
  }
  SECTION("src and dst of different lengths") {
    gx::graph::Coo<> coo{ids({0, 1}), ids({1, 2, 0}), 3, 3};
    REQUIRE_THROWS_WITH(gx::graph::validate(coo), "coo: src has 2 entries but dst has 3 (one of each per edge)");
  }
  SECTION("a node count beyond int32") {
    gx::graph::Coo<> coo{ids({0}), ids({0}), 1, gx::index_t{3} << 31};
    REQUIRE_THROWS_AS(gx::graph::validate(coo), gx::resource_error);
    REQUIRE_THROWS_WITH(gx::graph::validate(coo), Catch::Contains("number of destination nodes 6442450944"));
  }
}
