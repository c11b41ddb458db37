// GraphTransformer (the seed architecture) against real PyG goldens, its parameter count, and
// strict loading of its state_dict.
//
// Tolerance: y and the node activations vs PyG float32 at rtol 1e-4 / atol 1e-5 (docs/pyg_semantics.md, Tolerances). Both
// sides compute in float32 with different BLAS summation orders; LayerNorm renormalises every layer,
// so the differences stay at a few ulp per layer.

#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <string>

#include <graphtx/io/graph_file.hpp>
#include <graphtx/models/graph_transformer.hpp>

#include "support/compare.hpp"
#include "support/golden.hpp"

namespace gx = graphtx;

namespace {

constexpr gx::GraphTransformerConfig small{.in = 9, .hidden = 16, .heads = 4, .num_conv_layers = 3};
constexpr gx::GraphTransformerConfig seedlike{.in = 9, .hidden = 32, .heads = 8, .num_conv_layers = 10};
// The defaults resolve to the folded algorithm in every layer (F <= C, no edge features); the
// textbook variants run the same goldens through the reference path.
constexpr gx::GraphTransformerConfig small_textbook{
    .in = 9, .hidden = 16, .heads = 4, .num_conv_layers = 3, .attention = gx::nn::attention_algorithm::textbook};
constexpr gx::GraphTransformerConfig seedlike_textbook{
    .in = 9, .hidden = 32, .heads = 8, .num_conv_layers = 10, .attention = gx::nn::attention_algorithm::textbook};
static_assert(small.first_conv().uses_folded() && small.hidden_conv().uses_folded());

template <gx::GraphTransformerConfig Cfg>
void check_model_golden(std::string const& name) {
  INFO("golden model/" << name);
  auto g = gx::test::load_golden("model", name);
  REQUIRE(g.meta_int("input_dim") == Cfg.in);
  REQUIRE(g.meta_int("hidden_dim") == Cfg.hidden);
  REQUIRE(g.meta_int("heads") == Cfg.heads);
  REQUIRE(g.meta_int("num_conv_layers") == Cfg.num_conv_layers);

  using Model = gx::GraphTransformer<Cfg>;
  Model const model = Model::load(g.weights);
  auto batch = gx::io::read_batch(g.io, g.meta_int("num_graphs"));
  REQUIRE(batch.num_graphs == g.meta_int("num_graphs"));
  REQUIRE(batch.num_nodes() == g.meta_int("num_nodes"));

  auto node_out = model.node_forward(batch);
  GRAPHTX_REQUIRE_CLOSE(node_out.cview(), g.io.read<float, 2>("node_out").cview(), gx::test::pyg_fp32);
  auto y = model.forward(batch);
  GRAPHTX_REQUIRE_CLOSE(y.cview(), g.io.read<float, 2>("y").cview(), gx::test::pyg_fp32);
}

}  // namespace

