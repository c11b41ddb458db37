// The composition templates (nn/containers.hpp) and what nn::Model derives from them alone:
// PyG's state_dict names (fields, Sequential/ModuleList positions with parameter-free slots),
// strict load and save, parameter counts, DeepSpeed's tree and counts (static == profiled), random
// init, copy between spaces, Unused slots, Residual, Zip and readouts. Values are checked against
// hand computations with the ops the layers are made of.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <graphtx/graphtx.hpp>

#include "support/compare.hpp"

namespace gx = graphtx;
namespace nn = graphtx::nn;
using gx::index_t;

namespace {

constexpr nn::LinearConfig lin_4_8{.in = 4, .out = 8};
constexpr nn::LinearConfig lin_8_8{.in = 8, .out = 8};
constexpr nn::LinearConfig lin_8_2{.in = 8, .out = 2, .bias = false};
constexpr nn::LayerNormConfig ln_8{.features = 8};

// torch.nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 2, bias=False)): keys 0.*, 2.*; slot 1 is ReLU.
using Mlp = nn::Sequential<nn::Linear<lin_4_8>, nn::ReLU<>, nn::Linear<lin_8_2>>;

// class Net(torch.nn.Module): lin, F.relu, a ModuleList with a never-run slot, mean pool, head.
using Net = nn::Module<"Net",
                       nn::Field<"lin", nn::Linear<lin_4_8>>,
                       nn::Apply<nn::ReLU<>>,
                       nn::Field<"blocks", nn::ModuleList<nn::Residual<nn::Linear<lin_8_8>>, nn::LayerNorm<ln_8>,
                                                          nn::Unused<nn::Linear<lin_8_8>>>>,
                       nn::Apply<nn::GlobalMeanPool<>>,
                       nn::Field<"head", nn::Sequential<nn::Linear<lin_8_2>>>>;

static_assert(nn::Layer<nn::Linear<lin_4_8>>);
static_assert(nn::Layer<nn::LayerNorm<ln_8>>);
static_assert(nn::Layer<nn::ReLU<>>);
static_assert(nn::Layer<nn::Dropout<nn::DropoutConfig{.p = 0.5f}>>);
static_assert(nn::Layer<nn::GlobalAddPool<>>);
static_assert(nn::Layer<nn::TransformerConv<nn::TransformerConvConfig{.in = 4, .out = 2, .heads = 2}>>);
static_assert(nn::Layer<Mlp> && nn::Layer<Net>);
static_assert(Mlp::in_width == 4 && Mlp::out_width == 2);
static_assert(Net::in_width == 4 && Net::out_width == 2);
static_assert(Mlp::parameter_count == 4 * 8 + 8 + 8 * 2);
// lin 40, the residual Linear 72, LayerNorm 16, the Unused Linear 72 (counted, never run), head 16.
static_assert(Net::parameter_count == 40 + 72 + 16 + 72 + 16);
static_assert(nn::is_readout_v<Net> && !nn::is_readout_v<Mlp>);

std::vector<std::string> names(std::vector<nn::StateEntry> const& entries) {
  std::vector<std::string> out;
  for (auto const& e : entries) out.push_back(e.name);
  return out;
}

gx::graph::Batch<gx::host> small_batch() {
  // Three graphs of 3, 1 and 4 nodes, 4 input features.
  auto g = gx::graph::generate_molecule_batch(3, 5, 8);
  std::vector<float> xs(static_cast<std::size_t>(g.num_nodes() * 4));
  for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = std::sin(0.7f * static_cast<float>(i)) * 1.5f;
  g.x = gx::Tensor<float, 2>::from({g.num_nodes(), 4}, xs);
  return g;
}

}  // namespace

TEST_CASE("composition names parameters as PyG's state_dict does", "[nn][composition]") {
  nn::Model<Mlp> mlp;
  CHECK(names(nn::state_entries(mlp)) == std::vector<std::string>{"0.weight", "0.bias", "2.weight"});
  nn::Model<Net> net;
  CHECK(names(nn::state_entries(net)) ==
        std::vector<std::string>{"lin.weight", "lin.bias", "blocks.0.weight", "blocks.0.bias", "blocks.1.weight",
                                 "blocks.1.bias", "blocks.2.weight", "blocks.2.bias", "head.0.weight"});
  CHECK(nn::count_parameters(net) == Net::parameter_count);
  CHECK(nn::count_parameters(mlp) == Mlp::parameter_count);
}

