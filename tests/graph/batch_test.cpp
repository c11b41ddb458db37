// graph/batch.hpp: batch_graphs (PyG's Batch.from_data_list) against an elementwise textbook
// concatenation, and make_batch (a file's batched tensors) on valid and hostile inputs. All
// comparisons are exact: batching only copies floats and shifts integer ids.

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <graphtx/graph/batch.hpp>
#include <graphtx/graph/convert.hpp>
#include <graphtx/graph/transfer.hpp>

#include "support/random.hpp"

namespace gx = graphtx;
using gx::graph::node_t;

namespace {

// n nodes, e random local edges, F features, D edge features (0: none); values encode (graph, row,
// column) so that any misplaced copy shows.
gx::graph::GraphData make_graph(gx::test::rng_t& rng, int g, gx::index_t n, gx::index_t e, gx::index_t f,
                                gx::index_t d) {
  gx::graph::GraphData gd;
  gd.x = gx::Tensor<float, 2>({n, f});
  for (gx::index_t i = 0; i < n; ++i)
    for (gx::index_t c = 0; c < f; ++c) gd.x(i, c) = static_cast<float>(1000 * g + 10 * i + c);
  gd.edge_index = gx::Tensor<std::int64_t, 2>({2, e});
  std::uniform_int_distribution<std::int64_t> node(0, n > 0 ? n - 1 : 0);
  for (gx::index_t k = 0; k < e; ++k) {
    gd.edge_index(0, k) = node(rng);
    gd.edge_index(1, k) = node(rng);
  }
  if (d > 0) {
    gd.edge_attr = gx::Tensor<float, 2>({e, d});
    for (gx::index_t k = 0; k < e; ++k)
      for (gx::index_t c = 0; c < d; ++c) gd.edge_attr(k, c) = static_cast<float>(-1000 * g - 10 * k - c);
  }
  return gd;
}

// The textbook concatenation, graph by graph, row by row: what from_data_list produces.
void check_against_concatenation(std::vector<gx::graph::GraphData> const& graphs, gx::graph::Batch<> const& b,
                                 gx::index_t f, gx::index_t d) {
  std::vector<float> x, edge_attr;
  std::vector<std::int64_t> src, dst;
  std::vector<node_t> batch, ptr{0};
  std::int64_t node0 = 0;
  for (std::size_t g = 0; g < graphs.size(); ++g) {
    auto const& gd = graphs[g];
    for (gx::index_t i = 0; i < gd.x.extent(0); ++i) {
      for (gx::index_t c = 0; c < f; ++c) x.push_back(gd.x(i, c));
      batch.push_back(static_cast<node_t>(g));
    }
    gx::index_t const e = gd.edge_index.extent(0) == 2 ? gd.edge_index.extent(1) : 0;
    for (gx::index_t k = 0; k < e; ++k) {
      src.push_back(gd.edge_index(0, k) + node0);
      dst.push_back(gd.edge_index(1, k) + node0);
      for (gx::index_t c = 0; c < d; ++c) edge_attr.push_back(gd.edge_attr(k, c));
    }
    node0 += gd.x.extent(0);
    ptr.push_back(static_cast<node_t>(node0));
  }
  REQUIRE(b.num_graphs == static_cast<gx::index_t>(graphs.size()));
  REQUIRE(b.num_nodes() == node0);
  REQUIRE(b.num_edges() == static_cast<gx::index_t>(src.size()));
  REQUIRE(b.x.extent(1) == f);
  REQUIRE(b.x.to_vector() == x);
  REQUIRE(b.batch.to_vector() == batch);
  REQUIRE(b.ptr.to_vector() == ptr);
  REQUIRE(b.csr.num_src_nodes == node0);
  REQUIRE(b.csr.num_dst_nodes == node0);
  REQUIRE_NOTHROW(gx::graph::validate(b.csr));
  auto ei = gx::graph::to_edge_index(gx::graph::to_coo(b.csr));
  std::vector<std::int64_t> expected_ei = src;
  expected_ei.insert(expected_ei.end(), dst.begin(), dst.end());
  REQUIRE(ei.to_vector() == expected_ei);
  if (d > 0) {
    REQUIRE(b.edge_attr.extent(0) == b.num_edges());
    REQUIRE(b.edge_attr.extent(1) == d);
    REQUIRE(b.edge_attr.to_vector() == edge_attr);
  } else {
    REQUIRE(b.edge_attr.extent(0) == 0);
    REQUIRE(b.edge_attr.extent(1) == 0);
  }
}

}  // namespace

