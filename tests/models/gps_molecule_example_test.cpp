// examples/models/gps_molecule.hpp, the GPS molecule model as user code that the benchmarks run
// (bench/models/gps_molecule_*.cpp, tools/bench_pyg_gps.py) and that tests/nn/gps_molecule_cases.hpp
// holds against PyG's goldens at its defaults (C = 16, L = 3, H = 2); a larger shape compiles.

#include <catch2/catch.hpp>

#include <type_traits>

#include "../../examples/models/gps_molecule.hpp"
#include "nn/gps_molecule_cases.hpp"

static_assert(graphtx_examples::GPSMolecule<64, 10, 4>::out_width == 1);

TEST_CASE("examples/models/gps_molecule.hpp: GPSMolecule<> is the tested composition and matches PyG",
          "[models][gps_molecule][pyg]") {
  graphtx::test::checks::check_golden<graphtx_examples::GPSMolecule<>, graphtx::host>("models", "gps_molecule", "y");
}
