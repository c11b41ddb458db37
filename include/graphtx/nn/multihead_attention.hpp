#pragma once
/// \file
/// \brief nn::MultiheadAttention: `torch.nn.MultiheadAttention(embed_dim, num_heads, bias=bias,
/// batch_first=True)` as PyG's GPSConv applies it, eval mode: self-attention of every node over
/// the nodes of its own graph,
///
///     h, mask = to_dense_batch(x, batch)
///     out = attn(h, h, h, key_padding_mask=~mask, need_weights=False)[0][mask]
///
/// computed without the padding: q, k, v = x W^T + b with rows 0:E, E:2E, 2E:3E of
/// in_proj_weight / in_proj_bias (torch's in-projection of q is k is v), ops::graph_attention per
/// graph of g.ptr (scores scaled by sqrt(1/d), d = E / heads, softmax over the graph's nodes; the
/// padded keys torch masks to -inf get weight 0 there, so leaving them out is exact), then
/// out_proj. Cost O(N E^2 + sum_g n_g^2 E), never O(N^2). Dropout on the weights is training-only.
///
/// Numbers: torch under no_grad in eval runs `torch._native_multi_head_attention` (the fast path;
/// the golden records it) and its slow path agrees with it to 1.2e-7 in float32; graphtx matches
/// both within rtol 1e-4 / atol 1e-5 (tests/nn/multihead_attention_cases.hpp). A graph of zero
/// nodes has no rows here; in torch its padded row is NaN (fast path) or out_proj.bias (slow path)
/// and `[mask]` drops it, so nothing differs.
///
/// state_dict (torch's order): `in_proj_weight` [3E, E], `in_proj_bias` [3E] (bias only),
/// `out_proj.weight` [E, E], `out_proj.bias` [E] (bias only). Random init: in_proj_weight
/// xavier-uniform and in_proj_bias zeros (torch's `_reset_parameters`); out_proj as an nn::Linear
/// (uniform weight and bias; torch zeroes out_proj.bias: graphtx's random weights are its own
/// stream anyway).
///
/// DeepSpeed's counts, decided here: torch's fast path calls `_native_multi_head_attention`, which
/// DeepSpeed does not patch (a real DeepSpeed run counts 0 MACs for the whole attention). graphtx
/// counts what torch's slow path (`F.multi_head_attention_forward`) calls: the in-projection as one
/// F.linear (N x E x 3E MACs) and the out-projection as F.linear with out_proj's weights (N x E x E
/// MACs), both on the MultiheadAttention node itself, because the slow path calls F.linear with
/// `self.out_proj.weight` and never calls the out_proj module (its node: 0 calls, 0 counts). Rows
/// are N, the real nodes: torch would run both projections over the padded B x L_max rows of
/// to_dense_batch, which a FlowShape cannot know. With need_weights=False the slow path computes
/// the scores and the weighted sum in F.scaled_dot_product_attention (no bmm), not in the
/// contract's list of counted calls and of size sum over graphs of L_max^2 (also unknown to a
/// FlowShape): counted 0. `score_value_counts` gives those products (2 sum_g n_g^2 E MACs, as two
/// bmm's over the unpadded graphs) for a caller who wants them.
///
/// The tree: `MultiheadAttention` (own parameters in_proj_weight and in_proj_bias) with the child
/// `out_proj` printed as torch's class `NonDynamicallyQuantizableLinear`.

#include <cmath>
#include <cstdint>
#include <string>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/init.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/ops/graph_attention.hpp>
#include <graphtx/ops/linear.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

/// `torch.nn.MultiheadAttention(embed_dim, num_heads, bias=bias, batch_first=True)` (dropout 0 in
/// eval; no add_bias_kv, no add_zero_attn, kdim = vdim = embed_dim).
struct MhaConfig {
  int embed_dim = 0;  ///< E
  int heads = 1;      ///< num_heads; E must be a multiple of it
  bool bias = true;   ///< in_proj_bias and out_proj.bias

  constexpr int head_dim() const { return heads > 0 ? embed_dim / heads : 0; }
  constexpr LinearConfig out_proj() const { return {embed_dim, embed_dim, bias}; }
  constexpr index_t parameter_count() const {
    return 3 * index_t{embed_dim} * embed_dim + (bias ? 3 * index_t{embed_dim} : 0) + out_proj().parameter_count();
  }
};

