// ops::embedding_sum (OGB's AtomEncoder / BondEncoder: one embedding table per feature column,
// summed) on the molecule batch. Arguments: G (graphs in the batch), K (9: AtomEncoder over the N
// nodes' 9 atom features; 3: BondEncoder over the E edges' 3 bond features), D (256 = hidden_dim).
// Table sizes are OGB's full feature dims (get_atom_feature_dims / get_bond_feature_dims).
//
//   embedding_sum/host/host       ops::embedding_sum (index check pass, then OpenMP rows)
//   embedding_sum/reference/host  ops::reference::embedding_sum (index check, one loop per element)

#include <cstdint>
#include <random>
#include <vector>

#include <graphtx/ops/embedding_sum.hpp>
#include <graphtx/ops/reference/embedding_sum.hpp>

#include "support/context.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

enum class variant { host, reference };

constexpr gx::index_t atom_rows[] = {119, 5, 12, 12, 10, 6, 6, 2, 2};
constexpr gx::index_t bond_rows[] = {5, 6, 2};

template <variant V>
void bm_embedding_sum(benchmark::State& state) {
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const k = state.range(1), d = state.range(2);
  gx::index_t const n = k == 3 ? batch.num_edges() : batch.num_nodes();
  gx::index_t const* rows = k == 3 ? bond_rows : atom_rows;
  std::vector<gx::Tensor<float, 2>> owned;
  std::vector<gx::TensorView<float const, 2>> tables;
  for (gx::index_t j = 0; j < k; ++j) owned.push_back(gb::random_tensor<2>({rows[j % 9], d}, 10 + j));  // [rows_j, D]
  for (auto const& t : owned) tables.push_back(t.cview());
  gx::Tensor<std::int64_t, 2> x({n, k});  // [N, K]
  std::mt19937_64 rng(1);
  for (gx::index_t i = 0; i < n; ++i)
    for (gx::index_t j = 0; j < k; ++j) x(i, j) = std::uniform_int_distribution<std::int64_t>(0, rows[j % 9] - 1)(rng);
  gx::Tensor<float, 2> out({n, d});  // [N, D]
  auto run = [&] {
    if constexpr (V == variant::host) {
      gx::ops::embedding_sum(x, tables, out.view());
    } else {
      gx::ops::reference::embedding_sum<float>(x, tables, out.view());
    }
  };
  gb::run_timed(state, run, out.data());
  auto const nd = static_cast<double>(n) * static_cast<double>(d);
  state.counters["FLOP/s"] = gb::flops_rate(static_cast<double>(k - 1) * nd);  // K - 1 adds per element
  // x, then K table rows read (mostly cached: the tables are small) and one row written per item.
  double const kd = static_cast<double>(k);
  state.counters["bytes/s"] = gb::bytes_rate(8.0 * static_cast<double>(n) * kd + 4.0 * (kd + 1.0) * nd);
  gb::report_batch(state, batch);
}

int const registered = [] {
  auto* host = benchmark::RegisterBenchmark("embedding_sum/host/host", bm_embedding_sum<variant::host>);
  auto* ref = benchmark::RegisterBenchmark("embedding_sum/reference/host", bm_embedding_sum<variant::reference>);
  for (auto* b : {host, ref}) {
    for (std::int64_t g : {gb::small_graphs, gb::seed_graphs})
      for (std::int64_t k : {9, 3}) b->Args({g, k, 256});
    b->ArgNames({"G", "K", "D"})->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