TEST_CASE("batch_graphs stacks features, shifts edges and builds batch and ptr", "[graph][batch]") {
  std::vector<gx::graph::GraphData> graphs(4);
  graphs[0].x = gx::Tensor<float, 2>::filled({2, 3}, 1.0f);
  graphs[0].edge_index = gx::Tensor<std::int64_t, 2>::from({2, 2}, {0, 1, 1, 0});
  graphs[1].x = gx::Tensor<float, 2>({0, 3});  // zero nodes
  graphs[1].edge_index = gx::Tensor<std::int64_t, 2>({2, 0});
  graphs[2].x = gx::Tensor<float, 2>::filled({1, 3}, 2.0f);  // one atom, no edges
  graphs[2].edge_index = gx::Tensor<std::int64_t, 2>({2, 0});
  graphs[3].x = gx::Tensor<float, 2>::filled({3, 3}, 3.0f);
  graphs[3].edge_index = gx::Tensor<std::int64_t, 2>::from({2, 2}, {0, 2, 2, 1});
  auto b = gx::graph::batch_graphs(graphs);
  REQUIRE(b.num_graphs == 4);
  REQUIRE(b.num_nodes() == 6);
  REQUIRE(b.num_edges() == 4);
  REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0, 2, 2, 3, 6});
  REQUIRE(b.batch.to_vector() == std::vector<node_t>{0, 0, 2, 3, 3, 3});
  REQUIRE(b.x(2, 0) == 2.0f);
  REQUIRE(b.x(5, 2) == 3.0f);
  auto ei = gx::graph::to_edge_index(gx::graph::to_coo(b.csr));
  REQUIRE(ei.to_vector() == std::vector<std::int64_t>{0, 1, 3, 5, /**/ 1, 0, 5, 4});
  check_against_concatenation(graphs, b, 3, 0);
}

TEST_CASE("batch_graphs equals the textbook concatenation on random graph lists", "[graph][batch]") {
  gx::test::rng_t rng(31);
  std::uniform_int_distribution<int> size(0, 12), edges(0, 30);
  for (gx::index_t d : {0, 2}) {
    for (int trial = 0; trial < 20; ++trial) {
      INFO("D = " << d << ", trial " << trial);
      std::vector<gx::graph::GraphData> graphs;
      int const count = 1 + trial % 9;
      for (int g = 0; g < count; ++g) {
        gx::index_t const n = (g + trial) % 5 == 0 ? 0 : size(rng);  // some zero-node graphs
        gx::index_t const e = n == 0 || (g + trial) % 3 == 0 ? 0 : edges(rng);  // some zero-edge graphs
        graphs.push_back(make_graph(rng, g, n, e, 4, d));
      }
      check_against_concatenation(graphs, gx::graph::batch_graphs(graphs), 4, d);
    }
  }
}

TEST_CASE("batch_graphs edge cases: no graphs, unset tensors, leading and trailing empty graphs", "[graph][batch]") {
  SECTION("an empty list is an empty batch") {
    auto b = gx::graph::batch_graphs({});
    REQUIRE(b.num_graphs == 0);
    REQUIRE(b.num_nodes() == 0);
    REQUIRE(b.num_edges() == 0);
    REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0});
    REQUIRE(b.csr.offsets.to_vector() == std::vector<node_t>{0});
  }
  SECTION("a zero-node graph may leave x and edge_index unset ([0, 0]); F comes from the others") {
    gx::test::rng_t rng(5);
    std::vector<gx::graph::GraphData> graphs(3);
    graphs[1] = make_graph(rng, 1, 4, 6, 3, 2);
    graphs[2].x = gx::Tensor<float, 2>({0, 3});
    auto b = gx::graph::batch_graphs(graphs);
    REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0, 0, 4, 4});
    REQUIRE(b.x.extent(1) == 3);
    check_against_concatenation(graphs, b, 3, 2);
  }
  SECTION("edge features with an edgeless graph holding [0, D] or nothing") {
    gx::test::rng_t rng(6);
    std::vector<gx::graph::GraphData> graphs;
    graphs.push_back(make_graph(rng, 0, 1, 0, 2, 0));  // single atom, edge_attr unset
    graphs.push_back(make_graph(rng, 1, 5, 8, 2, 3));
    graphs.push_back(make_graph(rng, 2, 1, 0, 2, 3));  // single atom, edge_attr [0, 3]
    graphs.push_back(make_graph(rng, 3, 3, 4, 2, 3));
    check_against_concatenation(graphs, gx::graph::batch_graphs(graphs), 2, 3);
  }
}

