#pragma once
// nn::GINEConv test bodies, once for every space (tests/nn/gine_conv_test.cpp: host,
// tests/cuda/gine_conv_test.cu: CUDA), against the PyG goldens modules/gine (train_eps: eps a
// Parameter, set to 0.3; no lin) and modules/gine_edge_dim (eps a buffer set to -0.2; lin [6, 4]).

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <graphtx/graph/transfer.hpp>
#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/gine_conv.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/model.hpp>

#include "nn/module_checks.hpp"
#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::gine_cases {

namespace nn = graphtx::nn;
using namespace graphtx::test::checks;

constexpr nn::LinearConfig lin_6_6{.in = 6, .out = 6};
// torch.nn.Sequential(Linear(6, 6), ReLU(), Linear(6, 6)): keys 0.*, 2.*
using Mlp6 = nn::Sequential<nn::Linear<lin_6_6>, nn::ReLU<>, nn::Linear<lin_6_6>>;
// GINEConv(nn=Mlp6, train_eps=True)
using Gine = nn::GINEConv<Mlp6, nn::GineConfig{.train_eps = true}>;
// GINEConv(nn=Mlp6, edge_dim=4): eps a buffer
using GineEdge = nn::GINEConv<Mlp6, nn::GineConfig{.edge_dim = 4}>;

static_assert(nn::Layer<Gine> && nn::Layer<GineEdge>);
static_assert(Gine::in_width == 6 && Gine::out_width == 6);
static_assert(Gine::parameter_count == 2 * (36 + 6) + 1);     // nn + the eps Parameter
static_assert(GineEdge::parameter_count == 2 * (36 + 6) + 24 + 6);  // nn + lin; the eps buffer is not counted

template <class Space>
void golden_gine() {
  check_golden<Gine, Space>("modules", "gine");
}
template <class Space>
void golden_gine_edge_dim() {
  check_golden<GineEdge, Space>("modules", "gine_edge_dim");
}

template <class Space>
void eps_is_loaded() {
  auto const a = golden_model<Gine, Space>(load_module_golden("modules", "gine"));
  CHECK(a.eps_value() == 0.3f);
  auto const b = golden_model<GineEdge, Space>(load_module_golden("modules", "gine_edge_dim"));
  CHECK(b.eps_value() == -0.2f);
  // A copy to another space carries it (prepare() after copy_parameters).
  auto const c = nn::Model<Gine, host>::from(a);
  CHECK(c.eps_value() == 0.3f);
  // Default-built and random convs have PyG's initial eps.
  CHECK(nn::Model<nn::GINEConv<Mlp6, nn::GineConfig{.eps = 0.5f}>, Space>{}.eps_value() == 0.5f);
  CHECK(nn::Model<Gine, Space>::random(3).eps_value() == 0.0f);
}

template <class Space>
void counts_match() {
  auto const t = check_counts<GineEdge, Space>("modules", "gine_edge_dim");
  // lin over E = 39 edge rows (4 -> 6), nn: two Linears over N = 16 rows and the ReLU.
  CHECK(t.at("lin").macs() == 39 * 4 * 6);
  CHECK(t.at("nn.0").macs() == 16 * 36);
  CHECK(t.at("nn.1").flops() == 16 * 6);
  CHECK(t.own == profile::Counts{});
  check_counts<Gine, Space>("modules", "gine");
}

template <class Space>
void round_trip() {
  check_round_trip<Gine, Space>("modules", "gine");
  check_round_trip<GineEdge, Space>("modules", "gine_edge_dim");
}

template <class Space>
void bad_edge_features_are_named() {
  auto const g = load_module_golden("modules", "gine");
  auto const model = golden_model<Gine, Space>(g);
  auto host_batch = golden_batch(g.io);
  SECTION("edge_attr of another width without lin") {
    host_batch.edge_attr = Tensor<float, 2, host>::zeros({host_batch.num_edges(), 4});
    auto const& batch = batch_in<Space>(host_batch);
    REQUIRE_THROWS_WITH(model.forward(batch), Catch::Contains("GINEConv: edge_attr has extent 4 in dim 1, expected 6") &&
                                                  Catch::Contains("edge_dim"));
  }
  SECTION("no edge_attr") {
    host_batch.edge_attr = Tensor<float, 2, host>({0, 0});
    auto const& batch = batch_in<Space>(host_batch);
    REQUIRE_THROWS_WITH(model.forward(batch), Catch::Contains("GINEConv: needs edge features"));
  }
  SECTION("edge_attr of another width than edge_dim") {
    auto const ge = load_module_golden("modules", "gine_edge_dim");
    auto const m2 = golden_model<GineEdge, Space>(ge);
    auto b2 = golden_batch(ge.io);
    b2.edge_attr = Tensor<float, 2, host>::zeros({b2.num_edges(), 6});
    REQUIRE_THROWS_WITH(m2.forward(batch_in<Space>(b2)),
                        Catch::Contains("GINEConv: edge_attr (D = edge_dim) has extent 6 in dim 1, expected 4"));
  }
  SECTION("x of another width") {
    host_batch.x = Tensor<float, 2, host>::zeros({host_batch.num_nodes(), 5});
    REQUIRE_THROWS_WITH(model.forward(batch_in<Space>(host_batch)), Catch::Contains("has extent 5 in dim 1, expected 6"));
  }
}

}  // namespace graphtx::test::gine_cases
