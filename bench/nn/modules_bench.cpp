// One Google Benchmark per nn module of the GPS family, each as an nn::Model with random weights
// (Model::random(1)), on the molecule batch of G graphs with OGB integer features
// (support/ogb_batch.hpp; G = 512 is the seed batch, N = 7170, E = 14,762) and C = 64 float
// channels, the width of the GPS molecule model (bench/models/gps_molecule_bench.cpp). The module's
// forward(x, g) runs on the rows it sees inside that model:
//
//   node rows [N, C]  batch_norm, pyg_batch_norm, layer_norm_graph, gelu, gelu_tanh, relu, gine_conv, multihead_attention,
//                     gps_conv, pools, concat_mean_max_pool (torch.cat of mean and max pool: nn::Concat)
//   x_int [N, 9]      atom_encoder             edge_attr_int [E, 3] (CSR order)  bond_encoder
//   graph rows [G, C] mlp_head (the model's head, MLP([C, C/2, 1]));  mlp_node: MLP([C, 2C, C]) on node rows
//
// GINEConv and GPSConv read edge features [E, C] (random, CSR order) from the GraphContext.
// Names are `<module>/module/host`, arguments G and C. Counters: rows/s (the rows of the input),
// nodes/s and graphs/s of the batch, FLOP/s from the module's DeepSpeed counts (add_counts, the
// numbers the profiler reports), N and E. Wall-clock time (UseRealTime: the ops are
// multithreaded); one untimed forward first. The bench_smoke test runs G = 1 only.

#include <cstdint>
#include <string>

#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/batch_norm.hpp>
#include <graphtx/nn/concat.hpp>
#include <graphtx/nn/embedding.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/gine_conv.hpp>
#include <graphtx/nn/gps_conv.hpp>
#include <graphtx/nn/graph_layer_norm.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/mlp.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/nn/multihead_attention.hpp>
#include <graphtx/nn/pooling.hpp>

#include "support/context.hpp"
#include "support/ogb_batch.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;
namespace nn = graphtx::nn;

constexpr int channels = 64;
constexpr int heads = 4;

using Lin = nn::Linear<nn::LinearConfig{.in = channels, .out = channels}>;
/// GPSMolecule's conv: GINEConv(Sequential(Linear(C, C), ReLU(), Linear(C, C))).
using Gine = nn::GINEConv<nn::Sequential<Lin, nn::ReLU<>, Lin>>;
using BatchNorm = nn::BatchNorm1d<nn::BatchNormConfig{.features = channels}>;
using PygBatchNorm = nn::PygBatchNorm<nn::BatchNormConfig{.features = channels}>;
/// torch.cat([global_mean_pool(x, batch), global_max_pool(x, batch)], -1): [G, 2C].
using MeanMaxReadout = nn::Concat<nn::InWidth<channels>, nn::Apply<nn::GlobalMeanPool<>>, nn::Apply<nn::GlobalMaxPool<>>>;
using Mha = nn::MultiheadAttention<nn::MhaConfig{.embed_dim = channels, .heads = heads}>;
/// GPSMolecule's layer: GPSConv(C, GINEConv(...), heads=4) (batch_norm, relu, multihead).
using Gps = nn::GPSConv<Gine, nn::GpsConfig{.channels = channels, .heads = heads}>;
/// torch_geometric.nn.LayerNorm(C) in graph mode, called with batch (GPSConv(norm='layer_norm')).
using GraphLayerNorm = nn::PygLayerNorm<nn::PygLayerNormConfig{.features = channels}>;
/// GPSMolecule's head: MLP([C, C/2, 1]) (batch_norm, relu, plain_last) over the pooled [G, C].
using Head = nn::MLP<nn::MlpConfig{.channels = {channels, channels / 2, 1}}>;
/// A node-level MLP([C, 2C, C]) over [N, C] (GPSConv's own mlp shape, as a PyG MLP with batch_norm).
using NodeMlp = nn::MLP<nn::MlpConfig{.channels = {channels, 2 * channels, channels}}>;

/// What the module reads as its x.
enum class rows { nodes, atoms, bonds, graphs };

template <class M, rows R>
void bm_module(benchmark::State& state) {
  using Model = nn::Model<M>;
  static Model const model = Model::random(1);
  auto const& w = gb::ogb_workload(state.range(0), state.range(1));
  auto const& g = w.context();
  using in_t = typename M::input_type;
  gx::TensorView<in_t const, 2> x;
  if constexpr (R == rows::atoms) {
    x = w.batch.x_int.cview();
  } else if constexpr (R == rows::bonds) {
    x = g.edge_attr_int;
  } else if constexpr (R == rows::graphs) {
    x = w.graph_rows.cview();
  } else {
    x = w.node_rows.cview();
  }
  auto run = [&] { return model.forward(x, g); };
  {
    auto y = run();  // untimed: first touch of the output's pages and of the weights
    benchmark::DoNotOptimize(y.data());
  }
  for (auto _ : state) {
    auto y = run();
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  gx::profile::Module counts = M::profile_module();
  M::add_counts(counts, nn::FlowShape{.rows = x.extent(0), .width = static_cast<int>(x.extent(1)),
                                      .nodes = w.nodes(), .edges = w.edges(), .graphs = w.graphs()});
  state.counters["FLOP/s"] = gb::flops_rate(static_cast<double>(counts.flops()));
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(x.extent(0)), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["nodes/s"] = benchmark::Counter(static_cast<double>(w.nodes()), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["graphs/s"] = benchmark::Counter(static_cast<double>(w.graphs()), benchmark::Counter::kIsIterationInvariantRate);
  gb::report_batch(state, w.batch);
}

template <class M, rows R>
void add(char const* name) {
  std::string const full = std::string(name) + "/module/host";
  auto* b = benchmark::RegisterBenchmark(full.c_str(), bm_module<M, R>);
  for (std::int64_t g : {std::int64_t{1}, std::int64_t{64}, gb::seed_graphs}) b->Args({g, channels});
  b->ArgNames({"G", "C"})->UseRealTime()->Unit(benchmark::kMicrosecond);
}

int const registered = [] {
  add<nn::AtomEncoder<channels>, rows::atoms>("atom_encoder");
  add<nn::BondEncoder<channels>, rows::bonds>("bond_encoder");
  add<nn::ReLU<>, rows::nodes>("relu");
  add<nn::GELU<>, rows::nodes>("gelu");
  add<nn::GELU<nn::gelu_approximate::tanh>, rows::nodes>("gelu_tanh");
  add<GraphLayerNorm, rows::nodes>("layer_norm_graph");
  add<BatchNorm, rows::nodes>("batch_norm");
  add<PygBatchNorm, rows::nodes>("pyg_batch_norm");
  add<Gine, rows::nodes>("gine_conv");
  add<Mha, rows::nodes>("multihead_attention");
  add<Gps, rows::nodes>("gps_conv");
  add<Head, rows::graphs>("mlp_head");
  add<NodeMlp, rows::nodes>("mlp_node");
  add<nn::GlobalAddPool<>, rows::nodes>("global_add_pool");
  add<nn::GlobalMeanPool<>, rows::nodes>("global_mean_pool");
  add<nn::GlobalMaxPool<>, rows::nodes>("global_max_pool");
  add<MeanMaxReadout, rows::nodes>("concat_mean_max_pool");
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