TEST_CASE("batch_graphs rejects inconsistent graphs and names the graph", "[graph][batch][errors]") {
  gx::test::rng_t rng(9);
  std::vector<gx::graph::GraphData> graphs;
  graphs.push_back(make_graph(rng, 0, 3, 2, 3, 2));
  graphs.push_back(make_graph(rng, 1, 2, 2, 3, 2));
  REQUIRE_NOTHROW(gx::graph::batch_graphs(graphs));
  SECTION("different F") {
    graphs[1].x = gx::Tensor<float, 2>({2, 4});
    REQUIRE_THROWS_AS(gx::graph::batch_graphs(graphs), gx::shape_error);
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs), "batch_graphs: graph 1 has x with 4 features, graph 0 has 3");
  }
  SECTION("different D") {
    graphs[1].edge_attr = gx::Tensor<float, 2>({2, 5});
    REQUIRE_THROWS_AS(gx::graph::batch_graphs(graphs), gx::shape_error);
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        Catch::StartsWith("batch_graphs: graph 1 has edge_attr of shape [2, 5], expected [2, 2]"));
  }
  SECTION("edge_attr rows not matching the graph's edges") {
    graphs[0].edge_attr = gx::Tensor<float, 2>({3, 2});
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        Catch::StartsWith("batch_graphs: graph 0 has edge_attr of shape [3, 2], expected [2, 2]"));
  }
  SECTION("one graph with edges but no edge_attr while others have it") {
    graphs[1].edge_attr = gx::Tensor<float, 2>();
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        Catch::StartsWith("batch_graphs: graph 1 has 2 edges but edge_attr of shape [0, 0], while "
                                          "graph 0 has edge_attr with 2 features"));
  }
  SECTION("edge_index of shape [3, e]") {
    graphs[1].edge_index = gx::Tensor<std::int64_t, 2>::zeros({3, 2});
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        "batch_graphs: graph 1 has edge_index of shape [3, 2], expected [2, E]");
  }
  SECTION("a local id beyond the graph's own node count (not the batch's)") {
    graphs[1].edge_index(1, 1) = 2;  // graph 1 has 2 nodes; id 2 would be valid in the batch of 5
    REQUIRE_THROWS_AS(gx::graph::batch_graphs(graphs), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        "batch_graphs: graph 1 edge_index: edge 1 has target 2 but the graph has 2 nodes");
  }
  SECTION("a negative local id") {
    graphs[0].edge_index(0, 0) = -1;
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        "batch_graphs: graph 0 edge_index: edge 0 has source -1 (negative)");
  }
  SECTION("edges in a graph with no nodes") {
    graphs.push_back(gx::graph::GraphData{});
    graphs.back().edge_index = gx::Tensor<std::int64_t, 2>::zeros({2, 1});
    graphs.back().edge_attr = gx::Tensor<float, 2>::zeros({1, 2});
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        "batch_graphs: graph 2 edge_index: edge 0 has source 0 but the graph has 0 nodes");
  }
}

