#pragma once
// Checks shared by every module and model test body (templates over the Space, instantiated by
// tests/nn/*_test.cpp for the host and tests/cuda/*_test.cu for CUDA), on a golden of
// tests/data/<dir> (modules/ or models/, tools/make_module_goldens.py):
//   - golden: the forward vs PyG's float32 output (GRAPHTX_REPORT_ERRORS=1 prints the errors);
//   - counts: a profiled forward's counts equal nn::Model<Net>::counts, node by node;
//   - round trip: save -> load gives the same state_dict bytes and a bitwise-equal forward, and
//     the saved file has exactly the golden's keys, shapes and dtypes;
//   - strict load: a missing key, an extra key and a wrong shape are errors naming the key.

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdlib>
#include <iostream>
#include <string>
#include <type_traits>
#include <vector>

#include <graphtx/graph/transfer.hpp>
#include <graphtx/io/safetensors.hpp>
#include <graphtx/io/state_dict.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/profile/profiler.hpp>

#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::checks {

/// A copy of `file` with `drop` left out, `extra` added (a [3] float tensor) and `reshape` given a
/// [shape[0] + 1, ...] float tensor of zeros instead (each optional: "" = no change).
inline io::SafetensorsFile edited(io::SafetensorsFile const& file, std::string const& drop, std::string const& extra = "",
                                  std::string const& reshape = "") {
  io::SafetensorsWriter w;
  for (auto const& t : file.tensors()) {
    if (t.name == drop) continue;
    if (t.name == reshape) {
      std::vector<index_t> shape = t.shape;
      REQUIRE(!shape.empty());
      shape[0] += 1;
      index_t n = 1;
      for (index_t d : shape) n *= d;
      std::vector<std::byte> zeros(static_cast<std::size_t>(n) * 4, std::byte{0});
      w.add_raw(t.name, dtype::f32, shape, zeros);
      continue;
    }
    auto const bytes = file.raw(t);
    w.add_raw(t.name, t.type, t.shape, bytes);
  }
  if (!extra.empty()) {
    std::vector<std::byte> zeros(12, std::byte{0});
    w.add_raw(extra, dtype::f32, {3}, zeros);
  }
  return io::SafetensorsFile::from_bytes(w.to_bytes(), "edited.safetensors");
}

/// A host batch in Space.
template <class Space>
decltype(auto) batch_in(graph::Batch<host> const& b) {
  if constexpr (std::is_same_v<Space, host>) {
    return (b);  // graph::Batch<host> const&
  } else {
    return graph::to_space<Space>(b);
  }
}

/// `actual` vs `expected` within `tol` (REQUIREd), printing the errors when GRAPHTX_REPORT_ERRORS
/// is set; returns the comparison.
inline CloseReport check_close(std::string const& what, TensorView<float const, 2, host> actual,
                               TensorView<float const, 2, host> expected, Tolerance tol) {
  INFO(what);
  REQUIRE(actual.extent(0) == expected.extent(0));
  REQUIRE(actual.extent(1) == expected.extent(1));
  auto const r = compare(actual.data(), expected.data(), actual.size(), tol);
  if (std::getenv("GRAPHTX_REPORT_ERRORS") != nullptr) {
    std::cout << "[errors] " << what << ": max |diff| " << r.max_abs << ", max rel " << r.max_rel << " over "
              << r.count << " values\n";
  }
  GRAPHTX_REQUIRE_CLOSE(actual, expected, tol);
  return r;
}

/// Net (on Space) on the golden's batch vs PyG float32 `out_key` within `tol`.
template <class Net, class Space>
CloseReport check_golden(std::string const& dir, std::string const& name, std::string const& out_key = "out",
                         Tolerance tol = pyg_fp32) {
  auto const g = load_module_golden(dir, name);
  auto const y = golden_forward<Net, Space>(g);
  auto const expected = g.io.read_float<2>(out_key);
  return check_close(dir + "/" + name + " (" + out_key + ") on " + Space::name, y.cview(), expected.cview(), tol);
}

