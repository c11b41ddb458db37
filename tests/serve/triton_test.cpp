// The Triton backend's request handling without the server (<graphtx/serve/triton.hpp>): one
// request's inputs to a graph with named errors, the config's parameters, merging into batches
// within the limits and splitting y back. The real server: tests/serve/triton_server_test.py.
#include <catch2/catch.hpp>

#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <graphtx/serve/triton.hpp>

namespace tx = graphtx::serve::triton;

namespace {
template <class T>
tx::RawInput raw(TRITONSERVER_DataType type, std::vector<std::int64_t> shape, std::vector<T> const& v) {
  tx::RawInput r;
  r.type = type;
  r.shape = std::move(shape);
  r.bytes.resize(v.size() * sizeof(T));
  if (!v.empty()) std::memcpy(r.bytes.data(), v.data(), r.bytes.size());
  return r;
}
using Inputs = std::map<std::string, tx::RawInput, std::less<>>;
Inputs graph3(std::vector<std::int64_t> ids = {0, 1, 1, 2, 1, 0, 2, 1}) {
  Inputs in;
  in.emplace("x", raw<float>(TRITONSERVER_TYPE_FP32, {1, 3, 2}, {1, 2, 3, 4, 5, 6}));
  in.emplace("edge_index", raw<std::int64_t>(TRITONSERVER_TYPE_INT64, {1, 2, static_cast<std::int64_t>(ids.size() / 2)}, ids));
  return in;
}
std::string refusal(Inputs const& in, tx::Settings s = {}, tx::GraphSpec spec = {.batch_dim = true, .in_width = 2}) {
  try {
    (void)tx::parse_graph(in, spec, s);
  } catch (tx::request_error const& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("triton: a request's inputs become one graph with local ids", "[serve][triton]") {
  auto g = tx::parse_graph(graph3(), {.batch_dim = true, .in_width = 2}, {});
  REQUIRE(g.x.extent(0) == 3);
  REQUIRE(g.x.extent(1) == 2);
  CHECK(g.x(2, 1) == 6.0f);
  REQUIRE(g.edge_index.extent(1) == 4);
  CHECK(g.edge_index(1, 2) == 2);
}

TEST_CASE("triton: bad requests are refused naming the input and the problem", "[serve][triton]") {
  using Catch::Matchers::Contains;
  Inputs in = graph3();
  in.erase("edge_index");
  CHECK_THAT(refusal(in), Contains("input \"edge_index\" is missing"));
  in = graph3();
  in.at("x") = raw<double>(TRITONSERVER_TYPE_FP64, {1, 3, 2}, {1, 2, 3, 4, 5, 6});
  CHECK_THAT(refusal(in), Contains("input \"x\": dtype FP64, expected FP32"));
  CHECK_THAT(refusal(graph3({0, -1, 1, 2})), Contains("input \"edge_index\": edge 1 has source id -1 (negative)"));
  CHECK_THAT(refusal(graph3({0, 1, 1, 3})), Contains("edge 1 has target id 3, outside [0, 3)"));
  CHECK_THAT(refusal(graph3(), {}, {.batch_dim = true, .in_width = 9}), Contains("2 features per node, the model takes 9"));
  tx::Settings small;
  small.max_request_nodes = 2;
  CHECK_THAT(refusal(graph3(), small), Contains("input \"x\": 3 nodes, more than max_request_nodes (2)"));
  small = {};
  small.max_request_edges = 1;
  CHECK_THAT(refusal(graph3(), small), Contains("input \"edge_index\": 4 edges, more than max_request_edges (1)"));
  in = graph3();
  in.at("x").shape = {2, 3, 2};
  CHECK_THAT(refusal(in), Contains("one graph per request"));
  in = graph3();
  in.at("x").bytes.pop_back();
  CHECK_THAT(refusal(in), Contains("bytes of data for shape [1, 3, 2]"));
  in = graph3();
  float const nan = std::numeric_limits<float>::quiet_NaN();
  in.at("x") = raw<float>(TRITONSERVER_TYPE_FP32, {1, 3, 2}, {1, 2, 3, nan, 5, 6});
  CHECK(refusal(in).empty());  // only when the config asks
  tx::Settings finite;
  finite.check_finite = true;
  CHECK_THAT(refusal(in, finite), Contains("input \"x\": row 1, column 1 is nan"));
}

TEST_CASE("triton: parameters from the config, unknown keys and bad values named", "[serve][triton]") {
  using Catch::Matchers::Contains;
  auto cfg = nlohmann::json::parse(R"({"parameters": {"omp_threads": {"string_value": "2"},
      "check_finite": {"string_value": "true"}, "max_batch_nodes": {"string_value": "100"}}})");
  tx::Settings s = tx::parse_settings(cfg);
  CHECK(s.omp_threads == 2);
  CHECK(s.check_finite);
  CHECK(s.max_batch_nodes == 100);
  CHECK(s.max_request_nodes == 100);  // a request the batch cannot hold is refused by itself
  auto bad = [](char const* text) {
    try {
      (void)tx::parse_settings(nlohmann::json::parse(text));
    } catch (graphtx::error const& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK_THAT(bad(R"({"parameters": {"omp_thread": {"string_value": "2"}}})"), Contains("unknown parameter \"omp_thread\""));
  CHECK_THAT(bad(R"({"parameters": {"max_batch_nodes": {"string_value": "0"}}})"), Contains("\"max_batch_nodes\": \"0\""));
  CHECK_THAT(bad(R"({"parameters": {"weights": {"string_value": "../x"}}})"), Contains("not a file name"));
}

TEST_CASE("triton: requests merge in order within the batch limits", "[serve][triton]") {
  tx::Settings s;
  s.max_batch_nodes = 10;
  s.max_batch_edges = 100;
  s.max_batch_graphs = 3;
  std::vector<std::pair<graphtx::index_t, graphtx::index_t>> sizes{{4, 1}, {4, 1}, {4, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}};
  auto groups = tx::plan_batches(sizes, s);
  REQUIRE(groups.size() == 3);
  CHECK(groups[0] == std::pair<std::size_t, std::size_t>{0, 2});
  CHECK(groups[1] == std::pair<std::size_t, std::size_t>{2, 5});
  CHECK(groups[2] == std::pair<std::size_t, std::size_t>{5, 7});
}

TEST_CASE("triton: y splits back per graph, or per node for a node-level model", "[serve][triton]") {
  std::vector<graphtx::graph::GraphData> gs(3);
  gs[0].x = graphtx::Tensor<float, 2, graphtx::host>::zeros({2, 1});
  gs[1].x = graphtx::Tensor<float, 2, graphtx::host>::zeros({0, 1});
  gs[2].x = graphtx::Tensor<float, 2, graphtx::host>::zeros({3, 1});
  auto b = graphtx::graph::batch_graphs(gs);
  auto per_graph = tx::split_rows(b, 3, tx::output_level::graph);
  CHECK(per_graph[2].first == 2);
  CHECK(per_graph[2].rows == 1);
  auto per_node = tx::split_rows(b, 5, tx::output_level::node);
  CHECK(per_node[1].rows == 0);
  CHECK(per_node[2].first == 2);
  CHECK(per_node[2].rows == 3);
  CHECK_THROWS_AS(tx::split_rows(b, 4, tx::output_level::unknown), graphtx::error);
}