TEST_CASE("make_batch builds the same batch as batch_graphs from the concatenated tensors", "[graph][batch]") {
  gx::test::rng_t rng(77);
  std::vector<gx::graph::GraphData> graphs;
  for (int g = 0; g < 7; ++g) {
    gx::index_t const n = g == 2 ? 0 : 1 + g % 5;
    graphs.push_back(make_graph(rng, g, n, n == 0 || g % 3 == 0 ? 0 : 6, 3, 2));
  }
  graphs.push_back(make_graph(rng, 7, 0, 0, 3, 2));  // a trailing zero-node graph
  auto expected = gx::graph::batch_graphs(graphs);
  auto ei = gx::graph::to_edge_index(gx::graph::to_coo(expected.csr));
  gx::Tensor<std::int64_t, 1> batch({expected.num_nodes()});
  for (gx::index_t k = 0; k < expected.num_nodes(); ++k) batch(k) = expected.batch(k);
  auto b = gx::graph::make_batch(expected.x.clone(), ei.cview(), batch.cview(), 8, expected.edge_attr.clone());
  REQUIRE(b.num_graphs == 8);
  REQUIRE(b.x.to_vector() == expected.x.to_vector());
  REQUIRE(b.edge_attr.to_vector() == expected.edge_attr.to_vector());
  REQUIRE(b.batch.to_vector() == expected.batch.to_vector());
  REQUIRE(b.ptr.to_vector() == expected.ptr.to_vector());
  REQUIRE(b.csr.offsets.to_vector() == expected.csr.offsets.to_vector());
  REQUIRE(b.csr.sources.to_vector() == expected.csr.sources.to_vector());
  REQUIRE(b.csr.edge_ids.to_vector() == expected.csr.edge_ids.to_vector());
  SECTION("without num_graphs the trailing empty graph is dropped, as in PyG (batch.max() + 1)") {
    auto inferred = gx::graph::make_batch(expected.x.clone(), ei.cview(), batch.cview());
    REQUIRE(inferred.num_graphs == 7);
    REQUIRE(inferred.ptr.extent(0) == 8);
  }
}

TEST_CASE("make_batch validates the batch vector like a file loader must", "[graph][batch][errors]") {
  auto x = [] { return gx::Tensor<float, 2>::zeros({4, 2}); };
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 2}, {0, 2, 1, 3});
  SECTION("valid, G inferred as batch.max() + 1") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 1});
    auto b = gx::graph::make_batch(x(), ei.cview(), batch.cview());
    REQUIRE(b.num_graphs == 2);
    REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0, 2, 4});
    REQUIRE(b.batch.to_vector() == std::vector<node_t>{0, 0, 1, 1});
    REQUIRE(b.edge_attr.size() == 0);
  }
  SECTION("explicit num_graphs keeps trailing empty graphs") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 1});
    auto b = gx::graph::make_batch(x(), ei.cview(), batch.cview(), 4);
    REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0, 2, 4, 4, 4});
  }
  SECTION("a gap in the ids is an empty graph in the middle") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 2, 2});
    auto b = gx::graph::make_batch(x(), ei.cview(), batch.cview());
    REQUIRE(b.num_graphs == 3);
    REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0, 2, 2, 4});
  }
  SECTION("length mismatch") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({3}, {0, 0, 1});
    REQUIRE_THROWS_AS(gx::graph::make_batch(x(), ei.cview(), batch.cview()), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), ei.cview(), batch.cview()),
                        "batch: has 3 entries but x has 4 rows (one graph id per node)");
  }
  SECTION("not sorted: the first node where the ids decrease is named") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 1, 0, 1});
    REQUIRE_THROWS_AS(gx::graph::make_batch(x(), ei.cview(), batch.cview()), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), ei.cview(), batch.cview()),
                        Catch::StartsWith("batch: not sorted: node 2 has graph id 0 after 1"));
  }
  SECTION("negative id") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {-1, 0, 0, 0});
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), ei.cview(), batch.cview()),
                        "batch: node 0 has graph id -1 (negative)");
  }
  SECTION("id beyond num_graphs: the first such node is named") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 2, 3, 3});
    REQUIRE_THROWS_AS(gx::graph::make_batch(x(), ei.cview(), batch.cview(), 2), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), ei.cview(), batch.cview(), 2),
                        "batch: node 1 has graph id 2 but num_graphs is 2");
  }
  SECTION("num_graphs 0 with nodes present") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 0, 0});
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), ei.cview(), batch.cview(), 0),
                        "batch: node 0 has graph id 0 but num_graphs is 0");
  }
  SECTION("an edge out of range names the edge") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 1});
    auto bad = gx::Tensor<std::int64_t, 2>::from({2, 2}, {0, 2, 1, 4});
    REQUIRE_THROWS_AS(gx::graph::make_batch(x(), bad.cview(), batch.cview()), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), bad.cview(), batch.cview()),
                        "edge_index: edge 1 has target 4 but the graph has 4 nodes");
  }
  SECTION("edge_index of the wrong shape") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 1});
    gx::Tensor<std::int64_t, 2> three({3, 2});
    REQUIRE_THROWS_AS(gx::graph::make_batch(x(), three.cview(), batch.cview()), gx::shape_error);
  }
  SECTION("edge_attr rows not one per edge") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 1});
    REQUIRE_THROWS_AS(gx::graph::make_batch(x(), ei.cview(), batch.cview(), -1, gx::Tensor<float, 2>({3, 5})),
                      gx::shape_error);
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), ei.cview(), batch.cview(), -1, gx::Tensor<float, 2>({3, 5})),
                        "edge_attr: shape [3, 5], expected [2, D] (one row per edge)");
  }
  SECTION("edge_attr [E, 0] means no edge features") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 1});
    auto b = gx::graph::make_batch(x(), ei.cview(), batch.cview(), -1, gx::Tensor<float, 2>({2, 0}));
    REQUIRE(b.edge_attr.extent(0) == 0);
    REQUIRE(b.edge_attr.extent(1) == 0);
  }
  SECTION("num_graphs beyond int32 is refused before ptr is allocated") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 1});
    REQUIRE_THROWS_AS(gx::graph::make_batch(x(), ei.cview(), batch.cview(), gx::index_t{1} << 31), gx::resource_error);
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), ei.cview(), batch.cview(), gx::index_t{1} << 31),
                        Catch::StartsWith("make_batch: number of graphs 2147483648 does not fit"));
    auto huge_id = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, std::int64_t{1} << 40});
    REQUIRE_THROWS_AS(gx::graph::make_batch(x(), ei.cview(), huge_id.cview()), gx::resource_error);
  }
  SECTION("empty batch: N = 0 gives G = 0, as current PyG") {
    auto b = gx::graph::make_batch(gx::Tensor<float, 2>({0, 2}), gx::Tensor<std::int64_t, 2>({2, 0}).cview(),
                                   gx::Tensor<std::int64_t, 1>({0}).cview());
    REQUIRE(b.num_graphs == 0);
    REQUIRE(b.num_nodes() == 0);
    REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0});
  }
  SECTION("empty batch with explicit num_graphs: every graph is empty") {
    auto b = gx::graph::make_batch(gx::Tensor<float, 2>({0, 2}), gx::Tensor<std::int64_t, 2>({2, 0}).cview(),
                                   gx::Tensor<std::int64_t, 1>({0}).cview(), 3);
    REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0, 0, 0, 0});
  }
}

