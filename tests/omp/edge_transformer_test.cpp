// The EdgeTransformer composition (TransformerConv with edge features and beta, LayerNorm,
// residual blocks, max pooling, a GELU head) on graphtx::thrust_omp: the modules and the Thrust
// ops the CUDA backend runs (attention_scores, segment_softmax, attention_aggregate, beta_gate,
// layer_norm, pool, gelu, ...) on Thrust's OpenMP system, against the same PyG golden and
// tolerance as the host suite (bodies in tests/nn/edge_transformer_cases.hpp), and bitwise the
// same prediction for 1 and 2 OpenMP threads.

#include <graphtx/thrust_omp.hpp>

#include "nn/edge_transformer_cases.hpp"
#include "omp/model_checks.hpp"

namespace ec = graphtx::test::edge_transformer_cases;
namespace gx = graphtx;
using gx::thrust_omp;

TEST_CASE("Thrust-OMP EdgeTransformer matches PyG (y)", "[omp][nn][edge_transformer][pyg][model]") {
  auto const r = ec::golden_y<thrust_omp>();
  CHECK(r.max_abs < 1e-5);
}
TEST_CASE("Thrust-OMP EdgeTransformer node_forward feeds the head", "[omp][nn][edge_transformer][model]") {
  ec::node_forward_feeds_the_head<thrust_omp>();
}
TEST_CASE("Thrust-OMP EdgeTransformer counts: profiled == static", "[omp][nn][edge_transformer][profile][model]") {
  ec::counts_match<thrust_omp>();
}
TEST_CASE("Thrust-OMP EdgeTransformer save/load round trip", "[omp][nn][edge_transformer][io][model]") {
  ec::round_trip<thrust_omp>();
}
TEST_CASE("Thrust-OMP EdgeTransformer names bad input", "[omp][nn][edge_transformer][errors][model]") {
  ec::bad_edge_features_are_named<thrust_omp>();
}

TEST_CASE("Thrust-OMP EdgeTransformer: the same prediction for 1 and 2 threads", "[omp][nn][edge_transformer][model]") {
  auto const y = gx::test::golden_prediction_same_for_1_and_2_threads<ec::EdgeTransformer>("models", "edge_transformer");
  CHECK(y.extent(0) == 6);
}
