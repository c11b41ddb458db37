#pragma once
// Test bodies for nn::BatchNorm1d and nn::PygBatchNorm (torch.nn.BatchNorm1d and
// torch_geometric.nn.BatchNorm in eval mode), written once for every space: the host suite
// (tests/nn/batch_norm_test.cpp) and the CUDA suite (tests/cuda/batch_norm_test.cu) call them.
//
// Goldens (tests/data/modules): batch_norm, pyg_batch_norm, batch_norm_no_affine (x [11, 6],
// random weight, bias and running stats, running_var in [0.5, 2], num_batches_tracked = 7).
// Tolerance: pyg_fp32 (rtol 1e-4, atol 1e-5). ops::batch_norm follows PyTorch CPU's float
// arithmetic (alpha = invstd * weight, beta = bias - mean * alpha, y = x * alpha + beta) without
// FMA; the goldens' torch build is not bitwise the same (its vectorised kernel fuses the
// multiply-add): measured on the host, max |diff| 2.4e-7 (batch_norm, pyg_batch_norm) and 4.8e-7
// (batch_norm_no_affine), a few ulp; the host suite also requires < 1e-6.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <graphtx/nn/batch_norm.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/nn/parameters.hpp>

#include "nn/module_checks.hpp"
#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::batch_norm_cases {

inline constexpr nn::BatchNormConfig bn6{.features = 6};
inline constexpr nn::BatchNormConfig bn6_no_affine{.features = 6, .affine = false};

using Bn = nn::BatchNorm1d<bn6>;
using BnNoAffine = nn::BatchNorm1d<bn6_no_affine>;
using PygBn = nn::PygBatchNorm<bn6>;

static_assert(nn::Layer<Bn> && nn::Layer<BnNoAffine> && nn::Layer<PygBn>);
static_assert(Bn::in_width == 6 && Bn::out_width == 6 && PygBn::in_width == 6 && PygBn::out_width == 6);
static_assert(Bn::parameter_count == 12 && BnNoAffine::parameter_count == 0 && PygBn::parameter_count == 12);
static_assert(nn::has_forward_in_place_v<Bn> && nn::has_forward_in_place_v<PygBn>);

inline std::vector<std::string> names(std::vector<nn::StateEntry> const& entries) {
  std::vector<std::string> out;
  for (auto const& e : entries) out.push_back(e.name + (e.parameter ? "" : " (buffer)"));
  return out;
}

/// The three goldens within pyg_fp32; returns the largest |error| seen.
template <class Space>
double goldens_match() {
  double worst = 0;
  worst = std::max(worst, checks::check_golden<Bn, Space>("modules", "batch_norm").max_abs);
  worst = std::max(worst, checks::check_golden<PygBn, Space>("modules", "pyg_batch_norm").max_abs);
  worst = std::max(worst, checks::check_golden<BnNoAffine, Space>("modules", "batch_norm_no_affine").max_abs);
  return worst;
}

/// torch's state_dict names and order; parameters vs buffers; the scalar buffer is loaded (7).
template <class Space>
void state_names_and_buffers() {
  CHECK(names(nn::state_entries(nn::Model<Bn, Space>{})) ==
        std::vector<std::string>{"weight", "bias", "running_mean (buffer)", "running_var (buffer)",
                                 "num_batches_tracked (buffer)"});
  CHECK(names(nn::state_entries(nn::Model<BnNoAffine, Space>{})) ==
        std::vector<std::string>{"running_mean (buffer)", "running_var (buffer)", "num_batches_tracked (buffer)"});
  CHECK(names(nn::state_entries(nn::Model<PygBn, Space>{})) ==
        std::vector<std::string>{"module.weight", "module.bias", "module.running_mean (buffer)",
                                 "module.running_var (buffer)", "module.num_batches_tracked (buffer)"});
  auto const g = load_module_golden("modules", "pyg_batch_norm");
  auto const m = golden_model<PygBn, Space>(g);
  CHECK(m.module.num_batches_tracked == 7);
  auto const b = golden_model<Bn, Space>(load_module_golden("modules", "batch_norm"));
  CHECK(b.num_batches_tracked == 7);
}

