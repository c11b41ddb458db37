// DeepSpeed's counts computed from configuration and batch sizes (no forward): the seed model's
// exact numbers (docs/seed_model.md, DeepSpeed's figures) and small configurations counted by hand.

#include <catch2/catch.hpp>

#include <graphtx/models/graph_transformer.hpp>
#include <graphtx/profile/counts.hpp>
#include <graphtx/profile/format.hpp>

namespace gx = graphtx;
namespace prof = graphtx::profile;

TEST_CASE("DeepSpeed's per-op rules", "[profile][counts]") {
  // F.linear: input.numel() x out_features MACs, flops twice that, bias ignored.
  STATIC_REQUIRE(prof::linear_counts(7170, 256, 8192) == prof::Counts{15'036'579'840, 30'073'159'680});
  STATIC_REQUIRE(prof::linear_counts(512, 256, 1) == prof::Counts{131'072, 262'144});
  STATIC_REQUIRE(prof::linear_counts(0, 256, 8192) == prof::Counts{});
  // F.layer_norm: 5 x numel with affine weights (4 without); F.relu: numel; dropout: nothing.
  STATIC_REQUIRE(prof::layer_norm_counts(7170 * 256) == prof::Counts{0, 9'177'600});
  STATIC_REQUIRE(prof::layer_norm_counts(10, false) == prof::Counts{0, 40});
  STATIC_REQUIRE(prof::relu_counts(7170 * 256) == prof::Counts{0, 1'835'520});
  STATIC_REQUIRE(prof::dropout_counts() == prof::Counts{});
}