TEST_CASE("composition gives DeepSpeed's module tree", "[nn][composition][profile]") {
  auto const t = nn::Model<Net>::profile_module();
  CHECK(t.type == "Net");
  REQUIRE(t.children.size() == 3);  // lin, blocks, head: the Apply steps have no node
  CHECK(t.children[0].name == "lin");
  CHECK(t.at("blocks").type == "ModuleList");
  CHECK(t.at("blocks.0").type == "Linear");  // a Residual adds no module of its own
  CHECK(t.at("blocks.2").params() == 72);    // the Unused slot is in the tree with its parameters
  CHECK(t.at("head").type == "Sequential");
  CHECK(t.at("head.0").extra_repr == "in_features=8, out_features=2, bias=False");
  CHECK(t.params() == Net::parameter_count);
  auto const s = nn::Model<Mlp>::profile_module();
  REQUIRE(s.children.size() == 3);
  CHECK(s.at("1").type == "ReLU");
}

TEST_CASE("composition forward is the chain of its layers", "[nn][composition]") {
  auto const model = nn::Model<Net>::random(4);
  auto const batch = small_batch();
  auto const y = model.forward(batch);  // [G, 2]
  REQUIRE(y.extent(0) == batch.num_graphs);
  REQUIRE(y.extent(1) == 2);

  // By hand with the same layers' ops.
  auto const& lin = model.get<"lin">();
  auto const& res = model.get<"blocks">().item<0>().inner;
  auto const& ln = model.get<"blocks">().item<1>();
  auto const& head = model.get<"head">().item<0>();
  gx::Tensor<float, 2> h({batch.num_nodes(), 8});
  gx::ops::linear(batch.x.cview(), lin.weight.cview(), lin.bias.cview(), h.view());
  gx::ops::relu(h.cview(), h.view());
  gx::Tensor<float, 2> r({batch.num_nodes(), 8});
  gx::ops::linear(h.cview(), res.weight.cview(), res.bias.cview(), r.view());
  gx::ops::add(h.cview(), r.cview(), r.view());  // x + block(x)
  gx::ops::layer_norm(r.cview(), ln.weight.cview(), ln.bias.cview(), 1e-5f, r.view());
  gx::Tensor<float, 2> pooled({batch.num_graphs, 8});
  gx::ops::global_mean_pool(r.cview(), batch.ptr.cview(), pooled.view());
  gx::Tensor<float, 2> expected({batch.num_graphs, 2});
  gx::ops::linear(pooled.cview(), head.weight.cview(), head.bias.cview(), expected.view());
  REQUIRE(y.to_vector() == expected.to_vector());  // the same ops in the same order: bitwise

  SECTION("node_forward stops at the readout") {
    auto const nodes = model.node_forward(batch);
    REQUIRE(nodes.to_vector() == r.to_vector());
  }
  SECTION("the Unused slot never runs: NaN weights there change nothing") {
    auto changed = nn::Model<Net>::random(4);
    changed.get<"blocks">().item<2>().inner.weight(0, 0) = std::nanf("");
    REQUIRE(changed.forward(batch).to_vector() == y.to_vector());
  }
}

TEST_CASE("composition counts: static counts equal a profiled forward's", "[nn][composition][profile]") {
  auto const model = nn::Model<Net>::random(2);
  auto const batch = small_batch();
  gx::profile::Profiler prof(model);
  model.forward(batch, &prof);
  auto const expected = nn::Model<Net>::counts({.nodes = batch.num_nodes(), .edges = batch.num_edges(),
                                                .graphs = batch.num_graphs});
  index_t const n = batch.num_nodes(), g = batch.num_graphs;
  // lin N x 4 x 8; F.relu N x 8 (counted on Net itself); the residual Linear N x 8 x 8; LayerNorm
  // 5 N x 8; head G x 8 x 2 (the readout changed the rows).
  CHECK(expected.at("lin").macs() == n * 32);
  CHECK(expected.own.flops == n * 8);
  CHECK(expected.at("blocks.0").macs() == n * 64);
  CHECK(expected.at("blocks.1").flops() == 5 * n * 8);
  CHECK(expected.at("blocks.2").macs() == 0);
  CHECK(expected.at("head.0").macs() == g * 16);
  auto const& run = prof.root();
  CHECK(run.counts() == expected.counts());
  CHECK(run.own == expected.own);
  for (char const* path : {"lin", "blocks.0", "blocks.1", "blocks.2", "head", "head.0"}) {
    INFO(path);
    CHECK(run.at(path).counts() == expected.at(path).counts());
  }
  CHECK(run.calls == 1);
  CHECK(run.at("blocks.2").calls == 0);
  CHECK(run.at("head").calls == 1);  // a Sequential runs a forward of its own
}

