// run_model: run a trained seed-architecture GraphTransformer on a graph batch.
//
//   run_model --weights MODEL.safetensors --graph GRAPH.safetensors --out PRED.safetensors
//
// MODEL: the PyG state_dict, saved with safetensors.torch.save_file(model.state_dict(), path).
// GRAPH: x [N, 9] (F32, or I64 as OGB stores it), edge_index [2, E] (I64 or I32), batch [N] (I64).
// PRED:  y [G, 1] F32, G = batch.max() + 1 or --num-graphs.
// Any bad input ends with exit code 1 and one line on stderr naming the file, tensor and problem.
// NaN or Inf in x or in the weights propagate as in PyG (a NaN feature makes its graph's prediction
// NaN); --check-finite refuses them instead, naming the first one. --max-graph-bytes bounds what the
// graph may cost in memory (graph::BatchLimits::max_bytes, checked before anything is allocated).

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <new>
#include <string>

#include <graphtx/graphtx.hpp>
#if defined(GRAPHTX_EXAMPLES_HAVE_CUDA)
#include "seed_model_cuda.hpp"
#endif

namespace gx = graphtx;
using SeedModel = gx::GraphTransformer<gx::seed_config, gx::host>;

int main(int argc, char** argv) {
  CLI::App app{"graphtx run_model: predictions of a PyG seed-architecture GraphTransformer"};
  std::string weights, graph, out;
  long long num_graphs = -1;
  bool quiet = false;
  bool refuse_non_finite = false;
  std::uint64_t max_graph_bytes = gx::graph::BatchLimits{}.max_bytes;
  std::string device = "host";
  app.add_option("--weights", weights, "PyG state_dict of the model (.safetensors)")->required();
  app.add_option("--graph", graph, "graph batch: x, edge_index, batch (.safetensors)")->required();
  app.add_option("--out", out, "where to write y [G, 1] (.safetensors)")->required();
  app.add_option("--num-graphs", num_graphs, "G; default batch.max() + 1");
  app.add_flag("--quiet", quiet, "print nothing on success");
  app.add_flag("--check-finite", refuse_non_finite, "refuse NaN or Inf in the weights or in x, naming the first one");
  app.add_option("--max-graph-bytes", max_graph_bytes, "memory the graph batch may take (default 4 GiB)");
  app.add_option("--device", device, "where to run: host or cuda")->check(CLI::IsMember({"host", "cuda"}));
  try {
    app.parse(argc, argv);
  } catch (CLI::ParseError const& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    auto t0 = std::chrono::steady_clock::now();
    SeedModel model = [&] {  // the file's bytes are freed once the model holds its weights
      auto const file = gx::io::SafetensorsFile::open(weights);
      if (refuse_non_finite) gx::io::check_finite(file);
      return SeedModel::load(file);
    }();
    gx::graph::BatchLimits limits;
    limits.max_bytes = max_graph_bytes;
    gx::graph::Batch<gx::host> batch = gx::io::read_batch(graph, num_graphs, limits);
    if (batch.x.extent(1) != gx::seed_config.in) {
      throw gx::shape_error(gx::detail::cat(graph, ": tensor \"x\" has ", batch.x.extent(1),
                                            " features per node, the seed model expects ", gx::seed_config.in));
    }
    if (refuse_non_finite) {
      gx::check_finite(batch.x.cview(), graph + ": tensor \"x\"");
      gx::check_finite(batch.edge_attr.cview(), graph + ": tensor \"edge_attr\"");
    }
    auto t1 = std::chrono::steady_clock::now();
    gx::Tensor<float, 2, gx::host> y;  // [G, 1]
    if (device == "cuda") {
#if defined(GRAPHTX_EXAMPLES_HAVE_CUDA)
      y = graphtx_examples::seed_forward_cuda(model, batch, 1).y;
#else
      throw gx::error("run_model was built without the CUDA backend; use --device host");
#endif
    } else {
      y = model.forward(batch);
    }
    auto t2 = std::chrono::steady_clock::now();
    gx::io::SafetensorsWriter writer;
    writer.add<float, 2>("y", y.cview());
    writer.write(out);
    if (!quiet) {
      std::printf("run_model: G = %lld, N = %lld, E = %lld; load %.1f ms, forward %.1f ms; wrote %s\n",
                  static_cast<long long>(batch.num_graphs), static_cast<long long>(batch.num_nodes()),
                  static_cast<long long>(batch.num_edges()),
                  std::chrono::duration<double, std::milli>(t1 - t0).count(),
                  std::chrono::duration<double, std::milli>(t2 - t1).count(), out.c_str());
    }
    return 0;
  } catch (std::bad_alloc const&) {
    std::fprintf(stderr, "run_model: out of memory\n");
  } catch (std::exception const& e) {
    std::fprintf(stderr, "run_model: %s\n", e.what());
  }
  return 1;
}