// ---- integer features (OGB's atom and bond features): x_int, edge_attr_int -------------------

namespace {

gx::Tensor<std::int64_t, 2> to_int(gx::Tensor<float, 2> const& t) {
  gx::Tensor<std::int64_t, 2> out({t.extent(0), t.extent(1)});
  for (gx::index_t k = 0; k < t.size(); ++k) out.data()[k] = static_cast<std::int64_t>(t.data()[k]);
  return out;
}

// The same graph with its (integer-valued) features moved into x_int / edge_attr_int.
gx::graph::GraphData as_int(gx::graph::GraphData const& gd, bool x, bool edge_attr) {
  gx::graph::GraphData out;
  out.edge_index = gd.edge_index.clone();
  if (x) {
    out.x_int = to_int(gd.x);
  } else {
    out.x = gd.x.clone();
  }
  if (edge_attr) {
    out.edge_attr_int = to_int(gd.edge_attr);
  } else {
    out.edge_attr = gd.edge_attr.clone();
  }
  return out;
}

std::vector<std::int64_t> ints_of(gx::Tensor<float, 2> const& t) {
  std::vector<std::int64_t> out;
  for (float v : t.to_vector()) out.push_back(static_cast<std::int64_t>(v));
  return out;
}

}  // namespace

TEST_CASE("batch_graphs stacks x_int and edge_attr_int and casts them into x and edge_attr", "[graph][batch][int]") {
  gx::test::rng_t rng(41);
  std::uniform_int_distribution<int> size(0, 10), edges(0, 20);
  for (int kinds = 1; kinds < 4; ++kinds) {
    bool const int_x = (kinds & 1) != 0, int_ea = (kinds & 2) != 0;
    for (int trial = 0; trial < 10; ++trial) {
      INFO("int x " << int_x << ", int edge_attr " << int_ea << ", trial " << trial);
      std::vector<gx::graph::GraphData> floats, ints;
      for (int g = 0; g < 1 + trial % 6; ++g) {
        gx::index_t const n = (g + trial) % 4 == 0 ? 0 : size(rng);
        gx::index_t const e = n == 0 || (g + trial) % 3 == 0 ? 0 : edges(rng);
        floats.push_back(make_graph(rng, g, n, e, 9, 3));
        ints.push_back(as_int(floats.back(), int_x, int_ea));
      }
      auto const expected = gx::graph::batch_graphs(floats);
      auto const b = gx::graph::batch_graphs(ints);
      check_against_concatenation(floats, b, 9, 3);  // x and edge_attr: the float casts, in order
      REQUIRE(b.x.to_vector() == expected.x.to_vector());
      REQUIRE(b.edge_attr.to_vector() == expected.edge_attr.to_vector());
      if (int_x) {
        REQUIRE(b.x_int.extent(0) == b.num_nodes());
        REQUIRE(b.x_int.extent(1) == 9);
        REQUIRE(b.x_int.to_vector() == ints_of(expected.x));
      } else {
        REQUIRE(b.x_int.extent(0) == 0);
        REQUIRE(b.x_int.extent(1) == 0);
      }
      if (int_ea) {
        REQUIRE(b.edge_attr_int.extent(0) == b.num_edges());
        REQUIRE(b.edge_attr_int.extent(1) == 3);
        REQUIRE(b.edge_attr_int.to_vector() == ints_of(expected.edge_attr));
      } else {
        REQUIRE(b.edge_attr_int.extent(1) == 0);
      }
    }
  }
}

