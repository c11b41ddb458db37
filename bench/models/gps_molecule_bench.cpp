// The whole GPS molecule model (graphtx_examples::GPSMolecule<64, 10, 4>, examples/models/
// gps_molecule.hpp: AtomEncoder(64), BondEncoder(64), 10 x GPSConv(64, GINEConv(MLP), heads=4),
// global_add_pool, MLP([64, 32, 1]); the size of PyG's GPS example) with random weights
// (Model::random(0)) on the molecule batch of G graphs with OGB int64 atom and bond features
// (support/ogb_batch.hpp; G = 512 is the seed batch, N = 7170).
//
//   gps_molecule/forward/host  Model::forward(batch): what one prediction of G molecules costs,
//                              from the batch's int64 features to y [G, 1]
//   gps_molecule/load/host     Model::load(path) of the state_dict file (saved once by the
//                              benchmark, in the temp directory): strict load of every key
//
// Counters: graphs/s, nodes/s, FLOP/s from the model's DeepSpeed counts (Model::counts), N, E.
// Wall-clock time (UseRealTime); one untimed forward first. The bench_smoke test runs G = 1
// and the load.

#include <unistd.h>

#include <filesystem>
#include <string>

#include <graphtx/nn/model.hpp>

#include <models/gps_molecule.hpp>

#include "support/context.hpp"
#include "support/ogb_batch.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

using Net = graphtx_examples::GPSMolecule<64, 10, 4>;
using Model = gx::nn::Model<Net>;

Model const& model() {
  static Model const m = Model::random(0);
  return m;
}

void bm_gps_forward(benchmark::State& state) {
  auto const& w = gb::ogb_workload(state.range(0), 64);
  auto const& batch = w.batch;
  {
    auto y = model().forward(batch);
    benchmark::DoNotOptimize(y.data());
  }
  for (auto _ : state) {
    gx::Tensor<float, 2> y = model().forward(batch);  // [G, 1]
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  auto const counts = Model::counts({batch.num_nodes(), batch.num_edges(), batch.num_graphs});
  state.counters["FLOP/s"] = gb::flops_rate(static_cast<double>(counts.flops()));
  state.counters["graphs/s"] = benchmark::Counter(static_cast<double>(batch.num_graphs), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["nodes/s"] = benchmark::Counter(static_cast<double>(batch.num_nodes()), benchmark::Counter::kIsIterationInvariantRate);
  gb::report_batch(state, batch);
}

void bm_gps_load(benchmark::State& state) {
  std::filesystem::path const path =
      std::filesystem::temp_directory_path() / ("graphtx_bench_gps_molecule_" + std::to_string(::getpid()) + ".safetensors");
  model().save(path);
  for (auto _ : state) {
    Model m = Model::load(path);
    benchmark::DoNotOptimize(&m);
    benchmark::ClobberMemory();
  }
  auto const bytes = static_cast<double>(std::filesystem::file_size(path));
  std::filesystem::remove(path);
  state.counters["parameters"] = benchmark::Counter(static_cast<double>(Model::parameter_count));
  state.counters["bytes/s"] = gb::bytes_rate(bytes);
}

int const registered = [] {
  benchmark::RegisterBenchmark("gps_molecule/forward/host", bm_gps_forward)
      ->Arg(1)
      ->Arg(16)
      ->Arg(64)
      ->Arg(gb::seed_graphs)
      ->ArgName("G")
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("gps_molecule/load/host", bm_gps_load)->UseRealTime()->Unit(benchmark::kMillisecond);
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
