// NaN and Inf: graphtx computes with them exactly as PyG does and never checks on its own; the
// optional check_finite names the first one. What PyG does, from its math (docs/pyg_semantics.md,
// Edge cases and Softmax):
//  - a NaN feature of node v makes v's own output NaN (the root term lin_skip(x_v)) and, through
//    softmax over neighbours, the whole output of every node v sends an edge to: its logit is NaN,
//    PyG's scatter-max propagates NaN, so every weight of that destination is NaN. LayerNorm then
//    spreads a NaN entry over the row. After L layers exactly the nodes within L hops downstream
//    of v are NaN; global mean pooling makes v's graph's prediction NaN. Edges never cross graphs,
//    so every other graph's prediction is untouched (bitwise: same shapes, same arithmetic).
//  - an Inf feature turns into NaN within the first layer (Inf - Inf in q.k, 0 * Inf, LayerNorm's
//    mean), so the same holds with "non-finite" for NaN.
//  - a NaN weight of a layer that runs makes every prediction NaN; one in the seed's never-run
//    trailing conv or LayerNorm (convs.L, lns.(L-1)) changes nothing, as in PyG.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <string>
#include <vector>

#include <graphtx/graphtx.hpp>

namespace {

namespace gx = graphtx;
using Catch::Contains;

float const nan_f = std::numeric_limits<float>::quiet_NaN();
float const inf_f = std::numeric_limits<float>::infinity();

// Seed structure (10 convs run, 9 LayerNorms run, the unused convs.10 and lns.9 built), small width.
constexpr gx::GraphTransformerConfig seed_shaped{.in = 9, .hidden = 32, .heads = 8, .num_conv_layers = 10};
constexpr gx::GraphTransformerConfig seed_shaped_textbook{
    .in = 9, .hidden = 32, .heads = 8, .num_conv_layers = 10, .attention = gx::nn::attention_algorithm::textbook};

gx::graph::Batch<gx::host> copy_batch(gx::graph::Batch<gx::host> const& b) {
  gx::graph::Batch<gx::host> c;
  c.x = b.x.clone();
  c.edge_attr = b.edge_attr.clone();
  c.csr = gx::graph::Csr<gx::host>{b.csr.offsets.clone(), b.csr.sources.clone(), b.csr.edge_ids.clone(),
                                   b.csr.num_src_nodes, b.csr.num_dst_nodes};
  c.batch = b.batch.clone();
  c.ptr = b.ptr.clone();
  c.num_graphs = b.num_graphs;
  return c;
}

bool bitwise_equal(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// Nodes reachable from `v` in at most `hops` steps along edge direction (source -> target).
std::vector<bool> downstream(gx::graph::Csr<gx::host> const& csr, gx::index_t v, int hops) {
  gx::index_t const n = csr.num_dst_nodes;
  std::vector<std::vector<gx::index_t>> out(static_cast<std::size_t>(n));
  for (gx::index_t i = 0; i < n; ++i) {
    for (auto p = csr.offsets(i); p < csr.offsets(i + 1); ++p) out[static_cast<std::size_t>(csr.sources(p))].push_back(i);
  }
  std::vector<int> dist(static_cast<std::size_t>(n), -1);
  std::deque<gx::index_t> queue{v};
  dist[static_cast<std::size_t>(v)] = 0;
  while (!queue.empty()) {
    auto u = queue.front();
    queue.pop_front();
    if (dist[static_cast<std::size_t>(u)] == hops) continue;
    for (auto w : out[static_cast<std::size_t>(u)]) {
      if (dist[static_cast<std::size_t>(w)] < 0) {
        dist[static_cast<std::size_t>(w)] = dist[static_cast<std::size_t>(u)] + 1;
        queue.push_back(w);
      }
    }
  }
  std::vector<bool> r(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < r.size(); ++i) r[i] = dist[i] >= 0;
  return r;
}

template <gx::GraphTransformerConfig Cfg>
void check_nan_feature_propagation() {
  using Model = gx::GraphTransformer<Cfg>;
  Model const model = Model::random(11);
  auto const clean = gx::graph::generate_molecule_batch(24, 4);
  auto const y_clean = model.forward(clean);
  auto const h_clean = model.node_forward(clean);
  REQUIRE(y_clean.size() == 24);
  for (float v : y_clean.to_vector()) REQUIRE(std::isfinite(v));

  gx::index_t const g = 7;
  gx::index_t const v = clean.ptr(g) + 1;  // the second atom of graph 7
  REQUIRE(clean.ptr(g + 1) - clean.ptr(g) >= 2);
  auto bad = copy_batch(clean);
  bad.x(v, 3) = nan_f;
  auto const y = model.forward(bad);
  auto const h = model.node_forward(bad);

  // Graph 7's prediction is NaN, every other prediction is bitwise the clean one.
  for (gx::index_t k = 0; k < 24; ++k) {
    INFO("graph " << k);
    if (k == g) {
      REQUIRE(std::isnan(y(k, 0)));
    } else {
      REQUIRE(bitwise_equal(y(k, 0), y_clean(k, 0)));
    }
  }
  // Node level: NaN exactly on the nodes within 10 hops downstream of v (whole rows), every
  // other row bitwise clean.
  auto const reach = downstream(bad.csr, v, Cfg.num_conv_layers);
  gx::index_t nan_rows = 0;
  for (gx::index_t i = 0; i < bad.num_nodes(); ++i) {
    INFO("node " << i << " (reachable from " << v << ": " << reach[static_cast<std::size_t>(i)] << ")");
    for (gx::index_t c = 0; c < Cfg.hidden; ++c) {
      if (reach[static_cast<std::size_t>(i)]) {
        REQUIRE(std::isnan(h(i, c)));
      } else {
        REQUIRE(bitwise_equal(h(i, c), h_clean(i, c)));
      }
    }
    nan_rows += reach[static_cast<std::size_t>(i)] ? 1 : 0;
  }
  REQUIRE(nan_rows >= 2);  // v and at least one neighbour: the test exercises propagation
}

}  // namespace

TEST_CASE("a NaN node feature propagates as in PyG: downstream nodes and its own graph only",
          "[reliability][nonfinite]") {
  SECTION("folded attention (the seed model's algorithm)") { check_nan_feature_propagation<seed_shaped>(); }
  SECTION("textbook attention") { check_nan_feature_propagation<seed_shaped_textbook>(); }
}

TEST_CASE("an Inf node feature makes its graph's prediction non-finite and leaves the others bitwise",
          "[reliability][nonfinite]") {
  using Model = gx::GraphTransformer<seed_shaped>;
  Model const model = Model::random(12);
  auto const clean = gx::graph::generate_molecule_batch(12, 5);
  auto const y_clean = model.forward(clean);
  for (float sign : {1.0f, -1.0f}) {
    auto bad = copy_batch(clean);
    bad.x(clean.ptr(3), 0) = sign * inf_f;
    auto const y = model.forward(bad);
    for (gx::index_t k = 0; k < 12; ++k) {
      INFO("graph " << k << ", Inf sign " << sign);
      if (k == 3) {
        REQUIRE_FALSE(std::isfinite(y(k, 0)));
      } else {
        REQUIRE(bitwise_equal(y(k, 0), y_clean(k, 0)));
      }
    }
  }
}

TEST_CASE("a NaN weight poisons every prediction, except in the seed's never-run trailing layers",
          "[reliability][nonfinite]") {
  using Model = gx::GraphTransformer<seed_shaped>;
  auto const batch = gx::graph::generate_molecule_batch(8, 6);
  auto const y_clean = Model::random(13).forward(batch);

  SECTION("lns.0.weight[5] = NaN: every graph's prediction is NaN") {
    Model m = Model::random(13);
    m.get<"lns">().item<0>().weight(5) = nan_f;
    auto const y = m.forward(batch);
    for (float v : y.to_vector()) REQUIRE(std::isnan(v));
  }
  SECTION("post_mp.0.bias = Inf: every prediction is Inf") {
    Model m = Model::random(13);
    m.get<"post_mp">().item<0>().bias(0) = inf_f;
    auto const y = m.forward(batch);
    for (float v : y.to_vector()) REQUIRE(v == inf_f);
  }
  SECTION("convs.10 and lns.9 (built, loaded, never run) full of NaN: output bitwise unchanged") {
    Model m = Model::random(13);
    auto& trailing = m.get<"convs">().item<10>().inner;  // convs.10 (an Unused slot)
    for (auto* w : {&trailing.lin_key.weight, &trailing.lin_query.weight, &trailing.lin_value.weight}) {
      for (gx::index_t i = 0; i < w->size(); ++i) w->data()[i] = nan_f;
    }
    trailing.prepare();
    m.get<"lns">().item<9>().inner.weight(0) = nan_f;  // lns.9 (an Unused slot)
    auto const y = m.forward(batch);
    REQUIRE(std::memcmp(y.data(), y_clean.data(), y.size_bytes()) == 0);
  }
}

TEST_CASE("check_finite names the tensor, the position and the value of the first NaN or Inf",
          "[reliability][nonfinite]") {
  auto x = gx::Tensor<float, 2>::filled({4, 9}, 1.0f);
  REQUIRE_NOTHROW(gx::check_finite(x, "x"));
  x(3, 7) = nan_f;
  x(3, 8) = inf_f;
  REQUIRE_THROWS_MATCHES(gx::check_finite(x, "graph.safetensors: x"), gx::value_error,
                         Catch::Matchers::Message("graph.safetensors: x: row 3, column 7 is nan (the first non-finite "
                                                  "value of shape [4, 9])"));
  x(2, 0) = -inf_f;
  REQUIRE_THROWS_WITH(gx::check_finite(x.cview(), "x"), Contains("row 2, column 0 is -inf"));
  auto v = gx::Tensor<double, 1>::filled({5}, 0.5);
  v(4) = std::numeric_limits<double>::infinity();
  REQUIRE_THROWS_WITH(gx::check_finite(v, "bias"), Contains("bias: element 4 is inf"));
  gx::Tensor<float, 3> t = gx::Tensor<float, 3>::filled({2, 3, 4}, 0.0f);
  t(1, 2, 3) = nan_f;
  REQUIRE_THROWS_WITH(gx::check_finite(t, "t"), Contains("t: index [1, 2, 3] is nan"));
  gx::Tensor<float, 2> empty({0, 9});
  REQUIRE_NOTHROW(gx::check_finite(empty, "empty"));
}

TEST_CASE("io::check_finite scans every floating-point tensor of a file without converting it",
          "[reliability][nonfinite]") {
  auto w = gx::Tensor<float, 2>::filled({2, 3}, 0.25f);
  auto d = gx::Tensor<double, 1>::filled({4}, 1.0);
  auto i = gx::Tensor<std::int64_t, 1>::filled({3}, -1);  // all-ones bits: an integer is never "NaN"
  auto make = [&] {
    gx::io::SafetensorsWriter out;
    out.add<float, 2>("lin.weight", w.cview());
    out.add<double, 1>("scale", d.cview());
    out.add<std::int64_t, 1>("ids", i.cview());
    return gx::io::SafetensorsFile::from_bytes(out.to_bytes(), "model.safetensors");
  };
  REQUIRE_NOTHROW(gx::io::check_finite(make()));
  d(2) = -std::numeric_limits<double>::infinity();
  REQUIRE_THROWS_MATCHES(gx::io::check_finite(make()), gx::value_error,
                         Catch::Matchers::Message("model.safetensors: tensor \"scale\": element 2 is -inf (F64, shape "
                                                  "[4]; the first non-finite value of the file)"));
  d(2) = 0;
  w(1, 0) = nan_f;
  REQUIRE_THROWS_WITH(gx::io::check_finite(make()), Contains("tensor \"lin.weight\": row 1, column 0 is nan (F32"));

  // F16 and BF16 by their bit patterns: 0x7e00 is a half NaN, 0xff80 a bfloat16 -Inf, 0x7bff the
  // largest finite half.
  auto half = [](std::vector<std::uint16_t> bits, gx::dtype type) {
    gx::io::SafetensorsWriter out;
    out.add_raw("h", type, {static_cast<gx::index_t>(bits.size())},
                std::span<std::byte const>(reinterpret_cast<std::byte const*>(bits.data()), bits.size() * 2));
    return gx::io::SafetensorsFile::from_bytes(out.to_bytes(), "half.safetensors");
  };
  REQUIRE_NOTHROW(gx::io::check_finite(half({0x3c00, 0x7bff, 0xfbff}, gx::dtype::f16)));
  REQUIRE_THROWS_WITH(gx::io::check_finite(half({0x3c00, 0x7e00}, gx::dtype::f16)), Contains("element 1 is nan (F16"));
  REQUIRE_THROWS_WITH(gx::io::check_finite(half({0x3f80, 0x7f7f, 0xff80}, gx::dtype::bf16)),
                      Contains("element 2 is -inf (BF16"));
}