TEST_CASE("composition load and save are strict and exact", "[nn][composition][io][errors]") {
  auto const model = nn::Model<Net>::random(9);
  gx::io::StateDictWriter sd;
  model.save(sd);
  auto const bytes = sd.to_bytes();
  auto back = nn::Model<Net>::load(gx::io::SafetensorsFile::from_bytes(bytes, "net.safetensors"));
  REQUIRE(back.get<"blocks">().item<2>().inner.weight.to_vector() ==
          model.get<"blocks">().item<2>().inner.weight.to_vector());
  REQUIRE(back.get<"head">().item<0>().weight.to_vector() == model.get<"head">().item<0>().weight.to_vector());

  SECTION("a missing key is named") {
    gx::io::StateDictWriter partial;
    nn::Model<Mlp> mlp;
    nn::save_state(mlp, partial);
    auto const f = gx::io::SafetensorsFile::from_bytes(partial.to_bytes(), "mlp.safetensors");
    REQUIRE_THROWS_WITH(nn::Model<Net>::load(f), Catch::Contains("mlp.safetensors") &&
                                                     Catch::Contains("missing key \"lin.weight\""));
  }
  SECTION("an extra key is named") {
    gx::io::StateDictWriter extra;
    model.save(extra);
    extra.put("blocks.3.weight", gx::Tensor<float, 1>::zeros({8}));
    auto const f = gx::io::SafetensorsFile::from_bytes(extra.to_bytes(), "extra.safetensors");
    REQUIRE_THROWS_WITH(nn::Model<Net>::load(f), Catch::Contains("unexpected key") &&
                                                     Catch::Contains("blocks.3.weight"));
  }
  SECTION("a wrong shape is named") {
    gx::io::StateDictWriter wrong;
    nn::Model<Mlp>::random(1).save(wrong);
    auto const f = gx::io::SafetensorsFile::from_bytes(wrong.to_bytes(), "wrong.safetensors");
    using Wider = nn::Sequential<nn::Linear<nn::LinearConfig{.in = 4, .out = 9}>, nn::ReLU<>,
                                 nn::Linear<nn::LinearConfig{.in = 9, .out = 2, .bias = false}>>;
    REQUIRE_THROWS_WITH(nn::Model<Wider>::load(f), Catch::Contains("0.weight has shape [8, 4], expected [9, 4]"));
  }
}

TEST_CASE("composition random init and copies", "[nn][composition]") {
  auto const a = nn::Model<Net>::random(5);
  auto const b = nn::Model<Net>::random(5);
  auto const c = nn::Model<Net>::random(6);
  CHECK(a.get<"lin">().weight.to_vector() == b.get<"lin">().weight.to_vector());
  CHECK(a.get<"lin">().weight.to_vector() != c.get<"lin">().weight.to_vector());
  // PyTorch's init: LayerNorm gamma 1, beta 0; Linear in +-1/sqrt(in).
  auto const& ln = a.get<"blocks">().item<1>();
  CHECK(ln.weight.to_vector() == std::vector<float>(8, 1.0f));
  CHECK(ln.bias.to_vector() == std::vector<float>(8, 0.0f));
  auto const w = a.get<"lin">().weight.to_vector();
  CHECK(*std::max_element(w.begin(), w.end()) <= 0.5f);
  CHECK(*std::min_element(w.begin(), w.end()) >= -0.5f);

  auto const copy = nn::Model<Net>::from(a);  // tensor by tensor
  CHECK(copy.get<"head">().item<0>().weight.to_vector() == a.get<"head">().item<0>().weight.to_vector());
  CHECK(copy.get<"blocks">().item<2>().inner.bias.to_vector() == a.get<"blocks">().item<2>().inner.bias.to_vector());
  auto const batch = small_batch();
  CHECK(copy.forward(batch).to_vector() == a.forward(batch).to_vector());
}

