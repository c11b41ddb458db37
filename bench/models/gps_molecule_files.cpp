// bench_gps_molecule_files: the graphtx side of tools/bench_pyg_gps.py. Loads the weights of a
// GPS molecule model (a PyG state_dict of tools/graphtx_pyg.py's GPSMolecule saved with
// safetensors) into the C++ composition graphtx_examples::GPSMolecule<C, L, H>
// (examples/models/gps_molecule.hpp), strictly, and a graph file (int64 OGB atom features x
// [N, 9], edge_index, int64 bond features edge_attr [E, 3], batch); runs the forward `--repeat`
// times after `--warmup` untimed runs and prints one JSON object on stdout:
//
//   bench_gps_molecule_files --weights W.safetensors --graph G.safetensors [--channels 64 --layers 10 --heads 4]
//                            [--repeat 5] [--warmup 1] [--out Y.safetensors] [--profile]
//
//   {"model": "GPSMolecule<64, 10, 4>", "G": 512, "N": 7170, "E": 14790, "threads": 2, "blas": "...",
//    "load_ms": ..., "forward_ms": [...], "median_ms": ..., "min_ms": ..., "model_mib": ..., "batch_mib": ...,
//    "forward_peak_mib": ..., "peak_rss_mib": ...}
//
// --profile: after the timed forwards, `--repeat` more forwards under profile::Profiler; prints on
// stderr the per-module latency (mean over those forwards) of the model's tree to depth 2 and the
// share of each module type inside the GPS layers. --out writes y [G, 1] for the caller to compare
// with PyG's. Compiled configurations (C, L, H): (16, 3, 2) (tests/data/models/gps_molecule) and
// (64, 10, 4) (the benchmark's: PyG's GPS example size). Errors: exit code 1 and one line on stderr.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <string>
#include <vector>

#include <graphtx/graphtx.hpp>
#include <graphtx/profile/profiler.hpp>

#include <models/gps_molecule.hpp>

#include "support/context.hpp"
#include "support/process.hpp"

