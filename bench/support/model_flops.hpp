#pragma once
/// \file
/// \brief Nominal work of a TransformerConv and of a GraphTransformer forward, counted as the
/// textbook algorithm (PyG's) does it. The same count is used for every algorithm, so the FLOP/s
/// counter of a folded or fused run is "textbook-equivalent": higher means faster at the same job,
/// not more arithmetic done.

#include <graphtx/models/graph_transformer.hpp>
#include <graphtx/nn/config.hpp>

namespace graphtx::bench {

/// GEMMs 2*rows*in*out (+ rows*out bias); per edge and head: a C-long dot product for the logit,
/// 4 for the softmax, a C-long weighted sum for the message; the head mean (concat=False); the
/// root term (lin_skip and the add, or the beta gate).
constexpr double textbook_flops(nn::TransformerConvConfig const& c, double n, double e) {
  double const hc = c.width(), fs = c.f_src(), fd = c.f_dst(), ow = c.out_width();
  double const gemm = 2.0 * n * fs * hc * 2.0 + 2.0 * n * fd * hc + 3.0 * n * hc;  // key, value (F_src), query (F_dst), biases
  double const edge_proj = c.uses_edge() ? 2.0 * e * c.edge_dim * hc + 2.0 * e * hc : 0.0;
  double const attention = 2.0 * e * hc + 4.0 * e * c.heads + 2.0 * e * hc;  // logits, softmax, weighted sum
  double const heads = c.concat ? 0.0 : n * hc;
  double const root = c.root_weight ? 2.0 * n * fd * ow + 2.0 * n * ow + (c.uses_beta() ? 8.0 * n * ow : 0.0) : 0.0;
  return gemm + edge_proj + attention + heads + root;
}

/// Bytes a TransformerConv forward must at least move: x in, out out, the parameters and the CSR.
constexpr double conv_compulsory_bytes(nn::TransformerConvConfig const& c, double n, double e) {
  return 4.0 * (n * c.f_src() + n * c.out_width() + static_cast<double>(c.parameter_count()) + (n + 1.0) + e);
}

/// The GraphTransformer forward that runs (num_conv_layers convs, ReLU, num_conv_layers - 1
/// LayerNorms at a nominal 7 per element, mean pool, post_mp) on g graphs, n nodes, e edges.
constexpr double textbook_flops(GraphTransformerConfig const& m, double g, double n, double e) {
  double const layers = textbook_flops(m.first_conv(), n, e) + (m.num_conv_layers - 1) * textbook_flops(m.hidden_conv(), n, e);
  double const relu_norm = m.num_conv_layers * n * m.hidden + m.norms_run() * 7.0 * n * m.hidden;
  double const head = n * m.hidden + 2.0 * g * m.hidden * m.out + g * m.out;
  return layers + relu_norm + head;
}

}  // namespace graphtx::bench
