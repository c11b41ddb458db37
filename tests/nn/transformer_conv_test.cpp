// nn::TransformerConv against real PyG: every constructor option alone and combined, and the edge
// cases of docs/pyg_semantics.md (Edge cases), from goldens made by tools/make_goldens.py. Each case checks
//   - graphtx (float32, host textbook path) vs PyG float32: out and alpha, rtol 1e-4 / atol 1e-5;
//   - the independent double reference (tests/support/reference_conv.hpp) vs PyG float64:
//     rtol 1e-9 / atol 1e-12 (both compute in double from the same float weights and inputs, so
//     only summation order differs);
//   - graphtx float32 vs the double reference at the fp32 tolerance.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <graphtx/graph/convert.hpp>
#include <graphtx/io/safetensors.hpp>
#include <graphtx/nn/detail/in_degree_split.hpp>
#include <graphtx/nn/transformer_conv.hpp>

#include "support/compare.hpp"
#include "support/golden.hpp"
#include "support/random.hpp"
#include "support/reference_conv.hpp"

namespace gx = graphtx;
using gx::nn::TransformerConvConfig;
using gx::test::Tolerance;

namespace {

constexpr Tolerance f64_vs_pyg_f64{1e-9, 1e-12};

template <TransformerConvConfig Cfg>
void check_conv_golden(std::string const& name) {
  INFO("golden conv/" << name);
  auto g = gx::test::load_golden("conv", name);
  // The compile-time config must be the one PyG built the golden with.
  REQUIRE(g.meta_int("in_src") == Cfg.f_src());
  REQUIRE(g.meta_int("in_dst") == Cfg.f_dst());
  REQUIRE(g.meta_int("out") == Cfg.out);
  REQUIRE(g.meta_int("heads") == Cfg.heads);
  REQUIRE(g.meta_bool("concat") == Cfg.concat);
  REQUIRE(g.meta_bool("beta") == Cfg.beta);
  REQUIRE(g.meta_int("edge_dim") == Cfg.edge_dim);
  REQUIRE(g.meta_bool("bias") == Cfg.bias);
  REQUIRE(g.meta_bool("root_weight") == Cfg.root_weight);

  using Conv = gx::nn::TransformerConv<Cfg>;
  Conv const conv = Conv::load(g.weights);  // strict: every key, no extra key

  bool const bipartite = g.meta_bool("bipartite");
  gx::Tensor<float, 2> x_src = g.io.read<float, 2>(bipartite ? "x_src" : "x");
  gx::Tensor<float, 2> x_dst = bipartite ? g.io.read<float, 2>("x_dst") : x_src.clone();
  gx::Tensor<std::int64_t, 2> edge_index = g.io.read<std::int64_t, 2>("edge_index");
  gx::Tensor<float, 2> edge_attr;
  if constexpr (Cfg.edge_dim > 0) edge_attr = g.io.read<float, 2>("edge_attr");

  auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(edge_index.cview(), x_src.extent(0), x_dst.extent(0)));
  gx::Tensor<float, 2> alpha_csr;
  gx::Tensor<float, 2> out = Cfg.uses_folded()
                                 ? conv.forward(x_src.cview(), x_dst.cview(), csr, edge_attr.cview())
                                 : conv.forward(x_src.cview(), x_dst.cview(), csr, edge_attr.cview(), &alpha_csr);

  auto expected = g.io.read<float, 2>("out");
  GRAPHTX_REQUIRE_CLOSE(out.cview(), expected.cview(), gx::test::pyg_fp32);
  if constexpr (!Cfg.uses_folded()) {  // the folded algorithm never materialises alpha
    auto alpha = gx::nn::attention_weights_coo(alpha_csr.cview(), csr);
    GRAPHTX_REQUIRE_CLOSE(alpha.cview(), g.io.read<float, 2>("alpha").cview(), gx::test::pyg_fp32);
  }

