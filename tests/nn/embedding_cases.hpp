#pragma once
// Test bodies for nn::Embedding, nn::AtomEncoder and nn::BondEncoder (torch.nn.Embedding and OGB's
// mol_encoder), written once for every space: the host suite (tests/nn/embedding_test.cpp) and the
// CUDA suite (tests/cuda/embedding_test.cu) call them.
//
// Goldens (tests/data/modules): embedding (x [13, 1]), atom_encoder (x [20, 9], row 0 all 0, row 1
// all max), bond_encoder (edge_attr [15, 3] -> out [15, 8]). Tolerance: bitwise. An embedding is a
// gather, and ops::embedding_sum adds the tables in OGB's column order in float, so graphtx's
// result is PyTorch's bit for bit (measured: max |diff| 0 on all three; the one possible
// difference, OGB's sum starting from the int 0 turning an all -0.0 sum into +0.0, compares equal).

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <graphtx/graph/batch.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/embedding.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/nn/parameters.hpp>

#include "nn/module_checks.hpp"
#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::embedding_cases {

inline constexpr nn::EmbeddingConfig emb_10_6{.num_embeddings = 10, .dim = 6};
inline constexpr Tolerance bitwise{0.0, 0.0};

using Emb = nn::Embedding<emb_10_6>;
using Atom = nn::AtomEncoder<8>;
using Bond = nn::BondEncoder<8>;

static_assert(nn::Layer<Emb> && nn::Layer<Atom> && nn::Layer<Bond>);
static_assert(std::is_same_v<Emb::input_type, std::int64_t> && std::is_same_v<Atom::input_type, std::int64_t>);
static_assert(Emb::in_width == 1 && Emb::out_width == 6 && Emb::parameter_count == 60);
static_assert(Atom::in_width == 9 && Atom::out_width == 8);
static_assert(Atom::parameter_count == (119 + 5 + 12 + 12 + 10 + 6 + 6 + 2 + 2) * 8);
static_assert(Bond::in_width == 3 && Bond::out_width == 8 && Bond::parameter_count == (5 + 6 + 2) * 8);

/// A test-only step after an edge encoder: its output is the edge features the layers after the
/// encoder see (g.edge_attr, [E, D'] in CSR order); the node features are ignored. It takes int64
/// node features of any width because nn::Module's compile-time chain (containers.hpp, chain::linked)
/// still instantiates the width and element-type checks for an OnEdges step (`edge || check<...>::ok`
/// names the check either way): an OnEdges<BondEncoder> must, for now, meet node features of its
/// own type and a compatible width.
template <class Space = host>
struct EdgeFeaturesOut {
  using space = Space;
  using input_type = std::int64_t;
  using output_type = float;
  template <class S>
  using rebind = EdgeFeaturesOut<S>;
  static constexpr int in_width = nn::any_width;
  static constexpr int out_width = nn::any_width;
  static constexpr index_t parameter_count = 0;
  Tensor<float, 2, Space> forward(TensorView<std::int64_t const, 2, Space> /*x*/, nn::GraphContext<Space> const& g,
                                  profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    Tensor<float, 2, Space> y(g.edge_attr.extents());
    deep_copy<float, 2, Space, Space>(y.view(), g.edge_attr);
    return y;
  }
  static void add_counts(profile::Module& /*node*/, nn::FlowShape /*s*/) {}
  static profile::Module profile_module() { return profile::Module::leaf("edge_features", "", 0); }
  template <class V>
  void visit(V& /*v*/) {}
};

/// class Net(torch.nn.Module): self.bond_encoder = BondEncoder(8); forward returns the encoded edges.
using BondNet = nn::Module<"BondNet", nn::Field<"bond_encoder", nn::OnEdges<Bond>>, nn::Apply<EdgeFeaturesOut<>>>;

/// A graph of 6 nodes and the golden's 15 edges (destinations out of order, so the CSR permutes the
/// edges), x a [6, 1] int64 placeholder, the golden's int64 edge_attr.
inline graph::Batch<host> bond_graph(io::SafetensorsFile const& io_file) {
  std::vector<std::int64_t> const src{0, 1, 2, 3, 4, 5, 0, 2, 4, 1, 3, 5, 5, 0, 2};
  std::vector<std::int64_t> const dst{1, 2, 3, 4, 5, 0, 3, 5, 1, 4, 0, 2, 5, 1, 1};
  std::vector<std::int64_t> ei(src);
  ei.insert(ei.end(), dst.begin(), dst.end());
  auto const edge_index = Tensor<std::int64_t, 2, host>::from({2, 15}, ei);
  auto const batch = Tensor<std::int64_t, 1, host>::zeros({6});
  return graph::make_batch(Tensor<std::int64_t, 2, host>::zeros({6, 1}), edge_index.cview(), batch.cview(), 1,
                           io_file.read_index<2>("edge_attr"));
}

