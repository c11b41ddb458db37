#pragma once
// The bodies of graphtx's three fuzz targets, shared by the libFuzzer entry points in tests/fuzz/
// (clang only) and by tests/reliability/fuzz_replay_test.cpp, which replays every file of
// tests/data through them in the normal Catch2 suite with any compiler.
//
// Contract of each target: for ANY input bytes it returns normally or throws a graphtx::error
// (the named rejection). Anything else is a finding: another exception type, a crash, a sanitizer
// report, a hang, an allocation above libFuzzer's limit, or a broken invariant (abort()).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include <graphtx/graphtx.hpp>

namespace graphtx::fuzz {

/// Stops the process with a message: an invariant the library promises does not hold.
[[noreturn]] inline void broken(char const* what) {
  std::fprintf(stderr, "graphtx fuzz: invariant broken: %s\n", what);
  std::abort();
}
#define GRAPHTX_FUZZ_ASSERT(cond) \
  do {                            \
    if (!(cond)) ::graphtx::fuzz::broken(#cond); \
  } while (0)

/// Limits of every target, far below libFuzzer's default 2 GB malloc/RSS limit: an allocation that
/// libFuzzer flags is then a real amplification bug, never a legal big input.
inline io::ReadLimits read_limits() {
  io::ReadLimits l;
  l.max_file_bytes = std::uint64_t{1} << 24;
  return l;
}
inline graph::BatchLimits batch_limits() {
  graph::BatchLimits l;
  l.max_bytes = std::uint64_t{64} << 20;
  return l;
}

inline std::vector<std::byte> copy_bytes(std::span<std::uint8_t const> data) {
  std::vector<std::byte> out(data.size());
  if (!data.empty()) std::memcpy(out.data(), data.data(), data.size());
  return out;
}

// ---- 1. safetensors reader ----------------------------------------------------------------------

/// Parses the bytes with from_bytes AND through a temporary file with open() (the two read paths
/// must agree: both accept with the same tensors, or both reject), touches every accessor a user
/// can call, and checks that an accepted file survives a write/read round trip unchanged.
inline void safetensors_one(std::span<std::uint8_t const> data) {
  std::optional<io::SafetensorsFile> mem;
  std::string mem_error;
  try {
    mem = io::SafetensorsFile::from_bytes(copy_bytes(data), "<fuzz>", read_limits());
  } catch (io_error const& e) {
    mem_error = e.what();
  }
  // The same bytes through the file reader.
  static std::filesystem::path const path =
      std::filesystem::temp_directory_path() / ("graphtx_fuzz_" + std::to_string(::getpid()) + ".safetensors");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<char const*>(data.data()), static_cast<std::streamsize>(data.size()));
  }
  bool file_ok = false;
  try {
    auto f = io::SafetensorsFile::open(path, read_limits());
    file_ok = true;
    GRAPHTX_FUZZ_ASSERT(mem.has_value());
    GRAPHTX_FUZZ_ASSERT(f.tensors().size() == mem->tensors().size());
    for (auto const& t : f.tensors()) {
      auto const* m = mem->find(t.name);
      GRAPHTX_FUZZ_ASSERT(m != nullptr && m->type == t.type && m->shape == t.shape && m->begin == t.begin);
      auto a = f.raw(t), b = mem->raw(*m);
      GRAPHTX_FUZZ_ASSERT(a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0));
    }
  } catch (io_error const&) {
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);  // no trace left in the temp folder
  GRAPHTX_FUZZ_ASSERT(file_ok == mem.has_value());
  if (!mem) throw io_error(mem_error);

  io::SafetensorsFile const& f = *mem;
  io::SafetensorsWriter w;
  for (auto const& [k, v] : f.metadata()) w.set_metadata(k, v);
  std::uint64_t bytes_seen = 0;
  for (auto const& t : f.tensors()) {
    GRAPHTX_FUZZ_ASSERT(f.find(t.name) == &f.info(t.name));
    auto raw = f.raw(t);
    GRAPHTX_FUZZ_ASSERT(raw.size() == t.byte_size());
    bytes_seen += raw.size();
    (void)t.numel();
    // Typed reads: each either succeeds with exactly the tensor's extents or is a named io_error.
    try {
      switch (t.rank()) {
        case 0:
          if (t.type == dtype::f32) (void)f.read_scalar<float>(t.name);
          if (t.type == dtype::i64) (void)f.read_scalar<std::int64_t>(t.name);
          break;
        case 1: {
          auto v = f.read_float<1>(t.name);
          GRAPHTX_FUZZ_ASSERT(v.extent(0) == t.shape[0]);
          (void)f.read_index<1>(t.name);
          break;
        }
        case 2: {
          auto v = f.read_float<2>(t.name);
          GRAPHTX_FUZZ_ASSERT(v.extent(0) == t.shape[0] && v.extent(1) == t.shape[1]);
          (void)f.read_index<2>(t.name);
          break;
        }
        case 3: (void)f.read<float, 3>(t.name); break;
        default: break;
      }
    } catch (io_error const&) {
    }
    std::vector<index_t> shape(t.shape.begin(), t.shape.end());
    w.add_raw(t.name, t.type, shape, raw);
  }
  GRAPHTX_FUZZ_ASSERT(bytes_seen == (f.tensors().empty() ? 0 : f.tensors().back().end));
  try {
    io::check_finite(f);
  } catch (value_error const&) {
  }
  // Whatever the reader accepts, the writer writes and the reader reads back identically.
  auto again = io::SafetensorsFile::from_bytes(w.to_bytes(), "<fuzz round trip>", read_limits());
  GRAPHTX_FUZZ_ASSERT(again.tensors().size() == f.tensors().size());
  GRAPHTX_FUZZ_ASSERT(again.metadata() == f.metadata());
  for (auto const& t : f.tensors()) {
    auto const* r = again.find(t.name);
    GRAPHTX_FUZZ_ASSERT(r != nullptr && r->type == t.type && r->shape == t.shape);
    auto a = f.raw(t), b = again.raw(*r);
    GRAPHTX_FUZZ_ASSERT(a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0));
  }
}

