// ops::graph_layer_norm (PyG LayerNorm, mode="graph": one normalisation per graph over its nodes and
// channels) on the molecule batch, out of place. Arguments: G (graphs in the batch; N = its node
// count), C (channels: 256 = the seed's hidden_dim).
//
//   graph_layer_norm/host/host        ops::graph_layer_norm (host backend)
//   graph_layer_norm/reference/host   ops::reference::graph_layer_norm (double, a copy per graph)

#include <cstdint>

#include <graphtx/ops/graph_layer_norm.hpp>
#include <graphtx/ops/reference/graph_layer_norm.hpp>

#include "support/context.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

enum class variant { host, reference };

template <variant V>
void bm_graph_layer_norm(benchmark::State& state) {
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const n = batch.num_nodes(), c = state.range(1);
  auto const x = gb::random_tensor<2>({n, c}, 1);       // [N, C]
  auto const weight = gb::random_tensor<1>({c}, 2);    // [C]
  auto const bias = gb::random_tensor<1>({c}, 3);      // [C]
  gx::Tensor<float, 2> y({n, c});                      // [N, C]
  auto run = [&] {
    if constexpr (V == variant::host) {
      gx::ops::graph_layer_norm(x, batch.ptr, weight, bias, 1e-5f, y.view());
    } else {
      gx::ops::reference::graph_layer_norm<float>(x, batch.ptr, weight, bias, 1e-5, y.view());
    }
  };
  gb::run_timed(state, run, y.data());
  auto const nc = static_cast<double>(n) * static_cast<double>(c);
  // Nominal 7 per element: mean (add), variance (sub, mul, add), normalise (sub, div), affine (fma).
  state.counters["FLOP/s"] = gb::flops_rate(7.0 * nc);
  state.counters["bytes/s"] = gb::bytes_rate(4.0 * (2.0 * nc + 2.0 * static_cast<double>(c)));
  gb::report_batch(state, batch);
}

int const registered = [] {
  auto* host = benchmark::RegisterBenchmark("graph_layer_norm/host/host", bm_graph_layer_norm<variant::host>);
  auto* ref = benchmark::RegisterBenchmark("graph_layer_norm/reference/host", bm_graph_layer_norm<variant::reference>);
  for (auto* b : {host, ref}) {
    for (std::int64_t g : {gb::small_graphs, gb::seed_graphs}) b->Args({g, 256});
    b->ArgNames({"G", "C"})->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
