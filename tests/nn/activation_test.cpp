// The activation modules of nn/activation.hpp on the host against torch (bodies:
// tests/nn/activation_cases.hpp).

#include <catch2/catch.hpp>

#include <graphtx/graphtx.hpp>

#include "nn/activation_cases.hpp"

namespace ac = graphtx::test::activation_cases;
using graphtx::host;

TEST_CASE("activation modules match torch (NaN, inf, -0.0, huge, thresholds)", "[nn][activation][pyg]") {
  ac::goldens_match<host>();
}
TEST_CASE("activation modules in place equal forward", "[nn][activation]") { ac::in_place_equals_forward<host>(); }
TEST_CASE("activation modules count as DeepSpeed (sigmoid, tanh: 0)", "[nn][activation][profile]") {
  ac::counts_match<host>();
}
TEST_CASE("activation modules print torch's extra_repr", "[nn][activation][profile]") {
  CHECK(ac::Gelu::profile_module().type == "GELU");
  CHECK(ac::Gelu::profile_module().extra_repr == "approximate='none'");
  CHECK(ac::GeluTanh::profile_module().extra_repr == "approximate='tanh'");
  CHECK(ac::Elu::profile_module().type == "ELU");
  CHECK(ac::Elu::profile_module().extra_repr == "alpha=1.0");
  CHECK(ac::Elu05::profile_module().extra_repr == "alpha=0.5");
  CHECK(ac::Leaky::profile_module().type == "LeakyReLU");
  CHECK(ac::Leaky::profile_module().extra_repr == "negative_slope=0.01");
  CHECK(ac::Leaky02::profile_module().extra_repr == "negative_slope=0.2");
  CHECK(ac::Silu::profile_module().type == "SiLU");
  CHECK(ac::Silu::profile_module().extra_repr.empty());
  CHECK(ac::Sig::profile_module().type == "Sigmoid");
  CHECK(ac::Tanh::profile_module().type == "Tanh");
  CHECK(ac::Tanh::profile_module().params() == 0);
}
