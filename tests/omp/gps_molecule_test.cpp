// The GPS molecule model (examples/models/gps_molecule.hpp) on graphtx::thrust_omp: the modules
// and the Thrust ops the CUDA backend runs (graph_attention, gine_aggregate, batch_norm,
// embedding_sum, pooling, ...) executed on Thrust's OpenMP system, against the same PyG goldens and
// tolerances as the host suite (bodies in tests/nn/gps_molecule_cases.hpp), and bitwise the same
// prediction for 1 and 2 OpenMP threads.

#include <graphtx/thrust_omp.hpp>

#include "nn/gps_molecule_cases.hpp"
#include "support/thrust_omp.hpp"

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
  auto const g = gx::test::load_module_golden("models", "gps_molecule");
  auto const model = gx::test::golden_model<mc::GpsMolecule, thrust_omp>(g);
  auto const batch = gx::graph::to_space<thrust_omp>(gx::test::golden_batch(g.io));
  auto const y = gx::test::same_for_1_and_2_threads([&] { return gx::to_space<gx::host>(model.forward(batch)); });
  CHECK(y.extent(0) == 8);
}
