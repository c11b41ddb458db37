// io/graph_file.hpp: reading a batched graph file (run_model's input) and the named error for every
// malformed file in tests/data/hostile/graph/ (made by tools/make_hostile_graphs.py).

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <graphtx/graph/convert.hpp>
#include <graphtx/io/graph_file.hpp>

#include "support/golden.hpp"

namespace gx = graphtx;

TEST_CASE("read_batch loads a valid graph file", "[io][graph_file]") {
  auto b = gx::io::read_batch(gx::test::data_path("graph_valid.safetensors"));
  REQUIRE(b.num_graphs == 2);
  REQUIRE(b.num_nodes() == 5);
  REQUIRE(b.num_edges() == 6);
  REQUIRE(b.x(4, 8) == Approx(4.4f));
}

TEST_CASE("read_batch accepts OGB's int64 features and a file without batch", "[io][graph_file]") {
  gx::io::SafetensorsWriter w;
  auto x = gx::Tensor<std::int64_t, 2>::from({2, 9}, {6, 0, 1, 5, 3, 0, 3, 0, 0, 7, 0, 1, 5, 2, 0, 3, 0, 0});
  auto ei = gx::Tensor<std::int32_t, 2>::from({2, 2}, {0, 1, 1, 0});
  w.add<std::int64_t, 2>("x", x.cview());
  w.add<std::int32_t, 2>("edge_index", ei.cview());
  auto b = gx::io::read_batch(gx::io::SafetensorsFile::from_bytes(w.to_bytes(), "one.safetensors"));
  REQUIRE(b.num_graphs == 1);
  REQUIRE(b.x(1, 0) == 7.0f);
  REQUIRE(b.ptr(1) == 2);
}

TEST_CASE("read_batch: float32 edge features stay float, in file (COO) order", "[io][graph_file][edge_attr]") {
  // tests/data/graph_edge_attr_float32.safetensors: graph_valid plus edge_attr [6, 3] = k * 3 + c over 4, minus 1.
  auto b = gx::io::read_batch(gx::test::data_path("graph_edge_attr_float32.safetensors"));
  REQUIRE(b.num_graphs == 2);
  REQUIRE(b.num_edges() == 6);
  REQUIRE(b.edge_attr.extent(0) == 6);
  REQUIRE(b.edge_attr.extent(1) == 3);
  for (gx::index_t k = 0; k < 6; ++k)
    for (gx::index_t c = 0; c < 3; ++c) REQUIRE(b.edge_attr(k, c) == static_cast<float>(k * 3 + c) / 4 - 1);
  REQUIRE(b.x(4, 8) == Approx(4.4f));
  REQUIRE(b.x_int.extent(0) == 0);  // float features: no int64 copies
  REQUIRE(b.x_int.extent(1) == 0);
  REQUIRE(b.edge_attr_int.extent(0) == 0);
  REQUIRE(b.edge_attr_int.extent(1) == 0);
}

TEST_CASE("read_batch: OGB's int64 x and edge_attr are kept as int64 and cast to float", "[io][graph_file][edge_attr]") {
  // tests/data/graph_edge_attr_int64.safetensors: x [5, 9] = (i * 9 + c) % 7, edge_attr [6, 3] bond features.
  auto b = gx::io::read_batch(gx::test::data_path("graph_edge_attr_int64.safetensors"));
  REQUIRE(b.num_graphs == 2);
  REQUIRE(b.x_int.extent(0) == 5);
  REQUIRE(b.x_int.extent(1) == 9);
  REQUIRE(b.x.extent(0) == 5);
  REQUIRE(b.x.extent(1) == 9);
  for (gx::index_t i = 0; i < 5; ++i) {
    for (gx::index_t c = 0; c < 9; ++c) {
      REQUIRE(b.x_int(i, c) == (i * 9 + c) % 7);
      REQUIRE(b.x(i, c) == static_cast<float>(b.x_int(i, c)));
    }
  }
  std::vector<std::int64_t> const bonds = {0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 3, 2, 1, 3, 2, 1};
  REQUIRE(b.edge_attr_int.extent(0) == 6);
  REQUIRE(b.edge_attr_int.extent(1) == 3);
  REQUIRE(b.edge_attr_int.to_vector() == bonds);
  REQUIRE(b.edge_attr.to_vector() == std::vector<float>(bonds.begin(), bonds.end()));
}

