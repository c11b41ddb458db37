// nn::Embedding, nn::AtomEncoder and nn::BondEncoder on the host against PyG / OGB (bodies:
// tests/nn/embedding_cases.hpp).

#include <catch2/catch.hpp>

#include <graphtx/graphtx.hpp>

#include "nn/embedding_cases.hpp"
#include "nn/module_checks.hpp"

namespace ec = graphtx::test::embedding_cases;
namespace checks = graphtx::test::checks;
using graphtx::host;

TEST_CASE("Embedding / AtomEncoder / BondEncoder match PyG bitwise", "[nn][embedding][pyg]") { ec::goldens_match<host>(); }
TEST_CASE("BondEncoder as OnEdges in a composition: PyG's rows in CSR order", "[nn][embedding][pyg]") {
  ec::bond_encoder_on_edges<host>();
}
TEST_CASE("Embedding / OGB encoders state_dict names and shapes", "[nn][embedding][io]") { ec::state_names<host>(); }
TEST_CASE("Embedding / OGB encoders counts: profiled == static (0)", "[nn][embedding][profile]") {
  ec::counts_match<host>();
}
TEST_CASE("Embedding / OGB encoders save/load round trip", "[nn][embedding][io]") { ec::round_trip<host>(); }
TEST_CASE("Embedding / OGB encoders random init has unit variance", "[nn][embedding]") {
  ec::random_init_has_unit_variance<host>();
}
TEST_CASE("Embedding / OGB encoders name bad input", "[nn][embedding][errors]") { ec::bad_input_is_named<host>(); }
TEST_CASE("Embedding / OGB encoders strict load names the key", "[nn][embedding][io]") {
  checks::check_strict_load<ec::Emb>("modules", "embedding", "weight");
  checks::check_strict_load<ec::Atom>("modules", "atom_encoder", "atom_embedding_list.3.weight");
  checks::check_strict_load<ec::Atom>("modules", "atom_encoder", "atom_embedding_list.8.weight");
  checks::check_strict_load<ec::Bond>("modules", "bond_encoder", "bond_embedding_list.0.weight");
  // An AtomEncoder of another emb_dim: the shape error names the key.
  auto const g = graphtx::test::load_module_golden("modules", "atom_encoder");
  REQUIRE_THROWS_WITH(graphtx::nn::Model<graphtx::nn::AtomEncoder<16>>::load(*g.weights),
                      Catch::Contains("atom_embedding_list.0.weight has shape ["));
}
TEST_CASE("OGB encoders profile tree", "[nn][embedding][profile]") {
  auto const b = ec::Bond::profile_module();
  CHECK(b.type == "BondEncoder");
  REQUIRE(b.children.size() == 1);
  CHECK(b.children[0].name == "bond_embedding_list");
  CHECK(b.children[0].type == "ModuleList");
  REQUIRE(b.children[0].children.size() == 3);
  CHECK(b.children[0].children[2].name == "2");
  CHECK(b.children[0].children[2].extra_repr == "2, 8");
  CHECK(b.params() == ec::Bond::parameter_count);
  CHECK(ec::Emb::profile_module().type == "Embedding");
  CHECK(ec::Emb::profile_module().extra_repr == "10, 6");
}