TEST_CASE("Zip runs list items side by side and skips missing or Unused ones", "[nn][composition]") {
  // for i, lin in enumerate(self.lins): x = F.relu... as PyG models zip two lists:
  //   x = lins[i](x); x = act(x); if i < len(norms): x = norms[i](x)
  using Zipped = nn::Module<"Zipped",
                            nn::Forward<nn::Zip<"lins", "act", "norms">>,
                            nn::Field<"lins", nn::ModuleList<nn::Linear<lin_4_8>, nn::Linear<lin_8_8>,
                                                             nn::Unused<nn::Linear<lin_8_8>>>>,
                            nn::Field<"norms", nn::ModuleList<nn::LayerNorm<ln_8>>>,
                            nn::Field<"act", nn::ReLU<>>>;
  static_assert(Zipped::out_width == 8);
  auto const m = nn::Model<Zipped>::random(3);
  auto const batch = small_batch();
  auto const y = m.forward(batch);

  index_t const n = batch.num_nodes();
  auto const& l0 = m.get<"lins">().item<0>();
  auto const& l1 = m.get<"lins">().item<1>();
  auto const& n0 = m.get<"norms">().item<0>();
  gx::Tensor<float, 2> h({n, 8}), h2({n, 8});
  gx::ops::linear(batch.x.cview(), l0.weight.cview(), l0.bias.cview(), h.view());
  gx::ops::relu(h.cview(), h.view());
  gx::ops::layer_norm(h.cview(), n0.weight.cview(), n0.bias.cview(), 1e-5f, h.view());
  gx::ops::linear(h.cview(), l1.weight.cview(), l1.bias.cview(), h2.view());
  gx::ops::relu(h2.cview(), h2.view());  // no norms[1]: skipped; lins[2] is Unused: no third step
  REQUIRE(y.to_vector() == h2.to_vector());

  auto const counts = nn::Model<Zipped>::counts({.nodes = n, .edges = 0, .graphs = batch.num_graphs});
  CHECK(counts.at("act").flops() == 2 * n * 8);  // the shared ReLU ran twice
  CHECK(counts.at("lins.2").macs() == 0);
}

TEST_CASE("composition forward names a feature width mismatch", "[nn][composition][errors]") {
  auto const model = nn::Model<Net>::random(1);
  auto batch = small_batch();
  batch.x = gx::Tensor<float, 2>::zeros({batch.num_nodes(), 5});
  REQUIRE_THROWS_WITH(model.forward(batch), Catch::Contains("Net: x (node features, .in) has extent 5 in dim 1, expected 4"));
}

TEST_CASE("an edge encoder between node layers does not take part in their shape chain", "[nn][composition]") {
  // Node features 4 -> Linear(4, 8); edge features through their own Linear(3, 5) (OnEdges).
  using WithEdges = nn::Module<"WithEdges", nn::Field<"edge_lin", nn::OnEdges<nn::Linear<nn::LinearConfig{.in = 3, .out = 5}>>>,
                               nn::Field<"lin", nn::Linear<lin_4_8>>>;
  static_assert(WithEdges::in_width == 4 && WithEdges::out_width == 8);
  auto const m = nn::Model<WithEdges>::random(2);
  auto const batch = small_batch();
  REQUIRE_THROWS_WITH(m.forward(batch), Catch::Contains("needs edge_attr [E, 3]"));  // the batch has none
  auto const counts = nn::Model<WithEdges>::counts({.nodes = 10, .edges = 7, .graphs = 2});
  CHECK(counts.at("edge_lin").macs() == 7 * 3 * 5);  // over the E edge rows
  CHECK(counts.at("lin").macs() == 10 * 4 * 8);
}

TEST_CASE("counts of a width-agnostic net need the width", "[nn][composition][errors]") {
  using Act = nn::Sequential<nn::ReLU<>>;
  REQUIRE_THROWS_WITH(nn::Model<Act>::counts({.nodes = 3, .graphs = 1}), Catch::Contains("pass their width"));
  CHECK(nn::Model<Act>::counts({.nodes = 3, .graphs = 1}, 5).flops() == 15);
}
