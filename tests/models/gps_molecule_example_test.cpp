// examples/models/gps_molecule.hpp, the GPS molecule model as user code that the benchmarks run
// (bench/models/gps_molecule_*.cpp, tools/bench_pyg_gps.py), is at its defaults (C = 16, L = 3,
// H = 2) the very type tests/nn/gps_molecule_cases.hpp holds against PyG's goldens: the same
// composition, so the same keys, tree, counts and predictions. One golden is run here through
// the example's name as well.

#include <catch2/catch.hpp>

#include <type_traits>

#include "../../examples/models/gps_molecule.hpp"
#include "nn/gps_molecule_cases.hpp"

static_assert(std::is_same_v<graphtx_examples::GPSMolecule<>, graphtx::test::gps_molecule_cases::GpsMolecule>,
              "examples/models/gps_molecule.hpp no longer spells the GPS molecule model the tests check against PyG");
static_assert(graphtx_examples::GPSMolecule<64, 10, 4>::out_width == 1);

TEST_CASE("examples/models/gps_molecule.hpp: GPSMolecule<> is the tested composition and matches PyG",
          "[models][gps_molecule][pyg]") {
  graphtx::test::gps::check_golden<graphtx_examples::GPSMolecule<>, graphtx::host>("models", "gps_molecule", "y");
}
