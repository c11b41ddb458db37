#pragma once
// One harness for every module and model golden (tests/data/modules, tests/data/models, made by
// tools/make_module_goldens.py): the batch built from the io file's tensors, the module loaded
// strictly from the weights file as nn::Model<Net, Space>, its forward compared with PyG's output.
// Test bodies are written once as templates over the Space and instantiated by the host suite
// (tests/nn/*_test.cpp) and the CUDA suite (tests/cuda/*_test.cu).

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <graphtx/graph/batch.hpp>
#include <graphtx/graph/transfer.hpp>
#include <graphtx/io/safetensors.hpp>
#include <graphtx/nn/model.hpp>

#include "support/compare.hpp"
#include "support/golden.hpp"

namespace graphtx::test {

/// A module golden: `io` always, `weights` when the module has parameters or buffers.
struct ModuleGolden {
  std::optional<io::SafetensorsFile> weights;
  io::SafetensorsFile io;
};

/// Opens tests/data/<dir>/<name>.io.safetensors and, when it exists, <name>.weights.safetensors.
inline ModuleGolden load_module_golden(std::string const& dir, std::string const& name) {
  auto const w = data_path(dir + "/" + name + ".weights.safetensors");
  ModuleGolden g{std::nullopt, io::SafetensorsFile::open(data_path(dir + "/" + name + ".io.safetensors"))};
  if (std::filesystem::exists(w)) g.weights = io::SafetensorsFile::open(w);
  return g;
}

/// The host batch of an io file: x (float32 or int64), edge_index (absent: no edges), edge_attr
/// (float32 or int64, optional), batch (absent: one graph) and ptr (its length gives G, so empty
/// trailing graphs count).
inline graph::Batch<host> golden_batch(io::SafetensorsFile const& f, std::string const& x_key = "x") {
  auto const* xi = f.find(x_key);
  REQUIRE(xi != nullptr);
  index_t const n = xi->shape.at(0);
  auto edge_index = f.find("edge_index") != nullptr ? f.read_index<2>("edge_index") : Tensor<std::int64_t, 2, host>({2, 0});
  auto batch = f.find("batch") != nullptr ? f.read_index<1>("batch") : Tensor<std::int64_t, 1, host>::zeros({n});
  index_t const g = f.find("ptr") != nullptr ? f.info("ptr").shape.at(0) - 1 : (n > 0 ? 1 : 0);
  auto build = [&](auto x) {
    if (f.find("edge_attr") == nullptr) {
      return graph::make_batch(std::move(x), edge_index.cview(), batch.cview(), g);
    }
    if (f.info("edge_attr").type == dtype::i64) {
      return graph::make_batch(std::move(x), edge_index.cview(), batch.cview(), g, f.read_index<2>("edge_attr"));
    }
    return graph::make_batch(std::move(x), edge_index.cview(), batch.cview(), g, f.read_float<2>("edge_attr"));
  };
  if (xi->type == dtype::i64) return build(f.read_index<2>(x_key));
  return build(f.read_float<2>(x_key));
}

/// Net loaded strictly from the golden's weights (or default-built when it has none) in Space.
template <class Net, class Space = host>
nn::Model<Net, Space> golden_model(ModuleGolden const& g) {
  using Host = nn::Model<Net, host>;
  Host m = g.weights ? Host::load(*g.weights) : Host{};
  if constexpr (std::is_same_v<Space, host>) {
    return m;
  } else {
    return nn::Model<Net, Space>::from(m);
  }
}

/// forward of Net on the golden's batch, on Space, copied back to the host.
template <class Net, class Space = host>
Tensor<float, 2, host> golden_forward(ModuleGolden const& g, std::string const& x_key = "x") {
  auto const model = golden_model<Net, Space>(g);
  auto const batch = golden_batch(g.io, x_key);
  if constexpr (std::is_same_v<Space, host>) {
    return model.forward(batch);
  } else {
    return to_space<host>(model.forward(graph::to_space<Space>(batch)));
  }
}

/// Net's forward on Space vs the golden's `out_key` (PyG float32) within `tol`.
template <class Net, class Space = host>
void check_module_golden(std::string const& dir, std::string const& name, std::string const& out_key = "out",
                         Tolerance tol = pyg_fp32) {
  INFO("golden " << dir << "/" << name << " (" << out_key << ") on " << Space::name);
  auto const g = load_module_golden(dir, name);
  auto const y = golden_forward<Net, Space>(g);
  auto const expected = g.io.read_float<2>(out_key);
  GRAPHTX_REQUIRE_CLOSE(y.cview(), expected.cview(), tol);
}

}  // namespace graphtx::test
