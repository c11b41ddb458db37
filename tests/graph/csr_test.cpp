// graph/: COO validation (first bad edge named), COO <-> CSR by destination (stable, exact
// inverse), CSR structural validation.

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include <graphtx/graph/convert.hpp>
#include <graphtx/graph/validate.hpp>

#include "support/random.hpp"

namespace gx = graphtx;
using gx::graph::node_t;

namespace {

gx::Tensor<std::int64_t, 2> random_edge_index(gx::test::rng_t& rng, gx::index_t n_src, gx::index_t n_dst, gx::index_t e) {
  gx::Tensor<std::int64_t, 2> ei({2, e});
  std::uniform_int_distribution<std::int64_t> s(0, std::max<gx::index_t>(n_src - 1, 0));
  std::uniform_int_distribution<std::int64_t> d(0, std::max<gx::index_t>(n_dst - 1, 0));
  for (gx::index_t k = 0; k < e; ++k) {
    ei(0, k) = s(rng);
    ei(1, k) = d(rng);
  }
  return ei;
}

void check_round_trip(gx::Tensor<std::int64_t, 2> const& ei, gx::index_t n_src, gx::index_t n_dst) {
  auto coo = gx::graph::coo_from_edge_index(ei.cview(), n_src, n_dst);
  auto csr = gx::graph::to_csr(coo);
  REQUIRE_NOTHROW(gx::graph::validate(csr));
  REQUIRE(csr.num_edges() == ei.extent(1));
  REQUIRE(csr.offsets.extent(0) == n_dst + 1);
  // Brute force: the in-degree of every node and, within a destination, COO order preserved.
  std::vector<node_t> deg(static_cast<std::size_t>(n_dst), 0);
  for (gx::index_t k = 0; k < ei.extent(1); ++k) ++deg[static_cast<std::size_t>(ei(1, k))];
  auto in_deg = gx::graph::in_degree(csr);
  for (gx::index_t i = 0; i < n_dst; ++i) {
    REQUIRE(in_deg(i) == deg[static_cast<std::size_t>(i)]);
    for (node_t p = csr.offsets(i); p < csr.offsets(i + 1); ++p) {
      node_t k = csr.edge_ids(p);
      REQUIRE(ei(1, k) == i);
      REQUIRE(ei(0, k) == csr.sources(p));
      if (p > csr.offsets(i)) REQUIRE(csr.edge_ids(p - 1) < k);  // stable
    }
  }
  auto back = gx::graph::to_edge_index(gx::graph::to_coo(csr));
  REQUIRE(back.to_vector() == ei.to_vector());
}

}  // namespace

TEST_CASE("COO to CSR by destination is stable and inverts exactly", "[graph][csr]") {
  gx::test::rng_t rng(7);
  SECTION("random graph with duplicates, self-loops and isolated nodes") {
    check_round_trip(random_edge_index(rng, 50, 50, 120), 50, 50);
  }
  SECTION("bipartite") { check_round_trip(random_edge_index(rng, 30, 11, 90), 30, 11); }
  SECTION("a hub of in-degree 500") {
    auto ei = random_edge_index(rng, 600, 600, 560);
    for (gx::index_t k = 0; k < 500; ++k) ei(1, k) = 17;
    check_round_trip(ei, 600, 600);
  }
  SECTION("no edges") { check_round_trip(gx::Tensor<std::int64_t, 2>({2, 0}), 5, 5); }
  SECTION("no nodes") { check_round_trip(gx::Tensor<std::int64_t, 2>({2, 0}), 0, 0); }
  SECTION("a known small graph") {
    auto ei = gx::Tensor<std::int64_t, 2>::from({2, 5}, {0, 2, 1, 2, 0, /**/ 1, 1, 0, 1, 2});
    auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), 3, 3));
    REQUIRE(csr.offsets.to_vector() == std::vector<node_t>{0, 1, 4, 5});
    REQUIRE(csr.sources.to_vector() == std::vector<node_t>{1, 0, 2, 2, 0});
    REQUIRE(csr.edge_ids.to_vector() == std::vector<node_t>{2, 0, 1, 3, 4});
  }
}

TEST_CASE("edge_index validation names the first bad edge", "[graph][validate][errors]") {
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 4}, {0, 1, 2, 3, /**/ 1, 2, 3, 0});
  REQUIRE_NOTHROW(gx::graph::coo_from_edge_index(ei.cview(), 4, 4));
  SECTION("target out of range") {
    ei(1, 2) = 9001;
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 4),
                        "edge_index: edge 2 has target 9001 but the graph has 4 nodes");
  }
  SECTION("negative source, int32 input") {
    auto e32 = gx::Tensor<std::int32_t, 2>::from({2, 3}, {0, -3, 1, /**/ 1, 2, 0});
    REQUIRE_THROWS_AS(gx::graph::coo_from_edge_index(e32.cview(), 3, 3), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(e32.cview(), 3, 3), "edge_index: edge 1 has source -3 (negative)");
  }
  SECTION("the first of several bad edges is reported") {
    ei(0, 3) = 4;
    ei(1, 1) = -1;
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 4), Catch::Contains("edge 1 has target -1"));
  }
  SECTION("bipartite sides are checked separately") {
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 3),
                        "edge_index: edge 2 has target 3 but the graph has 3 destination nodes");
  }
  SECTION("wrong shape") {
    gx::Tensor<std::int64_t, 2> three({3, 4});
    REQUIRE_THROWS_AS(gx::graph::coo_from_edge_index(three.cview(), 4, 4), gx::shape_error);
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(three.cview(), 4, 4), Catch::Contains("shape [3, 4], expected [2, E]"));
  }
  SECTION("node counts beyond the 32-bit index are refused before any allocation") {
    REQUIRE_THROWS_AS(gx::graph::coo_from_edge_index(ei.cview(), 4, std::int64_t{1} << 33), gx::resource_error);
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), std::int64_t{1} << 31, 4),
                        Catch::Contains("does not fit graphtx's 32-bit"));
  }
  SECTION("a caller-supplied name prefixes the message") {
    ei(0, 0) = 7;
    REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 4, 4, "graph.safetensors: edge_index"),
                        Catch::StartsWith("graph.safetensors: edge_index: edge 0 has source 7"));
  }
}

TEST_CASE("CSR validation finds structural errors", "[graph][validate][errors]") {
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 4}, {0, 1, 2, 3, /**/ 1, 2, 3, 0});
  auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), 4, 4));
  SECTION("decreasing offsets") {
    csr.offsets(2) = 0;
    REQUIRE_THROWS_WITH(gx::graph::validate(csr), Catch::Contains("offsets[2] = 0 is less than offsets[1] = 1"));
  }
  SECTION("source out of range") {
    csr.sources(1) = 4;
    REQUIRE_THROWS_WITH(gx::graph::validate(csr), Catch::Contains("position 1 has source 4"));
  }
  SECTION("edge ids not a permutation") {
    csr.edge_ids(3) = csr.edge_ids(0);
    REQUIRE_THROWS_WITH(gx::graph::validate(csr), Catch::Contains("position 3 has edge id"));
  }
  SECTION("last offset is not E") {
    csr.offsets(4) = 3;
    REQUIRE_THROWS_AS(gx::graph::validate(csr), gx::graph_error);
  }
}
