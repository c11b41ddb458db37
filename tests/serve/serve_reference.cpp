// The library's own answers for tests/serve/triton_server_test.py:
//   serve_reference weights OUT.safetensors SEED        random weights of the model (Model::random)
//   serve_reference forward W.safetensors GRAPHS OUT    GRAPHS holds x_0, edge_index_0, x_1, ...
//       (one graph each); OUT gets "single" [G, out] (each graph its own forward) and "merged"
//       [G, out] (all graphs in one batch_graphs forward)
// MODEL selects the type at compile time (small: the test model; seed: the seed model).
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include <graphtx/graph/batch.hpp>
#include <graphtx/io/safetensors.hpp>
#include <graphtx/models/graph_transformer.hpp>

#include "small_model.hpp"

namespace gx = graphtx;

template <class Net>
int run(int argc, char** argv) {
  using Model = gx::nn::Model<Net, gx::host>;
  std::string const cmd = argv[1];
  if (cmd == "weights" && argc == 4) {
    Model::random(std::strtoull(argv[3], nullptr, 10)).save(std::string(argv[2]));
    return 0;
  }
  if (cmd != "forward" || argc != 5) {
    std::fprintf(stderr, "usage: serve_reference weights OUT SEED | forward W GRAPHS OUT\n");
    return 2;
  }
  Model const m = Model::load(std::string(argv[2]));
  auto const file = gx::io::SafetensorsFile::open(argv[3]);
  std::vector<gx::graph::GraphData> graphs;
  for (int i = 0; file.contains("x_" + std::to_string(i)); ++i) {
    gx::graph::GraphData g;
    g.x = file.read<float, 2>("x_" + std::to_string(i));
    g.edge_index = file.read<std::int64_t, 2>("edge_index_" + std::to_string(i));
    graphs.push_back(std::move(g));
  }
  auto const G = static_cast<gx::index_t>(graphs.size());
  gx::Tensor<float, 2, gx::host> single({G, Model::out_width});
  for (gx::index_t i = 0; i < G; ++i) {
    auto b = gx::graph::batch_graphs(std::span(graphs).subspan(static_cast<std::size_t>(i), 1));
    auto y = m.forward(b);
    for (gx::index_t c = 0; c < Model::out_width; ++c) single(i, c) = y(0, c);
  }
  auto merged = m.forward(gx::graph::batch_graphs(graphs));
  gx::io::SafetensorsWriter w;
  w.add("single", single.cview());
  w.add("merged", merged.cview());
  w.write(argv[4]);
  return 0;
}

int main(int argc, char** argv) try {
  if (argc < 2) {
    std::fprintf(stderr, "usage: serve_reference weights OUT SEED | forward W GRAPHS OUT\n");
    return 2;
  }
#if defined(GRAPHTX_SERVE_SEED)
  return run<gx::GraphTransformerNet<gx::seed_config>>(argc, argv);
#else
  return run<graphtx_test::TritonSmall>(argc, argv);
#endif
} catch (std::exception const& e) {
  std::fprintf(stderr, "serve_reference: %s\n", e.what());
  return 1;
}
