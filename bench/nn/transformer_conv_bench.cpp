// nn::TransformerConv forward on the seed model's two conv shapes, one benchmark per attention
// algorithm. Arguments: G (graphs in the molecule batch), in (9: convs.0, 9 -> 32 heads x 256;
// 256: convs.1.., 256 -> 32 x 256), both concat=False as in the seed.
//
//   transformer_conv/textbook/host  q, k, v per node and per-edge logits, exactly as PyG
//   transformer_conv/folded/host    the folded rewrite (when nn::attention_algorithm has it)
//
// Every algorithm of bench/support/algorithms.hpp is registered: a new one is one line there.
//
// FLOP/s is textbook-equivalent (bench/support/model_flops.hpp): the same count for every
// algorithm, so it compares speed at the same job. bytes/s counts the compulsory traffic (x, out,
// parameters, CSR).

#include <cstdint>
#include <string>

#include <graphtx/detail/random.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/transformer_conv.hpp>

#include "support/algorithms.hpp"
#include "support/context.hpp"
#include "support/model_flops.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;
namespace nn = graphtx::nn;

template <nn::TransformerConvConfig Config>
void bm_conv(benchmark::State& state) {
  using Conv = nn::TransformerConv<Config>;
  if (state.range(1) != Config.in) {
    state.SkipWithError("argument `in` does not match the registered conv");
    return;
  }
  static Conv const conv = [] {  // random weights, once per configuration
    Conv c;
    gx::nn::RandomWeights rng(0);
    gx::nn::init_random(c, rng);
    return c;
  }();
  auto const& batch = gb::molecule_batch(state.range(0));
  auto const x = gb::random_tensor<2>({batch.num_nodes(), Config.in}, 1);  // [N, in]
  {
    // Untimed warm-up, so that a one-iteration run does not time the first touch of x's pages
    // and of the allocator's fresh memory.
    gx::Tensor<float, 2> warm = conv.forward(x, batch.csr);
    benchmark::DoNotOptimize(warm.data());
  }
  for (auto _ : state) {
    gx::Tensor<float, 2> out = conv.forward(x, batch.csr);  // [N, out_width]
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  auto const n = static_cast<double>(batch.num_nodes()), e = static_cast<double>(batch.num_edges());
  state.counters["FLOP/s"] = gb::flops_rate(gb::textbook_flops(Config, n, e));
  state.counters["bytes/s"] = gb::bytes_rate(gb::conv_compulsory_bytes(Config, n, e));
  gb::report_batch(state, batch);
}

/// The seed model's convs with attention algorithm A, registered as transformer_conv/<name>/host.
template <nn::attention_algorithm A>
void register_algorithm(std::string const& name) {
  constexpr nn::TransformerConvConfig first{.in = 9, .out = 256, .heads = 32, .concat = false, .attention = A};
  constexpr nn::TransformerConvConfig hidden{.in = 256, .out = 256, .heads = 32, .concat = false, .attention = A};
  std::string const full = "transformer_conv/" + name + "/host";
  auto* b_first = benchmark::RegisterBenchmark(full.c_str(), bm_conv<first>);
  auto* b_hidden = benchmark::RegisterBenchmark(full.c_str(), bm_conv<hidden>);
  for (std::int64_t g : {gb::small_graphs, gb::seed_graphs}) {
    b_first->Args({g, first.in});
    b_hidden->Args({g, hidden.in});
  }
  for (auto* b : {b_first, b_hidden}) b->ArgNames({"G", "in"})->UseRealTime()->Unit(benchmark::kMillisecond);
}

int const registered = [] {
  gb::for_each_attention_algorithm([]<nn::attention_algorithm A>(char const* name) { register_algorithm<A>(name); });
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
