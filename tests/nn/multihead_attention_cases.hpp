#pragma once
// nn::MultiheadAttention test bodies, once for every space (tests/nn/multihead_attention_test.cpp:
// host, tests/cuda/multihead_attention_test.cu: CUDA), against the PyG golden modules/mha:
// torch.nn.MultiheadAttention(8, 2, batch_first=True) applied as GPSConv does (to_dense_batch,
// key_padding_mask=~mask, [mask]) over graphs of 5, 1, 7, 3 and 4 nodes (torch's fast path).

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <graphtx/graph/transfer.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/nn/multihead_attention.hpp>

#include "nn/module_checks.hpp"
#include "support/compare.hpp"
#include "support/module_golden.hpp"

namespace graphtx::test::mha_cases {

namespace nn = graphtx::nn;
using namespace graphtx::test::checks;

using Mha = nn::MultiheadAttention<nn::MhaConfig{.embed_dim = 8, .heads = 2}>;
static_assert(nn::Layer<Mha>);
static_assert(Mha::parameter_count == 24 * 8 + 24 + 64 + 8);

template <class Space>
void golden() {
  check_golden<Mha, Space>("modules", "mha");
}

template <class Space>
void counts_match() {
  auto const t = check_counts<Mha, Space>("modules", "mha");
  // torch's slow path: in_proj F.linear N x 8 x 24 and out_proj F.linear N x 8 x 8, both on the
  // MultiheadAttention node (out_proj's module is never called).
  CHECK(t.own.macs == 20 * 8 * 24 + 20 * 8 * 8);
  CHECK(t.own.flops == 2 * t.own.macs);
  CHECK(t.at("out_proj").counts() == profile::Counts{});
}

template <class Space>
void round_trip() {
  check_round_trip<Mha, Space>("modules", "mha");
}

// Attention stays within a graph: changing the features of one graph changes no other graph's rows.
template <class Space>
void graphs_are_independent() {
  auto const g = load_module_golden("modules", "mha");
  auto const model = golden_model<Mha, Space>(g);
  auto host_batch = golden_batch(g.io);
  auto const y0 = to_space<host>(model.forward(batch_in<Space>(host_batch)));
  // graph 2 owns rows 6 .. 12 (sizes 5, 1, 7, 3, 4)
  for (index_t i = 6; i < 13; ++i)
    for (index_t c = 0; c < 8; ++c) host_batch.x(i, c) *= -3.0f;
  auto const y1 = to_space<host>(model.forward(batch_in<Space>(host_batch)));
  for (index_t i = 0; i < 20; ++i) {
    bool const inside = i >= 6 && i < 13;
    for (index_t c = 0; c < 8; ++c) {
      INFO("row " << i << " col " << c);
      if (!inside) REQUIRE(y1(i, c) == y0(i, c));
    }
  }
}

template <class Space>
void bad_input_is_named() {
  auto const g = load_module_golden("modules", "mha");
  auto const model = golden_model<Mha, Space>(g);
  auto host_batch = golden_batch(g.io);
  host_batch.x = Tensor<float, 2, host>::zeros({host_batch.num_nodes(), 6});
  REQUIRE_THROWS_WITH(model.forward(batch_in<Space>(host_batch)), Catch::Contains("has extent 6 in dim 1, expected 8"));
}

}  // namespace graphtx::test::mha_cases
