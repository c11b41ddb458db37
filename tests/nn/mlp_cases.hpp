#pragma once
// nn::MLP test bodies, once for every space (tests/nn/mlp_test.cpp: host, tests/cuda/mlp_test.cu:
// CUDA), against the PyG goldens modules/mlp (MLP([6, 12, 12, 3]): batch_norm, relu),
// modules/mlp_no_norm (MLP([6, 10, 2], norm=None)) and modules/mlp_gelu_layernorm
// (MLP([6, 8, 2], act='gelu', norm='layer_norm'): `out` = m(x), `out_batch` = m(x, batch, 5)).

#include <catch2/catch.hpp>

#include <string>

#include <graphtx/nn/mlp.hpp>
#include <graphtx/nn/model.hpp>

#include "nn/module_checks.hpp"
#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::mlp_cases {

namespace nn = graphtx::nn;

constexpr nn::MlpConfig mlp_cfg{.channels = {6, 12, 12, 3}};
constexpr nn::MlpConfig no_norm_cfg{.channels = {6, 10, 2}, .norm = nn::mlp_norm::none};
constexpr nn::MlpConfig gelu_ln_cfg{.channels = {6, 8, 2}, .norm = nn::mlp_norm::layer_norm, .act = nn::mlp_act::gelu};
constexpr nn::MlpConfig gelu_ln_batch_cfg{
    .channels = {6, 8, 2}, .norm = nn::mlp_norm::layer_norm, .act = nn::mlp_act::gelu, .norm_batch = true};

using Mlp = nn::MLP<mlp_cfg>;
using MlpNoNorm = nn::MLP<no_norm_cfg>;
using MlpGeluLn = nn::MLP<gelu_ln_cfg>;
using MlpGeluLnBatch = nn::MLP<gelu_ln_batch_cfg>;

static_assert(nn::Layer<Mlp> && nn::Layer<MlpNoNorm> && nn::Layer<MlpGeluLn>);
static_assert(mlp_cfg.count() == 4 && mlp_cfg.num_layers() == 3 && mlp_cfg.num_norms() == 2);
static_assert(Mlp::in_width == 6 && Mlp::out_width == 3);
static_assert(Mlp::parameter_count == (6 * 12 + 12) + (12 * 12 + 12) + (12 * 3 + 3) + 2 * 24);
static_assert(MlpNoNorm::parameter_count == (6 * 10 + 10) + (10 * 2 + 2));
static_assert(MlpGeluLn::parameter_count == (6 * 8 + 8) + (8 * 2 + 2) + 16);
static_assert(MlpGeluLn::out_width == 2);
static_assert(std::is_same_v<Mlp::rebind<host>, Mlp>);

template <class Space>
CloseReport golden_mlp() {
  return checks::check_golden<Mlp, Space>("modules", "mlp");
}
template <class Space>
CloseReport golden_mlp_no_norm() {
  return checks::check_golden<MlpNoNorm, Space>("modules", "mlp_no_norm");
}
/// m(x): PyG's LayerNorm (graph mode) over all 12 rows as one graph, eps on the std.
template <class Space>
CloseReport golden_mlp_gelu_layernorm() {
  return checks::check_golden<MlpGeluLn, Space>("modules", "mlp_gelu_layernorm");
}
/// m(x, batch, batch_size=5): per graph (sizes 5, 1, 0, 4, 2).
template <class Space>
CloseReport golden_mlp_gelu_layernorm_batch() {
  return checks::check_golden<MlpGeluLnBatch, Space>("modules", "mlp_gelu_layernorm", "out_batch");
}

template <class Space>
void counts_match() {
  auto const t = checks::check_counts<Mlp, Space>("modules", "mlp");
  index_t const n = 12;
  CHECK(t.at("lins.0").macs() == n * 6 * 12);
  CHECK(t.at("lins.2").macs() == n * 12 * 3);
  CHECK(t.at("norms.1.module").flops() == 2 * n * 12);  // BatchNorm eval with affine
  CHECK(t.at("act").flops() == 2 * n * 12);             // one ReLU module, called after both hidden layers
  CHECK(t.own == profile::Counts{});
  auto const g = checks::check_counts<MlpGeluLn, Space>("modules", "mlp_gelu_layernorm");
  CHECK(g.at("norms.0").counts() == profile::Counts{});  // PyG's graph-mode LayerNorm: no patched call
  CHECK(g.at("act").flops() == n * 8);                   // F.gelu
  checks::check_counts<MlpNoNorm, Space>("modules", "mlp_no_norm");
  checks::check_counts<MlpGeluLnBatch, Space>("modules", "mlp_gelu_layernorm");
}

/// The act module runs once per hidden layer: its node's calls.
template <class Space>
void act_runs_per_hidden_layer() {
  auto const g = load_module_golden("modules", "mlp");
  auto const model = golden_model<Mlp, Space>(g);
  auto const host_batch = golden_batch(g.io);
  auto const& batch = checks::batch_in<Space>(host_batch);
  profile::Profiler prof(model);
  model.forward(batch, &prof);
  CHECK(prof.root().at("act").calls == 2);
  CHECK(prof.root().at("lins.2").calls == 1);
  CHECK(prof.root().at("norms.0").calls == 1);
  CHECK(prof.root().calls == 1);
}

template <class Space>
void round_trip() {
  checks::check_round_trip<Mlp, Space>("modules", "mlp");
  checks::check_round_trip<MlpNoNorm, Space>("modules", "mlp_no_norm");
  checks::check_round_trip<MlpGeluLn, Space>("modules", "mlp_gelu_layernorm");
}

template <class Space>
void bad_input_is_named() {
  auto const g = load_module_golden("modules", "mlp");
  auto const model = golden_model<Mlp, Space>(g);
  auto host_batch = golden_batch(g.io);
  host_batch.x = Tensor<float, 2, host>::zeros({host_batch.num_nodes(), 5});
  REQUIRE_THROWS_WITH(model.forward(checks::batch_in<Space>(host_batch)),
                      Catch::Contains("MLP") && Catch::Contains("has extent 5 in dim 1, expected 6"));
}

}  // namespace graphtx::test::mlp_cases
