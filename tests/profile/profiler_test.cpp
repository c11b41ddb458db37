// Profiled forwards: the counts they record are the ones counted from config and sizes alone,
// every module that ran has a call count and a non-negative time (no timing thresholds), results
// are unchanged, and nothing is recorded without a profiler.

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <type_traits>

#include <graphtx/graph/convert.hpp>
#include <graphtx/graph/generate.hpp>
#include <graphtx/models/graph_transformer.hpp>
#include <graphtx/profile/counts.hpp>
#include <graphtx/profile/profiler.hpp>
#include <graphtx/profile/report.hpp>

#include "support/random.hpp"

namespace gx = graphtx;
namespace prof = graphtx::profile;

namespace {

// conv0 is textbook (F = 9 > C = 8), the hidden convs are folded: both paths are profiled.
constexpr gx::GraphTransformerConfig tiny{.in = 9, .hidden = 8, .heads = 2, .num_conv_layers = 3};
static_assert(!tiny.first_conv().uses_folded() && tiny.hidden_conv().uses_folded());
using Tiny = gx::GraphTransformer<tiny>;

// Same tree, same parameters, same counts in every module.
void require_same_counts(prof::Module const& got, prof::Module const& want, std::string const& path = "<root>") {
  INFO("module " << path);
  REQUIRE(got.name == want.name);
  REQUIRE(got.type == want.type);
  REQUIRE(got.own_params == want.own_params);
  REQUIRE(got.own.macs == want.own.macs);
  REQUIRE(got.own.flops == want.own.flops);
  REQUIRE(got.children.size() == want.children.size());
  for (std::size_t i = 0; i < got.children.size(); ++i) {
    require_same_counts(got.children[i], want.children[i], path + "." + want.children[i].name);
  }
}

void require_nothing_recorded(prof::Module const& m) {
  INFO("module " << m.name << " (" << m.type << ")");
  REQUIRE(m.calls == 0);
  REQUIRE(m.duration == 0.0);
  REQUIRE(m.own == prof::Counts{});
  for (auto const& c : m.children) require_nothing_recorded(c);
}

}  // namespace

TEST_CASE("a profiled forward records what DeepSpeed counts, as counted without running it", "[profile][profiler]") {
  Tiny const model = Tiny::random(5);
  auto const batch = gx::graph::generate_molecule_batch(4, 1, 30);
  prof::Profiler profiler(model);
  auto const y = model.forward(batch, &profiler);

  auto const expected = gx::GraphTransformer<tiny>::counts(
      {.nodes = batch.num_nodes(), .edges = batch.num_edges(), .graphs = batch.num_graphs});
  require_same_counts(profiler.root(), expected);
  CHECK(profiler.root().params() == tiny.parameter_count());
  CHECK(profiler.root().macs() > 0);

  // Profiling changes no result.
  auto const y_plain = model.forward(batch);
  REQUIRE(y.to_vector() == y_plain.to_vector());
}

TEST_CASE("every module that ran has its calls and a non-negative latency; the others none", "[profile][profiler]") {
  Tiny const model = Tiny::random(6);
  auto const batch = gx::graph::generate_molecule_batch(3, 2, 25);
  prof::Profiler profiler(model);
  model.forward(batch, &profiler);
  prof::Module const& root = profiler.root();

  auto ran = [&](std::string const& path, std::int64_t calls) {
    INFO(path);
    auto const& m = root.at(path);
    CHECK(m.calls == calls);
    CHECK(m.duration >= 0.0);
    CHECK(m.latency_measured());
  };
  auto idle = [&](std::string const& path) {
    INFO(path);
    auto const& m = root.at(path);
    CHECK(m.calls == 0);
    CHECK(m.duration == 0.0);
  };
  ran("", 1);
  for (int i = 0; i < tiny.num_conv_layers; ++i) ran("convs." + std::to_string(i), 1);
  idle("convs.3");  // the seed's off-by-one: built, never run
  // conv0 (textbook) runs its four Linears; the folded convs run lin_skip only.
  for (char const* lin : {"lin_query", "lin_key", "lin_value", "lin_skip"}) ran(std::string("convs.0.") + lin, 1);
  for (char const* lin : {"lin_query", "lin_key", "lin_value"}) idle(std::string("convs.1.") + lin);
  ran("convs.1.lin_skip", 1);
  CHECK(root.at("convs.1.lin_query").macs() > 0);  // counted as PyG's F.linear all the same
  ran("lns.0", 1);
  ran("lns.1", 1);
  idle("lns.2");
  ran("ReLU", tiny.num_conv_layers);
  ran("conv_dropout", tiny.num_conv_layers);
  ran("post_mp", 1);
  ran("post_mp.0", 1);
  // Containers never run; their latency is their children's (DeepSpeed's get_module_duration).
  idle("convs");
  idle("lns");
  CHECK(root.at("convs").latency() >= 0.0);
  CHECK(root.at("convs").latency_measured());
  CHECK(root.latency() == root.duration);

  // The report prints the idle LayerNorm as DeepSpeed does ("0", "0.0 FLOPS").
  std::string const r = prof::report(profiler);
  CHECK_THAT(r, Catch::Contains("(2): LayerNorm(16, " + prof::format::percent(16.0 / tiny.parameter_count()) +
                                " Params, 0 MACs, 0.00% MACs, 0, 0.00% latency, 0.0 FLOPS, (8,), eps=1e-05, "
                                "elementwise_affine=True)"));
  CHECK_THAT(r, Catch::Contains("    (0): TransformerConv(9, 8, heads=2)\n    (1): TransformerConv(8, 8, heads=2)\n"));
}

