// graph/batch.hpp and generate.hpp: batching like PyG's Batch, validation of batch vectors, and
// the seed-batch generator.

#include <catch2/catch.hpp>

#include <set>
#include <utility>
#include <vector>

#include <graphtx/graph/batch.hpp>
#include <graphtx/graph/generate.hpp>

namespace gx = graphtx;
using gx::graph::node_t;

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
}

TEST_CASE("batch_graphs rejects inconsistent graphs by index", "[graph][batch][errors]") {
  std::vector<gx::graph::GraphData> graphs(2);
  graphs[0].x = gx::Tensor<float, 2>({2, 3});
  graphs[0].edge_index = gx::Tensor<std::int64_t, 2>::from({2, 1}, {0, 1});
  graphs[1].x = gx::Tensor<float, 2>({2, 4});
  graphs[1].edge_index = gx::Tensor<std::int64_t, 2>({2, 0});
  REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs), Catch::Contains("graph 1 has x with 4 features"));
  graphs[1].x = gx::Tensor<float, 2>({2, 3});
  graphs[1].edge_index = gx::Tensor<std::int64_t, 2>::from({2, 1}, {0, 2});  // local id 2 of a 2-node graph
  REQUIRE_THROWS_WITH(gx::graph::batch_graphs(graphs), Catch::Contains("graph 1 edge_index: edge 0 has target 2"));
}

TEST_CASE("make_batch validates the batch vector like a file loader must", "[graph][batch][errors]") {
  auto x = [] { return gx::Tensor<float, 2>::zeros({4, 2}); };
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 2}, {0, 2, 1, 3});
  SECTION("valid, G inferred as batch.max() + 1") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 1});
    auto b = gx::graph::make_batch(x(), ei.cview(), batch.cview());
    REQUIRE(b.num_graphs == 2);
    REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0, 2, 4});
  }
  SECTION("explicit num_graphs keeps trailing empty graphs") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 1});
    auto b = gx::graph::make_batch(x(), ei.cview(), batch.cview(), 4);
    REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0, 2, 4, 4, 4});
  }
  SECTION("length mismatch") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({3}, {0, 0, 1});
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), ei.cview(), batch.cview()),
                        "batch: has 3 entries but x has 4 rows (one graph id per node)");
  }
  SECTION("not sorted") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 1, 0, 1});
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), ei.cview(), batch.cview()),
                        Catch::Contains("not sorted: node 2 has graph id 0 after 1"));
  }
  SECTION("negative id") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {-1, 0, 0, 0});
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), ei.cview(), batch.cview()),
                        "batch: node 0 has graph id -1 (negative)");
  }
  SECTION("id beyond num_graphs") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 3});
    REQUIRE_THROWS_WITH(gx::graph::make_batch(x(), ei.cview(), batch.cview(), 2),
                        Catch::Contains("graph id 3 but num_graphs is 2"));
  }
  SECTION("edge out of range") {
    auto batch = gx::Tensor<std::int64_t, 1>::from({4}, {0, 0, 1, 1});
    auto bad = gx::Tensor<std::int64_t, 2>::from({2, 2}, {0, 2, 1, 4});
    REQUIRE_THROWS_AS(gx::graph::make_batch(x(), bad.cview(), batch.cview()), gx::graph_error);
  }
  SECTION("empty batch") {
    auto b = gx::graph::make_batch(gx::Tensor<float, 2>({0, 2}), gx::Tensor<std::int64_t, 2>({2, 0}).cview(),
                                   gx::Tensor<std::int64_t, 1>({0}).cview());
    REQUIRE(b.num_graphs == 0);
    REQUIRE(b.ptr.to_vector() == std::vector<node_t>{0});
  }
}

TEST_CASE("the seed batch generator makes 512 molecules with exactly 7170 atoms", "[graph][generate]") {
  auto b = gx::graph::generate_molecule_batch(512, 0, 7170);
  REQUIRE(b.num_graphs == 512);
  REQUIRE(b.num_nodes() == 7170);
  REQUIRE(b.num_edges() >= 14400);
  REQUIRE(b.num_edges() <= 15100);
  auto coo = gx::graph::to_coo(b.csr);
  std::set<std::pair<node_t, node_t>> edges;
  int singles = 0;
  for (gx::index_t g = 0; g < b.num_graphs; ++g) singles += b.ptr(g + 1) - b.ptr(g) == 1;
  REQUIRE(singles > 0);  // one-atom molecules with no edges are part of the workload
  for (gx::index_t k = 0; k < coo.num_edges(); ++k) {
    node_t s = coo.src(k), d = coo.dst(k);
    REQUIRE(s != d);                           // no self-loops
    REQUIRE(b.batch(s) == b.batch(d));         // edges stay inside one molecule
    edges.emplace(s, d);
  }
  for (auto [s, d] : edges) REQUIRE(edges.count({d, s}) == 1);  // both directions of every bond
  // Deterministic for a seed, different for another.
  auto again = gx::graph::generate_molecule_batch(512, 0, 7170);
  REQUIRE(again.x.to_vector() == b.x.to_vector());
  REQUIRE(again.csr.sources.to_vector() == b.csr.sources.to_vector());
  auto other = gx::graph::generate_molecule_batch(512, 1, 7170);
  REQUIRE(other.csr.sources.to_vector() != b.csr.sources.to_vector());
}
