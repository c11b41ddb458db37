#pragma once
// Test bodies for the activation modules of nn/activation.hpp (torch.nn.GELU, ELU, LeakyReLU, SiLU,
// Sigmoid, Tanh, ReLU), written once for every space: the host suite (tests/nn/activation_test.cpp)
// and the CUDA suite (tests/cuda/activation_test.cu) call them.
//
// Golden (tests/data/modules/activations, io only): x [64, 5] with NaN, +-inf, -0.0, 1e-40,
// +-3.4e38, thresholds and randn, and torch's float32 output of each functional. Tolerance:
// pyg_fp32 (rtol 1e-4, atol 1e-5), NaN and infinities exactly where torch has them; relu and
// leaky_relu (no rounding beyond one multiply) bitwise. Measured on the host, max |diff| over the
// finite values: gelu 6.2e-7, gelu_tanh, elu, sigmoid, tanh 6.0e-8, elu_0_5 and silu 3.0e-8,
// relu and leaky_relu 0.
//
// One documented exception: torch's float32 F.gelu (exact, vectorised CPU kernel) returns NaN for
// +inf and inf for 3.4e38, where ops::gelu (torch's scalar formula) gives inf and 3.4e38, the
// values of torch's float64 gelu (README of tests/data). For those inputs (x infinite or |x| >
// 1e38) the gelu check takes the golden's `gelu_f64` instead; they are 3 of the 320 values.

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/model.hpp>

#include "nn/module_checks.hpp"
#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::activation_cases {

using Gelu = nn::GELU<>;
using GeluTanh = nn::GELU<nn::gelu_approximate::tanh>;
using Elu = nn::ELU<>;
using Elu05 = nn::ELU<nn::EluConfig{.alpha = 0.5f}>;
using Leaky = nn::LeakyReLU<>;
using Leaky02 = nn::LeakyReLU<nn::LeakyReLUConfig{.negative_slope = 0.2f}>;
using Silu = nn::SiLU<>;
using Sig = nn::Sigmoid<>;
using Tanh = nn::Tanh<>;
using Relu = nn::ReLU<>;

static_assert(nn::Layer<Gelu> && nn::Layer<GeluTanh> && nn::Layer<Elu> && nn::Layer<Elu05> && nn::Layer<Leaky> &&
              nn::Layer<Leaky02> && nn::Layer<Silu> && nn::Layer<Sig> && nn::Layer<Tanh>);
static_assert(nn::has_forward_in_place_v<Gelu> && nn::has_forward_in_place_v<Sig>);
static_assert(Gelu::in_width == nn::any_width && Gelu::parameter_count == 0);
static_assert(Elu05::alpha == 0.5f && Leaky::negative_slope == 0.01f);

inline constexpr Tolerance bitwise{0.0, 0.0};

/// Each module vs torch's output `key` of the golden; returns the largest |error| over the finite values.
template <class Net, class Space>
double one(std::string const& key, Tolerance tol = pyg_fp32) {
  return checks::check_golden<Net, Space>("modules", "activations", key, tol).max_abs;
}

/// Exact GELU: torch's float32 values, except for |x| > 1e38 and infinities (torch's vectorised
/// float erf), where its float64 values are expected; returns how many values were replaced.
template <class Space>
int gelu_matches() {
  auto const g = load_module_golden("modules", "activations");
  auto const x = g.io.read_float<2>("x");
  auto expected = g.io.read_float<2>("gelu");
  auto const f64 = g.io.read_float<2>("gelu_f64");  // read as float: inf, 3.4e38, NaN for -inf
  int replaced = 0;
  for (index_t i = 0; i < x.size(); ++i) {
    float const v = x.data()[i];
    bool const extreme = !std::isfinite(v) || std::fabs(v) > 1e38f;
    bool const same = expected.data()[i] == f64.data()[i] ||
                      (std::isnan(expected.data()[i]) && std::isnan(f64.data()[i]));
    if (extreme && !same) {
      expected.data()[i] = f64.data()[i];
      ++replaced;
    }
  }
  auto const y = golden_forward<Gelu, Space>(g);
  checks::check_close(std::string("modules/activations (gelu; f64 where |x| > 1e38) on ") + Space::name, y.cview(),
                    expected.cview(), pyg_fp32);
  return replaced;
}

