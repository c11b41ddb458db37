#pragma once
/// \file
/// \brief A Google Benchmark of a model's forward: the `NAME_bench` program that
/// `graphtx_add_model` builds where Google Benchmark is found.
///
///     NAME_bench [--graph G.safetensors] [--weights W.safetensors] [--benchmark_* ...]
///
/// Times nn::Model<Net>::forward on the batch of G (a graph file or a check file; default: the
/// CHECK file given to graphtx_add_model) with the weights of W (default: Model::random(0), the
/// same numbers of work). Benchmark `NAME/forward/host`, wall-clock time, with counters N, E, G,
/// graphs/s and FLOP/s (DeepSpeed's counts of the forward, Model::counts). Needs
/// <benchmark/benchmark.h> (Debian: libbenchmark-dev); errors: one line on stderr, exit code 1.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <graphtx/tools/runner.hpp>

namespace graphtx::tools {

struct BenchInfo {
  std::string name;           ///< benchmark prefix and message prefix: "gps_molecule" -> gps_molecule/forward/host
  std::string default_graph;  ///< the batch when --graph is not given (may be empty)
};

template <class Net>
int bench_main(int argc, char** argv, BenchInfo const& info) {
  using Model = nn::Model<Net, host>;
  std::string const program = info.name + "_bench";
  std::string graph_path = info.default_graph, weights;
  std::vector<char*> rest{argv[0]};  // what Google Benchmark parses
  for (int i = 1; i < argc; ++i) {
    std::string const a = argv[i];
    auto take = [&](std::string const& flag, std::string& into) {
      if (a == flag) {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "%s: %s needs a value\n", program.c_str(), flag.c_str());
          std::exit(2);
        }
        into = argv[++i];
        return true;
      }
      if (a.rfind(flag + "=", 0) == 0) {
        into = a.substr(flag.size() + 1);
        return true;
      }
      return false;
    };
    if (!take("--graph", graph_path) && !take("--weights", weights)) rest.push_back(argv[i]);
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 2;
  try {
    if (graph_path.empty()) throw error("no batch to run: pass --graph FILE (a graph or check .safetensors)");
    static Model const model = weights.empty() ? Model::random(0) : load_model<Net>(weights, false);
    RunOptions opt;
    RunnerInfo const rinfo{.program = program, .model_label = "", .summary = ""};
    static graph::Batch<host> const batch = load_batch<Net>(io::SafetensorsFile::open(graph_path), opt, rinfo);
    {  // a forward outside the timing: allocations, and errors named before Google Benchmark runs
      auto y = model.forward(batch);
      benchmark::DoNotOptimize(y.data());
    }
    index_t const width = Model::in_width == nn::any_width ? batch.x.extent(1) : Model::in_width;
    double const flops = static_cast<double>(
        Model::counts({.nodes = batch.num_nodes(), .edges = batch.num_edges(), .graphs = batch.num_graphs}, width)
            .flops());
    benchmark::RegisterBenchmark((info.name + "/forward/host").c_str(), [flops](benchmark::State& state) {
      for (auto _ : state) {
        Tensor<float, 2, host> y = model.forward(batch);
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
      }
      state.counters["N"] = static_cast<double>(batch.num_nodes());
      state.counters["E"] = static_cast<double>(batch.num_edges());
      state.counters["G"] = static_cast<double>(batch.num_graphs);
      state.counters["graphs/s"] =
          benchmark::Counter(static_cast<double>(batch.num_graphs), benchmark::Counter::kIsIterationInvariantRate);
      state.counters["FLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
    })->UseRealTime()->Unit(benchmark::kMillisecond);
  } catch (std::exception const& e) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), e.what());
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace graphtx::tools