  auto xs64 = gx::test::convert<double>(x_src.cview());
  auto xd64 = gx::test::convert<double>(x_dst.cview());
  auto ea64 = gx::test::convert<double>(edge_attr.cview());
  auto ref = gx::test::reference_transformer_conv(conv, xs64.cview(), xd64.cview(), edge_index.cview(), ea64.cview());
  GRAPHTX_REQUIRE_CLOSE(ref.out.cview(), g.io.read<double, 2>("out_f64").cview(), f64_vs_pyg_f64);
  GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.out.cview(), gx::test::pyg_fp32);
}

template <TransformerConvConfig Cfg>
constexpr TransformerConvConfig folded_variant() {
  TransformerConvConfig c = Cfg;
  c.attention = gx::nn::attention_algorithm::folded;
  return c;
}

// Every golden through the textbook path and, where folding is exact (no edge features), through
// the folded one as well: same files, same tolerances.
template <TransformerConvConfig Cfg>
void check_conv_golden_all_algorithms(std::string const& name) {
  check_conv_golden<Cfg>(name);
  if constexpr (!Cfg.uses_edge()) {
    INFO("folded algorithm");
    check_conv_golden<folded_variant<Cfg>()>(name);
  }
}

// Configurations of the goldens (tools/make_goldens.py builds the same ones in PyG).
constexpr TransformerConvConfig basic{.in = 8, .out = 4, .heads = 1};
constexpr TransformerConvConfig heads_concat{.in = 8, .out = 4, .heads = 3};
constexpr TransformerConvConfig heads_mean{.in = 8, .out = 4, .heads = 3, .concat = false};
constexpr TransformerConvConfig beta_concat{.in = 8, .out = 4, .heads = 2, .concat = true, .beta = true};
constexpr TransformerConvConfig beta_mean{.in = 8, .out = 4, .heads = 2, .concat = false, .beta = true};
constexpr TransformerConvConfig no_root{.in = 8, .out = 4, .heads = 2, .root_weight = false};
constexpr TransformerConvConfig edge_dim_concat{.in = 8, .out = 4, .heads = 2, .edge_dim = 5};
constexpr TransformerConvConfig edge_dim_mean{.in = 8, .out = 4, .heads = 2, .concat = false, .edge_dim = 3};
constexpr TransformerConvConfig no_bias{.in = 8, .out = 4, .heads = 2, .bias = false};
constexpr TransformerConvConfig bipartite{.in = 6, .out = 4, .heads = 2, .in_dst = 8};
constexpr TransformerConvConfig bipartite_all{
    .in = 6, .out = 4, .heads = 2, .concat = false, .beta = true, .edge_dim = 3, .bias = false, .in_dst = 8};
constexpr TransformerConvConfig all_concat{
    .in = 8, .out = 4, .heads = 4, .concat = true, .beta = true, .edge_dim = 2, .bias = true, .root_weight = true};
constexpr TransformerConvConfig beta_no_root{.in = 8, .out = 4, .heads = 2, .beta = true, .root_weight = false};
constexpr TransformerConvConfig edge_case{.in = 8, .out = 4, .heads = 2, .concat = false};

}  // namespace

TEST_CASE("TransformerConv matches PyG for every constructor option", "[nn][transformer_conv][pyg]") {
  SECTION("basic: heads=1, concat") { check_conv_golden_all_algorithms<basic>("basic"); }
  SECTION("heads=3, concat") { check_conv_golden_all_algorithms<heads_concat>("heads_concat"); }
  SECTION("heads=3, mean over heads") { check_conv_golden_all_algorithms<heads_mean>("heads_mean"); }
  SECTION("beta gate, concat") { check_conv_golden_all_algorithms<beta_concat>("beta_concat"); }
  SECTION("beta gate, mean") { check_conv_golden_all_algorithms<beta_mean>("beta_mean"); }
  SECTION("root_weight=False") { check_conv_golden_all_algorithms<no_root>("no_root"); }
  SECTION("edge_dim, concat") { check_conv_golden_all_algorithms<edge_dim_concat>("edge_dim_concat"); }
  SECTION("edge_dim, mean") { check_conv_golden_all_algorithms<edge_dim_mean>("edge_dim_mean"); }
  SECTION("bias=False") { check_conv_golden_all_algorithms<no_bias>("no_bias"); }
  SECTION("bipartite (x_src, x_dst)") { check_conv_golden_all_algorithms<bipartite>("bipartite"); }
  SECTION("bipartite with beta, edge_dim, mean, no bias") { check_conv_golden_all_algorithms<bipartite_all>("bipartite_all"); }
  SECTION("all options, concat") { check_conv_golden_all_algorithms<all_concat>("all_concat"); }
  SECTION("beta without root_weight: PyG drops the gate") { check_conv_golden_all_algorithms<beta_no_root>("beta_no_root"); }
}