template <class Space>
void goldens_match() {
  CHECK(gelu_matches<Space>() == 3);  // x = +inf (twice) and 3.4e38
  one<GeluTanh, Space>("gelu_tanh");
  one<Elu, Space>("elu");
  one<Elu05, Space>("elu_0_5");
  one<Leaky, Space>("leaky_relu", bitwise);
  one<Leaky02, Space>("leaky_relu_0_2", bitwise);
  one<Silu, Space>("silu");
  one<Sig, Space>("sigmoid");
  one<Tanh, Space>("tanh");
  one<Relu, Space>("relu", bitwise);
}

/// forward_in_place == forward bitwise (NaN where NaN).
template <class M, class Space>
void in_place_one(Tensor<float, 2, host> const& x) {
  typename M::template rebind<Space> const m;
  nn::GraphContext<Space> const ctx{};
  auto xs = to_space<Space>(x);
  auto const y = to_space<host>(m.forward(xs.cview(), ctx));
  m.forward_in_place(xs.view(), ctx);
  GRAPHTX_REQUIRE_CLOSE(to_space<host>(xs).cview(), y.cview(), bitwise);
}
template <class Space>
void in_place_equals_forward() {
  auto const g = load_module_golden("modules", "activations");
  auto const x = g.io.read_float<2>("x");
  in_place_one<Gelu, Space>(x);
  in_place_one<GeluTanh, Space>(x);
  in_place_one<Elu05, Space>(x);
  in_place_one<Leaky02, Space>(x);
  in_place_one<Silu, Space>(x);
  in_place_one<Sig, Space>(x);
  in_place_one<Tanh, Space>(x);
}

/// The static counts of M over the golden's x [64, 5] equal a profiled forward's, and are
/// `flops_per_element` x 320 flops.
template <class M, class Space>
void counts_one(std::int64_t flops_per_element) {
  auto const g = load_module_golden("modules", "activations");
  auto const model = golden_model<M, Space>(g);
  auto const batch = golden_batch(g.io);
  profile::Profiler prof(model);
  model.forward(checks::batch_in<Space>(batch), &prof);
  profile::Module expected = M::profile_module();
  M::add_counts(expected, nn::FlowShape{.rows = 64, .width = 5, .nodes = 64, .edges = 0, .graphs = 1});
  checks::require_same_counts(prof.root(), expected, "");
  CHECK(expected.own == profile::Counts{0, 64 * 5 * flops_per_element});
}

constexpr nn::LinearConfig lin_5_4{.in = 5, .out = 4};
/// torch.nn.Sequential(Linear(5, 4), ELU(0.5), Linear(4, 4)...): the activation's counts over the
/// width it receives, through nn::Model::counts.
using SeqNet = nn::Sequential<nn::Linear<lin_5_4>, Elu05, nn::Linear<nn::LinearConfig{.in = 4, .out = 4}>, Tanh,
                              nn::Linear<nn::LinearConfig{.in = 4, .out = 4}>, GeluTanh>;

/// DeepSpeed: gelu, elu, leaky_relu, silu, relu numel flops; sigmoid and tanh 0 (not patched).
template <class Space>
void counts_match() {
  counts_one<Gelu, Space>(1);
  counts_one<GeluTanh, Space>(1);
  counts_one<Elu, Space>(1);
  counts_one<Leaky02, Space>(1);
  counts_one<Silu, Space>(1);
  counts_one<Relu, Space>(1);
  counts_one<Sig, Space>(0);
  counts_one<Tanh, Space>(0);
  // In a composition, through nn::Model<SeqNet>::counts (rows 64; the Linear before fixes the width).
  auto const g = load_module_golden("modules", "activations");
  auto const model = nn::Model<SeqNet, Space>::from(nn::Model<SeqNet>::random(1));
  auto const tree = checks::check_counts<SeqNet, Space>(model, golden_batch(g.io));
  CHECK(tree.at("1").own == profile::Counts{0, 64 * 4});
  CHECK(tree.at("3").own == profile::Counts{});
  CHECK(tree.at("5").own == profile::Counts{0, 64 * 4});
}

}  // namespace graphtx::test::activation_cases