TEST_CASE("batch_graphs: zero-node and edgeless graphs may hold either kind, or nothing", "[graph][batch][int]") {
  gx::test::rng_t rng(42);
  std::vector<gx::graph::GraphData> graphs;
  graphs.push_back(as_int(make_graph(rng, 0, 3, 4, 2, 2), true, true));
  graphs.push_back(make_graph(rng, 1, 0, 0, 2, 2));                    // float x [0, 2], edge_attr [0, 2]
  graphs.push_back(as_int(make_graph(rng, 2, 1, 0, 2, 0), true, false));  // one atom, no edge features
  graphs.push_back(gx::graph::GraphData{});                               // nothing at all
  auto b = gx::graph::batch_graphs(graphs);
  REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0, 3, 3, 4, 4});
  REQUIRE(b.x_int.extent(0) == 4);
  REQUIRE(b.x_int(3, 1) == 2001);
  REQUIRE(b.x(3, 1) == 2001.0f);
  REQUIRE(b.edge_attr_int.extent(0) == 4);
  REQUIRE(b.edge_attr_int(3, 1) == -31);
  SECTION("only edgeless graphs: edge_attr_int [0, D]") {
    std::vector<gx::graph::GraphData> none(2);
    none[0].x_int = gx::Tensor<std::int64_t, 2>::filled({2, 3}, 7);
    none[1].edge_attr_int = gx::Tensor<std::int64_t, 2>({0, 4});
    auto e = gx::graph::batch_graphs(none);
    REQUIRE(e.edge_attr_int.extent(0) == 0);
    REQUIRE(e.edge_attr_int.extent(1) == 4);
    REQUIRE(e.edge_attr.extent(1) == 4);
    REQUIRE(e.x.to_vector() == std::vector<float>(6, 7.0f));
  }
}

