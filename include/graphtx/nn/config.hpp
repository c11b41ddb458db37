#pragma once
/// \file
/// \brief Compile-time layer configurations: C++20 structural aggregates used as template
/// arguments (`TransformerConv<TransformerConvConfig{.in = 256, .out = 256, .heads = 32}>`).
///
/// nvcc 13 rejects a bare braced template argument (`TransformerConv<{.in = 9}>`): write the type
/// name, or name a `constexpr` variable. Designators must follow member order.

#include <graphtx/core/config.hpp>

namespace graphtx::nn {

/// How a TransformerConv computes attention, chosen per layer at compile time.
/// - `textbook` materialises q, k and v per node and the per-edge logits exactly as PyG does; it is
///   the readable reference every other algorithm is tested against.
/// - `folded` is the exact rewrite of docs/folded_attention.md: A_h = Wq_h^T Wk_h and the value weights are
///   applied in input space, so one GEMM gives the folded queries, the edge phase works on
///   F-wide source rows (fused per destination: logits, softmax and weighted sum in one pass) and
///   one GEMM by the stacked value weights follows. It needs edge_dim == 0: an edge feature is added
///   to every key and value, which makes them edge-specific and leaves nothing to fold.
/// - `automatic`: folded when it is exact and pays (edge_dim == 0 and F_src <= C: the folded GEMMs
///   are [N, F] x [F, H*F] instead of [N, F] x [F, H*C]), textbook otherwise.
enum class attention_algorithm { textbook, folded, automatic };

/// `torch.nn.Linear(in, out, bias)`: y = x W^T + b, W stored [out, in] as in PyTorch.
struct LinearConfig {
  int in = 0;
  int out = 0;
  bool bias = true;

  constexpr index_t parameter_count() const {
    return index_t{in} * out + (bias ? out : 0);
  }
};

/// `torch.nn.LayerNorm(features, eps, elementwise_affine=True)` over the last dimension.
struct LayerNormConfig {
  int features = 0;
  float eps = 1e-5f;

  constexpr index_t parameter_count() const { return 2 * index_t{features}; }
};

/// `torch_geometric.nn.TransformerConv` with every option of its constructor
/// (docs/pyg_semantics.md, TransformerConv: constructor and parameters). Defaults are PyG's defaults.
struct TransformerConvConfig {
  int in = 0;             ///< F_src: features of source nodes (and of destinations unless in_dst is set)
  int out = 0;            ///< C: out_channels per head
  int heads = 1;          ///< H
  bool concat = true;     ///< true: output [N, H*C]; false: mean over heads, output [N, C]
  bool beta = false;      ///< gated skip (lin_beta); PyG keeps it only when root_weight is true
  int edge_dim = 0;       ///< D of edge_attr; 0 = no edge features (no lin_edge)
  bool bias = true;       ///< biases of lin_key/query/value/skip
  bool root_weight = true;///< add lin_skip(x_dst) to the output
  /// Folded algorithm on the host: destinations with exactly one in-edge skip the query GEMM and
  /// the edge phase (their softmax is exactly 1.0f; nn/detail/in_degree_split.hpp says why and when
  /// it does not apply). Off: every destination takes the general folded path (for benchmarks).
  /// Declared among the other bools on purpose: with it last (a 36-byte struct ending in padding)
  /// clang 14 misread members of this struct used as a template argument (edge_dim read as 257;
  /// seen in the ASan build, 2026-11-30). Placed here the struct stays 32 bytes, as before.
  bool single_edge_shortcut = true;
  int in_dst = 0;         ///< F_dst for bipartite input (x_src, x_dst); 0 = same as `in`
  attention_algorithm attention = attention_algorithm::textbook;

  constexpr int f_src() const { return in; }
  constexpr int f_dst() const { return in_dst > 0 ? in_dst : in; }
  constexpr int width() const { return heads * out; }                 ///< H*C
  constexpr int out_width() const { return concat ? heads * out : out; }  ///< columns of the output
  constexpr bool uses_beta() const { return beta && root_weight; }    ///< PyG: self.beta = beta and root_weight
  constexpr bool uses_edge() const { return edge_dim > 0; }
  /// The algorithm this layer runs (automatic resolved).
  constexpr bool uses_folded() const {
    return attention == attention_algorithm::folded ||
           (attention == attention_algorithm::automatic && !uses_edge() && f_src() <= out);
  }

  constexpr LinearConfig key() const { return {f_src(), width(), bias}; }
  constexpr LinearConfig query() const { return {f_dst(), width(), bias}; }
  constexpr LinearConfig value() const { return {f_src(), width(), bias}; }
  constexpr LinearConfig edge() const { return {edge_dim, width(), false}; }
  /// lin_skip exists even when root_weight is false (PyG always creates it).
  constexpr LinearConfig skip() const { return {f_dst(), out_width(), bias}; }
  constexpr LinearConfig gate() const { return {3 * out_width(), 1, false}; }

  constexpr index_t parameter_count() const {
    return key().parameter_count() + query().parameter_count() + value().parameter_count() +
           (uses_edge() ? edge().parameter_count() : 0) + skip().parameter_count() +
           (uses_beta() ? gate().parameter_count() : 0);
  }
};

}  // namespace graphtx::nn
