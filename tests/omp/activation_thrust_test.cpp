// The Thrust-backed activations (include/graphtx/ops/thrust/activation.hpp, the code the CUDA
// backend runs) built with g++ on Thrust's OpenMP system: each against the double reference on
// random inputs with special values mixed in, bitwise identical for 1 and 2 OpenMP threads, and
// bitwise equal to the host backend (same float formulas, same libm calls).
//
// Tolerances: as tests/ops/activation_test.cpp: rtol 1e-6, atol 1e-6 for gelu (float cancellation
// in 1 + erf / 1 + tanh for x < 0), atol 1e-12 for the others; relu and leaky_relu (slope 0.25) exact.

#include <catch2/catch.hpp>

#include <thrust/system/omp/execution_policy.h>

#include <omp.h>

#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <graphtx/ops/activation.hpp>
#include <graphtx/ops/reference/activation.hpp>
#include <graphtx/ops/thrust/activation.hpp>

#include "support/compare.hpp"
#include "support/thrust_omp.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
namespace tb = graphtx::ops::thrust_backend;
using gx::test::Tolerance;

using gx::test::same_for_1_and_2_threads;

namespace {

auto const policy = gx::test::omp_policy;

struct Case {
  std::string name;
  std::function<void(float const*, float*, gx::index_t)> thrust;                          // x, y, n
  std::function<void(gx::TensorView<float const, 2>, gx::TensorView<float, 2>)> host;     // ops::
  std::function<void(gx::TensorView<double const, 2>, gx::TensorView<double, 2>)> ref;    // reference
  Tolerance tol;
};

std::vector<Case> cases() {
  namespace ops = gx::ops;
  namespace ref = gx::ops::reference;
  using F = gx::TensorView<float const, 2>;
  using Fy = gx::TensorView<float, 2>;
  using D = gx::TensorView<double const, 2>;
  using Dy = gx::TensorView<double, 2>;
  constexpr Tolerance exact{0, 0}, gelu{1e-6, 1e-6}, other{1e-6, 1e-12};
  return {
      {"relu", [](float const* x, float* y, gx::index_t n) { tb::relu(policy, x, y, n); },
       [](F x, Fy y) { ops::relu(x, y); }, [](D x, Dy y) { ref::relu<double>(x, y); }, exact},
      {"gelu", [](float const* x, float* y, gx::index_t n) { tb::gelu(policy, x, y, n, false); },
       [](F x, Fy y) { ops::gelu(x, ops::gelu_approximate::none, y); },
       [](D x, Dy y) { ref::gelu<double>(x, ops::gelu_approximate::none, y); }, gelu},
      {"gelu_tanh", [](float const* x, float* y, gx::index_t n) { tb::gelu(policy, x, y, n, true); },
       [](F x, Fy y) { ops::gelu(x, ops::gelu_approximate::tanh, y); },
       [](D x, Dy y) { ref::gelu<double>(x, ops::gelu_approximate::tanh, y); }, gelu},
      {"elu", [](float const* x, float* y, gx::index_t n) { tb::elu(policy, x, y, n, 0.7f); },
       [](F x, Fy y) { ops::elu(x, 0.7f, y); }, [](D x, Dy y) { ref::elu<double>(x, double(0.7f), y); }, other},
      {"leaky_relu", [](float const* x, float* y, gx::index_t n) { tb::leaky_relu(policy, x, y, n, 0.25f); },
       [](F x, Fy y) { ops::leaky_relu(x, 0.25f, y); }, [](D x, Dy y) { ref::leaky_relu<double>(x, 0.25, y); },
       exact},
      {"silu", [](float const* x, float* y, gx::index_t n) { tb::silu(policy, x, y, n); },
       [](F x, Fy y) { ops::silu(x, y); }, [](D x, Dy y) { ref::silu<double>(x, y); }, other},
      {"sigmoid", [](float const* x, float* y, gx::index_t n) { tb::sigmoid(policy, x, y, n); },
       [](F x, Fy y) { ops::sigmoid(x, y); }, [](D x, Dy y) { ref::sigmoid<double>(x, y); }, other},
      {"tanh", [](float const* x, float* y, gx::index_t n) { tb::tanh_activation(policy, x, y, n); },
       [](F x, Fy y) { ops::tanh(x, y); }, [](D x, Dy y) { ref::tanh<double>(x, y); }, other},
  };
}

}  // namespace

TEST_CASE("Thrust-OMP activations match the reference and the host backend", "[omp][thrust][activation]") {
  gx::test::rng_t rng(31);
  float const nan = std::numeric_limits<float>::quiet_NaN();
  float const inf = std::numeric_limits<float>::infinity();
  for (gx::index_t n : {0, 1, 300}) {
    INFO("N=" << n);
    auto x = gx::test::random_normal<float, 2>(rng, {n, 24}, 4.0);
    float const special[] = {nan, inf, -inf, 100.0f, -100.0f, -0.0f, 0.0f, 1e30f, -1e30f};
    for (gx::index_t i = 0; i < static_cast<gx::index_t>(std::size(special)) && i * 7 < x.size(); ++i)
      x.data()[i * 7] = special[i];
    auto const xd = gx::test::convert<double>(x.cview());
    for (auto const& c : cases()) {
      INFO(c.name);
      auto y = same_for_1_and_2_threads([&] {
        gx::Tensor<float, 2> out({n, 24});
        c.thrust(x.data(), out.data(), x.size());
        return out;
      });
      gx::Tensor<double, 2> ref({n, 24});
      c.ref(xd.cview(), ref.view());
      GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), c.tol);

      gx::Tensor<float, 2> host({n, 24});
      c.host(x.cview(), host.view());
      REQUIRE((y.size_bytes() == 0 || std::memcmp(y.data(), host.data(), y.size_bytes()) == 0));

      auto in_place = x.clone();  // y may alias x
      c.thrust(in_place.data(), in_place.data(), in_place.size());
      REQUIRE((y.size_bytes() == 0 || std::memcmp(y.data(), in_place.data(), y.size_bytes()) == 0));
    }
  }
}
