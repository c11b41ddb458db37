// The two sum aggregations over the edges of the molecule batch: ops::scatter_add (COO order,
// out[index[e]] += values[e]) and ops::segment_sum (CSR order, one segment per node). Arguments:
// G (graphs in the batch), F (row width: 256 = C, 8192 = H*C of the seed's convs).
//
//   scatter_add/host/host        ops::scatter_add (deterministic host backend)
//   scatter_add/reference/host   ops::reference::scatter_add (checks indices, sequential loop)
//   segment_sum/host/host        ops::segment_sum
//   segment_sum/reference/host   ops::reference::segment_sum

#include <cstdint>

#include <graphtx/ops/reference/scatter_add.hpp>
#include <graphtx/ops/reference/segment_sum.hpp>
#include <graphtx/ops/scatter_add.hpp>
#include <graphtx/ops/segment_sum.hpp>

#include "support/context.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

enum class op { scatter_add, segment_sum };
enum class variant { host, reference };

template <op O, variant V>
void bm_sum(benchmark::State& state) {
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const n = batch.num_nodes(), e = batch.num_edges(), f = state.range(1);
  auto const values = gb::random_tensor<2>({e, f}, 1);   // [E, F], CSR order
  auto const targets = gb::csr_targets(batch.csr);       // [E]: destination of each row
  auto out = gx::Tensor<float, 2>::zeros({n, f});         // [N, F]
  auto run = [&] {
    // scatter_add accumulates into out (never re-zeroed: the sums only drift, and zeroing would
    // time a memset too); segment_sum overwrites it.
    if constexpr (O == op::scatter_add && V == variant::host) {
      gx::ops::scatter_add(values, targets, out.view());
    } else if constexpr (O == op::scatter_add) {
      gx::ops::reference::scatter_add<float>(values, targets, out.view());
    } else if constexpr (V == variant::host) {
      gx::ops::segment_sum(values, batch.csr.offsets, out.view());
    } else {
      gx::ops::reference::segment_sum<float>(values, batch.csr.offsets, out.view());
    }
  };
  gb::run_timed(state, run, out.data());
  auto const ed = static_cast<double>(e), nd = static_cast<double>(n), fd = static_cast<double>(f);
  state.counters["FLOP/s"] = gb::flops_rate(ed * fd);  // one add per value
  double const index_bytes = O == op::scatter_add ? 4.0 * ed : 4.0 * (nd + 1.0);
  double const out_bytes = O == op::scatter_add ? 2.0 * 4.0 * nd * fd : 4.0 * nd * fd;  // read-modify-write vs write
  state.counters["bytes/s"] = gb::bytes_rate(4.0 * ed * fd + out_bytes + index_bytes);
  gb::report_batch(state, batch);
}

int const registered = [] {
  benchmark::internal::Benchmark* all[] = {
      benchmark::RegisterBenchmark("scatter_add/host/host", bm_sum<op::scatter_add, variant::host>),
      benchmark::RegisterBenchmark("scatter_add/reference/host", bm_sum<op::scatter_add, variant::reference>),
      benchmark::RegisterBenchmark("segment_sum/host/host", bm_sum<op::segment_sum, variant::host>),
      benchmark::RegisterBenchmark("segment_sum/reference/host", bm_sum<op::segment_sum, variant::reference>),
  };
  for (auto* b : all) {
    for (std::int64_t g : {gb::small_graphs, gb::seed_graphs})
      for (std::int64_t f : {256, 8192}) b->Args({g, f});
    b->ArgNames({"G", "F"})->UseRealTime()->Unit(benchmark::kMillisecond);
  }
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
