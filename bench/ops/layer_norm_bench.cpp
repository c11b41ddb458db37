// ops::layer_norm (torch.nn.LayerNorm over the last dimension) on the seed model's hidden features,
// out of place. Arguments: G (graphs in the batch; N = its node count),
// F (features: 256 = hidden_dim).
//
//   layer_norm/host/host       ops::layer_norm (host backend)
//   layer_norm/reference/host  ops::reference::layer_norm (two passes in double)

#include <cstdint>

#include <graphtx/ops/layer_norm.hpp>
#include <graphtx/ops/reference/layer_norm.hpp>

#include "support/context.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

enum class variant { host, reference };

template <variant V>
void bm_layer_norm(benchmark::State& state) {
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const n = batch.num_nodes(), f = state.range(1);
  auto const x = gb::random_tensor<2>({n, f}, 1);  // [N, F]
  auto const gamma = gb::random_tensor<1>({f}, 2);  // [F]
  auto const beta = gb::random_tensor<1>({f}, 3);   // [F]
  gx::Tensor<float, 2> y({n, f});                   // [N, F]
  auto run = [&] {
    if constexpr (V == variant::host) {
      gx::ops::layer_norm(x, gamma, beta, 1e-5f, y.view());
    } else {
      gx::ops::reference::layer_norm<float>(x, gamma, beta, 1e-5, y.view());
    }
  };
  gb::run_timed(state, run, y.data());
  auto const nf = static_cast<double>(n) * static_cast<double>(f);
  // Nominal 7 per element: mean (add), variance (sub, mul, add), normalise (sub, mul), affine (fma).
  state.counters["FLOP/s"] = gb::flops_rate(7.0 * nf);
  state.counters["bytes/s"] = gb::bytes_rate(4.0 * (2.0 * nf + 2.0 * static_cast<double>(f)));
  gb::report_batch(state, batch);
}

int const registered = [] {
  auto* host = benchmark::RegisterBenchmark("layer_norm/host/host", bm_layer_norm<variant::host>);
  auto* ref = benchmark::RegisterBenchmark("layer_norm/reference/host", bm_layer_norm<variant::reference>);
  for (auto* b : {host, ref}) {
    for (std::int64_t g : {gb::small_graphs, gb::seed_graphs}) b->Args({g, 256});
    b->ArgNames({"G", "F"})->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