namespace {
// A graph file in memory from x, edge_index and edge_attr of any element types.
template <class X, class EA>
gx::graph::Batch<gx::host> read_written(gx::Tensor<X, 2> const& x, gx::Tensor<std::int64_t, 2> const& ei,
                                        gx::Tensor<EA, 2> const* ea, gx::graph::BatchLimits const& limits = {}) {
  gx::io::SafetensorsWriter w;
  w.add<X, 2>("x", x.cview());
  w.add<std::int64_t, 2>("edge_index", ei.cview());
  if (ea != nullptr) w.add<EA, 2>("edge_attr", ea->cview());
  return gx::io::read_batch(gx::io::SafetensorsFile::from_bytes(w.to_bytes(), "mem.safetensors"), -1, limits);
}

template <class T>
gx::Tensor<T, 2> counting(gx::index_t rows, gx::index_t cols, int scale) {
  gx::Tensor<T, 2> t({rows, cols});
  for (gx::index_t k = 0; k < t.size(); ++k) t.data()[k] = static_cast<T>(scale * (k - 3));
  return t;
}
}  // namespace

TEST_CASE("read_batch round trip: x and edge_attr each float or integer, every dtype", "[io][graph_file][edge_attr]") {
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 4}, {0, 1, 2, 3, 1, 2, 3, 0});  // one graph of 4 nodes
  auto check = [](auto const& b, std::vector<std::int64_t> const& x_ints, std::vector<std::int64_t> const& ea_ints) {
    REQUIRE(b.x_int.to_vector() == x_ints);
    REQUIRE(b.edge_attr_int.to_vector() == ea_ints);
  };
  SECTION("x I64, edge_attr I32: both widened to int64 and cast to float") {
    auto x = counting<std::int64_t>(4, 2, 1);
    auto ea = counting<std::int32_t>(4, 3, 7);
    auto b = read_written(x, ei, &ea);
    auto const ea32 = ea.to_vector();
    check(b, x.to_vector(), std::vector<std::int64_t>(ea32.begin(), ea32.end()));
    REQUIRE(b.x.to_vector() == counting<float>(4, 2, 1).to_vector());
    REQUIRE(b.edge_attr.to_vector() == counting<float>(4, 3, 7).to_vector());
    REQUIRE(b.edge_attr_int.extent(0) == 4);
    REQUIRE(b.edge_attr_int.extent(1) == 3);
  }
  SECTION("x I32, edge_attr F32") {
    auto x = counting<std::int32_t>(4, 2, 2);
    auto ea = counting<float>(4, 1, 3);
    auto b = read_written(x, ei, &ea);
    check(b, {-6, -4, -2, 0, 2, 4, 6, 8}, {});
    REQUIRE(b.edge_attr.to_vector() == ea.to_vector());
    REQUIRE(b.edge_attr_int.extent(1) == 0);
  }
  SECTION("x F32, edge_attr I64") {
    auto x = counting<float>(4, 2, 1);
    auto ea = counting<std::int64_t>(4, 2, -5);
    auto b = read_written(x, ei, &ea);
    check(b, {}, ea.to_vector());
    REQUIRE(b.x_int.extent(1) == 0);
    REQUIRE(b.x.to_vector() == x.to_vector());
    REQUIRE(b.edge_attr.to_vector() == counting<float>(4, 2, -5).to_vector());
  }
  SECTION("x F64, edge_attr F64: rounded to float, no integer copies") {
    auto x = counting<double>(4, 2, 1);
    auto ea = counting<double>(4, 2, 1);
    auto b = read_written(x, ei, &ea);
    check(b, {}, {});
    REQUIRE(b.edge_attr.to_vector() == counting<float>(4, 2, 1).to_vector());
  }
  SECTION("edge_attr stays in file order, not the CSR's") {
    auto x = counting<float>(4, 1, 1);
    auto rev = gx::Tensor<std::int64_t, 2>::from({2, 4}, {3, 2, 1, 0, 0, 3, 2, 1});  // destinations not sorted
    auto ea = gx::Tensor<std::int64_t, 2>::from({4, 1}, {10, 11, 12, 13});
    auto b = read_written(x, rev, &ea);
    REQUIRE(b.edge_attr_int.to_vector() == std::vector<std::int64_t>{10, 11, 12, 13});
    REQUIRE(gx::graph::to_edge_index(gx::graph::to_coo(b.csr)).to_vector() == rev.to_vector());
  }
  SECTION("an edgeless graph may carry edge_attr [0, D]") {
    auto x = counting<float>(2, 1, 1);
    auto none = gx::Tensor<std::int64_t, 2>({2, 0});
    auto ea = gx::Tensor<std::int64_t, 2>({0, 3});
    auto b = read_written(x, none, &ea);
    REQUIRE(b.edge_attr_int.extent(0) == 0);
    REQUIRE(b.edge_attr_int.extent(1) == 3);
    REQUIRE(b.edge_attr.extent(1) == 3);
  }
}

