// graph/coo.hpp + coo_from_edge_index (validate.hpp): building a Coo from PyG's edge_index,
// int64 and int32, with every bad input named by its first bad edge. All comparisons are exact
// (integer ids).

#include <catch2/catch.hpp>

#include <cstdint>
#include <type_traits>
#include <vector>

#include <graphtx/graph/coo.hpp>
#include <graphtx/graph/validate.hpp>

#include "graph/graph_cases.hpp"

namespace gx = graphtx;
using gx::graph::node_t;

// node_t lives in core (core/config.hpp); graph::node_t names the same type.
static_assert(std::is_same_v<gx::node_t, gx::graph::node_t>);
static_assert(std::is_same_v<gx::node_t, std::int32_t>);

namespace {

template <class I>
void check_coo_matches(gx::test::GraphCase const& c) {
  auto ei = c.edge_index<I>();
  auto coo = gx::graph::coo_from_edge_index(ei.cview(), c.num_src_nodes, c.num_dst_nodes);
  REQUIRE(coo.num_edges() == c.num_edges());
  REQUIRE(coo.dst.extent(0) == c.num_edges());
  REQUIRE(coo.num_src_nodes == c.num_src_nodes);
  REQUIRE(coo.num_dst_nodes == c.num_dst_nodes);
  for (gx::index_t k = 0; k < c.num_edges(); ++k) {
    REQUIRE(coo.src(k) == c.src[static_cast<std::size_t>(k)]);
    REQUIRE(coo.dst(k) == c.dst[static_cast<std::size_t>(k)]);
  }
}

}  // namespace

TEST_CASE("coo_from_edge_index keeps every edge in the user's order, from int64 and int32", "[graph][coo]") {
  for (auto const& c : gx::test::graph_cases()) {
    INFO("case: " << c.name);
    check_coo_matches<std::int64_t>(c);
    check_coo_matches<std::int32_t>(c);
  }
}

TEST_CASE("coo_from_edge_index names the first bad edge", "[graph][coo][errors]") {
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 4}, {0, 1, 2, 3, /**/ 1, 2, 3, 0});
  auto e32 = gx::Tensor<std::int32_t, 2>::from({2, 4}, {0, 1, 2, 3, /**/ 1, 2, 3, 0});
  REQUIRE_NOTHROW(gx::graph::coo_from_edge_index(ei.cview(), 4, 4));
  REQUIRE_NOTHROW(gx::graph::coo_from_edge_index(e32.cview(), 4, 4));

  SECTION("target out of range, int64 and int32") {
    ei(1, 2) = 9001;
    e32(1, 2) = 9001;
    REQUIRE_THROWS_AS(gx::graph::coo_from_edge_index(ei.cview(), 4, 4), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 4),
                        "edge_index: edge 2 has target 9001 but the graph has 4 nodes");
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(e32.cview(), 4, 4),
                        "edge_index: edge 2 has target 9001 but the graph has 4 nodes");
  }
  SECTION("target equal to N is out of range (ids are 0-based)") {
    ei(1, 0) = 4;
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 4),
                        "edge_index: edge 0 has target 4 but the graph has 4 nodes");
  }
  SECTION("source out of range (PyG's Data.validate checks only this row in some versions)") {
    ei(0, 3) = 4;
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 4),
                        "edge_index: edge 3 has source 4 but the graph has 4 nodes");
  }
  SECTION("negative source, int64 and int32") {
    ei(0, 1) = -3;
    e32(0, 1) = -3;
    REQUIRE_THROWS_AS(gx::graph::coo_from_edge_index(e32.cview(), 4, 4), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 4),
                        "edge_index: edge 1 has source -3 (negative)");
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(e32.cview(), 4, 4),
                        "edge_index: edge 1 has source -3 (negative)");
  }
  SECTION("negative target") {
    ei(1, 3) = -1;
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 4),
                        "edge_index: edge 3 has target -1 (negative)");
  }
  SECTION("an int64 id that an int32 cast would wrap into range is still rejected") {
    ei(1, 1) = (std::int64_t{1} << 32) + 1;  // low 32 bits: 1
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 4),
                        "edge_index: edge 1 has target 4294967297 but the graph has 4 nodes");
  }
  SECTION("the first of several bad edges is reported") {
    ei(0, 3) = 4;
    ei(1, 1) = -1;
    ei(1, 2) = 77;
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 4),
                        "edge_index: edge 1 has target -1 (negative)");
  }
  SECTION("bipartite sides are checked separately and named") {
    REQUIRE_NOTHROW(gx::graph::coo_from_edge_index(ei.cview(), 4, 4));
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 3),
                        "edge_index: edge 2 has target 3 but the graph has 3 destination nodes");
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 3, 4),
                        "edge_index: edge 3 has source 3 but the graph has 3 source nodes");
  }
  SECTION("wrong shape [3, E], int64 and int32") {
    gx::Tensor<std::int64_t, 2> three({3, 4});
    gx::Tensor<std::int32_t, 2> three32({3, 4});
    REQUIRE_THROWS_AS(gx::graph::coo_from_edge_index(three.cview(), 4, 4), gx::shape_error);
    REQUIRE_THROWS_AS(gx::graph::coo_from_edge_index(three32.cview(), 4, 4), gx::shape_error);
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(three.cview(), 4, 4),
                        Catch::StartsWith("edge_index: shape [3, 4], expected [2, E]"));
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(three32.cview(), 4, 4),
                        Catch::StartsWith("edge_index: shape [3, 4], expected [2, E]"));
  }
  SECTION("transposed [E, 2] (a common mistake) is a shape error") {
    auto t = gx::Tensor<std::int64_t, 2>::from({4, 2}, {0, 1, 1, 2, 2, 3, 3, 0});
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(t.cview(), 4, 4),
                        Catch::StartsWith("edge_index: shape [4, 2], expected [2, E]"));
  }
  SECTION("a caller-supplied name prefixes the message") {
    ei(0, 0) = 7;
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 4, "graph.safetensors: edge_index"),
                        "graph.safetensors: edge_index: edge 0 has source 7 but the graph has 4 nodes");
  }
}

