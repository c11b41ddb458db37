// ops::batch_norm (torch.nn.BatchNorm1d in eval mode over [N, C]) on the seed model's hidden
// features, out of place. Arguments: G (graphs in the batch; N = its node count), C (channels:
// 256 = hidden_dim).
//
//   batch_norm/host/host       ops::batch_norm (host backend: per-channel alpha/beta, then x alpha + beta)
//   batch_norm/reference/host  ops::reference::batch_norm (textbook, a sqrt and divide per element)

#include <cstdint>

#include <graphtx/ops/batch_norm.hpp>
#include <graphtx/ops/reference/batch_norm.hpp>

#include "support/context.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

enum class variant { host, reference };

template <variant V>
void bm_batch_norm(benchmark::State& state) {
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const n = batch.num_nodes(), c = state.range(1);
  auto const x = gb::random_tensor<2>({n, c}, 1);       // [N, C]
  auto const mean = gb::random_tensor<1>({c}, 2);       // [C]
  auto var = gb::random_tensor<1>({c}, 3);              // [C], made positive below
  for (gx::index_t i = 0; i < c; ++i) var(i) = 1.5f + var(i);
  auto const weight = gb::random_tensor<1>({c}, 4);     // [C]
  auto const bias = gb::random_tensor<1>({c}, 5);       // [C]
  gx::Tensor<float, 2> y({n, c});                       // [N, C]
  auto run = [&] {
    if constexpr (V == variant::host) {
      gx::ops::batch_norm(x, mean, var, weight, bias, 1e-5f, y.view());
    } else {
      gx::ops::reference::batch_norm<float>(x, mean, var, weight, bias, 1e-5, y.view());
    }
  };
  gb::run_timed(state, run, y.data());
  auto const nc = static_cast<double>(n) * static_cast<double>(c);
  state.counters["FLOP/s"] = gb::flops_rate(2.0 * nc);  // nominal: one multiply and one add per element
  state.counters["bytes/s"] = gb::bytes_rate(4.0 * (2.0 * nc + 4.0 * static_cast<double>(c)));
  gb::report_batch(state, batch);
}

int const registered = [] {
  auto* host = benchmark::RegisterBenchmark("batch_norm/host/host", bm_batch_norm<variant::host>);
  auto* ref = benchmark::RegisterBenchmark("batch_norm/reference/host", bm_batch_norm<variant::reference>);
  for (auto* b : {host, ref}) {
    for (std::int64_t g : {gb::small_graphs, gb::seed_graphs}) b->Args({g, 256});
    b->ArgNames({"G", "C"})->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