TEST_CASE("the seed model has 64,071,937 parameters, dead layers included", "[models][graph_transformer]") {
  STATIC_REQUIRE(gx::GraphTransformer<gx::seed_config>::parameter_count == 64'071'937);
  STATIC_REQUIRE(gx::seed_config.convs_built() == 11);
  STATIC_REQUIRE(gx::seed_config.norms_built() == 10);
  STATIC_REQUIRE(gx::seed_config.norms_run() == 9);
  // docs/seed_model.md, Parameter count: conv0 248,320; conv1..10 6,381,824 each; lns 10 x 512; post_mp 257.
  STATIC_REQUIRE(gx::seed_config.first_conv().parameter_count() == 248'320);
  STATIC_REQUIRE(gx::seed_config.hidden_conv().parameter_count() == 6'381'824);
}

TEST_CASE("GraphTransformer matches PyG", "[models][graph_transformer][pyg]") {
  SECTION("small: 3 layers, a one-atom molecule in the batch") { check_model_golden<small>("small"); }
  SECTION("small with int64 x as OGB stores it") { check_model_golden<small>("small_int_x"); }
  SECTION("the seed's structure (10 layers, 11 convs built) at reduced width") {
    check_model_golden<seedlike>("seedlike");
  }
  SECTION("a graph with zero nodes inside the batch") { check_model_golden<small>("zero_node_graph"); }
  SECTION("an empty batch: N = 0, G = 0") { check_model_golden<small>("empty_batch"); }
  SECTION("textbook path: small") { check_model_golden<small_textbook>("small"); }
  SECTION("textbook path: seedlike") { check_model_golden<seedlike_textbook>("seedlike"); }
  SECTION("textbook path: zero-node graph") { check_model_golden<small_textbook>("zero_node_graph"); }
}

TEST_CASE("GraphTransformer loads its state_dict strictly", "[models][graph_transformer][io][errors]") {
  using Model = gx::GraphTransformer<small>;
  Model const model = Model::random(11);
  gx::io::StateDictWriter sd;
  model.save(sd);
  auto bytes = sd.to_bytes();

  SECTION("save then load is exact, the unused trailing conv and LayerNorm included") {
    Model back = Model::load(gx::io::SafetensorsFile::from_bytes(bytes, "m.safetensors"));
    REQUIRE(back.get<"convs">().item<3>().inner.lin_value.weight.to_vector() ==
            model.get<"convs">().item<3>().inner.lin_value.weight.to_vector());
    REQUIRE(std::decay_t<decltype(back.get<"lns">())>::size == 3);
    REQUIRE(back.get<"post_mp">().item<0>().bias.to_vector() == model.get<"post_mp">().item<0>().bias.to_vector());
  }
  SECTION("a state_dict without the dead conv (a config mismatch) names the missing key") {
    constexpr gx::GraphTransformerConfig honest{
        .in = 9, .hidden = 16, .heads = 4, .num_conv_layers = 3, .unused_trailing_layer = false};
    gx::io::StateDictWriter sd2;
    gx::GraphTransformer<honest>::random(1).save(sd2);
    auto file = gx::io::SafetensorsFile::from_bytes(sd2.to_bytes(), "honest.safetensors");
    REQUIRE_THROWS_WITH(Model::load(file), Catch::Contains("honest.safetensors") && Catch::Contains("missing key") &&
                                               Catch::Contains("convs.3."));
    // And the other way round: the seed-style file has keys the honest config does not.
    auto seed_file = gx::io::SafetensorsFile::from_bytes(bytes, "m.safetensors");
    REQUIRE_THROWS_WITH(gx::GraphTransformer<honest>::load(seed_file),
                        Catch::Contains("unexpected key") && Catch::Contains("convs.3.lin_key.bias"));
  }
  SECTION("a wider hidden size is a shape error naming the tensor") {
    constexpr gx::GraphTransformerConfig wider{.in = 9, .hidden = 20, .heads = 4, .num_conv_layers = 3};
    auto file = gx::io::SafetensorsFile::from_bytes(bytes, "m.safetensors");
    REQUIRE_THROWS_WITH(gx::GraphTransformer<wider>::load(file),
                        Catch::Contains("convs.0.lin_key.weight has shape [64, 9], expected [80, 9]"));
  }
}

TEST_CASE("GraphTransformer::load(path) refuses a file larger than its state_dict before reading it",
          "[models][graph_transformer][io][errors]") {
  using Model = gx::GraphTransformer<small>;
  auto const dir = std::filesystem::temp_directory_path();
  auto const good = dir / "graphtx_load_limit_good.safetensors";
  auto const big = dir / "graphtx_load_limit_big.safetensors";
  Model const model = Model::random(3);
  // No buffers in this architecture: the bound is the parameters' bytes, the header and the length.
  REQUIRE(model.max_state_dict_file_bytes() == 8 + (16u << 20) + 4 * Model::parameter_count);
  gx::io::StateDictWriter sd;
  model.save(sd);
  sd.write(good);
  Model back = Model::load(good);  // a real state_dict is well inside the bound
  REQUIRE(back.get<"post_mp">().item<0>().weight.to_vector() == model.get<"post_mp">().item<0>().weight.to_vector());

  // The same state_dict plus one more tensor that makes the file 1 byte too large: refused with a
  // message naming the file and the bound, before the reader looks at a key.
  auto const bytes = sd.to_bytes();
  gx::index_t const extra_floats =
      static_cast<gx::index_t>((model.max_state_dict_file_bytes() - bytes.size()) / 4) + 1;
  gx::io::StateDictWriter sd_big;
  model.save(sd_big);
  sd_big.put("padding", gx::Tensor<float, 1>::zeros({extra_floats}));
  sd_big.write(big);
  REQUIRE(std::filesystem::file_size(big) > model.max_state_dict_file_bytes());
  REQUIRE_THROWS_AS(Model::load(big), gx::io_error);
  REQUIRE_THROWS_WITH(Model::load(big), Catch::Contains("graphtx_load_limit_big.safetensors: file is") &&
                                            Catch::Contains("too large for the state_dict") &&
                                            Catch::Contains(std::to_string(model.max_state_dict_file_bytes())));
  std::filesystem::remove(good);
  std::filesystem::remove(big);
}

TEST_CASE("GraphTransformer forward rejects features of the wrong width", "[models][graph_transformer][errors]") {
  auto model = gx::GraphTransformer<small>::random(2);
  gx::graph::GraphData g;
  g.x = gx::Tensor<float, 2>::zeros({3, 8});
  g.edge_index = gx::Tensor<std::int64_t, 2>::from({2, 2}, {0, 1, 1, 2});
  std::vector<gx::graph::GraphData> graphs;
  graphs.push_back(std::move(g));
  auto batch = gx::graph::batch_graphs(graphs);
  REQUIRE_THROWS_WITH(model.forward(batch), Catch::Contains("x (node features, .in)") && Catch::Contains("expected 9"));
}

TEST_CASE("GraphTransformer loaded with LoadOptions::drop_folded_weights predicts the same, holds less, refuses save",
          "[models][graph_transformer][io][memory]") {
  auto g = gx::test::load_golden("model", "seedlike");
  using Model = gx::GraphTransformer<seedlike>;
  auto batch = gx::io::read_batch(g.io, g.meta_int("num_graphs"));

  std::size_t const before = gx::memory_stats<gx::host>::current();
  Model const full = Model::load(g.weights);
  std::size_t const full_bytes = gx::memory_stats<gx::host>::current() - before;
  Model const lean = Model::load(g.weights, gx::nn::LoadOptions{.drop_folded_weights = true});
  std::size_t const lean_bytes = gx::memory_stats<gx::host>::current() - before - full_bytes;
  CHECK_FALSE(full.dropped_folded_weights());
  CHECK(lean.dropped_folded_weights());

  // Bitwise the same predictions: the folded forward never reads what was dropped.
  auto const y_full = full.forward(batch);
  auto const y_lean = lean.forward(batch);
  REQUIRE(y_full.size_bytes() == y_lean.size_bytes());
  CHECK(std::memcmp(y_full.data(), y_lean.data(), y_full.size_bytes()) == 0);
  GRAPHTX_REQUIRE_CLOSE(y_lean.cview(), g.io.read<float, 2>("y").cview(), gx::test::pyg_fp32);

  // Every conv but the unused last one (never prepared, so nothing folded to drop) gives up
  // lin_query, lin_key and lin_value (concat=False): 3 x [H*C, F] + 3 x [H*C] floats per conv.
  constexpr gx::index_t hc = seedlike.heads * seedlike.hidden;
  constexpr gx::index_t dropped_per_conv = 3 * hc * seedlike.hidden + 3 * hc;
  constexpr gx::index_t dropped_first = 3 * hc * seedlike.in + 3 * hc;
  constexpr gx::index_t dropped =
      dropped_first + (seedlike.num_conv_layers - 1) * dropped_per_conv;  // convs 0 .. 9; convs.10 is Unused
  CHECK(full_bytes - lean_bytes == static_cast<std::size_t>(dropped) * sizeof(float));

  CHECK_THROWS_WITH(lean.save(std::filesystem::temp_directory_path() / "graphtx_dropped.safetensors"),
                    Catch::Contains("drop_folded_weights") && Catch::Contains("save"));
  CHECK_THROWS_WITH(Model::from(lean), Catch::Contains("drop_folded_weights"));
  CHECK_NOTHROW(Model::from(full));
}
