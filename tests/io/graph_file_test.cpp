// io/graph_file.hpp: reading a batched graph file (run_model's input) and the named error for every
// malformed file in tests/data/hostile/graph/ (made by tools/make_hostile_graphs.py).

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>

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