TEST_CASE("TransformerConv matches PyG on graph edge cases", "[nn][transformer_conv][pyg][edge_cases]") {
  SECTION("isolated nodes get only the root term") { check_conv_golden_all_algorithms<edge_case>("isolated_nodes"); }
  SECTION("self-loops are ordinary edges") { check_conv_golden_all_algorithms<edge_case>("self_loops"); }
  SECTION("duplicate edges are separate softmax terms") { check_conv_golden_all_algorithms<edge_case>("duplicate_edges"); }
  SECTION("a node of in-degree 500") { check_conv_golden_all_algorithms<edge_case>("hub500"); }
  SECTION("a graph with no edges") { check_conv_golden_all_algorithms<edge_case>("no_edges"); }
  SECTION("N = 0") { check_conv_golden_all_algorithms<edge_case>("empty"); }
}

TEST_CASE("TransformerConv host path matches the double reference on random graphs", "[nn][transformer_conv]") {
  // Wider than the goldens: H = 8, C = 16, hub and isolated nodes, duplicate edges, self-loops.
  constexpr TransformerConvConfig cfg{.in = 24, .out = 16, .heads = 8, .concat = false, .beta = true, .edge_dim = 4};
  gx::test::rng_t rng(42);
  gx::nn::TransformerConv<cfg> conv;
  gx::nn::RandomWeights wrng(3);
  gx::nn::init_random(conv, wrng);
  gx::index_t const n = 60, e = 400;
  auto x = gx::test::random_normal<float, 2>(rng, {n, 24});
  auto edge_attr = gx::test::random_normal<float, 2>(rng, {e, 4});
  gx::Tensor<std::int64_t, 2> edge_index({2, e});
  std::uniform_int_distribution<int> node(0, n - 11);  // targets never reach nodes n-10 .. n-1: no in-edges
  for (gx::index_t i = 0; i < e; ++i) {
    edge_index(0, i) = node(rng) + 10;
    edge_index(1, i) = i < 150 ? 0 : node(rng);  // node 0 is a hub of in-degree >= 150
  }
  auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(edge_index.cview(), n, n));
  auto out = conv.forward(x.cview(), csr, edge_attr.cview());
  auto x64 = gx::test::convert<double>(x.cview());
  auto ea64 = gx::test::convert<double>(edge_attr.cview());
  auto ref = gx::test::reference_transformer_conv(conv, x64.cview(), x64.cview(), edge_index.cview(), ea64.cview());
  // fp32 GEMMs with K = 24 and 150-term softmax sums: 1e-4 relative is ample, 1e-5 absolute.
  GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.out.cview(), (Tolerance{1e-4, 1e-5}));
}