TEST_CASE("counts beyond graphtx's int32 index are refused before anything is allocated or read",
          "[graph][coo][errors]") {
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 2}, {0, 1, /**/ 1, 0});
  gx::index_t const too_many = gx::index_t{1} << 31;  // int32 max + 1
  SECTION("source nodes") {
    REQUIRE_THROWS_AS(gx::graph::coo_from_edge_index(ei.cview(), too_many, 4), gx::resource_error);
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), too_many, 4),
                        Catch::Contains("number of source nodes 2147483648 does not fit graphtx's 32-bit"));
  }
  SECTION("destination nodes") {
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, gx::index_t{1} << 33),
                        Catch::Contains("number of destination nodes 8589934592 does not fit"));
  }
  SECTION("the largest int32 node count is accepted") {
    auto coo = gx::graph::coo_from_edge_index(ei.cview(), gx::graph::max_index, gx::graph::max_index);
    REQUIRE(coo.num_dst_nodes == 2147483647);
  }
  SECTION("edges: a view claiming 2^31 edges over a tiny buffer is rejected without reading it") {
    std::int64_t tiny[4] = {0, 1, 1, 0};
    gx::TensorView<std::int64_t const, 2> fake(tiny, {2, too_many});
    REQUIRE_THROWS_AS(gx::graph::coo_from_edge_index(fake, 4, 4), gx::resource_error);
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(fake, 4, 4, "big.safetensors"),
                        Catch::StartsWith("big.safetensors: number of edges 2147483648 does not fit"));
    std::int32_t tiny32[4] = {0, 1, 1, 0};
    gx::TensorView<std::int32_t const, 2> fake32(tiny32, {2, too_many});
    REQUIRE_THROWS_AS(gx::graph::coo_from_edge_index(fake32, 4, 4), gx::resource_error);
  }
  SECTION("negative node counts") {
    REQUIRE_THROWS_AS(gx::graph::coo_from_edge_index(ei.cview(), -1, 4), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, -1),
                        "edge_index: number of destination nodes is negative (-1)");
  }
}
