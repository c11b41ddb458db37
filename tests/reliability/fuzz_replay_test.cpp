// The three fuzz targets' bodies (tests/fuzz/targets.hpp) in the normal suite, with any compiler:
// every .safetensors file under tests/data (goldens, hostile files, fuzz reproducers) goes through
// the safetensors, graph-file and weights targets. Each must return or throw a graphtx::error;
// another exception fails here, a crash or broken invariant aborts (and ASan/UBSan see it in
// .ci/sanitize). Reproducers of fuzz findings live in tests/data/hostile/{safetensors,graph,weights}.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/targets.hpp"
#include "support/golden.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> read_all(fs::path const& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// "accepted", or the graphtx::error's message.
template <class Target>
std::string outcome(Target target, std::vector<std::uint8_t> const& bytes) {
  try {
    target(std::span<std::uint8_t const>(bytes.data(), bytes.size()));
    return "accepted";
  } catch (graphtx::error const& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("every file of tests/data goes through the three fuzz targets without a finding", "[reliability][fuzz]") {
  int files = 0, graphs_accepted = 0, weights_loaded = 0;
  for (auto const& entry : fs::recursive_directory_iterator(graphtx::test::data_path(""))) {
    if (entry.path().extension() != ".safetensors") continue;
    ++files;
    INFO(entry.path().string());
    auto const bytes = read_all(entry.path());
    (void)outcome(graphtx::fuzz::safetensors_one, bytes);
    graphs_accepted += outcome(graphtx::fuzz::graph_file_one, bytes) == "accepted" ? 1 : 0;
    try {
      weights_loaded += graphtx::fuzz::state_dict_one(std::span<std::uint8_t const>(bytes.data(), bytes.size()));
    } catch (graphtx::error const&) {
    }
  }
  REQUIRE(files >= 70);
  REQUIRE(graphs_accepted >= 10);  // the .io files of conv/ and model/ are graphs too
  REQUIRE(weights_loaded == 0);  // no committed file is the small fuzz model's state_dict
}

TEST_CASE("the fuzz targets accept the files they should and name what they reject", "[reliability][fuzz]") {
  namespace fz = graphtx::fuzz;
  // The small model's and conv's own state_dicts load and run.
  graphtx::io::StateDictWriter model_sd, conv_sd;
  fz::reference_model().save(model_sd);
  graphtx::nn::save_state(fz::reference_conv(), conv_sd);
  auto as_u8 = [](std::vector<std::byte> const& b) {
    return std::vector<std::uint8_t>(reinterpret_cast<std::uint8_t const*>(b.data()),
                                     reinterpret_cast<std::uint8_t const*>(b.data()) + b.size());
  };
  auto const model_bytes = as_u8(model_sd.to_bytes()), conv_bytes = as_u8(conv_sd.to_bytes());
  REQUIRE(fz::state_dict_one(std::span<std::uint8_t const>(model_bytes.data(), model_bytes.size())) == 1);
  REQUIRE(fz::state_dict_one(std::span<std::uint8_t const>(conv_bytes.data(), conv_bytes.size())) == 1);
  REQUIRE(outcome(fz::safetensors_one, as_u8(model_sd.to_bytes())) == "accepted");
  // A graph file: accepted, and its forward ran (F = 9).
  auto const graph = read_all(graphtx::test::data_path("graph_valid.safetensors"));
  REQUIRE(outcome(fz::graph_file_one, graph) == "accepted");
  // Hostile inputs are named rejections.
  auto const huge = read_all(graphtx::test::data_path("hostile/graph/batch_graph_id_huge.safetensors"));
  REQUIRE_THAT(outcome(fz::graph_file_one, huge), Catch::Contains("BatchLimits::max_empty_graphs"));
  std::vector<std::uint8_t> const truncated(graph.begin(), graph.begin() + 100);
  REQUIRE_THAT(outcome(fz::safetensors_one, truncated), Catch::Contains("InvalidHeaderLength"));
}