TEST_CASE("folded TransformerConv matches the textbook path on random graphs, every foldable option", "[nn][transformer_conv][folded]") {
  // Same weights, same graph (hub of in-degree >= 150, nodes without in-edges, bipartite sizes):
  // folded vs textbook, both fp32. They differ only in rounding: the folded logits sum over F
  // products of the folded query instead of C products of q and k.
  gx::test::rng_t rng(77);
  auto run = [&]<TransformerConvConfig Cfg>() {
    constexpr TransformerConvConfig folded_cfg = folded_variant<Cfg>();
    gx::nn::TransformerConv<Cfg> textbook;
    gx::nn::RandomWeights wrng(9);
    gx::nn::init_random(textbook, wrng);
    gx::io::StateDictWriter sd;
    gx::nn::save_state(textbook, sd);
    auto folded = gx::nn::TransformerConv<folded_cfg>::load(gx::io::SafetensorsFile::from_bytes(sd.to_bytes(), "w"));
    gx::index_t const ns = 50, nd = 40, e = 300;
    auto xs = gx::test::random_normal<float, 2>(rng, {ns, Cfg.f_src()});
    auto xd = gx::test::random_normal<float, 2>(rng, {nd, Cfg.f_dst()});
    gx::Tensor<std::int64_t, 2> ei({2, e});
    std::uniform_int_distribution<int> s(0, ns - 1), d(0, nd - 8);
    for (gx::index_t k = 0; k < e; ++k) {
      ei(0, k) = s(rng);
      ei(1, k) = k < 150 ? 3 : d(rng);
    }
    auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), ns, nd));
    auto a = textbook.forward(xs.cview(), xd.cview(), csr);
    auto b = folded.forward(xs.cview(), xd.cview(), csr);
    INFO("heads " << Cfg.heads << " concat " << Cfg.concat << " beta " << Cfg.beta << " bias " << Cfg.bias);
    GRAPHTX_REQUIRE_CLOSE(b.cview(), a.cview(), (Tolerance{1e-4, 1e-5}));
  };
  run.operator()<TransformerConvConfig{.in = 12, .out = 16, .heads = 4, .concat = false}>();
  run.operator()<TransformerConvConfig{.in = 12, .out = 16, .heads = 4, .concat = true}>();
  run.operator()<TransformerConvConfig{.in = 12, .out = 8, .heads = 3, .concat = false, .beta = true, .bias = false}>();
  run.operator()<TransformerConvConfig{.in = 6, .out = 8, .heads = 2, .concat = true, .beta = true, .in_dst = 10}>();
  run.operator()<TransformerConvConfig{.in = 32, .out = 8, .heads = 2, .root_weight = false}>();  // F > C still exact
}

namespace {

/// A random graph whose destinations have in-degree 0 (10%), 1 (40%: the single-edge shortcut),
/// 2 or 3 (35%) or 4..12 (15%); sources uniform, so duplicate edges and self-loops occur.
gx::Tensor<std::int64_t, 2> mixed_degree_edges(gx::test::rng_t& rng, gx::index_t ns, gx::index_t nd) {
  std::vector<std::int64_t> src, dst;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<std::int64_t> pick(0, ns - 1);
  for (gx::index_t i = 0; i < nd; ++i) {
    double const r = u(rng);
    int const deg = r < 0.10 ? 0 : r < 0.50 ? 1 : r < 0.85 ? 2 + static_cast<int>(u(rng) * 2) : 4 + static_cast<int>(u(rng) * 9);
    for (int k = 0; k < deg; ++k) {
      src.push_back(pick(rng));
      dst.push_back(i);
    }
  }
  std::shuffle(src.begin(), src.end(), rng);  // edge order unrelated to destination order
  auto const e = static_cast<gx::index_t>(src.size());
  gx::Tensor<std::int64_t, 2> ei({2, e});
  for (gx::index_t k = 0; k < e; ++k) {
    ei(0, k) = src[static_cast<std::size_t>(k)];
    ei(1, k) = dst[static_cast<std::size_t>(k)];
  }
  return ei;
}

template <TransformerConvConfig Cfg>
constexpr TransformerConvConfig without_shortcut() {
  TransformerConvConfig c = folded_variant<Cfg>();
  c.single_edge_shortcut = false;
  return c;
}

}  // namespace

