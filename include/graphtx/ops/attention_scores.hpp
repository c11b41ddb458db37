#pragma once
/// \file
/// \brief ops::attention_scores: TransformerConv's per-edge, per-head attention logits
///
///     logits[p, h] = (sum_c q[i, h*C + c] * (k[j, h*C + c] + edge_term[p, h*C + c])) / sqrt(C)
///
/// for CSR position p of destination i with source j = sources[p], C = q.extent(1) / heads.
/// PyG computes `(query_i * key_j).sum(-1) / math.sqrt(out_channels)` with key_j = K[j] + E[p]
/// when lin_edge exists (transformer_conv.py `message`; docs/pyg_semantics.md, TransformerConv:
/// forward). graphtx follows its rounding: the key plus the edge term first, the product, the sum
/// over c in fp32, then a DIVISION by sqrtf(C), as PyTorch's CPU kernel does it. (PyTorch's CUDA
/// kernel multiplies by the fp32 reciprocal of a CPU-scalar divisor instead; the two agree exactly
/// when sqrt(C) is a power of two, e.g. C = 4, 16, 64, 256.) C = 0 gives 0/0 = NaN, as in PyG.
///
/// **Example**:
/// \code
/// graphtx::ops::attention_scores(q.cview(), k.cview(), {}, csr.offsets.cview(), csr.sources.cview(),
///                                heads, logits.view());   // [N_dst, H*C], [N_src, H*C] -> [E, H]
/// \endcode

#include <cstdint>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

namespace graphtx::ops {

namespace detail {
/// Reached only when no backend for `Space` is visible in this translation unit.
template <class Space>
struct attention_scores_impl {
  static_assert(sizeof(Space) == 0,
                "graphtx::ops::attention_scores has no implementation for this Space; for graphtx::cuda include "
                "<graphtx/cuda.hpp> from a .cu file");
};

/// Shape checks shared by the edge-attention ops (attention_scores, attention_aggregate).
namespace attention {

/// "<op>: <tensor> has extent A in dim d, expected B (<meaning>)".
inline void check_dim(char const* op, char const* tensor, int dim, index_t actual, index_t expected,
                      char const* meaning) {
  if (actual != expected) {
    throw shape_error(graphtx::detail::cat(op, ": ", tensor, " has extent ", actual, " in dim ", dim, ", expected ",
                                           expected, " (", meaning, ")"));
  }
}

/// heads must be positive and divide the feature width H*C of `tensor`.
inline void check_heads(char const* op, int heads, char const* tensor, index_t width) {
  if (heads <= 0) {
    throw shape_error(graphtx::detail::cat(op, ": heads is ", heads, ", expected a positive count"));
  }
  if (width % heads != 0) {
    throw shape_error(graphtx::detail::cat(op, ": ", tensor, " has extent ", width,
                                           " in dim 1, expected a multiple of heads = ", heads, " (H*C)"));
  }
}

/// An edge_term with extent 0 in both dims (e.g. a default-constructed view) means "no edge
/// features". Anything else must be exactly [E, H*C].
constexpr bool has_edge_term(index_t rows, index_t cols) { return rows != 0 || cols != 0; }

inline void check_edge_term(char const* op, index_t rows, index_t cols, index_t num_edges, index_t width) {
  if (!has_edge_term(rows, cols)) return;
  check_dim(op, "edge_term", 0, rows, num_edges, "E, or a [0, 0] view for no edge features");
  check_dim(op, "edge_term", 1, cols, width, "H*C");
}

}  // namespace attention
}  // namespace detail

/// Per-edge attention logits in CSR order.
///
/// - q: [N_dst, H*C]; k: [N_src, H*C]; edge_term: [E, H*C] in CSR order (lin_edge(edge_attr)
///   permuted to CSR), or a [0, 0] view such as `{}` for no edge features; offsets: [N_dst+1] and
///   sources: [E] int32; logits: [E, H] (overwritten).
/// - offsets and sources are trusted: graph/ validated them when it built the Csr (sources[p] in
///   [0, N_src), offsets a CSR over E), so they are not checked here; bad ones are undefined
///   behaviour. ops::reference::attention_scores checks them and throws graph_error.
/// - Deterministic for any thread count; logits must not overlap q, k or edge_term.
///
/// Throws shape_error naming the tensor, the dim and the expected and actual extents, or the
/// heads count when it is not positive or does not divide H*C.
template <class Space>
void attention_scores(std::type_identity_t<TensorView<float const, 2, Space>> q,              // [N_dst, H*C]
                      std::type_identity_t<TensorView<float const, 2, Space>> k,              // [N_src, H*C]
                      std::type_identity_t<TensorView<float const, 2, Space>> edge_term,      // [E, H*C] or [0, 0]
                      std::type_identity_t<TensorView<std::int32_t const, 1, Space>> offsets,  // [N_dst+1]
                      std::type_identity_t<TensorView<std::int32_t const, 1, Space>> sources,  // [E]
                      int heads, TensorView<float, 2, Space> logits) {                         // [E, H]
  namespace chk = detail::attention;
  char const* op = "attention_scores";
  index_t const width = q.extent(1);  // H*C
  index_t const num_edges = logits.extent(0);
  chk::check_heads(op, heads, "q", width);
  chk::check_dim(op, "k", 1, k.extent(1), width, "H*C, as q");
  chk::check_dim(op, "offsets", 0, offsets.extent(0), q.extent(0) + 1, "N_dst+1, from q");
  chk::check_dim(op, "logits", 1, logits.extent(1), heads, "heads");
  chk::check_dim(op, "sources", 0, sources.extent(0), num_edges, "E, from logits");
  chk::check_edge_term(op, edge_term.extent(0), edge_term.extent(1), num_edges, width);
  detail::attention_scores_impl<Space>::run(q, k, edge_term, offsets, sources, heads, logits);
}

}  // namespace graphtx::ops

#include <graphtx/ops/host/attention_scores.hpp>