/// torch's init: weight ones, bias zeros, running_mean zeros, running_var ones, tracked 0; random
/// init keeps that (BatchNorm's reset_parameters draws nothing).
template <class Space>
void init_is_torchs() {
  auto const check = [](nn::Model<Bn, Space> const& m) {
    CHECK(to_space<host>(m.weight).to_vector() == std::vector<float>(6, 1.0f));
    CHECK(to_space<host>(m.bias).to_vector() == std::vector<float>(6, 0.0f));
    CHECK(to_space<host>(m.running_mean).to_vector() == std::vector<float>(6, 0.0f));
    CHECK(to_space<host>(m.running_var).to_vector() == std::vector<float>(6, 1.0f));
    CHECK(m.num_batches_tracked == 0);
  };
  check(nn::Model<Bn, Space>{});
  check(nn::Model<Bn, Space>::random(5));
  nn::Model<BnNoAffine, Space> const plain;
  CHECK(plain.weight.size() == 0);
  CHECK(plain.bias.size() == 0);
}

/// forward_in_place == forward bitwise, for both classes.
template <class Space>
void in_place_equals_forward() {
  auto const g = load_module_golden("modules", "pyg_batch_norm");
  auto const m = golden_model<PygBn, Space>(g);
  auto x = to_space<Space>(g.io.read_float<2>("x"));
  nn::GraphContext<Space> const ctx{};
  auto const y = to_space<host>(m.forward(x.cview(), ctx));
  m.forward_in_place(x.view(), ctx);
  CHECK(to_space<host>(x).to_vector() == y.to_vector());
  auto const b = golden_model<Bn, Space>(load_module_golden("modules", "batch_norm"));
  auto x2 = to_space<Space>(g.io.read_float<2>("x"));
  auto const y2 = to_space<host>(b.forward(x2.cview(), ctx));
  b.forward_in_place(x2.view(), ctx);
  CHECK(to_space<host>(x2).to_vector() == y2.to_vector());
}

/// DeepSpeed: F.batch_norm in eval counts 2 flops per element (1 without affine), no MACs; for
/// PyG's BatchNorm they belong to the child `module`.
template <class Space>
void counts_match() {
  auto const bn = checks::check_counts<Bn, Space>("modules", "batch_norm");
  CHECK(bn.own == profile::Counts{0, 11 * 6 * 2});
  auto const plain = checks::check_counts<BnNoAffine, Space>("modules", "batch_norm_no_affine");
  CHECK(plain.own == profile::Counts{0, 11 * 6});
  auto const pyg = checks::check_counts<PygBn, Space>("modules", "pyg_batch_norm");
  CHECK(pyg.own == profile::Counts{});
  CHECK(pyg.at("module").own == profile::Counts{0, 11 * 6 * 2});
  CHECK(pyg.params() == 12);
}

template <class Space>
void round_trip() {
  checks::check_round_trip<Bn, Space>("modules", "batch_norm");
  checks::check_round_trip<BnNoAffine, Space>("modules", "batch_norm_no_affine");
  checks::check_round_trip<PygBn, Space>("modules", "pyg_batch_norm");
}

/// x of another width than .features: a shape_error naming BatchNorm1d.
template <class Space>
void bad_width_is_named() {
  nn::BatchNorm1d<bn6, Space> const m;
  auto const x = to_space<Space>(Tensor<float, 2, host>::zeros({3, 5}));
  nn::GraphContext<Space> const ctx{};
  REQUIRE_THROWS_AS(m.forward(x.cview(), ctx), shape_error);
  REQUIRE_THROWS_WITH(m.forward(x.cview(), ctx),
                      Catch::Contains("BatchNorm1d") && Catch::Contains("x (features") && Catch::Contains("5") &&
                          Catch::Contains("6"));
  nn::PygBatchNorm<bn6, Space> const p;
  REQUIRE_THROWS_WITH(p.forward(x.cview(), ctx), Catch::Contains("BatchNorm1d"));
}

}  // namespace graphtx::test::batch_norm_cases