TEST_CASE("folded TransformerConv's single-edge shortcut matches the textbook path, every foldable option",
          "[nn][transformer_conv][folded][single_edge]") {
  // Destinations with one in-edge skip the query GEMM and the edge phase (their softmax is exactly
  // 1); the rest take the general folded path on a compacted row set. Textbook, folded with and
  // without the shortcut, same weights and graph, all fp32: equal up to rounding.
  gx::test::rng_t rng(4242);
  auto run = [&]<TransformerConvConfig Cfg>() {
    INFO("heads " << Cfg.heads << " concat " << Cfg.concat << " beta " << Cfg.beta << " bias " << Cfg.bias
                  << " root_weight " << Cfg.root_weight << " in_dst " << Cfg.in_dst);
    static_assert(gx::nn::TransformerConv<folded_variant<Cfg>()>::uses_single_edge_shortcut);
    static_assert(!gx::nn::TransformerConv<without_shortcut<Cfg>()>::uses_single_edge_shortcut);
    gx::nn::TransformerConv<Cfg> textbook;
    gx::nn::RandomWeights wrng(21);
    gx::nn::init_random(textbook, wrng);
    gx::io::StateDictWriter sd;
    gx::nn::save_state(textbook, sd);
    auto const bytes = sd.to_bytes();
    auto shortcut = gx::nn::TransformerConv<folded_variant<Cfg>()>::load(gx::io::SafetensorsFile::from_bytes(bytes, "w"));
    auto general = gx::nn::TransformerConv<without_shortcut<Cfg>()>::load(gx::io::SafetensorsFile::from_bytes(bytes, "w"));
    gx::index_t const ns = 70, nd = 90;
    auto xs = gx::test::random_normal<float, 2>(rng, {ns, Cfg.f_src()});
    auto xd = Cfg.in_dst > 0 ? gx::test::random_normal<float, 2>(rng, {nd, Cfg.f_dst()}) : xs.clone();
    gx::index_t const n_dst = Cfg.in_dst > 0 ? nd : ns;
    auto ei = mixed_degree_edges(rng, ns, n_dst);
    auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), ns, n_dst));
    // The graph has every class: no in-edge, one in-edge, several.
    auto const split = gx::detail::split_by_in_degree(xs.cview(), xd.cview(), csr);
    REQUIRE(split.num_single() >= 10);
    REQUIRE(split.num_multi() >= 10);
    REQUIRE(split.num_single() + split.num_multi() < n_dst);
    auto a = textbook.forward(xs.cview(), xd.cview(), csr);
    auto b = shortcut.forward(xs.cview(), xd.cview(), csr);
    auto c = general.forward(xs.cview(), xd.cview(), csr);
    GRAPHTX_REQUIRE_CLOSE(b.cview(), a.cview(), (Tolerance{1e-4, 1e-5}));
    GRAPHTX_REQUIRE_CLOSE(b.cview(), c.cview(), (Tolerance{1e-4, 1e-5}));
  };
  run.operator()<TransformerConvConfig{.in = 12, .out = 16, .heads = 4, .concat = false}>();
  run.operator()<TransformerConvConfig{.in = 12, .out = 16, .heads = 4, .concat = true}>();
  run.operator()<TransformerConvConfig{.in = 12, .out = 8, .heads = 3, .concat = false, .beta = true, .bias = false}>();
  run.operator()<TransformerConvConfig{.in = 6, .out = 8, .heads = 2, .concat = true, .beta = true, .in_dst = 10}>();
  run.operator()<TransformerConvConfig{.in = 6, .out = 8, .heads = 2, .concat = false, .in_dst = 10}>();
  run.operator()<TransformerConvConfig{.in = 32, .out = 8, .heads = 2, .root_weight = false}>();
  run.operator()<TransformerConvConfig{.in = 16, .out = 16, .heads = 1, .concat = false, .root_weight = false}>();
}

