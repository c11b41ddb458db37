// The GPS molecule model as a composition on the host against PyG (bodies in
// tests/nn/gps_molecule_cases.hpp).

#include "nn/gps_molecule_cases.hpp"

namespace mc = graphtx::test::gps_molecule_cases;
using graphtx::host;

TEST_CASE("GPS molecule model matches PyG (8 molecules)", "[nn][gps_molecule][pyg]") { mc::golden<host>("gps_molecule"); }
TEST_CASE("GPS molecule model matches PyG (one molecule)", "[nn][gps_molecule][pyg]") { mc::golden<host>("gps_molecule_g1"); }
TEST_CASE("GPS molecule model matches PyG (an empty graph)", "[nn][gps_molecule][pyg]") {
  mc::golden<host>("gps_molecule_zero_node_graph");
}
TEST_CASE("GPS molecule model counts: profiled == static", "[nn][gps_molecule][profile]") { mc::counts_match<host>(); }
TEST_CASE("GPS molecule model save/load round trip", "[nn][gps_molecule][io]") { mc::round_trip<host>(); }

TEST_CASE("GPS molecule model strict load and tree", "[nn][gps_molecule][io][errors][profile]") {
  namespace nn = graphtx::nn;
  graphtx::test::checks::check_strict_load<mc::GpsMolecule>("models", "gps_molecule", "convs.2.norm3.module.running_var");
  graphtx::test::checks::check_strict_load<mc::GpsMolecule>("models", "gps_molecule", "bond_encoder.bond_embedding_list.2.weight");
  graphtx::test::checks::check_strict_load<mc::GpsMolecule>("models", "gps_molecule", "convs.1.conv.eps");
  auto const t = nn::Model<mc::GpsMolecule>::profile_module();
  CHECK(t.type == "GPSMolecule");
  CHECK(t.at("convs").type == "ModuleList");
  CHECK(t.at("convs.1").type == "GPSConv");
  CHECK(t.at("convs.1.conv").type == "GINEConv");
  CHECK(t.params() == mc::GpsMolecule::parameter_count);
}
