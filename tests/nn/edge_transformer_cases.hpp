#pragma once
// The second whole model, tools/graphtx_pyg.py's EdgeTransformer, as a composition of library
// modules, against the PyG golden tests/data/models/edge_transformer (6 graphs of 6, 1, 5, 8, 3, 4
// nodes, x [27, 6], float edge_attr [67, 3]; y [6, 2]). Bodies once for every space
// (tests/nn/edge_transformer_test.cpp: host, tests/cuda/edge_transformer_test.cu: CUDA).
//
//     class EdgeTransformerBlock(nn.Module):                      # Block(cin)
//         conv = TransformerConv(cin, 4, heads=2, concat=True, beta=True, edge_dim=3); norm = nn.LayerNorm(8)
//         forward(x, edge_index, edge_attr): return torch.relu(self.norm(self.conv(x, edge_index, edge_attr)))
//     class EdgeTransformer(nn.Module):
//         blocks = ModuleList([Block(6), Block(8), Block(8)]); head = Sequential(Linear(8, 8), GELU(), Linear(8, 2))
//         forward: x = blocks[0](x); x = x + blocks[i](x) for i = 1, 2; return head(global_max_pool(x, batch))

#include <catch2/catch.hpp>

#include <string>

#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/layer_norm.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/nn/pooling.hpp>
#include <graphtx/nn/transformer_conv.hpp>

#include "nn/module_checks.hpp"
#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::edge_transformer_cases {

namespace nn = graphtx::nn;

constexpr nn::TransformerConvConfig conv_in{.in = 6, .out = 4, .heads = 2, .concat = true, .beta = true, .edge_dim = 3};
constexpr nn::TransformerConvConfig conv_hidden{.in = 8, .out = 4, .heads = 2, .concat = true, .beta = true, .edge_dim = 3};
constexpr nn::LayerNormConfig norm_8{.features = 8};
constexpr nn::LinearConfig head_8_8{.in = 8, .out = 8};
constexpr nn::LinearConfig head_8_2{.in = 8, .out = 2};

/// EdgeTransformerBlock(cin): relu(norm(conv(x, edge_index, edge_attr))); edge_attr comes from the
/// batch (GraphContext::edge_attr, CSR order). Two plain aliases, not one alias template over the
/// conv config: nvcc 13 loses a class-type template argument passed through an alias template
/// nested in another template's arguments ("'__T27' was not declared").
using Block0 = nn::Module<"EdgeTransformerBlock",  // Block(6)
                          nn::Field<"conv", nn::TransformerConv<conv_in>>,
                          nn::Field<"norm", nn::LayerNorm<norm_8>>,
                          nn::Apply<nn::ReLU<>>>;  // torch.relu(...)
using BlockH = nn::Module<"EdgeTransformerBlock",  // Block(8)
                          nn::Field<"conv", nn::TransformerConv<conv_hidden>>,
                          nn::Field<"norm", nn::LayerNorm<norm_8>>,
                          nn::Apply<nn::ReLU<>>>;

using EdgeTransformer = nn::Module<"EdgeTransformer",
    nn::Field<"blocks", nn::ModuleList<Block0, nn::Repeat<2, nn::Residual<BlockH>>>>,
    nn::Apply<nn::GlobalMaxPool<>>,  // global_max_pool(x, batch)
    nn::Field<"head", nn::Sequential<nn::Linear<head_8_8>, nn::GELU<>, nn::Linear<head_8_2>>>>;

static_assert(nn::Layer<EdgeTransformer>);
static_assert(EdgeTransformer::in_width == 6 && EdgeTransformer::out_width == 2);
static_assert(nn::is_readout_v<EdgeTransformer>);
// conv(6): key, query, value, skip 4 x (6 * 8 + 8), lin_edge 3 * 8, lin_beta 24; conv(8): 4 x (8 * 8 + 8) + 24 + 24;
// three LayerNorms of 16; head 8 * 8 + 8 + 8 * 2 + 2.
static_assert(conv_in.parameter_count() == 4 * 56 + 24 + 24);
static_assert(conv_hidden.parameter_count() == 4 * 72 + 24 + 24);
static_assert(EdgeTransformer::parameter_count ==
              conv_in.parameter_count() + 2 * conv_hidden.parameter_count() + 3 * 16 + 72 + 18);