TEST_CASE("the single-edge shortcut gives PyG's NaN message when the query or key is not finite",
          "[nn][transformer_conv][folded][single_edge][nonfinite]") {
  // root_weight=False, so the output is the message alone. Node 1's only in-edge comes from node 0
  // (NaN feature: NaN key), node 3's from node 2 (finite) but node 3 has an Inf feature (Inf query),
  // node 5's from node 4 (finite both): PyG's softmax gives NaN weights for nodes 1 and 3 and
  // exactly 1 for node 5. Node 6 has in-degree 2 from finite nodes; node 0 none.
  constexpr TransformerConvConfig cfg{.in = 8, .out = 4, .heads = 3, .concat = false, .root_weight = false};
  gx::nn::TransformerConv<cfg> textbook;
  gx::nn::RandomWeights wrng(5);
  gx::nn::init_random(textbook, wrng);
  gx::io::StateDictWriter sd;
  gx::nn::save_state(textbook, sd);
  auto shortcut = gx::nn::TransformerConv<folded_variant<cfg>()>::load(gx::io::SafetensorsFile::from_bytes(sd.to_bytes(), "w"));
  gx::test::rng_t rng(8);
  auto x = gx::test::random_normal<float, 2>(rng, {7, 8});
  x(0, 2) = std::numeric_limits<float>::quiet_NaN();
  x(3, 5) = std::numeric_limits<float>::infinity();
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 5}, {0, 2, 4, 4, 5,  //
                                                      1, 3, 5, 6, 6});
  auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), 7, 7));
  auto const split = gx::detail::split_by_in_degree(x.cview(), x.cview(), csr);
  REQUIRE(split.num_single() == 3);
  REQUIRE(split.single_nan_rows == std::vector<std::int32_t>{1, 3});
  auto a = textbook.forward(x.cview(), csr);
  auto b = shortcut.forward(x.cview(), csr);
  for (gx::index_t i = 0; i < 7; ++i) {
    for (gx::index_t c = 0; c < 4; ++c) {
      INFO("node " << i << ", channel " << c << ": textbook " << a(i, c) << ", shortcut " << b(i, c));
      bool const nan_expected = i == 1 || i == 3;
      REQUIRE(std::isnan(a(i, c)) == nan_expected);
      REQUIRE(std::isnan(b(i, c)) == nan_expected);
      if (!nan_expected) REQUIRE(std::abs(b(i, c) - a(i, c)) <= 1e-5f + 1e-4f * std::abs(a(i, c)));
    }
  }
}

TEST_CASE("the folded algorithm refuses to return attention weights", "[nn][transformer_conv][folded][errors]") {
  constexpr TransformerConvConfig cfg{.in = 4, .out = 4, .heads = 2, .attention = gx::nn::attention_algorithm::folded};
  gx::nn::TransformerConv<cfg> conv;
  gx::nn::RandomWeights wrng(2);
  gx::nn::init_random(conv, wrng);
  auto x = gx::Tensor<float, 2>::zeros({3, 4});
  auto ei = gx::Tensor<std::int64_t, 2>::from({2, 2}, {0, 1, 1, 2});
  auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), 3, 3));
  gx::Tensor<float, 2> alpha;
  REQUIRE_THROWS_WITH(conv.forward(x.cview(), x.cview(), csr, {}, &alpha), Catch::Contains("use attention_algorithm::textbook"));
  STATIC_REQUIRE(gx::nn::TransformerConvConfig{.in = 9, .out = 256, .heads = 32,
                                               .attention = gx::nn::attention_algorithm::automatic}.uses_folded());
  STATIC_REQUIRE(!gx::nn::TransformerConvConfig{.in = 9, .out = 256, .heads = 32, .edge_dim = 3,
                                                .attention = gx::nn::attention_algorithm::automatic}.uses_folded());
}