// ---- 2. graph file -> validated Batch (run_model's input path) ------------------------------------

/// The small model both the graph and the weights targets run (9 input features like the seed
/// model and tests/data's graph files, the seed's off-by-one structure, folded layers).
inline constexpr GraphTransformerConfig fuzz_model{.in = 9, .hidden = 4, .heads = 2, .num_conv_layers = 2};
using FuzzModel = GraphTransformer<fuzz_model>;
/// A textbook conv with every option that reads the graph (edge features, beta, concat).
inline constexpr nn::TransformerConvConfig fuzz_conv{
    .in = 9, .out = 2, .heads = 2, .concat = true, .beta = true, .edge_dim = 2};
using FuzzConv = nn::TransformerConv<fuzz_conv>;

inline FuzzModel const& reference_model() {
  static FuzzModel const m = FuzzModel::random(1);
  return m;
}
inline FuzzConv const& reference_conv() {
  static FuzzConv const c = [] {
    graphtx::nn::RandomWeights rng(2);
    FuzzConv conv;
    graphtx::nn::init_random(conv, rng);  // prepare() runs after the init
    return conv;
  }();
  return c;
}

/// The Batch invariants every consumer relies on, for any batch read_batch returns.
inline void check_batch(graph::Batch<host> const& b) {
  index_t const n = b.num_nodes(), g = b.num_graphs;
  graph::validate(b.csr, "fuzz csr");  // throws graph_error: that would be a finding here
  GRAPHTX_FUZZ_ASSERT(b.csr.num_dst_nodes == n && b.csr.num_src_nodes == n);
  GRAPHTX_FUZZ_ASSERT(b.batch.extent(0) == n && b.ptr.extent(0) == g + 1);
  GRAPHTX_FUZZ_ASSERT(b.ptr(0) == 0 && b.ptr(g) == n);
  for (index_t i = 0; i < g; ++i) {
    GRAPHTX_FUZZ_ASSERT(b.ptr(i) <= b.ptr(i + 1));
    for (index_t k = b.ptr(i); k < b.ptr(i + 1); ++k) GRAPHTX_FUZZ_ASSERT(b.batch(k) == i);
  }
  GRAPHTX_FUZZ_ASSERT(b.edge_attr.extent(1) == 0 || b.edge_attr.extent(0) == b.num_edges());
  // Integer features: [0, 0], or the shape of their float cast.
  GRAPHTX_FUZZ_ASSERT((b.x_int.extent(0) == 0 && b.x_int.extent(1) == 0) || b.x_int.extents() == b.x.extents());
  GRAPHTX_FUZZ_ASSERT((b.edge_attr_int.extent(0) == 0 && b.edge_attr_int.extent(1) == 0) ||
                      b.edge_attr_int.extents() == b.edge_attr.extents());
  GRAPHTX_FUZZ_ASSERT(graph::batch_build_bytes(n, b.x.extent(1), b.num_edges(), b.edge_attr.extent(1), g,
                                               b.x_int.extent(1), b.edge_attr_int.extent(1)) <=
                      batch_limits().max_bytes);
}