/// Rows of `coo` [E, D] in the CSR order of `b`.
inline Tensor<float, 2, host> in_csr_order(graph::Batch<host> const& b, TensorView<float const, 2, host> coo) {
  Tensor<float, 2, host> out(coo.extents());
  auto const& ids = b.csr.edge_ids;
  for (index_t p = 0; p < coo.extent(0); ++p)
    for (index_t c = 0; c < coo.extent(1); ++c) out(p, c) = coo(ids(p), c);
  return out;
}

/// The encoder's forward called directly on the golden's int64 rows `x_key`.
template <class Net, class Space>
Tensor<float, 2, host> direct_forward(ModuleGolden const& g, std::string const& x_key) {
  auto const m = golden_model<Net, Space>(g);
  auto const x = to_space<Space>(g.io.read_index<2>(x_key));
  nn::GraphContext<Space> const ctx{};
  return to_space<host>(m.forward(x.cview(), ctx));
}

/// Embedding and AtomEncoder through nn::Model on the golden's batch (x_int), BondEncoder called
/// directly on the golden's edge_attr rows: bitwise PyG's.
template <class Space>
void goldens_match() {
  checks::check_golden<Emb, Space>("modules", "embedding", "out", bitwise);
  checks::check_golden<Atom, Space>("modules", "atom_encoder", "out", bitwise);
  auto const g = load_module_golden("modules", "bond_encoder");
  auto const y = direct_forward<Bond, Space>(g, "edge_attr");
  checks::check_close(std::string("modules/bond_encoder (out, direct) on ") + Space::name, y.cview(),
                    g.io.read_float<2>("out").cview(), bitwise);
}

/// BondEncoder as `nn::OnEdges<BondEncoder<8>>` in a composition: it runs on g.edge_attr_int (CSR
/// order), and the layers after it see PyG's out rows in CSR order. Keys bond_encoder.bond_embedding_list.k.weight.
template <class Space>
void bond_encoder_on_edges() {
  auto const g = load_module_golden("modules", "bond_encoder");
  REQUIRE(g.weights.has_value());
  // The golden's state_dict under the field's name.
  io::SafetensorsWriter w;
  for (auto const& t : g.weights->tensors()) w.add_raw("bond_encoder." + t.name, t.type, t.shape, g.weights->raw(t));
  auto const file = io::SafetensorsFile::from_bytes(w.to_bytes(), "bond_net.safetensors");
  auto const host_model = nn::Model<BondNet>::load(file);
  auto const model = nn::Model<BondNet, Space>::from(host_model);
  auto const host_batch = bond_graph(g.io);
  auto const& batch = checks::batch_in<Space>(host_batch);
  auto const y = to_space<host>(model.forward(batch));
  auto const expected = in_csr_order(host_batch, g.io.read_float<2>("out").cview());
  checks::check_close(std::string("modules/bond_encoder (out, OnEdges) on ") + Space::name, y.cview(), expected.cview(),
                    bitwise);
  // The profile tree and the counts (0: DeepSpeed counts nothing for F.embedding).
  auto const counts = checks::check_counts<BondNet, Space>(model, host_batch);
  CHECK(counts.counts() == profile::Counts{});
  CHECK(counts.at("bond_encoder.bond_embedding_list.1").extra_repr == "6, 8");
  CHECK(counts.params() == Bond::parameter_count);
}

/// PyG's key names, shapes and order.
template <class Space>
void state_names() {
  std::vector<std::string> names;
  for (auto const& e : nn::state_entries(nn::Model<Atom, Space>{})) {
    names.push_back(e.name);
    CHECK(e.parameter);
    CHECK(e.shape == std::vector<index_t>{nn::atom_features::rows[names.size() - 1], 8});
  }
  REQUIRE(names.size() == 9);
  CHECK(names.front() == "atom_embedding_list.0.weight");
  CHECK(names.back() == "atom_embedding_list.8.weight");
  auto const bond = nn::state_entries(nn::Model<Bond, Space>{});
  REQUIRE(bond.size() == 3);
  CHECK(bond[2].name == "bond_embedding_list.2.weight");
  CHECK(bond[2].shape == std::vector<index_t>{2, 8});
  auto const emb = nn::state_entries(nn::Model<Emb, Space>{});
  REQUIRE(emb.size() == 1);
  CHECK(emb[0].name == "weight");
  CHECK(emb[0].shape == std::vector<index_t>{10, 6});
}