TEST_CASE("TransformerConv rejects inputs that do not fit its config", "[nn][transformer_conv][errors]") {
  constexpr TransformerConvConfig cfg{.in = 8, .out = 4, .heads = 2};
  constexpr TransformerConvConfig edge_cfg{.in = 8, .out = 4, .heads = 2, .edge_dim = 3};
  gx::nn::RandomWeights wrng(1);
  gx::nn::TransformerConv<cfg> conv;
  gx::nn::init_random(conv, wrng);
  gx::nn::TransformerConv<edge_cfg> edge_conv;
  gx::nn::init_random(edge_conv, wrng);
  auto edge_index = gx::Tensor<std::int64_t, 2>::from({2, 3}, {0, 1, 2, 1, 2, 0});
  auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(edge_index.cview(), 3, 3));

  auto x_wide = gx::Tensor<float, 2>::zeros({3, 9});
  REQUIRE_THROWS_WITH(conv.forward(x_wide.cview(), csr),
                      Catch::Contains("x_src") && Catch::Contains("extent 9") && Catch::Contains("expected 8"));
  auto x_rows = gx::Tensor<float, 2>::zeros({4, 8});
  REQUIRE_THROWS_WITH(conv.forward(x_rows.cview(), csr), Catch::Contains("rows") && Catch::Contains("expected 3"));
  auto x = gx::Tensor<float, 2>::zeros({3, 8});
  auto ea = gx::Tensor<float, 2>::zeros({3, 3});
  REQUIRE_THROWS_WITH(conv.forward(x.cview(), csr, ea.cview()), Catch::Contains(".edge_dim = 0"));
  REQUIRE_THROWS_AS(edge_conv.forward(x.cview(), csr), gx::shape_error);  // edge_attr missing
  auto ea_bad = gx::Tensor<float, 2>::zeros({3, 2});
  REQUIRE_THROWS_WITH(edge_conv.forward(x.cview(), csr, ea_bad.cview()), Catch::Contains("edge_attr (.edge_dim)"));
}

TEST_CASE("TransformerConv state_dict loading names the bad key", "[nn][transformer_conv][io][errors]") {
  constexpr TransformerConvConfig cfg{.in = 8, .out = 4, .heads = 2};
  using Conv = gx::nn::TransformerConv<cfg>;
  gx::nn::RandomWeights wrng(5);
  Conv conv;
  gx::nn::init_random(conv, wrng);

  SECTION("round trip through safetensors keeps every parameter") {
    gx::io::StateDictWriter sd;
    gx::nn::save_state(conv, sd);
    auto file = gx::io::SafetensorsFile::from_bytes(sd.to_bytes(), "conv.safetensors");
    Conv back = Conv::load(file);
    REQUIRE(back.lin_key.weight.to_vector() == conv.lin_key.weight.to_vector());
    REQUIRE(back.lin_skip.bias.to_vector() == conv.lin_skip.bias.to_vector());
  }
  SECTION("missing key") {
    gx::io::SafetensorsWriter w;
    w.add<float, 2>("lin_key.weight", conv.lin_key.weight.cview());
    auto file = gx::io::SafetensorsFile::from_bytes(w.to_bytes(), "conv.safetensors");
    REQUIRE_THROWS_WITH(Conv::load(file), Catch::Contains("conv.safetensors") && Catch::Contains("missing key") &&
                                              Catch::Contains("lin_key.bias"));
  }
  SECTION("unexpected key") {
    gx::io::StateDictWriter sd;
    gx::nn::save_state(conv, sd);
    sd.put("lin_edge.weight", gx::Tensor<float, 2>::zeros({8, 3}));
    auto file = gx::io::SafetensorsFile::from_bytes(sd.to_bytes(), "conv.safetensors");
    REQUIRE_THROWS_WITH(Conv::load(file), Catch::Contains("unexpected key") && Catch::Contains("lin_edge.weight"));
  }
  SECTION("wrong shape") {
    gx::io::StateDictWriter sd;
    sd.put("lin_key.weight", gx::Tensor<float, 2>::zeros({8, 7}));
    auto file = gx::io::SafetensorsFile::from_bytes(sd.to_bytes(), "conv.safetensors");
    REQUIRE_THROWS_WITH(Conv::load(file), Catch::Contains("lin_key.weight has shape [8, 7], expected [8, 8]"));
  }
  SECTION("wrong dtype") {
    gx::io::SafetensorsWriter w;
    auto w64 = gx::Tensor<double, 2>::zeros({8, 8});
    w.add<double, 2>("lin_key.weight", w64.cview());
    auto file = gx::io::SafetensorsFile::from_bytes(w.to_bytes(), "conv.safetensors");
    REQUIRE_THROWS_WITH(Conv::load(file), Catch::Contains("lin_key.weight has dtype F64, expected F32"));
  }
}
