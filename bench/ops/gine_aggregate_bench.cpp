// ops::gine_aggregate (GINEConv's relu(x_j + e_ji) summed per destination, + (1 + eps) x_i) over the
// edges of the molecule batch. Arguments: G (graphs in the batch), C (channels: 256 = hidden_dim).
//
//   gine_aggregate/host/host        ops::gine_aggregate with the root term (host backend)
//   gine_aggregate/reference/host   ops::reference::gine_aggregate (double, checks indices)

#include <cstdint>

#include <graphtx/ops/gine_aggregate.hpp>
#include <graphtx/ops/reference/gine_aggregate.hpp>

#include "support/context.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

enum class variant { host, reference };

template <variant V>
void bm_gine_aggregate(benchmark::State& state) {
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const n = batch.num_nodes(), e = batch.num_edges(), c = state.range(1);
  auto const x = gb::random_tensor<2>({n, c}, 1);          // [N, C]
  auto const edge_attr = gb::random_tensor<2>({e, c}, 2);  // [E, C], CSR order
  gx::Tensor<float, 2> out({n, c});                        // [N, C]
  auto run = [&] {
    if constexpr (V == variant::host) {
      gx::ops::gine_aggregate(x, edge_attr, batch.csr.offsets, batch.csr.sources, x, 0.1f, out.view());
    } else {
      gx::ops::reference::gine_aggregate<float>(x, edge_attr, batch.csr.offsets, batch.csr.sources, x, 0.1, out.view());
    }
  };
  gb::run_timed(state, run, out.data());
  auto const ed = static_cast<double>(e), nd = static_cast<double>(n), cd = static_cast<double>(c);
  state.counters["FLOP/s"] = gb::flops_rate(3.0 * ed * cd + 2.0 * nd * cd);  // add, relu, add per message
  // x_j and e_ji per edge, x_i and out per node, offsets and sources.
  state.counters["bytes/s"] = gb::bytes_rate(4.0 * (2.0 * ed * cd + 2.0 * nd * cd + ed + nd + 1.0));
  gb::report_batch(state, batch);
}

int const registered = [] {
  auto* host = benchmark::RegisterBenchmark("gine_aggregate/host/host", bm_gine_aggregate<variant::host>);
  auto* ref = benchmark::RegisterBenchmark("gine_aggregate/reference/host", bm_gine_aggregate<variant::reference>);
  for (auto* b : {host, ref}) {
    for (std::int64_t g : {gb::small_graphs, gb::seed_graphs}) b->Args({g, 256});
    b->ArgNames({"G", "C"})->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