namespace {

namespace gx = graphtx;
namespace gb = graphtx::bench;

using gb::clock_type;
using gb::ms_since;
using gb::peak_resident_mib;

struct Options {
  std::string weights, graph, out;
  int channels = 64, layers = 10, heads = 4;
  int repeat = 5, warmup = 1;
  bool profile = false, expect = false;
};

void print_tree(gx::profile::Module const& m, std::string const& path, int depth, int max_depth, double per) {
  std::fprintf(stderr, "  %-40s %-20s %10.3f ms\n", path.empty() ? "(model)" : path.c_str(), m.type.c_str(),
               m.latency() * 1e3 / per);
  if (depth == max_depth) return;
  for (auto const& c : m.children) print_tree(c, path.empty() ? c.name : path + "." + c.name, depth + 1, max_depth, per);
}

// Sum of latency per module type over the GPS layers' direct children (conv, attn, norm1..3, mlp)
// and the model's own top-level modules.
void add_by_type(gx::profile::Module const& m, std::map<std::string, double>& by_type, std::string const& prefix) {
  for (auto const& c : m.children) {
    if (c.name == "convs") {
      for (auto const& layer : c.children)
        for (auto const& part : layer.children) by_type["convs.*." + part.name + " (" + part.type + ")"] += part.latency();
    } else {
      by_type[prefix + c.name + " (" + c.type + ")"] += c.latency();
    }
  }
}

template <class Net>
int run(Options const& opt) {
  using Model = gx::nn::Model<Net>;
  using stats = gx::memory_stats<gx::host>;
  std::size_t const held_at_start = stats::current();
  auto t0 = clock_type::now();
  Model const model = Model::load(opt.weights);
  std::size_t const model_bytes = stats::current() - held_at_start;
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
  double expect_diff = -1.0;  // max |y - file's y| with --expect
  if (opt.expect) {
    auto const want = gx::io::SafetensorsFile::open(opt.graph).read<float, 2>("y");
    gx::check_extent("--expect", "y", 0, want.extent(0), y.extent(0));
    gx::check_extent("--expect", "y", 1, want.extent(1), y.extent(1));
    expect_diff = 0.0;
    for (gx::index_t i = 0; i < y.extent(0); ++i)
      for (gx::index_t j = 0; j < y.extent(1); ++j) expect_diff = std::max(expect_diff, double(std::abs(y(i, j) - want(i, j))));
  }
  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  std::size_t const m = sorted.size();
  double const median = m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
  std::printf("{\"model\": \"GPSMolecule<%d, %d, %d>\", \"G\": %lld, \"N\": %lld, \"E\": %lld, \"threads\": %d, "
              "\"blas\": \"%s\", \"git_revision\": \"%s\", \"load_ms\": %.3f, \"forward_ms\": [",
              opt.channels, opt.layers, opt.heads, static_cast<long long>(batch.num_graphs),
              static_cast<long long>(batch.num_nodes()), static_cast<long long>(batch.num_edges()), gb::host_threads(),
              gb::blas_description().c_str(), GRAPHTX_BENCH_GIT_REVISION, load_ms);
  for (std::size_t i = 0; i < times.size(); ++i) std::printf("%s%.3f", i ? ", " : "", times[i]);
  constexpr double mib = 1024.0 * 1024.0;
  std::printf("], \"median_ms\": %.3f, \"min_ms\": %.3f, \"model_mib\": %.2f, \"batch_mib\": %.2f, "
              "\"forward_peak_mib\": %.2f, \"peak_rss_mib\": %.1f, \"max_abs_diff_vs_file_y\": %.3g}\n",
              median, sorted.front(), static_cast<double>(model_bytes) / mib,
              static_cast<double>(before_forward - held_at_start - model_bytes) / mib,
              static_cast<double>(stats::peak() - before_forward) / mib, peak_resident_mib(), expect_diff);
  std::fflush(stdout);
  if (opt.profile) {
    gx::profile::Profiler prof(model);
    for (int i = 0; i < opt.repeat; ++i) y = model.forward(batch, &prof);
    auto const& root = prof.root();
    double const per = opt.repeat;
    std::fprintf(stderr, "profile: mean over %d profiled forwards (G = %lld, N = %lld), latency per module:\n",
                 opt.repeat, static_cast<long long>(batch.num_graphs), static_cast<long long>(batch.num_nodes()));
    print_tree(root, "", 0, 2, per);
    std::map<std::string, double> by_type;
    add_by_type(root, by_type, "");
    double total = root.latency();
    std::vector<std::pair<double, std::string>> rows;
    for (auto const& [k, v] : by_type) rows.emplace_back(v, k);
    std::sort(rows.rbegin(), rows.rend());
    std::fprintf(stderr, "profile: by part (summed over the layers), share of the whole forward (%.3f ms):\n",
                 total * 1e3 / per);
    for (auto const& [v, k] : rows) std::fprintf(stderr, "  %-50s %10.3f ms  %5.1f %%\n", k.c_str(), v * 1e3 / per, 100.0 * v / total);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_gps_molecule_files: median forward time of the GPS molecule model on weight and graph files"};
  Options opt;
  app.add_option("--weights", opt.weights, "PyG state_dict of GPSMolecule (.safetensors)")->required();
  app.add_option("--graph", opt.graph, "graph batch: int64 x, edge_index, int64 edge_attr, batch (.safetensors)")->required();
  app.add_option("--channels", opt.channels, "C (hidden channels)");
  app.add_option("--layers", opt.layers, "L (GPSConv layers)");
  app.add_option("--heads", opt.heads, "H (attention heads)");
  app.add_option("--repeat", opt.repeat, "timed forwards (median reported)")->check(CLI::Range(1, 100000));
  app.add_option("--warmup", opt.warmup, "untimed forwards first")->check(CLI::Range(0, 1000));
  app.add_option("--out", opt.out, "write y [G, 1] here (.safetensors)");
  app.add_flag("--expect", opt.expect, "compare y with the graph file's own y [G, 1] (a golden's io file): "
               "max_abs_diff_vs_file_y in the JSON (-1 without --expect)");
  app.add_flag("--profile", opt.profile, "per-module latency of --repeat profiled forwards on stderr");
  try {
    app.parse(argc, argv);
  } catch (CLI::ParseError const& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (opt.channels == 16 && opt.layers == 3 && opt.heads == 2) return run<graphtx_examples::GPSMolecule<16, 3, 2>>(opt);
    if (opt.channels == 64 && opt.layers == 10 && opt.heads == 4) return run<graphtx_examples::GPSMolecule<64, 10, 4>>(opt);
    std::fprintf(stderr, "bench_gps_molecule_files: (channels, layers, heads) = (%d, %d, %d) is not compiled in: "
                 "(16, 3, 2) or (64, 10, 4)\n", opt.channels, opt.layers, opt.heads);
  } catch (std::exception const& e) {
    std::fprintf(stderr, "bench_gps_molecule_files: %s\n", e.what());
  }
  return 1;
}
