// Resource limits on graphs from outside (graph::BatchLimits, the int32 index, int64 byte sizes):
// every input that would need more memory than a stated limit, or an index graphtx cannot hold,
// fails with a named resource_error before anything is allocated. The inputs here are a few bytes
// that ask for gigabytes; a test that allocated them would take minutes or be killed.

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <graphtx/graphtx.hpp>

#include "support/golden.hpp"

namespace {

namespace gx = graphtx;
using Catch::Contains;

gx::Tensor<float, 2> features(gx::index_t n, gx::index_t f = 3) {
  gx::Tensor<float, 2> x({n, f});
  for (gx::index_t i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(i);
  return x;
}
gx::Tensor<std::int64_t, 1> ids(std::vector<std::int64_t> v) {
  auto n = static_cast<gx::index_t>(v.size());
  return gx::Tensor<std::int64_t, 1>::from({n}, v);
}
gx::Tensor<std::int64_t, 2> no_edges() { return gx::Tensor<std::int64_t, 2>({2, 0}); }

std::vector<std::byte> graph_file(gx::Tensor<float, 2> const& x, gx::Tensor<std::int64_t, 2> const& ei,
                                  gx::Tensor<std::int64_t, 1> const* batch = nullptr) {
  gx::io::SafetensorsWriter w;
  w.add<float, 2>("x", x.cview());
  w.add<std::int64_t, 2>("edge_index", ei.cview());
  if (batch != nullptr) w.add<std::int64_t, 1>("batch", batch->cview());
  return w.to_bytes();
}

}  // namespace

TEST_CASE("make_batch refuses a batch vector that implies more graphs than graphtx can index",
          "[reliability][limits]") {
  std::int64_t const big = std::numeric_limits<std::int64_t>::max();
  // batch.max() + 1 would overflow int64: caught before the addition (UBSan checks that).
  REQUIRE_THROWS_MATCHES(gx::graph::make_batch(features(2), no_edges().cview(), ids({0, big}).cview()),
                         gx::resource_error,
                         Catch::Matchers::Message("batch: node 1 has graph id 9223372036854775807, so the batch would "
                                                  "have more than 2147483647 graphs, the most graphtx's 32-bit index "
                                                  "holds"));
  REQUIRE_THROWS_AS(gx::graph::make_batch(features(2), no_edges().cview(), ids({0, std::int64_t{1} << 40}).cview()),
                    gx::resource_error);
  REQUIRE_THROWS_WITH(gx::graph::make_batch(features(2), no_edges().cview(), ids({0, gx::graph::max_index}).cview()),
                      Contains("more than 2147483647 graphs"));
  // An explicit num_graphs beyond int32.
  REQUIRE_THROWS_WITH(gx::graph::make_batch(features(2), no_edges().cview(), ids({0, 0}).cview(),
                                            gx::index_t{1} << 31),
                      Contains("number of graphs 2147483648 does not fit"));
}

TEST_CASE("make_batch bounds the graphs without nodes (BatchLimits::max_empty_graphs)", "[reliability][limits]") {
  // Two nodes naming graph 2^31 - 2: before the limit this allocated an 8 GiB ptr.
  REQUIRE_THROWS_MATCHES(
      gx::graph::make_batch(features(2), no_edges().cview(), ids({0, gx::graph::max_index - 1}).cview()),
      gx::resource_error,
      Catch::Matchers::Message("batch: 2147483645 of its 2147483647 graphs have no node (node 1 jumps from graph id 0 "
                               "to 2147483646), more than BatchLimits::max_empty_graphs (65536); each would still "
                               "cost a ptr entry and a pooled row"));
  // Trailing graphs from an explicit num_graphs count too.
  REQUIRE_THROWS_WITH(gx::graph::make_batch(features(2), no_edges().cview(), ids({0, 1}).cview(), 1'000'000),
                      Contains("999998 of its 1000000 graphs have no node (the graphs after the last node's)"));
  // At the limit: accepted, and the empty graphs keep their slots.
  gx::graph::BatchLimits limits;
  limits.max_empty_graphs = 3;
  auto b = gx::graph::make_batch(features(2), no_edges().cview(), ids({1, 3}).cview(), 5, {}, limits);
  REQUIRE(b.num_graphs == 5);
  REQUIRE(b.ptr.to_vector() == std::vector<gx::graph::node_t>{0, 0, 1, 1, 2, 2});
  REQUIRE_THROWS_WITH(gx::graph::make_batch(features(2), no_edges().cview(), ids({1, 3}).cview(), 6, {}, limits),
                      Contains("4 of its 6 graphs have no node (node 0 jumps from graph id -1 to 1)"));
  // PyG's own zero-node graph case is well within the default.
  auto g = gx::test::load_golden("model", "zero_node_graph");
  REQUIRE(gx::io::read_batch(g.io, 4).num_graphs == 4);
}

TEST_CASE("make_batch and read_batch refuse batches above BatchLimits::max_bytes before allocating",
          "[reliability][limits]") {
  // The estimate: 4 bytes per value of x, edge_attr, batch, ptr, CSR and the COO it is sorted from.
  REQUIRE(gx::graph::batch_build_bytes(5, 9, 6, 0, 2) == 4 * (45 + 5 + 3 + 6 + 4 * 6));
  REQUIRE(gx::graph::batch_build_bytes(5, 9, 6, 2, 2) == 4 * (45 + 12 + 5 + 3 + 6 + 4 * 6));
  // Saturates instead of wrapping around.
  REQUIRE(gx::graph::batch_build_bytes(gx::graph::max_index, std::numeric_limits<gx::index_t>::max(), 0, 0, 0) ==
          std::numeric_limits<std::uint64_t>::max());

  gx::graph::BatchLimits small;
  small.max_bytes = 1000;
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 2}, {0, 1, 1, 0});
  REQUIRE_THROWS_MATCHES(gx::graph::make_batch(features(100), ei.cview(), ids(std::vector<std::int64_t>(100, 0)).cview(),
                                               -1, {}, small),
                         gx::resource_error,
                         Catch::Matchers::Message("make_batch: a batch of 100 nodes, 2 edges and 1 graphs needs 2044 "
                                                  "bytes, more than BatchLimits::max_bytes (1000); nothing was "
                                                  "allocated (raise the limit for a graph this big)"));
  small.max_bytes = 2044;
  REQUIRE(gx::graph::make_batch(features(100), ei.cview(), ids(std::vector<std::int64_t>(100, 0)).cview(), -1, {},
                                small)
              .num_nodes() == 100);

  // A file whose x has 2^31 - 1 rows of zero features: zero bytes on disk, tens of GB to build.
  gx::Tensor<float, 2> wide({gx::graph::max_index, 0});
  auto file = gx::io::SafetensorsFile::from_bytes(graph_file(wide, no_edges()), "no_features.safetensors");
  REQUIRE_THROWS_MATCHES(gx::io::read_batch(file), gx::resource_error,
                         Catch::Matchers::Message(
                             "no_features.safetensors: read_batch: a batch of 2147483647 nodes with 0 features and 0 "
                             "edges needs 34359738360 bytes, more than BatchLimits::max_bytes (4294967296); nothing "
                             "was allocated (raise the limit for a graph this big)"));
  // One row more does not fit the int32 node index at all.
  gx::Tensor<float, 2> wider({gx::index_t{1} << 31, 0});
  auto file2 = gx::io::SafetensorsFile::from_bytes(graph_file(wider, no_edges()), "rows.safetensors");
  REQUIRE_THROWS_WITH(gx::io::read_batch(file2),
                      Contains("rows.safetensors: read_batch: number of nodes (rows of \"x\") 2147483648 does not fit "
                               "graphtx's 32-bit node/edge index"));
  // edge_index [0, 2^40]: zero bytes, 2^40 edges.
  gx::Tensor<std::int64_t, 2> edges({0, gx::index_t{1} << 40});
  auto x = features(3);
  auto file3 = gx::io::SafetensorsFile::from_bytes(graph_file(x, edges), "edges.safetensors");
  REQUIRE_THROWS_AS(gx::io::read_batch(file3), gx::resource_error);
  REQUIRE_THROWS_WITH(gx::io::read_batch(file3), Contains("number of edges (columns of \"edge_index\") 1099511627776"));
}

