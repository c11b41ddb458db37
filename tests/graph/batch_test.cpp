// graph/batch.hpp: batch_graphs (PyG's Batch.from_data_list) against an elementwise textbook
// concatenation, and make_batch (a file's batched tensors) on valid and hostile inputs. All
// comparisons are exact: batching only copies floats and shifts integer ids.

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <vector>

#include <graphtx/graph/batch.hpp>
#include <graphtx/graph/convert.hpp>

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