TEST_CASE("batch_graphs rejects inconsistent integer features and names the graph and tensor", "[graph][batch][int][errors]") {
  gx::test::rng_t rng(43);
  std::vector<gx::graph::GraphData> graphs;
  graphs.push_back(as_int(make_graph(rng, 0, 3, 2, 3, 2), true, true));
  graphs.push_back(as_int(make_graph(rng, 1, 2, 2, 3, 2), true, true));
  REQUIRE_NOTHROW(gx::graph::batch_graphs(graphs));
  SECTION("both x and x_int") {
    graphs[1].x = gx::Tensor<float, 2>({2, 3});
    REQUIRE_THROWS_AS(gx::graph::batch_graphs(graphs), gx::shape_error);
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        Catch::StartsWith("batch_graphs: graph 1 has both x of shape [2, 3] and x_int of shape [2, 3]"));
  }
  SECTION("both edge_attr and edge_attr_int") {
    graphs[0].edge_attr = gx::Tensor<float, 2>({2, 2});
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        Catch::StartsWith("batch_graphs: graph 0 has both edge_attr of shape [2, 2] and edge_attr_int"));
  }
  SECTION("float x in one graph, x_int in another") {
    graphs[1] = as_int(make_graph(rng, 1, 2, 2, 3, 2), false, true);
    REQUIRE_THROWS_AS(gx::graph::batch_graphs(graphs), gx::shape_error);
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        "batch_graphs: graph 1 has its node features in x, graph 0 in x_int (float or integer, the "
                        "same for all graphs)");
  }
  SECTION("float edge_attr in one graph, edge_attr_int in another") {
    graphs[1] = as_int(make_graph(rng, 1, 2, 2, 3, 2), true, false);
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        "batch_graphs: graph 1 has its edge features in edge_attr, graph 0 in edge_attr_int (float or "
                        "integer, the same for all graphs)");
  }
  SECTION("different F in x_int") {
    graphs[1].x_int = gx::Tensor<std::int64_t, 2>({2, 4});
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs), "batch_graphs: graph 1 has x_int with 4 features, graph 0 has 3");
  }
  SECTION("edge_attr_int rows not one per edge, or another D") {
    graphs[1].edge_attr_int = gx::Tensor<std::int64_t, 2>({3, 2});
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        Catch::StartsWith("batch_graphs: graph 1 has edge_attr_int of shape [3, 2], expected [2, 2]"));
    graphs[1].edge_attr_int = gx::Tensor<std::int64_t, 2>({2, 1});
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        Catch::StartsWith("batch_graphs: graph 1 has edge_attr_int of shape [2, 1], expected [2, 2]"));
  }
  SECTION("a graph with edges but no edge_attr_int while others have it") {
    graphs[1].edge_attr_int = gx::Tensor<std::int64_t, 2>();
    REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs),
                        "batch_graphs: graph 1 has 2 edges but edge_attr_int of shape [0, 0], while graph 0 has "
                        "edge_attr_int with 2 features (all graphs or none)");
  }
}

