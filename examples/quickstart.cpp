// quickstart: the seed model end to end on the host.
//
// Builds GraphTransformer(input_dim=9, hidden_dim=256, num_conv_layers=10, heads=32) with
// deterministic random weights (or loads a PyG state_dict with --weights), generates the seed
// batch (G = 512 molecule-like graphs, N = 7170 nodes), runs a forward pass and prints a summary of
// the predictions and the time taken. With --profile it also prints the per-module profile of the
// last forward in the format of DeepSpeed's flops profiler (the seed model's own report).

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

    std::vector<double> times;
    std::size_t mem_model = model_bytes, mem_batch = batch_bytes, mem_forward = 0;
    gx::Tensor<float, 2, gx::host> y;
    gx::profile::Profiler profiler(model);  // records only when passed to a forward
    gx::profile::Profiler* const last_forward = profile ? &profiler : nullptr;
    std::string where = "host, ";
#if defined(_OPENMP)
    where += "OpenMP on";
#else
    where += "OpenMP off";
#endif
    if (device == "cuda") {
#if defined(GRAPHTX_EXAMPLES_HAVE_CUDA)
      auto r = graphtx_examples::seed_forward_cuda(model, batch, repeat, tf32, last_forward);
      y = std::move(r.y);
      times = r.forward_ms;
      mem_model = r.model_bytes;
      mem_batch = r.batch_bytes;
      mem_forward = r.forward_peak_bytes;
      where = "cuda, " + r.device + (tf32 ? ", TF32 GEMMs" : ", strict FP32");
#else
      throw gx::error("this quickstart was built without the CUDA backend (configure with nvcc available)");
#endif
    } else {
      gx::host_blas_info const blas = gx::host_blas();
      std::printf("host BLAS: %s\n", blas.description.c_str());
      if (!blas.warning.empty()) std::fprintf(stderr, "graphtx warning: %s\n", blas.warning.c_str());
      std::size_t const before_forward = host_stats::current();
      host_stats::reset_peak();
      for (int r = 0; r < repeat; ++r) {
        auto a = std::chrono::steady_clock::now();
        y = model.forward(batch, r == repeat - 1 ? last_forward : nullptr);
        auto b = std::chrono::steady_clock::now();
        times.push_back(std::chrono::duration<double, std::milli>(b - a).count());
      }
      mem_forward = host_stats::peak() - before_forward;
    }
    if (!out.empty()) {
      gx::io::SafetensorsWriter writer;
      writer.add<float, 2>("y", y.cview());
      writer.write(out);
    }
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
    if (profile) {
      std::fflush(stdout);
      // DeepSpeed's step: the forwards before the profiled one.
      gx::profile::print_report(std::cout, profiler, {.step = repeat - 1});
      std::cout.flush();
    }
    return 0;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "quickstart: %s\n", e.what());
    return 1;
  }
}