template <MhaConfig Config, class Space = host>
class MultiheadAttention {
  static_assert(Config.embed_dim > 0, "nn::MultiheadAttention: .embed_dim must be positive");
  static_assert(Config.heads > 0, "nn::MultiheadAttention: .heads must be positive");
  static_assert(Config.embed_dim % Config.heads == 0,
                "nn::MultiheadAttention: embed_dim must be divisible by heads (torch: \"embed_dim must be divisible by "
                "num_heads\")");

 public:
  static constexpr MhaConfig config = Config;
  static constexpr int E = Config.embed_dim;
  using space = Space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = MultiheadAttention<Config, S>;
  static constexpr int in_width = E;
  static constexpr int out_width = E;
  static constexpr index_t parameter_count = Config.parameter_count();
  using out_proj_type = Linear<Config.out_proj(), Space>;

  Tensor<float, 2, Space> in_proj_weight{extents_t<2>{3 * E, E}};              // [3E, E]: q, k, v rows
  Tensor<float, 1, Space> in_proj_bias{extents_t<1>{Config.bias ? 3 * E : 0}};  // [3E] or [0]
  out_proj_type out_proj;

  /// x [N, E] -> [N, E]: attention within each graph of g.ptr (G + 1 entries covering the N rows).
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& g,
                                  profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    check_extent("MultiheadAttention", "x (node features, embed_dim)", 1, x.extent(1), E);
    check_extent("MultiheadAttention", "ptr (G + 1 entries)", 0, g.ptr.extent(0), g.num_graphs + 1);
    index_t const n = x.extent(0);
    probe.count(own_counts(n));

    Tensor<float, 2, Space> q({n, E}), k({n, E}), v({n, E});  // [N, E] each
    project(x, 0, q.view());
    project(x, 1, k.view());
    project(x, 2, v.view());
    Tensor<float, 2, Space> attn({n, E});  // [N, E], heads major as torch's concat of heads
    ops::graph_attention(q.cview(), k.cview(), v.cview(), g.ptr, Config.heads, attn.view());
    Tensor<float, 2, Space> out({n, E});
    ops::linear(attn.cview(), out_proj.weight.cview(), out_proj.bias.cview(), out.view());  // F.linear, not out_proj()
    return out;
  }

  /// What this module counts for `rows` nodes (see the file comment): in_proj and out_proj F.linear.
  static constexpr profile::Counts own_counts(index_t rows) {
    return profile::linear_counts(rows, E, 3 * E) + profile::linear_counts(rows, E, E);
  }
  /// The two attention products (q k^T and weights x v) over graphs of n_g nodes as two bmm's:
  /// sum_sq_nodes = sum_g n_g^2 gives 2 sum_g n_g^2 E MACs. Not part of add_counts (see above).
  static constexpr profile::Counts score_value_counts(index_t sum_sq_nodes) {
    std::int64_t const macs = 2 * std::int64_t{sum_sq_nodes} * E;
    return {macs, 2 * macs};
  }
  static void add_counts(profile::Module& node, FlowShape s) { node.own += own_counts(s.rows); }
  static profile::Module profile_module() {
    profile::Module m = profile::Module::leaf("MultiheadAttention", "",
                                              3 * index_t{E} * E + (Config.bias ? 3 * index_t{E} : 0));
    profile::Module p = out_proj_type::profile_module();
    p.type = "NonDynamicallyQuantizableLinear";
    m.add("out_proj", std::move(p));
    return m;
  }

  template <class V>
  void visit(V& v) {
    v.param("in_proj_weight", in_proj_weight, Init::uniform(std::sqrt(6.0f / static_cast<float>(4 * E))));
    if constexpr (Config.bias) v.param("in_proj_bias", in_proj_bias, Init::zeros());
    v.child("out_proj", out_proj);
  }

 private:
  /// y = x W_part^T + b_part with rows part*E .. (part+1)*E-1 of in_proj (0: q, 1: k, 2: v).
  void project(TensorView<float const, 2, Space> x, int part, TensorView<float, 2, Space> y) const {
    TensorView<float const, 2, Space> w(in_proj_weight.data() + index_t{part} * E * E, extents_t<2>{E, E});
    TensorView<float const, 1, Space> b;
    if constexpr (Config.bias) b = TensorView<float const, 1, Space>(in_proj_bias.data() + index_t{part} * E, extents_t<1>{E});
    ops::linear(x, w, b, y);
  }
};

}  // namespace graphtx::nn
