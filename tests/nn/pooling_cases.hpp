#pragma once
// nn::GlobalAddPool / GlobalMeanPool / GlobalMaxPool test bodies, once for every space
// (tests/nn/pooling_test.cpp: host, tests/cuda/pooling_test.cu: CUDA), against the PyG golden
// modules/pools (io only: x [14, 5], graph sizes 4, 0, 6, 1, 3, 0 -- an empty graph in the middle and
// a trailing one that exists only through size=6; add, mean, max [6, 5]; *_none: batch=None, [1, 5]).
// The pools are used as whole nets: nn::Sequential<nn::GlobalAddPool<>> (PyG's functions have no
// module of their own; a Sequential gives nn::Model a Layer to hold).

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <type_traits>

#include <graphtx/graph/batch.hpp>
#include <graphtx/graph/transfer.hpp>
#include <graphtx/io/safetensors.hpp>
#include <graphtx/io/state_dict.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/nn/parameters.hpp>
#include <graphtx/nn/pooling.hpp>
#include <graphtx/profile/profiler.hpp>

#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::pooling_cases {

namespace nn = graphtx::nn;

using AddNet = nn::Sequential<nn::GlobalAddPool<>>;
using MeanNet = nn::Sequential<nn::GlobalMeanPool<>>;
using MaxNet = nn::Sequential<nn::GlobalMaxPool<>>;

static_assert(nn::Layer<nn::GlobalAddPool<>> && nn::Layer<AddNet> && nn::Layer<MeanNet> && nn::Layer<MaxNet>);
static_assert(AddNet::in_width == nn::any_width && AddNet::out_width == nn::any_width);
static_assert(AddNet::parameter_count == 0);
static_assert(nn::is_readout_v<AddNet> && nn::is_readout_v<nn::GlobalMaxPool<>>);

/// The batch in Space (the host batch itself on the host: keep it alive).
template <class Space>
decltype(auto) in_space(graph::Batch<host> const& b) {
  if constexpr (std::is_same_v<Space, host>) {
    return (b);  // graph::Batch<host> const&
  } else {
    return graph::to_space<Space>(b);
  }
}

/// PyG's `batch=None`: every node in graph 0, G = 1.
inline graph::Batch<host> all_one_graph(io::SafetensorsFile const& f) {
  auto x = f.read_float<2>("x");
  index_t const n = x.extent(0);
  auto const edge_index = Tensor<std::int64_t, 2, host>({2, 0});
  auto const batch = Tensor<std::int64_t, 1, host>::zeros({n});
  return graph::make_batch(std::move(x), edge_index.cview(), batch.cview(), 1);
}

/// Net on Space over `batch` vs the golden's `key`: exact (a sum, a mean and a max over the same
/// rows in node order as torch_scatter's CPU kernels give the same floats; asserted to pyg_fp32
/// and the measured error reported by the caller through `max_abs`).
template <class Net, class Space>
double check_pool(graph::Batch<host> const& batch, io::SafetensorsFile const& io, std::string const& key) {
  INFO("pools golden " << key << " on " << Space::name);
  nn::Model<Net, Space> const model;
  auto const y = to_space<host>(model.forward(in_space<Space>(batch)));
  auto const expected = io.read_float<2>(key);
  REQUIRE(y.extent(0) == expected.extent(0));
  REQUIRE(y.extent(1) == expected.extent(1));
  GRAPHTX_REQUIRE_CLOSE(y.cview(), expected.cview(), pyg_fp32);
  return compare(y.data(), expected.data(), y.size(), pyg_fp32).max_abs;
}

template <class Space>
void golden_pools() {
  auto const g = load_module_golden("modules", "pools");
  CHECK(!g.weights.has_value());
  auto const batch = golden_batch(g.io);
  REQUIRE(batch.num_graphs == 6);  // the trailing empty graph counts (ptr has 7 entries)
  REQUIRE(batch.num_nodes() == 14);
  CHECK(check_pool<AddNet, Space>(batch, g.io, "add") <= 1e-6);
  CHECK(check_pool<MeanNet, Space>(batch, g.io, "mean") <= 1e-6);
  CHECK(check_pool<MaxNet, Space>(batch, g.io, "max") == 0.0);  // a max picks one of the inputs
}

template <class Space>
void golden_pools_batch_none() {
  auto const g = load_module_golden("modules", "pools");
  auto const batch = all_one_graph(g.io);
  CHECK(check_pool<AddNet, Space>(batch, g.io, "add_none") <= 1e-5);
  CHECK(check_pool<MeanNet, Space>(batch, g.io, "mean_none") <= 1e-6);
  CHECK(check_pool<MaxNet, Space>(batch, g.io, "max_none") == 0.0);
}

