// quickstart: the seed model end to end on the host.
//
// Builds GraphTransformer(input_dim=9, hidden_dim=256, num_conv_layers=10, heads=32) with
// deterministic random weights (or loads a PyG state_dict with --weights), generates the seed
// batch (G = 512 molecule-like graphs, N = 7170 nodes), runs a forward pass and prints a summary of
// the predictions and the time taken. With --profile it also prints the per-module profile of the
// last forward in the format of DeepSpeed's flops profiler (the seed model's own report).
//
// The forward, the device dispatch, the predictions file and the report are run_model's code
// (<graphtx/tools/runner.hpp>, the runner graphtx_add_model builds): quickstart only makes the
// weights and the batch instead of reading them.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include <graphtx/graphtx.hpp>
#include <graphtx/tools/runner.hpp>
#if defined(GRAPHTX_EXAMPLES_HAVE_CUDA)
#include "seed_model_cuda.hpp"
#endif

namespace gx = graphtx;
using SeedModel = gx::GraphTransformer<gx::seed_config, gx::host>;

// The batch in run_model's input format: x [N, 9] F32, edge_index [2, E] I64, batch [N] I64.
void write_graph(std::string const& path, gx::graph::Batch<gx::host> const& b) {
  auto edge_index = gx::graph::to_edge_index(gx::graph::to_coo(b.csr));
  gx::Tensor<std::int64_t, 1> batch_ids({b.num_nodes()});
  for (gx::index_t n = 0; n < b.num_nodes(); ++n) batch_ids(n) = b.batch(n);
  gx::io::SafetensorsWriter writer;
  writer.add<float, 2>("x", b.x.cview());
  writer.add<std::int64_t, 2>("edge_index", edge_index.cview());
  writer.add<std::int64_t, 1>("batch", batch_ids.cview());
  writer.write(path);
}

int main(int argc, char** argv) {
  CLI::App app{"graphtx quickstart: the seed GraphTransformer on the seed batch"};
  std::string weights;
  long long graphs = 512;
  long long nodes = 7170;
  unsigned long long seed = 0;
  int repeat = 1;
  std::string save_weights, save_graph, out;
  std::string device = "host";
  bool tf32 = false;
  bool profile = false;
  app.add_option("--weights", weights, "PyG state_dict (.safetensors) of the seed model; random weights if omitted");
  app.add_option("--graphs", graphs, "graphs in the generated batch")->check(CLI::PositiveNumber);
  app.add_option("--nodes", nodes, "exact node count of the batch (-1: whatever the generator gives)");
  app.add_option("--seed", seed, "seed for the random weights and the batch");
  app.add_option("--repeat", repeat, "forward passes to time")->check(CLI::PositiveNumber);
  app.add_option("--save-weights", save_weights, "write the model's state_dict (PyG names) to this .safetensors");
  app.add_option("--save-graph", save_graph, "write the batch (x, edge_index, batch) to this .safetensors");
  app.add_option("--out", out, "write the predictions y [G, 1] to this .safetensors");
  app.add_option("--device", device, "where to run the forward: host or cuda")
      ->check(CLI::IsMember({"host", "cuda"}));
  app.add_flag("--tf32", tf32, "cuda only: allow TF32 tensor-core GEMMs (about 1e-3 relative error)");
  app.add_flag("--profile", profile,
               "print DeepSpeed's flops-profiler report of the last forward (use --repeat 2 or more to profile a "
               "warmed-up one)");
  CLI11_PARSE(app, argc, argv);

  try {
    using host_stats = gx::memory_stats<gx::host>;
    std::size_t const held_at_start = host_stats::current();
    auto t0 = std::chrono::steady_clock::now();
    SeedModel model = weights.empty() ? SeedModel::random(seed) : SeedModel::load(weights);
    std::size_t const model_bytes = host_stats::current() - held_at_start;
    auto batch = gx::graph::generate_molecule_batch(graphs, seed, nodes);
    std::size_t const batch_bytes = host_stats::current() - held_at_start - model_bytes;
    auto t1 = std::chrono::steady_clock::now();
    std::printf("graphtx %s quickstart (%s)\n", gx::version_string, device.c_str());
    std::printf("model: GraphTransformer(in=9, hidden=256, heads=32, num_conv_layers=10), %lld parameters, %s weights\n",
                static_cast<long long>(SeedModel::parameter_count), weights.empty() ? "random" : weights.c_str());
    std::printf("batch: G = %lld graphs, N = %lld nodes, E = %lld edges (setup %.2f s)\n",
                static_cast<long long>(batch.num_graphs), static_cast<long long>(batch.num_nodes()),
                static_cast<long long>(batch.num_edges()), std::chrono::duration<double>(t1 - t0).count());

    if (!save_weights.empty()) model.save(save_weights);
    if (!save_graph.empty()) write_graph(save_graph, batch);

    gx::profile::Profiler profiler(model);  // records only when passed to a forward
    gx::tools::CudaBackend cuda;
#if defined(GRAPHTX_EXAMPLES_HAVE_CUDA)
    cuda = graphtx_examples::seed_cuda_backend();
#endif
    if (device == "host") {
      gx::host_blas_info const blas = gx::host_blas();
      std::printf("host BLAS: %s\n", blas.description.c_str());
      if (!blas.warning.empty()) std::fprintf(stderr, "graphtx warning: %s\n", blas.warning.c_str());
    }
    gx::tools::ForwardResult r = gx::tools::forward_on<SeedModel::description>(
        model, batch, device, {.repeat = repeat, .tf32 = tf32, .profiler = profile ? &profiler : nullptr}, cuda,
        "this quickstart");
    gx::Tensor<float, 2, gx::host> y = std::move(r.y);
    std::vector<double> times = r.forward_ms;
    std::size_t mem_model = model_bytes, mem_batch = batch_bytes;
    if (device == "cuda") {
      mem_model = r.model_bytes;
      mem_batch = r.batch_bytes;
    }
    std::size_t const mem_forward = r.forward_peak_bytes;
    std::string const where = r.where;
    if (!out.empty()) gx::tools::write_predictions(out, y.cview());
    std::vector<float> p = y.to_vector();
    double const count = static_cast<double>(std::max<std::size_t>(p.size(), 1));
    double mean = std::accumulate(p.begin(), p.end(), 0.0) / count;
    double var = 0;
    for (float v : p) var += (v - mean) * (v - mean);
    double sd = std::sqrt(var / count);
    auto [mn, mx] = std::minmax_element(p.begin(), p.end());
    std::printf("predictions y: [%lld, 1]  first:", static_cast<long long>(y.extent(0)));
    for (std::size_t i = 0; i < std::min<std::size_t>(5, p.size()); ++i) std::printf(" %.6f", p[i]);
    if (!p.empty()) std::printf("\n  mean %.6f  std %.6f  min %.6f  max %.6f\n", mean, sd, *mn, *mx);
    std::sort(times.begin(), times.end());
    std::printf("forward: %.2f ms (median of %d; %s)\n", times[times.size() / 2], repeat, where.c_str());
    constexpr double mib = 1024.0 * 1024.0;
    std::printf("memory (%s tensors): model %.1f MiB, batch %.1f MiB, forward peak %.1f MiB above them\n",
                device == "cuda" ? "device" : "host", static_cast<double>(mem_model) / mib,
                static_cast<double>(mem_batch) / mib, static_cast<double>(mem_forward) / mib);
    if (profile) gx::tools::print_profile(profiler, repeat - 1);  // step: the forwards before the profiled one
    return 0;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "quickstart: %s\n", e.what());
    return 1;
  }
}
