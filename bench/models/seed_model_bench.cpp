// The whole seed model forward (GraphTransformer<seed_config>: 10 TransformerConvs 32 x 256,
// concat=False, ReLU, LayerNorm, mean pool, Linear) with random weights
// (GraphTransformer::random(0)) on the molecule batch of G graphs; G = 512 is the seed batch
// (N = 7170). One benchmark per attention algorithm (bench/support/algorithms.hpp).
//
//   seed_model/textbook/host  every conv as PyG computes it
//   seed_model/folded/host    every conv folded (when nn::attention_algorithm has it), with the
//                             single-edge shortcut (nodes of in-degree 1 skip attention: default)
//   seed_model/folded_no_shortcut/host  folded, every node through the general path
//   seed_model/gemm_floor/host only the GEMMs the folded forward runs, same shapes, same BLAS
//                              (ops::linear): the floor the folded path is measured against
//   seed_model/weight_stream_floor/host  one pass over the weights the folded forward reads
//                              (folded query and value weights, value means, lin_skip, post_mp:
//                              about 176 MB), summed on the same OpenMP threads: what one forward
//                              costs at least when its weights come from memory (small batches)
//   seed_model/load/host       GraphTransformer<seed_config>::load(path) of a saved state_dict (256 MB,
//                              in the page cache after the first iteration), keeping the PyG copies
//                              (drop_folded_weights:0) or not (:1); in a warm process, whose freed
//                              blocks are reused: a fresh process also pays first-touch page faults
//                              (bench_seed_model_files reports that load)
//
// G = 512 takes seconds per forward on a small machine (one iteration is then all Google
// Benchmark runs, with no warm-up: each forward allocates its activations afresh anyway); the
// bench_smoke test runs G = 16 only.
// FLOP/s is textbook-equivalent (bench/support/model_flops.hpp); bytes/s counts the compulsory
// traffic (parameters of the layers that run, x, CSR, y); graphs/s and nodes/s are throughput.

#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include <graphtx/models/graph_transformer.hpp>
#include <graphtx/nn/detail/in_degree_split.hpp>
#include <graphtx/ops/linear.hpp>

#include "support/context.hpp"
#include "support/model_flops.hpp"
#include "support/seed_variants.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