/// Empty graphs give 0 for every reduction (PyG: max 0, not -inf), and so does a batch without nodes.
template <class Space>
void empty_graphs_give_zero() {
  auto const g = load_module_golden("modules", "pools");
  auto const batch = golden_batch(g.io);
  auto const ym = to_space<host>(nn::Model<MaxNet, Space>{}.forward(in_space<Space>(batch)));
  auto const ya = to_space<host>(nn::Model<MeanNet, Space>{}.forward(in_space<Space>(batch)));
  for (index_t graph : {1, 5}) {
    for (index_t c = 0; c < 5; ++c) {
      CHECK(ym(graph, c) == 0.0f);
      CHECK(ya(graph, c) == 0.0f);
    }
  }
  // N = 0 nodes in G = 2 graphs: [2, 5] of zeros.
  auto const edge_index = Tensor<std::int64_t, 2, host>({2, 0});
  auto const ids = Tensor<std::int64_t, 1, host>({0});
  auto const none = graph::make_batch(Tensor<float, 2, host>({0, 5}), edge_index.cview(), ids.cview(), 2);
  auto const y0 = to_space<host>(nn::Model<MaxNet, Space>{}.forward(in_space<Space>(none)));
  REQUIRE(y0.extent(0) == 2);
  REQUIRE(y0.extent(1) == 5);
  for (float v : y0.to_vector()) CHECK(v == 0.0f);
}

/// DeepSpeed counts nothing for the pools; the profiled tree equals the static one.
template <class Space>
void counts_match() {
  auto const g = load_module_golden("modules", "pools");
  auto const batch = golden_batch(g.io);
  nn::Model<MaxNet, Space> const model;
  profile::Profiler prof(model);
  model.forward(in_space<Space>(batch), &prof);
  auto const expected = nn::Model<MaxNet>::counts({.nodes = 14, .edges = 0, .graphs = 6}, 5);  // x [14, 5]
  auto const& root = prof.root();
  CHECK(root.type == "Sequential");
  CHECK(root.calls == 1);
  REQUIRE(root.children.size() == 1);
  CHECK(root.children[0].name == "0");
  CHECK(root.children[0].type == "global_max_pool");
  CHECK(root.children[0].calls == 1);
  CHECK(root.counts() == expected.counts());
  CHECK(expected.counts() == profile::Counts{});
  CHECK(root.params() == 0);
  // The readout turns N rows into G.
  CHECK(nn::shape_after<MaxNet>(nn::FlowShape{.rows = 14, .width = 5, .nodes = 14, .graphs = 6}).rows == 6);
}

/// No state_dict: an empty file loads, saving writes no tensor, a file with any key is refused.
template <class Space>
void empty_state_dict() {
  CHECK(nn::state_entries(nn::Model<AddNet, Space>{}).empty());
  CHECK(nn::count_parameters(nn::Model<AddNet, Space>{}) == 0);
  io::StateDictWriter sd;
  nn::Model<MeanNet, Space>{}.save(sd);
  auto const bytes = sd.to_bytes();
  auto const file = io::SafetensorsFile::from_bytes(bytes, "pools.safetensors");
  CHECK(file.tensors().empty());
  (void)nn::Model<MeanNet, Space>::load(file);
  io::SafetensorsWriter w;
  std::vector<std::byte> zeros(12, std::byte{0});
  w.add_raw("0.weight", dtype::f32, {3}, zeros);
  using Mean = nn::Model<MeanNet, Space>;
  REQUIRE_THROWS_WITH(Mean::load(io::SafetensorsFile::from_bytes(w.to_bytes(), "extra.safetensors")),
                      Catch::Contains("unexpected key") && Catch::Contains("0.weight"));
}

/// A context whose ptr does not have G + 1 entries is named.
template <class Space>
void bad_ptr_is_named() {
  auto const g = load_module_golden("modules", "pools");
  auto const host_batch = golden_batch(g.io);
  auto const& batch = in_space<Space>(host_batch);
  nn::BatchContext<Space> ctx(batch);
  nn::GraphContext<Space> bad = ctx.context();
  bad.num_graphs = 7;
  nn::GlobalAddPool<Space> const pool;
  REQUIRE_THROWS_WITH(pool.forward(batch.x.cview(), bad),
                      Catch::Contains("global_add_pool: ptr (G + 1 entries) has extent 7 in dim 0, expected 8"));
}

}  // namespace graphtx::test::pooling_cases
