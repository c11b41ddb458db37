// The elementwise activations (ops/activation.hpp) on the seed model's hidden features, out of
// place. Arguments: G (graphs in the batch; N = its node count), F (features: 256 = hidden_dim).
//
//   <act>/host/host        ops::<act> (host backend: one OpenMP loop, libm float calls)
//   <act>/reference/host   ops::reference::<act> (the textbook formula, in float here)
//
// <act> is relu, leaky_relu, elu, gelu, gelu_tanh, silu, sigmoid or tanh.

#include <cstdint>
#include <string>

#include <graphtx/ops/activation.hpp>
#include <graphtx/ops/reference/activation.hpp>

#include "support/context.hpp"
#include "support/workload.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

enum class act { relu, leaky_relu, elu, gelu, gelu_tanh, silu, sigmoid, tanh };
enum class variant { host, reference };

template <act A, variant V>
void run_activation(gx::TensorView<float const, 2> x, gx::TensorView<float, 2> y) {
  namespace ops = gx::ops;
  namespace ref = gx::ops::reference;
  constexpr bool h = V == variant::host;
  if constexpr (A == act::relu) {
    h ? ops::relu(x, y) : ref::relu<float>(x, y);
  } else if constexpr (A == act::leaky_relu) {
    h ? ops::leaky_relu(x, 0.01f, y) : ref::leaky_relu<float>(x, 0.01f, y);
  } else if constexpr (A == act::elu) {
    h ? ops::elu(x, 1.0f, y) : ref::elu<float>(x, 1.0f, y);
  } else if constexpr (A == act::gelu) {
    h ? ops::gelu(x, ops::gelu_approximate::none, y) : ref::gelu<float>(x, ops::gelu_approximate::none, y);
  } else if constexpr (A == act::gelu_tanh) {
    h ? ops::gelu(x, ops::gelu_approximate::tanh, y) : ref::gelu<float>(x, ops::gelu_approximate::tanh, y);
  } else if constexpr (A == act::silu) {
    h ? ops::silu(x, y) : ref::silu<float>(x, y);
  } else if constexpr (A == act::sigmoid) {
    h ? ops::sigmoid(x, y) : ref::sigmoid<float>(x, y);
  } else {
    h ? ops::tanh(x, y) : ref::tanh<float>(x, y);
  }
}

template <act A, variant V>
void bm_activation(benchmark::State& state) {
  auto const& batch = gb::molecule_batch(state.range(0));
  gx::index_t const n = batch.num_nodes(), f = state.range(1);
  auto const x = gb::random_tensor<2>({n, f}, 1);  // [N, F]
  gx::Tensor<float, 2> y({n, f});                  // [N, F]
  gb::run_timed(state, [&] { run_activation<A, V>(x, y.view()); }, y.data());
  auto const nf = static_cast<double>(n) * static_cast<double>(f);
  state.counters["elements/s"] = gb::flops_rate(nf);  // one activation per element
  state.counters["bytes/s"] = gb::bytes_rate(4.0 * 2.0 * nf);
  gb::report_batch(state, batch);
}

template <act A>
void register_activation(char const* name) {
  auto* host =
      benchmark::RegisterBenchmark((std::string(name) + "/host/host").c_str(), bm_activation<A, variant::host>);
  auto* ref = benchmark::RegisterBenchmark((std::string(name) + "/reference/host").c_str(),
                                           bm_activation<A, variant::reference>);
  for (auto* b : {host, ref}) {
    for (std::int64_t g : {gb::small_graphs, gb::seed_graphs}) b->Args({g, 256});
    b->ArgNames({"G", "F"})->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
}

int const registered = [] {
  register_activation<act::relu>("relu");
  register_activation<act::leaky_relu>("leaky_relu");
  register_activation<act::elu>("elu");
  register_activation<act::gelu>("gelu");
  register_activation<act::gelu_tanh>("gelu_tanh");
  register_activation<act::silu>("silu");
  register_activation<act::sigmoid>("sigmoid");
  register_activation<act::tanh>("tanh");
  return 0;
}();

}  // namespace

GRAPHTX_BENCHMARK_MAIN();