TEST_CASE("without a profiler nothing is recorded, and an off probe does nothing", "[profile][profiler]") {
  STATIC_REQUIRE(std::is_trivially_copyable_v<prof::Probe>);
  STATIC_REQUIRE(sizeof(prof::Probe) == 2 * sizeof(void*));

  Tiny const model = Tiny::random(7);
  auto const batch = gx::graph::generate_molecule_batch(3, 3, 20);
  prof::Profiler profiler(model);  // exists, but no forward is given it
  model.forward(batch);
  model.forward(batch, nullptr);
  model.node_forward(batch);
  require_nothing_recorded(profiler.root());

  prof::Probe const off;
  CHECK_FALSE(off);
  CHECK_FALSE(off.child("no such module"));  // no lookup, no throw
  CHECK_FALSE(off.item(1000));
  off.count({5, 10});  // no-op
  { prof::Scope<gx::host> scope(off); }
  CHECK_FALSE(prof::Probe(static_cast<prof::Profiler*>(nullptr)));
}

TEST_CASE("profiled forwards accumulate until reset", "[profile][profiler]") {
  Tiny const model = Tiny::random(8);
  auto const batch = gx::graph::generate_molecule_batch(2, 4, 12);
  prof::Profiler profiler(model);
  model.forward(batch, &profiler);
  prof::Counts const once = profiler.root().counts();
  model.forward(batch, &profiler);
  CHECK(profiler.root().counts() == 2 * once);
  CHECK(profiler.root().calls == 2);
  CHECK(profiler.root().at("ReLU").calls == 2 * tiny.num_conv_layers);
  profiler.reset();
  require_nothing_recorded(profiler.root());
  // node_forward profiles as the model's forward without post_mp.
  model.node_forward(batch, &profiler);
  CHECK(profiler.root().calls == 1);
  CHECK(profiler.root().at("post_mp").calls == 0);
  CHECK(profiler.root().at("post_mp").macs() == 0);
  CHECK(profiler.root().at("convs").macs() == once.macs - prof::linear_counts(batch.num_graphs, tiny.hidden, tiny.out).macs);
}

TEST_CASE("a TransformerConv with every option profiles on its own", "[profile][profiler]") {
  // Textbook (edge features), bipartite, concat, beta: lin_edge runs over E rows, lin_beta is fused
  // into the gate (counted, never called).
  constexpr gx::nn::TransformerConvConfig cfg{.in = 6, .out = 4, .heads = 3, .concat = true, .beta = true, .edge_dim = 2, .in_dst = 5};
  gx::nn::TransformerConv<cfg> conv;
  gx::nn::RandomWeights wrng(1);
  gx::nn::init_random(conv, wrng);
  gx::test::rng_t rng(2);
  gx::index_t const ns = 7, nd = 4, e = 9;
  auto const xs = gx::test::random_normal<float, 2>(rng, {ns, 6});
  auto const xd = gx::test::random_normal<float, 2>(rng, {nd, 5});
  auto const ea = gx::test::random_normal<float, 2>(rng, {e, 2});
  gx::Tensor<std::int64_t, 2> ei({2, e});
  for (gx::index_t k = 0; k < e; ++k) {
    ei(0, k) = k % ns;
    ei(1, k) = (k * 3) % nd;
  }
  auto const csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), ns, nd));

  prof::Profiler profiler(conv);
  auto const out = conv.forward(xs.cview(), xd.cview(), csr, ea.cview(), nullptr, &profiler);
  require_same_counts(profiler.root(), gx::nn::TransformerConv<cfg>::counts(ns, nd, e));
  CHECK(profiler.root().calls == 1);
  CHECK(profiler.root().at("lin_edge").calls == 1);
  CHECK(profiler.root().at("lin_beta").calls == 0);
  CHECK(profiler.root().at("lin_beta").macs() == nd * 36);
  REQUIRE(out.to_vector() == conv.forward(xs.cview(), xd.cview(), csr, ea.cview()).to_vector());

  // A folded conv, homogeneous call and forward_folded.
  constexpr gx::nn::TransformerConvConfig fcfg{.in = 6, .out = 8, .heads = 2, .attention = gx::nn::attention_algorithm::folded};
  gx::nn::TransformerConv<fcfg> folded;
  gx::nn::init_random(folded, wrng);
  auto const x = gx::test::random_normal<float, 2>(rng, {ns, 6});
  auto const csr_h = gx::graph::to_csr(gx::graph::coo_from_edge_index(ei.cview(), ns, ns));
  prof::Profiler fprof(folded);
  folded.forward(x.cview(), csr_h, {}, &fprof);
  folded.forward_folded(x.cview(), x.cview(), csr_h, &fprof);
  require_same_counts(fprof.root(), [&] {
    auto twice = gx::nn::TransformerConv<fcfg>::counts(ns, e);
    gx::nn::TransformerConv<fcfg>::add_counts(twice, ns, ns, e);
    return twice;
  }());
  CHECK(fprof.root().calls == 2);
  CHECK(fprof.root().at("lin_skip").calls == 2);
  CHECK(fprof.root().at("lin_query").calls == 0);
}

TEST_CASE("a Profiler built for another model is refused by name", "[profile][profiler][errors]") {
  Tiny const model = Tiny::random(9);
  auto const batch = gx::graph::generate_molecule_batch(2, 5, 10);
  prof::Profiler wrong(gx::nn::Linear<gx::nn::LinearConfig{.in = 8, .out = 1}>{});
  CHECK_THROWS_WITH(model.forward(batch, &wrong),
                    Catch::Contains("Linear '' has no child 'convs'") && Catch::Contains("another model"));
}