TEST_CASE("the seed batch counts 64.07 M params, 411.82 GMACs and 823.74 G flops", "[profile][counts][seed]") {
  // G = 512, N = 7170 as graph::generate_molecule_batch(512, 0, 7170) makes it; E does not matter.
  auto const tree = gx::GraphTransformer<gx::seed_config>::counts({.nodes = 7170, .edges = 14'762, .graphs = 512});
  CHECK(tree.params() == 64'071'937);
  CHECK(tree.macs() == 411'819'233'792);
  CHECK(tree.flops() == 823'739'421'184);
  CHECK(prof::format::params_to_string(tree.params()) == "64.07 M");
  CHECK(prof::format::macs_to_string(tree.macs()) == "411.82 GMACs");
  CHECK(prof::format::num_to_string(tree.flops()) == "823.74 G");

  // Where they come from (§3.2): N x 57,436,416 MACs in the ten convs that run, G x 256 in post_mp;
  // flops = 2 x MACs + 9 LayerNorms x 5 x N x 256 + 10 ReLUs x N x 256.
  CHECK(tree.at("convs").macs() == 7170 * 57'436'416LL);
  CHECK(tree.at("convs").flops() == 823'638'205'440);
  CHECK(tree.at("convs.0").macs() == 7170LL * (3 * 9 * 8192 + 9 * 256));
  CHECK(tree.at("convs.1").macs() == 7170LL * (3 * 256 * 8192 + 256 * 256));
  CHECK(tree.at("convs.1.lin_key").macs() == 7170LL * 256 * 8192);
  CHECK(tree.at("convs.1.lin_skip").macs() == 7170LL * 256 * 256);
  CHECK(tree.at("convs.10").macs() == 0);  // built, never run
  CHECK(tree.at("convs.10").params() == 6'381'824);
  CHECK(tree.at("lns").flops() == 9 * 9'177'600);
  CHECK(tree.at("lns.9").flops() == 0);  // built, never run
  CHECK(tree.at("lns").params() == 5'120);
  CHECK(tree.at("ReLU").flops() == 18'355'200);
  CHECK(tree.at("conv_dropout").flops() == 0);
  CHECK(tree.at("post_mp").macs() == 131'072);
  CHECK(tree.at("post_mp.0").flops() == 262'144);
  CHECK(tree.at("post_mp").params() == 257);

  // Edge-wise ops count nothing: the totals do not depend on E.
  auto const no_edges = gx::GraphTransformer<gx::seed_config>::counts({.nodes = 7170, .edges = 0, .graphs = 512});
  CHECK(no_edges.counts() == tree.counts());
  // One node fewer or more changes the printed MACs (docs/seed_model.md, The seed batch: N is exactly 7170).
  CHECK(prof::format::macs_to_string(
            gx::GraphTransformer<gx::seed_config>::counts({.nodes = 7169, .graphs = 512}).macs()) == "411.76 GMACs");
  CHECK(prof::format::macs_to_string(
            gx::GraphTransformer<gx::seed_config>::counts({.nodes = 7171, .graphs = 512}).macs()) == "411.88 GMACs");
}

TEST_CASE("the seed model's tree has PyG's names and classes", "[profile][counts]") {
  auto const m = gx::GraphTransformer<gx::seed_config>::profile_module();
  CHECK(m.type == "GraphTransformer");
  REQUIRE(m.children.size() == 5);
  CHECK(m.children[0].name == "convs");
  CHECK(m.children[0].type == "ModuleList");
  CHECK(m.children[0].children.size() == 11);
  CHECK(m.children[1].name == "lns");
  CHECK(m.children[1].children.size() == 10);
  CHECK(m.children[2].name == "conv_dropout");
  CHECK(m.children[2].extra_repr == "p=0.0, inplace=False");
  CHECK(m.children[3].name == "ReLU");
  CHECK(m.children[4].name == "post_mp");
  CHECK(m.children[4].type == "Sequential");
  CHECK(m.at("post_mp.0").extra_repr == "in_features=256, out_features=1, bias=True");
  CHECK(m.at("lns.0").extra_repr == "(256,), eps=1e-05, elementwise_affine=True");
  CHECK(m.at("convs.0").repr == "TransformerConv(9, 256, heads=32)");
  CHECK(m.at("convs.3").repr == "TransformerConv(256, 256, heads=32)");
  auto const& conv = m.at("convs.3");
  REQUIRE(conv.children.size() == 4);  // no lin_edge (edge_dim None), no lin_beta (beta False)
  CHECK(conv.children[0].name == "lin_key");
  CHECK(conv.children[1].name == "lin_query");
  CHECK(conv.children[2].name == "lin_value");
  CHECK(conv.children[3].name == "lin_skip");
  CHECK(conv.at("lin_key").repr == "Linear(256, 8192, bias=True)");
  CHECK(conv.at("lin_skip").params() == 256 * 256 + 256);
  CHECK_THROWS_WITH(m.at("convs.3.lin_edge"), Catch::Contains("has no child 'lin_edge'"));
}

TEST_CASE("a small GraphTransformer counted by hand", "[profile][counts]") {
  // in 3, hidden 4, heads 2 (H*C = 8), 2 layers run, 3 convs and 2 LayerNorms built; N = 5, G = 2.
  constexpr gx::GraphTransformerConfig cfg{.in = 3, .hidden = 4, .heads = 2, .num_conv_layers = 2};
  auto const t = gx::GraphTransformer<cfg>::counts({.nodes = 5, .edges = 8, .graphs = 2});
  // conv0: key, query, value 5 x 3 x 8 = 120 each; skip 5 x 3 x 4 = 60.
  CHECK(t.at("convs.0.lin_key").macs() == 120);
  CHECK(t.at("convs.0.lin_query").macs() == 120);
  CHECK(t.at("convs.0.lin_value").macs() == 120);
  CHECK(t.at("convs.0.lin_skip").macs() == 60);
  // conv1: 5 x 4 x 8 = 160 each; skip 5 x 4 x 4 = 80. conv2: never runs.
  CHECK(t.at("convs.1").macs() == 3 * 160 + 80);
  CHECK(t.at("convs.2").macs() == 0);
  CHECK(t.at("post_mp").macs() == 2 * 4 * 1);
  CHECK(t.macs() == 420 + 560 + 8);
  // flops: 2 x MACs, ReLU 2 calls x 20, one LayerNorm 5 x 20.
  CHECK(t.at("ReLU").flops() == 40);
  CHECK(t.at("lns.0").flops() == 100);
  CHECK(t.at("lns.1").flops() == 0);
  CHECK(t.flops() == 2 * 988 + 40 + 100);
  // params: conv0 3 x (3 x 8 + 8) + (3 x 4 + 4) = 112; conv1, conv2 3 x (4 x 8 + 8) + (4 x 4 + 4) = 140;
  // lns 2 x 8; post_mp 4 + 1.
  CHECK(t.at("convs.0").params() == 112);
  CHECK(t.at("convs.2").params() == 140);
  CHECK(t.params() == 112 + 2 * 140 + 16 + 5);
  CHECK(t.params() == cfg.parameter_count());
}

TEST_CASE("a TransformerConv with every option counted by hand", "[profile][counts]") {
  // Bipartite (F_src 6, F_dst 5), H = 3, C = 4, concat (out_width 12), beta, edge_dim 2;
  // 7 source nodes, 4 destinations, 9 edges.
  constexpr gx::nn::TransformerConvConfig cfg{.in = 6, .out = 4, .heads = 3, .concat = true, .beta = true, .edge_dim = 2, .in_dst = 5};
  auto const t = gx::nn::TransformerConv<cfg>::counts(7, 4, 9);
  CHECK(t.repr == "TransformerConv((6, 5), 4, heads=3)");
  REQUIRE(t.children.size() == 6);
  CHECK(t.children[3].name == "lin_edge");
  CHECK(t.children[5].name == "lin_beta");
  CHECK(t.at("lin_key").macs() == 7 * 6 * 12);
  CHECK(t.at("lin_query").macs() == 4 * 5 * 12);
  CHECK(t.at("lin_value").macs() == 7 * 6 * 12);
  CHECK(t.at("lin_edge").macs() == 9 * 2 * 12);  // the only count that depends on E
  CHECK(t.at("lin_skip").macs() == 4 * 5 * 12);
  CHECK(t.at("lin_beta").macs() == 4 * 36 * 1);
  CHECK(t.macs() == 504 + 240 + 504 + 216 + 240 + 144);
  CHECK(t.flops() == 2 * t.macs());
  CHECK(t.params() == cfg.parameter_count());

  // root_weight = false: lin_skip is still built (and counted as parameters) but never runs.
  constexpr gx::nn::TransformerConvConfig no_root{.in = 6, .out = 4, .heads = 3, .root_weight = false};
  auto const r = gx::nn::TransformerConv<no_root>::counts(7, 9);
  CHECK(r.at("lin_skip").macs() == 0);
  CHECK(r.at("lin_skip").params() == 6 * 12 + 12);
  CHECK(r.macs() == 3 * 7 * 6 * 12);
}
