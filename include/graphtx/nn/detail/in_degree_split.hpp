#pragma once
/// \file
/// \brief detail::split_by_in_degree: the destination nodes of a TransformerConv grouped by
/// what their attention needs, for the host folded path (nn::TransformerConv, `single_edge_shortcut`).
///
/// Why: PyG's softmax over the incoming edges of a node with exactly ONE in-edge j -> i is
/// exp(l - l) / (exp(l - l) + 1e-16) = 1 / (1 + 1e-16), which is exactly 1.0f in float32 whatever
/// the logit l. So for that node every head's attention weight is 1, its query and the key of j
/// never matter, and the message is the value of j itself:
///     m_i = mean_h (Wv_h x_j + bv_h)   (concat=False)     or   Wv x_j + bv   (concat=True).
/// The folded path then needs neither the node's row of Qt ([H*F] from an [F] x [F, H*F] GEMM row)
/// nor its edge phase, and its value product shrinks from [H*F] x [H*F, C] to [F] x [F, C]. In
/// molecules (heavy atoms only) the terminal atoms have in-degree 1: 22% of the seed batch's nodes.
///
/// The shortcut must not hide a NaN or Inf that PyG would propagate: with a non-finite value in
/// x_dst[i] (the query) or x_src[j] (the key), every head's logit is NaN or +-Inf, the softmax
/// gives NaN (NaN, or Inf - Inf) and the whole message row is NaN. Such nodes are listed in
/// `single_nan_rows` and get that NaN row. They stay in the single class, so which rows go through
/// which GEMM depends on the graph only, never on the values: a NaN in one graph of a batch leaves
/// the other graphs' results bitwise unchanged (tests/reliability/nonfinite_test.cpp).
/// Left out on purpose: finite inputs so large that the logit overflows to Inf (|x| ~ 1e18 for the
/// seed's weights); PyG's message is then NaN, the shortcut's the finite value of j.

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/csr.hpp>

namespace graphtx::detail {

/// Destination nodes by in-degree class; nodes with no in-edge are in neither list (their message
/// is zero: PyG's empty softmax sum).
struct InDegreeSplit {
  Tensor<std::int32_t, 1, host> multi_rows;      // [M] in-degree >= 2
  Tensor<std::int32_t, 1, host> multi_offsets;   // [M+1] their incoming edges, CSR positions compacted
  Tensor<std::int32_t, 1, host> multi_sources;   // [E_M] source j of each of those edges, CSR order kept
  Tensor<std::int32_t, 1, host> single_rows;     // [S] in-degree exactly 1
  Tensor<std::int32_t, 1, host> single_sources;  // [S] the source j of that one edge
  std::vector<std::int32_t> single_nan_rows;     // single rows with a NaN or Inf in x_dst[i] or x_src[j]

  index_t num_multi() const { return multi_rows.extent(0); }
  index_t num_single() const { return single_rows.extent(0); }
};

inline bool row_is_finite(float const* row, index_t f) {
  bool finite = true;
  for (index_t c = 0; c < f; ++c) finite = finite && std::isfinite(row[c]);
  return finite;
}

/// O(N + E + S*F) on one thread; x_src: [N_src, F_src], x_dst: [N_dst, F_dst], csr by destination
/// (validated: every source is in [0, N_src)).
inline InDegreeSplit split_by_in_degree(TensorView<float const, 2, host> x_src, TensorView<float const, 2, host> x_dst,
                                        graph::Csr<host> const& csr) {
  index_t const n = csr.num_dst_nodes;
  std::int32_t const* off = csr.offsets.data();
  std::int32_t const* src = csr.sources.data();
  std::vector<std::int32_t> multi, single, single_src, nan_rows;
  index_t multi_edges = 0;
  for (index_t i = 0; i < n; ++i) {
    index_t const deg = off[i + 1] - off[i];
    if (deg == 0) continue;
    if (deg == 1) {
      std::int32_t const j = src[off[i]];
      single.push_back(static_cast<std::int32_t>(i));
      single_src.push_back(j);
      if (!row_is_finite(x_dst.row(i), x_dst.extent(1)) || !row_is_finite(x_src.row(j), x_src.extent(1))) {
        nan_rows.push_back(static_cast<std::int32_t>(i));
      }
      continue;
    }
    multi.push_back(static_cast<std::int32_t>(i));
    multi_edges += deg;
  }
  InDegreeSplit s;
  auto const m = static_cast<index_t>(multi.size()), sn = static_cast<index_t>(single.size());
  s.multi_rows = Tensor<std::int32_t, 1, host>({m});
  s.multi_offsets = Tensor<std::int32_t, 1, host>({m + 1});
  s.multi_sources = Tensor<std::int32_t, 1, host>({multi_edges});
  s.single_rows = Tensor<std::int32_t, 1, host>({sn});
  s.single_sources = Tensor<std::int32_t, 1, host>({sn});
  std::int32_t pos = 0;
  for (index_t r = 0; r < m; ++r) {
    std::int32_t const i = multi[static_cast<std::size_t>(r)];
    s.multi_rows(r) = i;
    s.multi_offsets(r) = pos;
    for (std::int32_t p = off[i]; p < off[i + 1]; ++p) s.multi_sources(pos++) = src[p];
  }
  s.multi_offsets(m) = pos;
  for (index_t r = 0; r < sn; ++r) {
    s.single_rows(r) = single[static_cast<std::size_t>(r)];
    s.single_sources(r) = single_src[static_cast<std::size_t>(r)];
  }
  s.single_nan_rows = std::move(nan_rows);
  return s;
}

}  // namespace graphtx::detail