TEST_CASE("make_batch with int64 x and edge_attr: kept in x_int / edge_attr_int, cast into x / edge_attr",
          "[graph][batch][int]") {
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 3}, {0, 2, 3, 1, 3, 2});
  auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 1});
  auto x_int = [] { return gx::Tensor<std::int64_t, 2>::from({4, 2}, {6, 0, 7, 1, 8, 0, -1, (std::int64_t{1} << 40)}); };
  auto ea_int = [] { return gx::Tensor<std::int64_t, 2>::from({3, 3}, {0, 0, 1, 1, 0, 0, 3, 2, 1}); };
  SECTION("both integer") {
    auto b = gx::graph::make_batch(x_int(), ei.cview(), batch.cview(), -1, ea_int());
    REQUIRE(b.x_int.to_vector() == x_int().to_vector());
    REQUIRE(b.x.to_vector() == std::vector<float>{6, 0, 7, 1, 8, 0, -1, 1099511627776.0f});
    REQUIRE(b.edge_attr_int.to_vector() == ea_int().to_vector());
    REQUIRE(b.edge_attr.to_vector() == std::vector<float>{0, 0, 1, 1, 0, 0, 3, 2, 1});
    REQUIRE(b.num_graphs == 2);
    SECTION("to_space copies the integer members too") {
      auto c = gx::graph::to_space<gx::host>(b);
      REQUIRE(c.x_int.to_vector() == b.x_int.to_vector());
      REQUIRE(c.edge_attr_int.to_vector() == b.edge_attr_int.to_vector());
      REQUIRE(c.edge_attr_int.extent(1) == 3);
      REQUIRE(c.x.to_vector() == b.x.to_vector());
      REQUIRE(c.ptr.to_vector() == b.ptr.to_vector());
    }
  }
  SECTION("integer x, float edge_attr; float x, integer edge_attr") {
    auto b = gx::graph::make_batch(x_int(), ei.cview(), batch.cview(), -1, gx::Tensor<float, 2>::filled({3, 1}, 0.5f));
    REQUIRE(b.x_int.extent(0) == 4);
    REQUIRE(b.edge_attr_int.extent(1) == 0);
    REQUIRE(b.edge_attr.to_vector() == std::vector<float>(3, 0.5f));
    auto c = gx::graph::make_batch(gx::Tensor<float, 2>::filled({4, 2}, 1.5f), ei.cview(), batch.cview(), -1, ea_int());
    REQUIRE(c.x_int.extent(0) == 0);
    REQUIRE(c.x_int.extent(1) == 0);
    REQUIRE(c.edge_attr_int.to_vector() == ea_int().to_vector());
  }
  SECTION("integer x without edge features") {
    auto b = gx::graph::make_batch(x_int(), ei.cview(), batch.cview());
    REQUIRE(b.edge_attr_int.extent(1) == 0);
    REQUIRE(b.edge_attr.extent(1) == 0);
  }
  SECTION("edge_attr_int [E, 0] means none") {
    auto b = gx::graph::make_batch(x_int(), ei.cview(), batch.cview(), -1, gx::Tensor<std::int64_t, 2>({3, 0}));
    REQUIRE(b.edge_attr_int.extent(0) == 0);
    REQUIRE(b.edge_attr_int.extent(1) == 0);
    REQUIRE(b.edge_attr.extent(0) == 0);
  }
  SECTION("errors name the tensor: x rows against batch, edge_attr rows against E") {
    auto short_x = gx::Tensor<std::int64_t, 2>({3, 2});
    REQUIRE_THROWS_AS(gx::graph::make_batch(std::move(short_x), ei.cview(), batch.cview()), gx::graph_error);
    REQUIRE_THROWS_WITH(gx::graph::make_batch(gx::Tensor<std::int64_t, 2>({3, 2}), ei.cview(), batch.cview()),
                        "batch: has 4 entries but x has 3 rows (one graph id per node)");
    REQUIRE_THROWS_AS(gx::graph::make_batch(x_int(), ei.cview(), batch.cview(), -1, gx::Tensor<std::int64_t, 2>({4, 3})),
                      gx::shape_error);
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x_int(), ei.cview(), batch.cview(), -1,
                                              gx::Tensor<std::int64_t, 2>({4, 3})),
                        "edge_attr: shape [4, 3], expected [3, D] (one row per edge)");
  }
  SECTION("BatchLimits counts the int64 copies before allocating") {
    // Float values: x 8 + edge_attr 9 + batch 4 + ptr 3 + CSR offsets 5 + 4 * 3 = 41 (x4);
    // int64 copies: 8 + 9 (x8).
    REQUIRE(gx::graph::batch_build_bytes(4, 2, 3, 3, 2) == 164);
    REQUIRE(gx::graph::batch_build_bytes(4, 2, 3, 3, 2, 2, 3) == 164 + 136);
    REQUIRE(gx::graph::batch_build_bytes(4, 2, 3, 3, 2, 2, 0) == 164 + 64);
    REQUIRE(gx::graph::batch_build_bytes(gx::graph::max_index, 1, 0, 0, 0, std::numeric_limits<gx::index_t>::max()) ==
            std::numeric_limits<std::uint64_t>::max());  // saturates
    gx::graph::BatchLimits limits;
    limits.max_bytes = 299;
    REQUIRE_THROWS_AS(gx::graph::make_batch(x_int(), ei.cview(), batch.cview(), -1, ea_int(), limits),
                      gx::resource_error);
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x_int(), ei.cview(), batch.cview(), -1, ea_int(), limits),
                        Catch::StartsWith("make_batch: a batch of 4 nodes, 3 edges and 2 graphs needs 300 bytes"));
    // The same batch with float features fits.
    REQUIRE_NOTHROW(gx::graph::make_batch(gx::Tensor<float, 2>({4, 2}), ei.cview(), batch.cview(), -1,
                                          gx::Tensor<float, 2>({3, 3}), limits));
    limits.max_bytes = 300;
    REQUIRE_NOTHROW(gx::graph::make_batch(x_int(), ei.cview(), batch.cview(), -1, ea_int(), limits));
  }
}