TEST_CASE("read_batch names the file and edge_attr for every broken edge feature rule", "[io][graph_file][edge_attr][errors]") {
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 3}, {0, 1, 2, 1, 2, 0});
  auto x = counting<float>(3, 2, 1);
  using Catch::Contains;
  SECTION("rows other than E, float or integer") {
    auto ea = counting<float>(2, 4, 1);
    REQUIRE_THROWS_AS(read_written(x, ei, &ea), gx::io_error);
    REQUIRE_THROWS_WITH(read_written(x, ei, &ea),
                        "mem.safetensors: tensor \"edge_attr\" has shape [2, 4], expected [3, D] (one row per edge of "
                        "\"edge_index\")");
    auto eai = counting<std::int64_t>(4, 1, 1);
    REQUIRE_THROWS_AS(read_written(x, ei, &eai), gx::io_error);
  }
  SECTION("no columns: D = 0, also on an edgeless graph") {
    auto ea = gx::Tensor<std::int64_t, 2>({3, 0});
    REQUIRE_THROWS_AS(read_written(x, ei, &ea), gx::io_error);
    REQUIRE_THROWS_WITH(read_written(x, ei, &ea), Contains("mem.safetensors: tensor \"edge_attr\" has shape [3, 0], no "
                                                           "features per edge"));
    auto none = gx::Tensor<std::int64_t, 2>({2, 0});
    auto empty = gx::Tensor<float, 2>({0, 0});
    REQUIRE_THROWS_AS(read_written(x, none, &empty), gx::io_error);
  }
  SECTION("a dtype that is neither float nor integer") {
    auto ea = gx::Tensor<std::uint8_t, 2>({3, 2});
    REQUIRE_THROWS_AS(read_written(x, ei, &ea), gx::io_error);
    REQUIRE_THROWS_WITH(read_written(x, ei, &ea), Contains("mem.safetensors: tensor \"edge_attr\" has dtype U8"));
  }
  SECTION("a broken edge_index is named before edge_attr") {
    auto three = gx::Tensor<std::int64_t, 2>::zeros({3, 3});
    auto ea = counting<float>(2, 1, 1);
    REQUIRE_THROWS_WITH(read_written(x, three, &ea), Contains("edge_index: shape [3, 3], expected [2, E]"));
  }
}

TEST_CASE("read_batch counts the int64 copies of integer features against BatchLimits", "[io][graph_file][edge_attr]") {
  // graph_edge_attr_int64: N = 5, F = 9, E = 6, D = 3. Float values 45 + 18 + 5 + 1 + 6 + 24 = 99 (x4),
  // int64 copies 45 + 18 (x8), read_batch's int64 edge_index and batch 12 + 5 (x8): 396 + 504 + 136.
  REQUIRE(gx::graph::batch_build_bytes(5, 9, 6, 3, 0, 9, 3) == 396 + 504);
  auto path = gx::test::data_path("graph_edge_attr_int64.safetensors");
  gx::graph::BatchLimits limits;
  limits.max_bytes = 1035;
  REQUIRE_THROWS_AS(gx::io::read_batch(path, -1, limits), gx::resource_error);
  REQUIRE_THROWS_WITH(gx::io::read_batch(path, -1, limits),
                      Catch::Contains("graph_edge_attr_int64.safetensors: read_batch: a batch of 5 nodes with 9 "
                                      "integer features and 6 edges needs 1036 bytes"));
  limits.max_bytes = 1036;
  REQUIRE(gx::io::read_batch(path, -1, limits).x_int.extent(0) == 5);
}