template <gx::GraphTransformerConfig Config>
void bm_seed_model(benchmark::State& state) {
  using Model = gx::GraphTransformer<Config>;
  static Model const model = Model::random(0);  // 64 M parameters, built once per configuration
  auto const& batch = gb::molecule_batch(state.range(0));
  for (auto _ : state) {
    gx::Tensor<float, 2> y = model.forward(batch);  // [G, 1]
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  auto const g = static_cast<double>(batch.num_graphs), n = static_cast<double>(batch.num_nodes()),
             e = static_cast<double>(batch.num_edges());
  double const run_params = static_cast<double>(Config.first_conv().parameter_count()) +
                            (Config.num_conv_layers - 1) * static_cast<double>(Config.hidden_conv().parameter_count()) +
                            Config.norms_run() * static_cast<double>(Config.norm().parameter_count()) +
                            static_cast<double>(Config.head().parameter_count());
  state.counters["FLOP/s"] = gb::flops_rate(gb::textbook_flops(Config, g, n, e));
  state.counters["bytes/s"] = gb::bytes_rate(4.0 * (run_params + n * Config.in + (n + 1.0) + e + n + g * Config.out));
  state.counters["graphs/s"] = benchmark::Counter(g, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["nodes/s"] = benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate);
  gb::report_batch(state, batch);
}

/// The GEMM floor of the folded seed forward as it runs by default: per conv, over the M nodes of
/// in-degree >= 2, Qt = x A^T ([M, F] x [F, H*F]) and the value GEMM y W^T ([M, H*F] x [H*F, out]);
/// over the S nodes of in-degree 1, their sources' rows times mean_h Wv_h ([S, F] x [F, out]);
/// lin_skip over all N ([N, F] x [F, out], with bias); then post_mp. Nothing else (no edge phase,
/// gathers, norms or pooling). Inputs are random tensors of those shapes, so the time is BLAS
/// alone. Only meaningful for configurations whose convs all fold (the seed's do).
void bm_seed_gemm_floor(benchmark::State& state) {
  constexpr gx::GraphTransformerConfig c = gx::seed_config;
  static_assert(c.first_conv().uses_folded() && c.hidden_conv().uses_folded() && !c.hidden_conv().concat,
                "the floor below is the folded, concat=False GEMM sequence");
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const n = batch.num_nodes(), g = batch.num_graphs;
  auto const split = gx::detail::split_by_in_degree(batch.x.cview(), batch.x.cview(), batch.csr);
  gx::index_t const m = split.num_multi(), s = split.num_single();
  struct conv_gemms {
    gx::Tensor<float, 2> x_multi, fold_query, qt, y, fold_value, out_multi, x_single, value_mean, out_single, x, skip_w,
        skip_out;
    gx::Tensor<float, 1> skip_b;
  };
  auto make = [&](gx::nn::TransformerConvConfig const& cc, std::uint64_t seed) {
    gx::index_t const f = cc.f_src(), hf = gx::index_t{cc.heads} * f, o = cc.out_width();
    return conv_gemms{gb::random_tensor<2>({m, f}, seed),       gb::random_tensor<2>({hf, f}, seed + 1),
                      gx::Tensor<float, 2>({m, hf}),            gb::random_tensor<2>({m, hf}, seed + 2),
                      gb::random_tensor<2>({o, hf}, seed + 3),  gx::Tensor<float, 2>({m, o}),
                      gb::random_tensor<2>({s, f}, seed + 4),   gb::random_tensor<2>({o, f}, seed + 5),
                      gx::Tensor<float, 2>({s, o}),             gb::random_tensor<2>({n, f}, seed + 6),
                      gb::random_tensor<2>({o, f}, seed + 7),   gx::Tensor<float, 2>({n, o}),
                      gb::random_tensor<1>({o}, seed + 8)};
  };
  conv_gemms first = make(c.first_conv(), 10), hidden = make(c.hidden_conv(), 20);
  auto head_x = gb::random_tensor<2>({g, c.hidden}, 30), head_w = gb::random_tensor<2>({c.out, c.hidden}, 31);
  auto head_b = gb::random_tensor<1>({c.out}, 32);
  gx::Tensor<float, 2> head_y({g, c.out});
  auto run_conv = [](conv_gemms& k) {
    gx::ops::linear(k.x_multi, k.fold_query, {}, k.qt.view());
    gx::ops::linear(k.y, k.fold_value, {}, k.out_multi.view());
    gx::ops::linear(k.x_single, k.value_mean, {}, k.out_single.view());
    gx::ops::linear(k.x, k.skip_w, k.skip_b, k.skip_out.view());
  };
  for (auto _ : state) {
    run_conv(first);
    for (int i = 1; i < c.num_conv_layers; ++i) run_conv(hidden);
    gx::ops::linear(head_x, head_w, head_b, head_y.view());
    benchmark::ClobberMemory();
  }
  auto const nd = static_cast<double>(n), md = static_cast<double>(m), sd = static_cast<double>(s);
  auto conv_flops = [&](gx::nn::TransformerConvConfig const& cc) {
    double const f = cc.f_src(), hf = cc.heads * f, o = cc.out_width();
    return 2.0 * (md * (f * hf + hf * o) + sd * f * o + nd * f * o);
  };
  double const folded_gemm_flops = conv_flops(c.first_conv()) + (c.num_conv_layers - 1) * conv_flops(c.hidden_conv()) +
                                   2.0 * static_cast<double>(g) * c.hidden * c.out;
  state.counters["FLOP/s"] = gb::flops_rate(folded_gemm_flops);  // real GEMM FLOP/s, not textbook-equivalent
  state.counters["GEMM_GFLOP"] = benchmark::Counter(folded_gemm_flops * 1e-9);
  state.counters["multi_nodes"] = benchmark::Counter(md);
  state.counters["single_nodes"] = benchmark::Counter(sd);
  gb::report_batch(state, batch);
}

/// One pass over the weights of the layers the folded seed forward runs, as the forward reads them.
void bm_seed_weight_stream_floor(benchmark::State& state) {
  constexpr gx::GraphTransformerConfig c = gx::seed_config;
  std::vector<gx::Tensor<float, 2>> weights;
  auto add_conv = [&](gx::nn::TransformerConvConfig const& cc, std::uint64_t seed) {
    gx::index_t const f = cc.f_src(), hf = gx::index_t{cc.heads} * f, o = cc.out_width();
    weights.push_back(gb::random_tensor<2>({hf, f}, seed));      // fold_query [H*F, F]
    weights.push_back(gb::random_tensor<2>({o, hf}, seed + 1));  // fold_value [C, H*F]
    weights.push_back(gb::random_tensor<2>({o, f}, seed + 2));   // fold_value_mean [C, F]
    weights.push_back(gb::random_tensor<2>({o, f}, seed + 3));   // lin_skip.weight [C, F]
  };
  add_conv(c.first_conv(), 10);
  for (int i = 1; i < c.num_conv_layers; ++i) add_conv(c.hidden_conv(), 20 + 4 * static_cast<std::uint64_t>(i));
  weights.push_back(gb::random_tensor<2>({c.out, c.hidden}, 90));  // post_mp
  double bytes = 0;
  for (auto const& w : weights) bytes += static_cast<double>(w.size_bytes());
  for (auto _ : state) {
    float total = 0.0f;
    for (auto const& w : weights) {
      float const* p = w.data();
      gx::index_t const n = w.size();
#if defined(_OPENMP)
#pragma omp parallel for simd reduction(+ : total) schedule(static)
#endif
      for (gx::index_t i = 0; i < n; ++i) total += p[i];
    }
    benchmark::DoNotOptimize(total);
  }
  state.counters["bytes/s"] = gb::bytes_rate(bytes);
  state.counters["MB"] = benchmark::Counter(bytes * 1e-6);
}

/// A state_dict of the seed model saved once per process (removed at exit).
std::filesystem::path const& saved_seed_state_dict() {
  struct saved {
    std::filesystem::path path;
    saved() {
      path = std::filesystem::temp_directory_path() /
             ("graphtx_bench_seed_" + std::to_string(static_cast<long long>(::getpid())) + ".safetensors");
      gx::GraphTransformer<gx::seed_config>::random(0).save(path);
    }
    ~saved() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  };
  static saved const s;
  return s.path;
}

void bm_seed_load(benchmark::State& state) {
  using Model = gx::GraphTransformer<gx::seed_config>;
  gx::nn::LoadOptions const options{.drop_folded_weights = state.range(0) != 0};
  auto const& path = saved_seed_state_dict();
  for (auto _ : state) {
    Model const m = Model::load(path, options);
    benchmark::DoNotOptimize(&m);
  }
  state.counters["bytes/s"] = gb::bytes_rate(static_cast<double>(std::filesystem::file_size(path)));
}

int const registered = [] {
  benchmark::RegisterBenchmark("seed_model/weight_stream_floor/host", bm_seed_weight_stream_floor)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("seed_model/load/host", bm_seed_load)
      ->Arg(0)
      ->Arg(1)
      ->ArgName("drop_folded_weights")
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("seed_model/gemm_floor/host", bm_seed_gemm_floor)
      ->Arg(1)
      ->Arg(gb::small_graphs)
      ->Arg(gb::seed_graphs)
      ->ArgName("G")
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  gb::for_each_seed_variant([]<gx::GraphTransformerConfig Config>(char const* name) {
    std::string const full = std::string("seed_model/") + name + "/host";
    benchmark::RegisterBenchmark(full.c_str(), bm_seed_model<Config>)
        ->Arg(1)
        ->Arg(gb::small_graphs)
        ->Arg(gb::seed_graphs)
        ->ArgName("G")
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  });
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