/// read_batch as run_model calls it (with the fuzz limits), the Batch invariants, and, when the
/// features fit, forwards of the small model and of the textbook conv on the fuzzed graph.
inline void graph_file_one(std::span<std::uint8_t const> data) {
  auto file = io::SafetensorsFile::from_bytes(copy_bytes(data), "<fuzz graph>", read_limits());
  graph::Batch<host> b = io::read_batch(file, -1, batch_limits());
  try {
    check_batch(b);
  } catch (graphtx::error const& e) {
    std::fprintf(stderr, "%s\n", e.what());
    broken("read_batch returned a batch that fails validate(Csr)");
  }
  try {
    check_finite(b.x.cview(), "x");
  } catch (value_error const&) {
  }
  // Round trip of the graph structure: CSR back to edge_index.
  (void)graph::to_edge_index(graph::to_coo(b.csr));
  if (b.x.extent(1) == fuzz_model.in && b.num_nodes() <= 4096 && b.num_edges() <= 16384) {
    auto y = reference_model().forward(b);
    GRAPHTX_FUZZ_ASSERT(y.extent(0) == b.num_graphs && y.extent(1) == 1);
    if (b.edge_attr.extent(1) == fuzz_conv.edge_dim || b.num_edges() == 0) {
      Tensor<float, 2, host> ea({b.num_edges(), fuzz_conv.edge_dim});
      for (index_t i = 0; i < ea.size(); ++i) ea.data()[i] = b.edge_attr.size() > 0 ? b.edge_attr.data()[i] : 0.5f;
      auto out = reference_conv().forward(b.x.cview(), b.csr, ea.cview());
      GRAPHTX_FUZZ_ASSERT(out.extent(0) == b.num_nodes());
    }
  }
}

// ---- 3. weights file -> state_dict -> model ----------------------------------------------------

/// A fixed 5-node, 2-graph batch with edge features for the weights target's forwards.
inline graph::Batch<host> const& fixed_batch() {
  static graph::Batch<host> const b = [] {
    Tensor<float, 2, host> x({5, fuzz_model.in});
    for (index_t i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(i % 7) / 4.0f - 0.5f;
    auto ei = Tensor<std::int64_t, 2, host>::from({2, 6}, {0, 1, 1, 2, 3, 4, /**/ 1, 0, 2, 1, 4, 3});
    auto batch = Tensor<std::int64_t, 1, host>::from({5}, {0, 0, 0, 1, 1});
    auto ea = Tensor<float, 2, host>::from({6, 2}, {1, 0, 0, 1, 1, 1, -1, 0, 0, -1, 2, 2});
    return graph::make_batch(std::move(x), ei.cview(), batch.cview(), -1, std::move(ea));
  }();
  return b;
}

/// Loads the bytes as the small model's state_dict and as the textbook conv's (at most one can
/// succeed), and runs a forward with whatever was loaded (NaN and Inf weights included). Returns
/// how many of the two loaded.
inline int state_dict_one(std::span<std::uint8_t const> data) {
  auto file = io::SafetensorsFile::from_bytes(copy_bytes(data), "<fuzz weights>", read_limits());
  auto const& b = fixed_batch();
  int loaded = 0;
  try {
    auto m = FuzzModel::load(file);
    ++loaded;
    auto y = m.forward(b);
    GRAPHTX_FUZZ_ASSERT(y.extent(0) == 2 && y.extent(1) == 1);
  } catch (io_error const&) {
  }
  try {
    auto c = FuzzConv::load(file);
    ++loaded;
    auto out = c.forward(b.x.cview(), b.csr, b.edge_attr.cview());
    GRAPHTX_FUZZ_ASSERT(out.extent(0) == 5 && out.extent(1) == fuzz_conv.out_width());
  } catch (io_error const&) {
  }
  GRAPHTX_FUZZ_ASSERT(loaded <= 1);
  try {
    io::check_finite(file);
  } catch (value_error const&) {
  }
  return loaded;
}

}  // namespace graphtx::fuzz
