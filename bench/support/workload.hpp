#pragma once
/// \file
/// \brief Inputs for graphtx's benchmarks: the molecule batches the seed model runs on (the seed
/// batch is G = 512, N = 7170, E = 14,762) and deterministic random tensors of their shapes, so
/// that every op is timed on the index pattern and sizes it sees inside the model.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>

#include <graphtx/core/tensor.hpp>
#include <graphtx/detail/random.hpp>
#include <graphtx/graph/batch.hpp>
#include <graphtx/graph/generate.hpp>

namespace graphtx::bench {

/// Graphs per batch that the op and layer benchmarks run: the seed batch (512) and a small batch
/// (16) whose runs take milliseconds (the bench_smoke tests run only G = 16).
inline constexpr std::int64_t seed_graphs = 512;
inline constexpr std::int64_t small_graphs = 16;
/// The seed batch's node count (graph::generate_molecule_batch's exact_num_nodes for G = 512).
inline constexpr index_t seed_nodes = 7170;

/// The molecule batch of `num_graphs` graphs from seed 0, built once per process: exactly 7170
/// nodes for the seed's 512 graphs (the seed batch), the generator's natural size otherwise.
inline graph::Batch<host> const& molecule_batch(index_t num_graphs) {
  static std::map<index_t, std::unique_ptr<graph::Batch<host> const>> cache;
  auto& slot = cache[num_graphs];
  if (!slot) {
    index_t const exact = num_graphs == seed_graphs ? seed_nodes : -1;
    slot = std::make_unique<graph::Batch<host> const>(graph::generate_molecule_batch(num_graphs, 0, exact));
  }
  return *slot;
}

/// Uniform [-1, 1) host tensor; the same numbers for the same seed on every platform.
template <int Rank>
Tensor<float, Rank, host> random_tensor(extents_t<Rank> const& extents, std::uint64_t seed) {
  graphtx::detail::weight_rng rng(seed);
  return graphtx::detail::uniform_host<Rank>(rng, extents, 1.0f);
}

/// Destination node of every CSR position: [E] int32, the `index` of a COO-order scatter.
inline Tensor<std::int32_t, 1, host> csr_targets(graph::Csr<host> const& csr) {
  Tensor<std::int32_t, 1, host> dst({csr.num_edges()});
  for (index_t i = 0; i < csr.num_dst_nodes; ++i) {
    for (index_t p = csr.offsets(i); p < csr.offsets(i + 1); ++p) dst(p) = static_cast<std::int32_t>(i);
  }
  return dst;
}

/// Times `run` (the op under test, writing to `output`): once untimed first, to touch the output's
/// pages, so that a one-iteration run (seed-size inputs) times the op and not the page faults; then
/// once per Google Benchmark iteration, with the output kept alive.
template <class Run>
void run_timed(benchmark::State& state, Run&& run, void const* output) {
  run();
  for (auto _ : state) {
    run();
    benchmark::DoNotOptimize(output);
    benchmark::ClobberMemory();
  }
}

/// Shows the batch's sizes next to the timings.
inline void report_batch(benchmark::State& state, graph::Batch<host> const& batch) {
  state.counters["N"] = benchmark::Counter(static_cast<double>(batch.num_nodes()));
  state.counters["E"] = benchmark::Counter(static_cast<double>(batch.num_edges()));
}

}  // namespace graphtx::bench
