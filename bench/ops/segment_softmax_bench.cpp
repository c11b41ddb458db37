// ops::segment_softmax (PyG's softmax over the in-edges of each node, per head) on the CSR of the
// molecule batch. Arguments: G (graphs in the batch), H (heads: 32 in the seed model).
//
//   segment_softmax/host/host       ops::segment_softmax (host backend, one pass per (node, head))
//   segment_softmax/reference/host  ops::reference::segment_softmax (checks the offsets, textbook)

#include <cstdint>

#include <graphtx/ops/reference/segment_softmax.hpp>
#include <graphtx/ops/segment_softmax.hpp>

#include "support/context.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

enum class variant { host, reference };

template <variant V>
void bm_segment_softmax(benchmark::State& state) {
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const e = batch.num_edges(), h = state.range(1);
  auto const logits = gb::random_tensor<2>({e, h}, 1);  // [E, H]
  gx::Tensor<float, 2> alpha({e, h});                   // [E, H]
  auto run = [&] {
    if constexpr (V == variant::host) {
      gx::ops::segment_softmax(logits, batch.csr.offsets, alpha.view());
    } else {
      gx::ops::reference::segment_softmax<float>(logits, batch.csr.offsets, alpha.view());
    }
  };
  gb::run_timed(state, run, alpha.data());
  auto const eh = static_cast<double>(e) * static_cast<double>(h);
  auto const nodes = static_cast<double>(batch.num_nodes());
  // Nominal 4 operations per element (max, subtract-and-exp, sum, divide); exp counted as one.
  state.counters["FLOP/s"] = gb::flops_rate(4.0 * eh);
  state.counters["bytes/s"] = gb::bytes_rate(4.0 * (2.0 * eh + nodes + 1.0));  // logits in, alpha out, offsets
  gb::report_batch(state, batch);
}

int const registered = [] {
  auto* host = benchmark::RegisterBenchmark("segment_softmax/host/host", bm_segment_softmax<variant::host>);
  auto* ref = benchmark::RegisterBenchmark("segment_softmax/reference/host", bm_segment_softmax<variant::reference>);
  for (auto* b : {host, ref}) {
    for (std::int64_t g : {gb::small_graphs, gb::seed_graphs}) b->Args({g, 32});
    b->ArgNames({"G", "H"})->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
