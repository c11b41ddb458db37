#pragma once
// nn::Concat test bodies, once for every space (tests/nn/concat_test.cpp: host,
// tests/cuda/concat_test.cu: CUDA): two small compositions with random weights against a hand
// computation with the ops their layers are made of (on the host: the same ops in the same order,
// bitwise; on CUDA against that host computation within `space_tol<Space>`: cuBLAS sums in another
// order), keys, DeepSpeed's tree, static == profiled counts, strict load, round trip, bad input.

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include <graphtx/graph/generate.hpp>
#include <graphtx/graph/transfer.hpp>
#include <graphtx/io/safetensors.hpp>
#include <graphtx/io/state_dict.hpp>
#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/concat.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/nn/parameters.hpp>
#include <graphtx/nn/pooling.hpp>
#include <graphtx/ops/activation.hpp>
#include <graphtx/ops/linear.hpp>
#include <graphtx/ops/pooling.hpp>
#include <graphtx/profile/profiler.hpp>

#include "support/compare.hpp"

namespace graphtx::test::concat_cases {

namespace nn = graphtx::nn;

constexpr nn::LinearConfig lin_4_3{.in = 4, .out = 3};
constexpr nn::LinearConfig lin_4_5{.in = 4, .out = 5};
constexpr nn::LinearConfig lin_4_8{.in = 4, .out = 8};
constexpr nn::LinearConfig lin_8_3{.in = 8, .out = 3};
constexpr nn::LinearConfig lin_8_2{.in = 8, .out = 2, .bias = false};
constexpr nn::LinearConfig lin_10_1{.in = 10, .out = 1};

// torch.cat([self.a(x), self.b(x)], -1) with a = Linear(4, 3), b = Sequential(Linear(4, 5), ReLU()):
// as a whole net its keys are a.*, b.0.* (the Concat adds no prefix).
using Both = nn::Concat<nn::Field<"a", nn::Linear<lin_4_3>>, nn::Field<"b", nn::Sequential<nn::Linear<lin_4_5>, nn::ReLU<>>>>;

// class Net(Module):
//   lin = Linear(4, 8); heads = <a module whose forward is torch.cat([a(x), b(x)], -1)>, a = Linear(8, 3),
//   b = Linear(8, 2, bias=False); out = Linear(10, 1)
//   forward: x = heads(relu(lin(x))); x = torch.cat([global_mean_pool(x, batch), global_max_pool(x, batch)], -1)
//            return out(x)
using Heads = nn::Concat<nn::Field<"a", nn::Linear<lin_8_3>>, nn::Field<"b", nn::Linear<lin_8_2>>>;
using PoolBoth = nn::Concat<nn::InWidth<5>, nn::Apply<nn::GlobalMeanPool<>>, nn::Apply<nn::GlobalMaxPool<>>>;
using Net = nn::Module<"Net",
                       nn::Field<"lin", nn::Linear<lin_4_8>>,
                       nn::Apply<nn::ReLU<>>,
                       nn::Field<"heads", Heads>,
                       nn::Apply<PoolBoth>,
                       nn::Field<"out", nn::Linear<lin_10_1>>>;

static_assert(nn::Layer<Both> && nn::Layer<Heads> && nn::Layer<PoolBoth> && nn::Layer<Net>);
static_assert(Both::in_width == 4 && Both::out_width == 8);
static_assert(Heads::in_width == 8 && Heads::out_width == 5);
static_assert(PoolBoth::in_width == 5 && PoolBoth::out_width == 10);
static_assert(Both::parameter_count == 4 * 3 + 3 + 4 * 5 + 5);
static_assert(Net::parameter_count == 4 * 8 + 8 + (8 * 3 + 3) + 8 * 2 + 10 + 1);
static_assert(nn::is_readout_v<PoolBoth> && !nn::is_readout_v<Both> && nn::is_readout_v<Net>);
static_assert(Net::out_width == 1);
static_assert(std::is_same_v<Both::rebind<host>, Both>);

/// Host-computed vs Space-computed: bitwise on the host (the same ops), cuBLAS's sums on CUDA.
template <class Space>
inline constexpr Tolerance space_tol = std::is_same_v<Space, host> ? Tolerance{0.0, 0.0} : Tolerance{1e-5, 1e-6};

/// Three graphs of 3, 1 and 4 nodes (molecule-like), 4 input features.
inline graph::Batch<host> small_batch() {
  auto g = graph::generate_molecule_batch(3, 5, 8);
  std::vector<float> xs(static_cast<std::size_t>(g.num_nodes() * 4));
  for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = std::sin(0.7f * static_cast<float>(i)) * 1.5f;
  g.x = Tensor<float, 2, host>::from({g.num_nodes(), 4}, xs);
  return g;
}

/// The batch in Space (the host batch itself on the host: keep it alive).
template <class Space>
decltype(auto) in_space(graph::Batch<host> const& b) {
  if constexpr (std::is_same_v<Space, host>) {
    return (b);
  } else {
    return graph::to_space<Space>(b);
  }
}

template <class L>
Tensor<float, 2, host> apply_linear(TensorView<float const, 2, host> x, L const& l) {
  Tensor<float, 2, host> y({x.extent(0), L::out_width});
  ops::linear(x, l.weight.cview(), l.bias.cview(), y.view());
  return y;
}
/// [R, A] and [R, B] side by side, by hand.
inline Tensor<float, 2, host> cat(Tensor<float, 2, host> const& a, Tensor<float, 2, host> const& b) {
  Tensor<float, 2, host> y({a.extent(0), a.extent(1) + b.extent(1)});
  for (index_t r = 0; r < a.extent(0); ++r) {
    for (index_t c = 0; c < a.extent(1); ++c) y(r, c) = a(r, c);
    for (index_t c = 0; c < b.extent(1); ++c) y(r, a.extent(1) + c) = b(r, c);
  }
  return y;
}

template <class Space>
void both_is_the_cat_of_its_branches() {
  auto const host_model = nn::Model<Both>::random(11);
  auto const model = nn::Model<Both, Space>::from(host_model);
  auto const batch = small_batch();
  auto const y = to_space<host>(model.forward(in_space<Space>(batch)));  // [N, 8]
  REQUIRE(y.extent(0) == batch.num_nodes());
  REQUIRE(y.extent(1) == 8);
  auto const a = apply_linear(batch.x.cview(), host_model.item<0>());
  auto b = apply_linear(batch.x.cview(), host_model.item<1>().item<0>());
  ops::relu(b.cview(), b.view());
  auto const expected = cat(a, b);
  GRAPHTX_REQUIRE_CLOSE(y.cview(), expected.cview(), space_tol<Space>);
}

template <class Space>
void net_is_the_chain_by_hand() {
  auto const host_model = nn::Model<Net>::random(12);
  auto const model = nn::Model<Net, Space>::from(host_model);
  auto const batch = small_batch();
  auto const y = to_space<host>(model.forward(in_space<Space>(batch)));  // [G, 1]
  REQUIRE(y.extent(0) == batch.num_graphs);
  REQUIRE(y.extent(1) == 1);
  auto h = apply_linear(batch.x.cview(), host_model.get<"lin">());
  ops::relu(h.cview(), h.view());
  auto const& heads = host_model.get<"heads">();
  auto const hc = cat(apply_linear(h.cview(), heads.item<0>()), apply_linear(h.cview(), heads.item<1>()));  // [N, 5]
  Tensor<float, 2, host> mean({batch.num_graphs, 5}), max({batch.num_graphs, 5});
  ops::global_mean_pool(hc.cview(), batch.ptr.cview(), mean.view());
  ops::global_max_pool(hc.cview(), batch.ptr.cview(), max.view());
  auto const pooled = cat(mean, max);  // [G, 10]
  auto const expected = apply_linear(pooled.cview(), host_model.get<"out">());
  GRAPHTX_REQUIRE_CLOSE(y.cview(), expected.cview(), space_tol<Space>);

  // node_forward stops at the pools: the heads' concatenation [N, 5].
  auto const nodes = to_space<host>(model.node_forward(in_space<Space>(batch)));
  GRAPHTX_REQUIRE_CLOSE(nodes.cview(), hc.cview(), space_tol<Space>);
}

template <class Space>
void counts_match() {
  auto const model = nn::Model<Net, Space>::random(2);
  auto const batch = small_batch();
  profile::Profiler prof(model);
  model.forward(in_space<Space>(batch), &prof);
  auto const expected =
      nn::Model<Net>::counts({.nodes = batch.num_nodes(), .edges = batch.num_edges(), .graphs = batch.num_graphs});
  index_t const n = batch.num_nodes(), g = batch.num_graphs;
  CHECK(expected.at("lin").macs() == n * 32);
  CHECK(expected.own.flops == n * 8);  // F.relu on Net; the pools count nothing
  CHECK(expected.at("heads").own == profile::Counts{});  // torch.cat counts nothing
  CHECK(expected.at("heads.a").macs() == n * 24);
  CHECK(expected.at("heads.b").macs() == n * 16);
  CHECK(expected.at("out").macs() == g * 10);  // over the G pooled rows
  auto const& run = prof.root();
  CHECK(run.counts() == expected.counts());
  CHECK(run.own == expected.own);
  for (char const* path : {"lin", "heads", "heads.a", "heads.b", "out"}) {
    INFO(path);
    CHECK(run.at(path).counts() == expected.at(path).counts());
    CHECK(run.at(path).calls == 1);
  }
  CHECK(expected.params() == Net::parameter_count);

  auto const both = nn::Model<Both, Space>::random(3);
  profile::Profiler prof2(both);
  both.forward(in_space<Space>(batch), &prof2);
  auto const e2 = nn::Model<Both>::counts({.nodes = n, .edges = batch.num_edges(), .graphs = g});
  CHECK(prof2.root().counts() == e2.counts());
  CHECK(prof2.root().at("b.1").counts() == e2.at("b.1").counts());
  CHECK(e2.at("b.1").flops() == n * 5);
  CHECK(prof2.root().calls == 1);
}

template <class Space>
void round_trip() {
  auto const model = nn::Model<Net, Space>::random(7);
  CHECK(nn::count_parameters(model) == Net::parameter_count);
  io::StateDictWriter sd;
  model.save(sd);
  auto const bytes = sd.to_bytes();
  auto const back = nn::Model<Net, Space>::load(io::SafetensorsFile::from_bytes(bytes, "net.safetensors"));
  io::StateDictWriter sd2;
  back.save(sd2);
  REQUIRE(sd2.to_bytes() == bytes);
  auto const batch = small_batch();
  auto const& b = in_space<Space>(batch);
  REQUIRE(to_space<host>(back.forward(b)).to_vector() == to_space<host>(model.forward(b)).to_vector());
}

template <class Space>
void bad_input_is_named() {
  auto const model = nn::Model<Both, Space>::random(1);
  auto batch = small_batch();
  batch.x = Tensor<float, 2, host>::zeros({batch.num_nodes(), 5});
  REQUIRE_THROWS_WITH(model.forward(in_space<Space>(batch)), Catch::Contains("Concat") &&
                                                                 Catch::Contains("has extent 5 in dim 1, expected 4"));
  // The module itself (inside another composition) checks the width too.
  auto const& b = in_space<Space>(batch);
  nn::BatchContext<Space> ctx(b);
  REQUIRE_THROWS_WITH(model.net().forward(b.x.cview(), ctx.context()),
                      Catch::Contains("Concat: x (features) has extent 5 in dim 1, expected 4"));
}

}  // namespace graphtx::test::concat_cases
