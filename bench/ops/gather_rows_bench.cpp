// ops::gather_rows (dst[e, :] = src[rows[e], :]): lifting node rows onto the edges of the
// molecule batch, as the textbook TransformerConv gathers k_j and v_j. Arguments: G (graphs in the
// batch), F (row width: 256 = C, 8192 = H*C of the seed's convs).
//
//   gather_rows/host/host       ops::gather_rows (the host backend)
//   gather_rows/reference/host  ops::reference::gather_rows (checks every index, one loop)

#include <cstdint>

#include <graphtx/ops/gather_rows.hpp>
#include <graphtx/ops/reference/gather_rows.hpp>

#include "support/context.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

enum class variant { host, reference };

template <variant V>
void bm_gather_rows(benchmark::State& state) {
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const n = batch.num_nodes(), e = batch.num_edges(), f = state.range(1);
  auto const src = gb::random_tensor<2>({n, f}, 1);  // [N, F]
  gx::Tensor<float, 2> dst({e, f});                  // [E, F]
  auto run = [&] {
    if constexpr (V == variant::host) {
      gx::ops::gather_rows(src, batch.csr.sources, dst.view());
    } else {
      gx::ops::reference::gather_rows<float>(src, batch.csr.sources, dst.view());
    }
  };
  gb::run_timed(state, run, dst.data());
  auto const ed = static_cast<double>(e), fd = static_cast<double>(f);
  state.counters["FLOP/s"] = gb::flops_rate(0.0);                    // a pure copy
  state.counters["bytes/s"] = gb::bytes_rate(4.0 * (2.0 * ed * fd + ed));  // read row + write row + index
  gb::report_batch(state, batch);
}

int const registered = [] {
  auto* host = benchmark::RegisterBenchmark("gather_rows/host/host", bm_gather_rows<variant::host>);
  auto* ref = benchmark::RegisterBenchmark("gather_rows/reference/host", bm_gather_rows<variant::reference>);
  for (auto* b : {host, ref}) {
    for (std::int64_t g : {gb::small_graphs, gb::seed_graphs})
      for (std::int64_t f : {256, 8192}) b->Args({g, f});
    b->ArgNames({"G", "F"})->UseRealTime()->Unit(benchmark::kMillisecond);
  }
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