TEST_CASE("every hostile graph file fails with an error naming the file and the tensor", "[io][graph_file][errors]") {
  // The message fragment each file must produce.
  std::map<std::string, std::string> const expected = {
      {"edge_target_out_of_range", "edge 4 has target 5 but the graph has 5 nodes"},
      {"edge_source_negative", "edge 2 has source -1 (negative)"},
      {"edge_index_three_rows", "edge_index: shape [3, 4], expected [2, E]"},
      {"edge_index_float", "\"edge_index\""},
      {"edge_index_rank1", "tensor \"edge_index\" has shape [12] (rank 1), expected rank 2"},
      {"missing_edge_index", "no tensor named \"edge_index\""},
      {"missing_x", "no tensor named \"x\""},
      {"x_float16", "\"x\""},
      {"x_rank3", "tensor \"x\" has shape [5, 9, 1] (rank 3), expected rank 2"},
      {"batch_not_sorted", "not sorted: node 2 has graph id 0 after 1"},
      {"batch_length_mismatch", "batch: has 4 entries but x has 5 rows"},
      {"batch_negative", "node 0 has graph id -1 (negative)"},
      {"batch_float", "\"batch\""},
      {"batch_graph_id_huge", "2147483644 of its 2147483647 graphs have no node (node 4 jumps from graph id 1 to "
                              "2147483646), more than BatchLimits::max_empty_graphs (65536)"},
      {"batch_graph_id_int64_max", "node 4 has graph id 9223372036854775807, so the batch would have more than "
                                   "2147483647 graphs"},
      {"x_no_features_2g_rows", "a batch of 2147483647 nodes with 0 features and 0 edges needs 34359738360 bytes, "
                                "more than BatchLimits::max_bytes (4294967296)"},
      // Found by tests/fuzz's graph target against the code before BatchLimits: a 12 s hang.
      {"fuzz_timeout_16m_empty_graphs", "16449535 of its 16449538 graphs have no node (node 4 jumps from graph id 1 "
                                        "to 16449537), more than BatchLimits::max_empty_graphs (65536)"},
      // Integer node features (OGB) and edge features.
      {"x_int64_rank1", "tensor \"x\" has shape [45] (rank 1), expected rank 2"},
      {"x_int64_rows_mismatch", "batch: has 5 entries but x has 4 rows"},
      {"x_uint8", "tensor \"x\" has dtype U8, but read_float<2> accepts F32, F64, I64 or I32"},
      {"edge_attr_float16", "tensor \"edge_attr\" has dtype F16, but edge features must be F32 or F64 (float) or "
                            "I64 or I32 (integer)"},
      {"edge_attr_bool", "tensor \"edge_attr\" has dtype BOOL, but edge features must be"},
      {"edge_attr_rank1", "tensor \"edge_attr\" has shape [6] (rank 1), expected rank 2"},
      {"edge_attr_rank3", "tensor \"edge_attr\" has shape [6, 3, 1] (rank 3), expected rank 2"},
      {"edge_attr_rows_mismatch", "tensor \"edge_attr\" has shape [5, 3], expected [6, D] (one row per edge of "
                                  "\"edge_index\")"},
      {"edge_attr_int64_rows_mismatch", "tensor \"edge_attr\" has shape [12, 3], expected [6, D]"},
      {"edge_attr_no_features", "tensor \"edge_attr\" has shape [6, 0], no features per edge (D must be at least 1"},
  };
  auto dir = gx::test::data_path("hostile/graph");
  int seen = 0;
  for (auto const& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().stem().string();
    INFO("hostile graph file " << entry.path());
    auto it = expected.find(name);
    REQUIRE(it != expected.end());  // every committed file has a stated expectation
    try {
      gx::io::read_batch(entry.path());
      FAIL("no error for " << name);
    } catch (gx::error const& e) {
      std::string msg = e.what();
      INFO("message: " << msg);
      CHECK(msg.find(entry.path().filename().string()) != std::string::npos);  // names the file
      CHECK(msg.find(it->second) != std::string::npos);
    }
    ++seen;
  }
  REQUIRE(seen == static_cast<int>(expected.size()));
}