/// DeepSpeed: F.embedding counts 0; the tree is Encoder -> ModuleList -> Embedding(rows, dim).
template <class Space>
void counts_match() {
  auto const e = checks::check_counts<Emb, Space>("modules", "embedding");
  CHECK(e.counts() == profile::Counts{});
  auto const a = checks::check_counts<Atom, Space>("modules", "atom_encoder");
  CHECK(a.counts() == profile::Counts{});
  CHECK(a.type == "AtomEncoder");
  CHECK(a.at("atom_embedding_list").type == "ModuleList");
  CHECK(a.at("atom_embedding_list").children.size() == 9);
  CHECK(a.at("atom_embedding_list.0").type == "Embedding");
  CHECK(a.at("atom_embedding_list.0").extra_repr == "119, 8");
  CHECK(a.at("atom_embedding_list.0").own_params == 119 * 8);
}

template <class Space>
void round_trip() {
  checks::check_round_trip<Emb, Space>("modules", "embedding");
  checks::check_round_trip<Atom, Space>("modules", "atom_encoder");
}

/// Random init: U(-sqrt 3, sqrt 3) (unit variance, torch's N(0, 1) has it too), deterministic.
template <class Space>
void random_init_has_unit_variance() {
  auto const m = nn::Model<Atom, Space>::random(3);
  double sum = 0, sq = 0;
  index_t n = 0;
  for (auto const& t : m.tables) {
    for (float v : to_space<host>(t.weight).to_vector()) {
      CHECK(std::fabs(v) <= nn::embedding_init_bound);
      sum += v;
      sq += double{v} * v;
      ++n;
    }
  }
  REQUIRE(n == Atom::parameter_count);
  double const mean = sum / static_cast<double>(n), var = sq / static_cast<double>(n) - mean * mean;
  CHECK(std::fabs(mean) < 0.15);
  CHECK(std::fabs(var - 1.0) < 0.15);
  auto const again = nn::Model<Atom, Space>::random(3);
  CHECK(to_space<host>(again.tables[4].weight).to_vector() == to_space<host>(m.tables[4].weight).to_vector());
}

/// Named errors: an index out of range (too large, negative) is ops::embedding_sum's value_error
/// with the row, the column, the value and the table size; a wrong width is a shape_error naming
/// the module.
template <class Space>
void bad_input_is_named() {
  auto const g = load_module_golden("modules", "atom_encoder");
  auto const atom = golden_model<Atom, Space>(g);
  nn::GraphContext<Space> const ctx{};
  auto x = g.io.read_index<2>("x");  // [20, 9] host
  x(3, 0) = 119;                      // table 0 has 119 rows
  auto const bad = to_space<Space>(x);
  REQUIRE_THROWS_AS(atom.forward(bad.cview(), ctx), value_error);
  REQUIRE_THROWS_WITH(atom.forward(bad.cview(), ctx),
                      Catch::Contains("x[3, 0] = 119") && Catch::Contains("table 0 with 119 rows"));
  auto y = g.io.read_index<2>("x");
  y(5, 7) = -1;
  auto const negative = to_space<Space>(y);
  REQUIRE_THROWS_WITH(atom.forward(negative.cview(), ctx),
                      Catch::Contains("x[5, 7] = -1") && Catch::Contains("table 7 with 2 rows"));
  auto const narrow = to_space<Space>(Tensor<std::int64_t, 2, host>::zeros({4, 8}));
  REQUIRE_THROWS_AS(atom.forward(narrow.cview(), ctx), shape_error);
  REQUIRE_THROWS_WITH(atom.forward(narrow.cview(), ctx), Catch::Contains("AtomEncoder") && Catch::Contains("atom"));

  nn::Embedding<emb_10_6, Space> const emb;
  auto const big = to_space<Space>(Tensor<std::int64_t, 2, host>::filled({2, 1}, 10));
  REQUIRE_THROWS_WITH(emb.forward(big.cview(), ctx),
                      Catch::Contains("x[0, 0] = 10") && Catch::Contains("table 0 with 10 rows"));
  auto const two_cols = to_space<Space>(Tensor<std::int64_t, 2, host>::zeros({2, 2}));
  REQUIRE_THROWS_WITH(emb.forward(two_cols.cview(), ctx), Catch::Contains("Embedding"));

  nn::BondEncoder<8, Space> const bond;
  auto const bad_bond = to_space<Space>(Tensor<std::int64_t, 2, host>::filled({3, 3}, 5));
  REQUIRE_THROWS_WITH(bond.forward(bad_bond.cview(), ctx), Catch::Contains("table 0 with 5 rows"));
}

}  // namespace graphtx::test::embedding_cases