/// The model's y vs PyG's float32 y (pyg_fp32: rtol 1e-4, atol 1e-5).
template <class Space>
CloseReport golden_y() {
  return checks::check_golden<EdgeTransformer, Space>("models", "edge_transformer", "y");
}

/// The node features reaching the pool are finite and have the golden's shape; the pool of them
/// through the head is y (node_forward and forward agree).
template <class Space>
void node_forward_feeds_the_head() {
  auto const g = load_module_golden("models", "edge_transformer");
  auto const model = golden_model<EdgeTransformer, Space>(g);
  auto const host_batch = golden_batch(g.io);
  REQUIRE(host_batch.num_edges() == 67);
  REQUIRE(host_batch.edge_attr.extent(1) == 3);
  auto const& batch = checks::batch_in<Space>(host_batch);
  auto const nodes = model.node_forward(batch);  // [27, 8]
  REQUIRE(nodes.extent(0) == 27);
  REQUIRE(nodes.extent(1) == 8);
  nn::BatchContext<Space> ctx(batch);
  auto const pooled = nn::GlobalMaxPool<Space>{}.forward(nodes.cview(), ctx.context());
  auto const y = model.template get<"head">().forward(pooled.cview(), ctx.context());
  REQUIRE(to_space<host>(y).to_vector() == to_space<host>(model.forward(batch)).to_vector());
}

/// A profiled forward counts what Model::counts says, node by node; and the numbers themselves.
template <class Space>
void counts_match() {
  auto const t = checks::check_counts<EdgeTransformer, Space>("models", "edge_transformer");
  index_t const n = 27, g = 6;
  // The head runs over the G pooled rows: Linear(8, 8), GELU (numel flops), Linear(8, 2).
  CHECK(t.at("head.0").macs() == g * 64);
  CHECK(t.at("head.1").flops() == g * 8);
  CHECK(t.at("head.2").macs() == g * 16);
  // Every block's LayerNorm: 5 flops per element; its relu (an Apply) on the block itself.
  for (char const* b : {"blocks.0", "blocks.1", "blocks.2"}) {
    INFO(b);
    CHECK(t.at(std::string(b) + ".norm").flops() == 5 * n * 8);
    CHECK(t.at(b).own.flops == n * 8);
  }
  CHECK(t.own == profile::Counts{});  // the pool and the residual + count nothing
  CHECK(t.at("blocks").own == profile::Counts{});
}

template <class Space>
void round_trip() {
  checks::check_round_trip<EdgeTransformer, Space>("models", "edge_transformer");
}

/// A batch without edge features, or with another edge width, is refused with a named error.
template <class Space>
void bad_edge_features_are_named() {
  auto const g = load_module_golden("models", "edge_transformer");
  auto const model = golden_model<EdgeTransformer, Space>(g);
  auto host_batch = golden_batch(g.io);
  SECTION("edge_attr of width 4") {
    host_batch.edge_attr = Tensor<float, 2, host>::zeros({host_batch.num_edges(), 4});
    REQUIRE_THROWS_WITH(model.forward(checks::batch_in<Space>(host_batch)), Catch::Contains("edge_attr"));
  }
  SECTION("no edge_attr") {
    host_batch.edge_attr = Tensor<float, 2, host>({0, 0});
    REQUIRE_THROWS_WITH(model.forward(checks::batch_in<Space>(host_batch)), Catch::Contains("edge_attr"));
  }
  SECTION("x of width 5") {
    host_batch.x = Tensor<float, 2, host>::zeros({host_batch.num_nodes(), 5});
    REQUIRE_THROWS_WITH(model.forward(checks::batch_in<Space>(host_batch)),
                        Catch::Contains("EdgeTransformer") && Catch::Contains("has extent 5 in dim 1, expected 6"));
  }
}

}  // namespace graphtx::test::edge_transformer_cases
