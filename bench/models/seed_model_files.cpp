// bench_seed_model_files: the graphtx side of tools/bench_pyg_side_by_side.py. Loads seed-model
// weights (a PyG state_dict saved with safetensors) and a graph file, runs the forward `--repeat`
// times after `--warmup` untimed runs, and prints one JSON object on stdout:
//
//   bench_seed_model_files --weights W.safetensors --graph G.safetensors [--repeat 3] [--warmup 1]
//                          [--attention default|textbook|folded|folded_no_shortcut] [--out Y.safetensors]
//                          [--drop-folded-weights]
//
//   {"attention": "default", "algorithm": "folded", "G": 512, "N": 7170, "E": 14762, "threads": 2, "load_ms": ...,
//    "forward_ms": [...], "median_ms": ..., "min_ms": ..., "model_mib": ..., "batch_mib": ...,
//    "forward_peak_mib": ..., "peak_rss_mib": ...}
//
// Memory: model_mib and batch_mib are the bytes graphtx tensors hold for the weights (with the
// folded copies) and the batch; forward_peak_mib the most that the forwards held above those
// (graphtx::memory_stats); peak_rss_mib the process's peak resident set (VmHWM), comparable
// with PyG's process peak.
// `default` is GraphTransformer<seed_config> as run_model runs it; textbook and folded force one
// algorithm in every conv; folded_no_shortcut is folded with every node on the general path (no
// single-edge shortcut for nodes of in-degree 1). --out writes y [G, 1] so the caller can compare it with PyG's.
// Errors: exit code 1 and one line on stderr.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <graphtx/graphtx.hpp>

#include "support/context.hpp"
#include "support/process.hpp"
#include "support/seed_variants.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

using gb::clock_type;
using gb::ms_since;
using gb::peak_resident_mib;

struct Options {
  std::string weights, graph, out, attention = "default";
  int repeat = 3, warmup = 1;
  bool drop_folded_weights = false;
};

template <gx::GraphTransformerConfig Config>
int run(Options const& opt) {
  using Model = gx::GraphTransformer<Config>;
  using stats = gx::memory_stats<gx::host>;
  std::size_t const held_at_start = stats::current();
  auto t0 = clock_type::now();
  Model const model = Model::load(opt.weights, gx::nn::LoadOptions{.drop_folded_weights = opt.drop_folded_weights});
  std::size_t const model_bytes = stats::current() - held_at_start;
  double const model_load_ms = ms_since(t0);
  gx::graph::Batch<gx::host> const batch = gx::io::read_batch(opt.graph);
  double const load_ms = ms_since(t0);
  std::size_t const before_forward = stats::current();
  stats::reset_peak();
  gx::Tensor<float, 2> y;  // [G, 1]
  for (int i = 0; i < opt.warmup; ++i) y = model.forward(batch);
  std::vector<double> times;
  for (int i = 0; i < opt.repeat; ++i) {
    auto t = clock_type::now();
    y = model.forward(batch);
    times.push_back(ms_since(t));
  }
  if (!opt.out.empty()) {
    gx::io::SafetensorsWriter writer;
    writer.add<float, 2>("y", y.cview());
    writer.write(opt.out);
  }
  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  std::size_t const m = sorted.size();
  double const median = m == 0 ? 0.0 : (m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]));
  std::printf("{\"attention\": \"%s\", \"algorithm\": \"%s\", \"G\": %lld, \"N\": %lld, \"E\": %lld, \"threads\": %d, \"blas\": \"%s\", "
              "\"git_revision\": \"%s\", \"drop_folded_weights\": %s, \"model_load_ms\": %.3f, \"load_ms\": %.3f, \"forward_ms\": [",
              opt.attention.c_str(), gb::resolved_algorithm(Config.hidden_conv()), static_cast<long long>(batch.num_graphs),
              static_cast<long long>(batch.num_nodes()), static_cast<long long>(batch.num_edges()),
              gb::host_threads(), gb::blas_description().c_str(), GRAPHTX_BENCH_GIT_REVISION,
              opt.drop_folded_weights ? "true" : "false", model_load_ms, load_ms);
  for (std::size_t i = 0; i < times.size(); ++i) std::printf("%s%.3f", i ? ", " : "", times[i]);
  constexpr double mib = 1024.0 * 1024.0;
  double const peak_rss_mib = peak_resident_mib();
  std::printf("], \"median_ms\": %.3f, \"min_ms\": %.3f, \"model_mib\": %.1f, \"batch_mib\": %.1f, "
              "\"forward_peak_mib\": %.1f, \"peak_rss_mib\": %.1f}\n",
              median, m == 0 ? 0.0 : sorted.front(), static_cast<double>(model_bytes) / mib,
              static_cast<double>(before_forward - held_at_start - model_bytes) / mib,
              static_cast<double>(stats::peak() - before_forward) / mib, peak_rss_mib);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_seed_model_files: median forward time of the seed model on weight and graph files"};
  Options opt;
  std::vector<std::string> algorithms = {"default"};
  gb::for_each_seed_variant([&]<gx::GraphTransformerConfig>(char const* name) { algorithms.push_back(name); });
  app.add_option("--weights", opt.weights, "PyG state_dict of the seed model (.safetensors)")->required();
  app.add_option("--graph", opt.graph, "graph batch: x, edge_index, batch (.safetensors)")->required();
  app.add_option("--repeat", opt.repeat, "timed forwards (median reported)")->check(CLI::Range(1, 1000));
  app.add_option("--warmup", opt.warmup, "untimed forwards first")->check(CLI::Range(0, 1000));
  app.add_option("--attention", opt.attention, "attention algorithm of every conv")->check(CLI::IsMember(algorithms));
  app.add_option("--out", opt.out, "write y [G, 1] here (.safetensors)");
  app.add_flag("--drop-folded-weights", opt.drop_folded_weights,
               "nn::LoadOptions::drop_folded_weights: free lin_query/lin_key/lin_value after folding (as run_model does)");
  try {
    app.parse(argc, argv);
  } catch (CLI::ParseError const& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (opt.attention == "default") return run<gx::seed_config>(opt);
    int rc = -1;
    gb::for_each_seed_variant([&]<gx::GraphTransformerConfig Config>(char const* name) {
      if (opt.attention == name) rc = run<Config>(opt);
    });
    return rc;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "bench_seed_model_files: %s\n", e.what());
  }
  return 1;
}