/// Every node of `run` has the counts, the type and the children of the same node in `expected`.
inline void require_same_counts(profile::Module const& run, profile::Module const& expected, std::string const& path) {
  INFO("module " << (path.empty() ? "<root>" : path) << " (" << expected.type << ")");
  REQUIRE(run.type == expected.type);
  CHECK(run.own == expected.own);
  CHECK(run.own_params == expected.own_params);
  REQUIRE(run.children.size() == expected.children.size());
  for (std::size_t i = 0; i < run.children.size(); ++i) {
    REQUIRE(run.children[i].name == expected.children[i].name);
    require_same_counts(run.children[i], expected.children[i],
                        path.empty() ? expected.children[i].name : path + "." + expected.children[i].name);
  }
}

/// A profiled forward of `model` on `host_batch` counts what nn::Model<Net>::counts says; returns
/// the static tree (for checks of the numbers themselves).
template <class Net, class Space>
profile::Module check_counts(nn::Model<Net, Space> const& model, graph::Batch<host> const& host_batch) {
  auto const& batch = batch_in<Space>(host_batch);
  profile::Profiler prof(model);
  model.forward(batch, &prof);
  auto const expected = nn::Model<Net>::counts(
      {.nodes = host_batch.num_nodes(), .edges = host_batch.num_edges(), .graphs = host_batch.num_graphs},
      host_batch.x.extent(1));  // the width, for nets that take any
  require_same_counts(prof.root(), expected, "");
  CHECK(prof.root().counts() == expected.counts());
  CHECK(prof.root().calls == 1);
  CHECK(expected.params() == Net::parameter_count);
  return expected;
}
template <class Net, class Space>
profile::Module check_counts(std::string const& dir, std::string const& name) {
  auto const g = load_module_golden(dir, name);
  return check_counts<Net, Space>(golden_model<Net, Space>(g), golden_batch(g.io));
}

/// save -> load: the same state_dict bytes, the same forward bit for bit; count_parameters; the
/// saved file has exactly the golden's keys with PyG's shapes and dtypes.
template <class Net, class Space>
void check_round_trip(std::string const& dir, std::string const& name) {
  auto const g = load_module_golden(dir, name);
  auto const model = golden_model<Net, Space>(g);
  CHECK(nn::count_parameters(model) == Net::parameter_count);
  io::StateDictWriter sd;
  model.save(sd);
  auto const bytes = sd.to_bytes();
  auto const back = nn::Model<Net, Space>::load(io::SafetensorsFile::from_bytes(bytes, "round_trip.safetensors"));
  io::StateDictWriter sd2;
  back.save(sd2);
  REQUIRE(sd2.to_bytes() == bytes);
  auto const host_batch = golden_batch(g.io);
  auto const& batch = batch_in<Space>(host_batch);
  REQUIRE(to_space<host>(back.forward(batch)).to_vector() == to_space<host>(model.forward(batch)).to_vector());
  auto const saved = io::SafetensorsFile::from_bytes(bytes, "saved.safetensors");
  REQUIRE(g.weights.has_value());
  CHECK(saved.tensors().size() == g.weights->tensors().size());
  for (auto const& t : g.weights->tensors()) {
    INFO(t.name);
    REQUIRE(saved.find(t.name) != nullptr);
    CHECK(saved.info(t.name).shape == t.shape);
    CHECK(saved.info(t.name).type == t.type);
    auto const a = saved.raw(saved.info(t.name));
    auto const b = g.weights->raw(t);
    CHECK(std::vector<std::byte>(a.begin(), a.end()) == std::vector<std::byte>(b.begin(), b.end()));  // same bytes
  }
}

/// Strict load: the golden's file without `key`, with an extra key, with `key` of another shape.
template <class Net>
void check_strict_load(std::string const& dir, std::string const& name, std::string const& key) {
  auto const g = load_module_golden(dir, name);
  REQUIRE(g.weights.has_value());
  REQUIRE(g.weights->find(key) != nullptr);
  using M = nn::Model<Net>;
  REQUIRE_THROWS_WITH(M::load(edited(*g.weights, key)),
                      Catch::Contains("edited.safetensors") && Catch::Contains("missing key \"" + key + "\""));
  REQUIRE_THROWS_WITH(M::load(edited(*g.weights, "", "unexpected.weight")),
                      Catch::Contains("unexpected key") && Catch::Contains("unexpected.weight"));
  if (g.weights->info(key).type == dtype::f32) {
    REQUIRE_THROWS_WITH(M::load(edited(*g.weights, "", "", key)), Catch::Contains(key + " has shape ["));
  }
}

}  // namespace graphtx::test::checks
