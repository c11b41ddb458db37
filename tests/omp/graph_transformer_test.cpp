// The seed architecture (GraphTransformer: folded TransformerConv layers, LayerNorm, ReLU, mean
// pool, linear head) on graphtx::thrust_omp against the PyG goldens of tests/data/model, as
// tests/cuda/layers_test.cu runs them on the GPU. The folded edge phase and the GEMMs are the
// host's (no Thrust version: <graphtx/thrust_omp.hpp>); layer_norm, relu, the pool, head_mean and
// the textbook path's edge ops are the Thrust code.

#include <graphtx/thrust_omp.hpp>

#include <string>

#include "support/compare.hpp"
#include "support/golden.hpp"
#include "support/thrust_omp.hpp"

namespace gx = graphtx;
using gx::thrust_omp;

namespace {

constexpr gx::GraphTransformerConfig small{.in = 9, .hidden = 16, .heads = 4, .num_conv_layers = 3};
constexpr gx::GraphTransformerConfig seedlike{.in = 9, .hidden = 32, .heads = 8, .num_conv_layers = 10};
constexpr gx::GraphTransformerConfig small_textbook{
    .in = 9, .hidden = 16, .heads = 4, .num_conv_layers = 3, .attention = gx::nn::attention_algorithm::textbook};

/// The model loaded in thrust_omp (from the file, as a user would), the golden's batch copied in:
/// node_out and y vs PyG.
template <gx::GraphTransformerConfig Cfg>
void check_model_golden(std::string const& name) {
  INFO("golden model/" << name << " on thrust_omp");
  auto g = gx::test::load_golden("model", name);
  using Model = gx::GraphTransformer<Cfg, thrust_omp>;
  Model const model = Model::load(g.weights);
  auto const batch = gx::graph::to_space<thrust_omp>(gx::io::read_batch(g.io, g.meta_int("num_graphs")));
  auto const node_out = gx::to_space<gx::host>(model.node_forward(batch));
  GRAPHTX_REQUIRE_CLOSE(node_out.cview(), g.io.read<float, 2>("node_out").cview(), gx::test::pyg_fp32);
  auto const y = gx::to_space<gx::host>(model.forward(batch));
  GRAPHTX_REQUIRE_CLOSE(y.cview(), g.io.read<float, 2>("y").cview(), gx::test::pyg_fp32);
}

}  // namespace

TEST_CASE("Thrust-OMP GraphTransformer matches PyG", "[omp][models][graph_transformer][pyg]") {
  SECTION("small: 3 layers, a one-atom molecule in the batch") { check_model_golden<small>("small"); }
  SECTION("small with int64 x as OGB stores it") { check_model_golden<small>("small_int_x"); }
  SECTION("seedlike: the seed's structure at width 32") { check_model_golden<seedlike>("seedlike"); }
  SECTION("a graph with zero nodes inside the batch") { check_model_golden<small>("zero_node_graph"); }
  SECTION("an empty batch: N = 0, G = 0") { check_model_golden<small>("empty_batch"); }
  SECTION("textbook path: small") { check_model_golden<small_textbook>("small"); }
}

TEST_CASE("Thrust-OMP GraphTransformer: the same prediction for 1 and 2 threads", "[omp][models][graph_transformer]") {
  using Model = gx::GraphTransformer<seedlike, thrust_omp>;
  auto const model = Model::from(gx::GraphTransformer<seedlike>::random(3));
  auto const batch = gx::graph::to_space<thrust_omp>(gx::graph::generate_molecule_batch(64, 0, 900));
  auto const y = gx::test::same_for_1_and_2_threads([&] { return gx::to_space<gx::host>(model.forward(batch)); });
  CHECK(y.extent(0) == 64);
}