TEST_CASE("read_batch applies caller-given limits, and run_model's --max-graph-bytes maps onto them",
          "[reliability][limits]") {
  auto const path = gx::test::data_path("graph_valid.safetensors");
  gx::graph::BatchLimits tight;
  tight.max_bytes = 100;
  REQUIRE_THROWS_WITH(gx::io::read_batch(path, -1, tight),
                      Contains("graph_valid.safetensors: read_batch: a batch of 5 nodes with 9 features and 6 edges "
                               "needs") &&
                          Contains("more than BatchLimits::max_bytes (100)"));
  REQUIRE(gx::io::read_batch(path).num_graphs == 2);
}

TEST_CASE("sizes that overflow int64 byte counts or int32 ids are refused, never wrapped", "[reliability][limits]") {
  // Tensor extents whose byte count overflows: resource_error from the allocator's checked count.
  using T2 = gx::Tensor<float, 2>;
  REQUIRE_THROWS_AS(T2({gx::index_t{1} << 40, gx::index_t{1} << 40}), gx::resource_error);
  REQUIRE_THROWS_AS(T2({std::numeric_limits<gx::index_t>::max() / 2, 3}), gx::resource_error);
  // Edge ids above int32 in a file are named, not truncated.
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 1}, {0, std::int64_t{1} << 32});
  REQUIRE_THROWS_WITH(gx::graph::coo_from_edge_index(ei.cview(), 3, 3),
                      Contains("edge 0 has target 4294967296 but the graph has 3 nodes"));
  // safetensors: prod(shape) x bits beyond 64 bits (the reference's ValidationOverflow).
  std::string json = R"({"a":{"dtype":"F64","shape":[4294967296,4294967296,4],"data_offsets":[0,16]}})";
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<char>((json.size() >> (8 * i)) & 0xff);
  bytes += json + std::string(16, '\0');
  std::vector<std::byte> v(bytes.size());
  std::memcpy(v.data(), bytes.data(), bytes.size());
  REQUIRE_THROWS_WITH(gx::io::SafetensorsFile::from_bytes(v), Contains("ValidationOverflow"));
}
