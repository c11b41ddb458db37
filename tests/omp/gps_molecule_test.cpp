// The GPS molecule model (examples/models/gps_molecule.hpp) on graphtx::thrust_omp: the modules
// and the Thrust ops the CUDA backend runs (graph_attention, gine_aggregate, batch_norm,
// embedding_sum, pooling, ...) executed on Thrust's OpenMP system, against the same PyG goldens and
// tolerances as the host suite (bodies in tests/nn/gps_molecule_cases.hpp), and bitwise the same
// prediction for 1 and 2 OpenMP threads.

#include <graphtx/thrust_omp.hpp>

#include "nn/gps_molecule_cases.hpp"
#include "omp/model_checks.hpp"

namespace mc = graphtx::test::gps_molecule_cases;
namespace gx = graphtx;
using gx::thrust_omp;

TEST_CASE("Thrust-OMP GPS molecule model matches PyG (8 molecules)", "[omp][nn][gps_molecule][pyg]") {
  mc::golden<thrust_omp>("gps_molecule");
}
TEST_CASE("Thrust-OMP GPS molecule model matches PyG (one molecule)", "[omp][nn][gps_molecule][pyg]") {
  mc::golden<thrust_omp>("gps_molecule_g1");
}
TEST_CASE("Thrust-OMP GPS molecule model matches PyG (an empty graph)", "[omp][nn][gps_molecule][pyg]") {
  mc::golden<thrust_omp>("gps_molecule_zero_node_graph");
}
TEST_CASE("Thrust-OMP GPS molecule model counts: profiled == static", "[omp][nn][gps_molecule][profile]") {
  mc::counts_match<thrust_omp>();
}
TEST_CASE("Thrust-OMP GPS molecule model save/load round trip", "[omp][nn][gps_molecule][io]") {
  mc::round_trip<thrust_omp>();
}

TEST_CASE("Thrust-OMP GPS molecule model: the same prediction for 1 and 2 threads", "[omp][nn][gps_molecule]") {
  auto const y = gx::test::golden_prediction_same_for_1_and_2_threads<mc::GpsMolecule>("models", "gps_molecule");
  CHECK(y.extent(0) == 8);
}
