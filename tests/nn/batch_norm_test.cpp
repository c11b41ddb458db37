// nn::BatchNorm1d and nn::PygBatchNorm on the host against PyG (bodies: tests/nn/batch_norm_cases.hpp).

#include <catch2/catch.hpp>

#include <graphtx/graphtx.hpp>

#include "nn/batch_norm_cases.hpp"
#include "nn/module_checks.hpp"

namespace bc = graphtx::test::batch_norm_cases;
namespace checks = graphtx::test::checks;
using graphtx::host;

TEST_CASE("BatchNorm1d / PyG BatchNorm match PyG (affine, no affine, module.*)", "[nn][batch_norm][pyg]") {
  // Measured: max |diff| 4.8e-7 (a few ulp: the golden's torch build fuses x * alpha + beta).
  CHECK(bc::goldens_match<host>() < 1e-6);
}
TEST_CASE("BatchNorm1d state_dict: names, buffers, num_batches_tracked", "[nn][batch_norm][io]") {
  bc::state_names_and_buffers<host>();
}
TEST_CASE("BatchNorm1d init is torch's", "[nn][batch_norm]") { bc::init_is_torchs<host>(); }
TEST_CASE("BatchNorm1d in place equals forward", "[nn][batch_norm]") { bc::in_place_equals_forward<host>(); }
TEST_CASE("BatchNorm1d counts: profiled == static, DeepSpeed's numbers", "[nn][batch_norm][profile]") {
  bc::counts_match<host>();
}
TEST_CASE("BatchNorm1d save/load round trip", "[nn][batch_norm][io]") { bc::round_trip<host>(); }
TEST_CASE("BatchNorm1d strict load names the key", "[nn][batch_norm][io]") {
  checks::check_strict_load<bc::Bn>("modules", "batch_norm", "running_var");
  checks::check_strict_load<bc::Bn>("modules", "batch_norm", "weight");
  checks::check_strict_load<bc::Bn>("modules", "batch_norm", "num_batches_tracked");
  checks::check_strict_load<bc::BnNoAffine>("modules", "batch_norm_no_affine", "running_mean");
  checks::check_strict_load<bc::PygBn>("modules", "pyg_batch_norm", "module.bias");
  // An affine=False file lacks weight and bias; an affine=True file has two keys too many.
  auto const plain = graphtx::test::load_module_golden("modules", "batch_norm_no_affine");
  REQUIRE_THROWS_WITH(graphtx::nn::Model<bc::Bn>::load(*plain.weights), Catch::Contains("missing key \"weight\""));
  auto const affine = graphtx::test::load_module_golden("modules", "batch_norm");
  REQUIRE_THROWS_WITH(graphtx::nn::Model<bc::BnNoAffine>::load(*affine.weights), Catch::Contains("unexpected key"));
  // torch.nn.BatchNorm1d's keys are not PyG BatchNorm's (module.*).
  REQUIRE_THROWS_WITH(graphtx::nn::Model<bc::PygBn>::load(*affine.weights),
                      Catch::Contains("missing key \"module.weight\""));
}
TEST_CASE("BatchNorm1d names a bad width", "[nn][batch_norm][errors]") { bc::bad_width_is_named<host>(); }
TEST_CASE("BatchNorm1d / PyG BatchNorm profile tree as DeepSpeed prints it", "[nn][batch_norm][profile]") {
  auto const m = bc::Bn::profile_module();
  CHECK(m.type == "BatchNorm1d");
  CHECK(m.extra_repr == "6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True");
  CHECK(m.own_params == 12);
  CHECK(bc::BnNoAffine::profile_module().extra_repr ==
        "6, eps=1e-05, momentum=0.1, affine=False, track_running_stats=True");
  auto const p = bc::PygBn::profile_module();
  CHECK(p.type == "BatchNorm");
  CHECK(p.repr == "BatchNorm(6)");  // PyG's __repr__ override
  REQUIRE(p.children.size() == 1);
  CHECK(p.children[0].name == "module");
  CHECK(p.children[0].type == "BatchNorm1d");
  CHECK(p.params() == 12);
}
