#pragma once
/// \file
/// \brief nn::TransformerConv: PyG's `TransformerConv` (Shi et al., "Masked Label Prediction"),
/// with every constructor option: heads, concat, beta, edge_dim, bias, root_weight and bipartite
/// input. The math is PYG_SPEC.md §1.2:
///
///     q_i = Wq x_i + bq,  k_j = Wk x_j + bk (+ We e_ji),  v_j = Wv x_j + bv (+ We e_ji)   (H x C each)
///     alpha_ij^h = softmax_j (q_i^h . k_j^h) / sqrt(C)          (per destination i and head h)
///     m_i = concat_h or mean_h  sum_j alpha_ij^h v_j^h
///     out_i = m_i + Ws x_i + bs,  or with beta: b = sigmoid(w . [m_i, Ws x_i + bs, m_i - Ws x_i - bs]),
///             out_i = b (Ws x_i + bs) + (1 - b) m_i
///
/// Edges run from edge_index[0] (source j) to edge_index[1] (target i); no self-loops are added;
/// duplicate edges are separate softmax terms; a node without in-edges gets only the root term.
///
/// **Example**:
/// \code
/// using Conv = graphtx::nn::TransformerConv<graphtx::nn::TransformerConvConfig{.in = 256, .out = 256, .heads = 32, .concat = false}>;
/// Conv conv = Conv::load(file, "convs.1.");
/// auto out = conv.forward(x, csr);                    // [N, 256]
/// \endcode

#include <cmath>
#include <string>

#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/csr.hpp>
#include <graphtx/io/state_dict.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/ops/attention_aggregate.hpp>
#include <graphtx/ops/attention_scores.hpp>
#include <graphtx/ops/beta_gate.hpp>
#include <graphtx/ops/elementwise.hpp>
#include <graphtx/ops/gather_rows.hpp>
#include <graphtx/ops/segment_softmax.hpp>

namespace graphtx::nn {

template <TransformerConvConfig Config, class Space = host>
class TransformerConv {
  static_assert(Config.in > 0, "nn::TransformerConv: .in (F_src, input features) must be positive; set it in the TransformerConvConfig");
  static_assert(Config.out > 0, "nn::TransformerConv: .out (C, out_channels per head) must be positive; set it in the TransformerConvConfig");
  static_assert(Config.heads > 0, "nn::TransformerConv: .heads must be positive; set it in the TransformerConvConfig");
  static_assert(Config.edge_dim >= 0, "nn::TransformerConv: .edge_dim must be >= 0 (0 means no edge features)");
  static_assert(Config.in_dst >= 0, "nn::TransformerConv: .in_dst must be >= 0 (0 means the same as .in)");

 public:
  static constexpr TransformerConvConfig config = Config;
  static constexpr index_t parameter_count = Config.parameter_count();
  static constexpr int heads = Config.heads;
  static constexpr int channels = Config.out;           // C
  static constexpr int width = Config.width();          // H*C
  static constexpr int out_width = Config.out_width();  // H*C (concat) or C (mean over heads)

  Linear<Config.key(), Space> lin_key;      // [H*C, F_src]
  Linear<Config.query(), Space> lin_query;  // [H*C, F_dst]
  Linear<Config.value(), Space> lin_value;  // [H*C, F_src]
  Linear<Config.edge(), Space> lin_edge;    // [H*C, D], no bias; extent 0 when edge_dim == 0
  Linear<Config.skip(), Space> lin_skip;    // [out_width, F_dst]; PyG creates it even without root_weight
  Linear<Config.gate(), Space> lin_beta;    // [1, 3*out_width], no bias; used only when beta && root_weight

  /// Homogeneous graph: x is both source and destination features.        x: [N, F] -> [N, out_width]
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, graph::Csr<Space> const& csr,
                                  TensorView<float const, 2, Space> edge_attr = {}) const {
    static_assert(Config.f_src() == Config.f_dst(),
                  "nn::TransformerConv: this config is bipartite (.in_dst != .in); call forward(x_src, x_dst, csr)");
    return forward(x, x, csr, edge_attr);
  }

  /// Bipartite input (PyG's tuple `(x_src, x_dst)`).    x_src: [N_src, F_src], x_dst: [N_dst, F_dst]
  /// edge_attr: [E, D] in the user's (COO) edge order, required when edge_dim > 0.
  /// alpha_csr, when given, receives the attention weights [E, H] in CSR order
  /// (`attention_weights_coo` reorders them like PyG's return_attention_weights).
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x_src, TensorView<float const, 2, Space> x_dst,
                                  graph::Csr<Space> const& csr, TensorView<float const, 2, Space> edge_attr = {},
                                  Tensor<float, 2, Space>* alpha_csr = nullptr) const {
    check_inputs(x_src, x_dst, csr, edge_attr);
    index_t const n_src = x_src.extent(0);
    index_t const n_dst = x_dst.extent(0);
    index_t const e = csr.num_edges();
    (void)n_src;

    Tensor<float, 2, Space> q = lin_query(x_dst);  // [N_dst, H*C]
    Tensor<float, 2, Space> k = lin_key(x_src);    // [N_src, H*C]
    Tensor<float, 2, Space> v = lin_value(x_src);  // [N_src, H*C]

    // Projected edge features, in CSR order so the edge ops stream them with the edges.
    Tensor<float, 2, Space> edge_term({Config.uses_edge() ? e : 0, Config.uses_edge() ? width : 0});  // [E, H*C]
    if constexpr (Config.uses_edge()) {
      if (e > 0) {
        Tensor<float, 2, Space> edge_attr_csr({e, Config.edge_dim});  // [E, D]
        ops::gather_rows(edge_attr, csr.edge_ids.cview(), edge_attr_csr.view());
        lin_edge.forward(edge_attr_csr.cview(), edge_term.view());
      }
    }

    Tensor<float, 2, Space> alpha({e, heads});  // [E, H]: logits, then softmax in place
    ops::attention_scores(q.cview(), k.cview(), edge_term.cview(), csr.offsets.cview(), csr.sources.cview(), heads,
                          alpha.view());
    ops::segment_softmax(alpha.cview(), csr.offsets.cview(), alpha.view());
    // Attention dropout is the identity at inference (p applies only in training).

    Tensor<float, 2, Space> agg({n_dst, width});  // [N_dst, H*C]
    ops::attention_aggregate(alpha.cview(), v.cview(), edge_term.cview(), csr.offsets.cview(), csr.sources.cview(),
                             heads, agg.view());

    Tensor<float, 2, Space> out = [&] {
      if constexpr (Config.concat) {
        return std::move(agg);  // [N_dst, H*C]
      } else {
        Tensor<float, 2, Space> mean({n_dst, channels});  // [N_dst, C]
        ops::head_mean(agg.cview(), heads, mean.view());
        return mean;
      }
    }();

    if constexpr (Config.root_weight) {
      Tensor<float, 2, Space> x_r = lin_skip(x_dst);  // [N_dst, out_width]
      if constexpr (Config.uses_beta()) {
        ops::beta_gate(out.cview(), x_r.cview(), lin_beta.weight.cview(), out.view());
      } else {
        ops::add(out.cview(), x_r.cview(), out.view());
      }
    }
    if (alpha_csr != nullptr) *alpha_csr = std::move(alpha);
    return out;
  }

  /// Loads every parameter PyG saves for this config under `prefix` ("convs.0." or "").
  void load(io::StateDictReader& sd, std::string const& prefix) {
    lin_key.load(sd, prefix + "lin_key.");
    lin_query.load(sd, prefix + "lin_query.");
    lin_value.load(sd, prefix + "lin_value.");
    if constexpr (Config.uses_edge()) lin_edge.load(sd, prefix + "lin_edge.");
    lin_skip.load(sd, prefix + "lin_skip.");
    if constexpr (Config.uses_beta()) lin_beta.load(sd, prefix + "lin_beta.");
  }
  /// A conv from a file holding exactly this conv's state_dict (unexpected keys are errors).
  static TransformerConv load(io::SafetensorsFile const& file, std::string const& prefix = "") {
    io::StateDictReader sd(file);
    TransformerConv conv;
    conv.load(sd, prefix);
    if (prefix.empty()) sd.finish();
    return conv;
  }
  /// The same parameters from a conv in another space (host -> cuda or back).
  template <class OtherSpace>
  static TransformerConv from(TransformerConv<Config, OtherSpace> const& other) {
    io::StateDictWriter sd;
    other.save(sd, "");
    return load(io::SafetensorsFile::from_bytes(sd.to_bytes(), "<TransformerConv copied between spaces>"));
  }
  void save(io::StateDictWriter& sd, std::string const& prefix) const {
    lin_key.save(sd, prefix + "lin_key.");
    lin_query.save(sd, prefix + "lin_query.");
    lin_value.save(sd, prefix + "lin_value.");
    if constexpr (Config.uses_edge()) lin_edge.save(sd, prefix + "lin_edge.");
    lin_skip.save(sd, prefix + "lin_skip.");
    if constexpr (Config.uses_beta()) lin_beta.save(sd, prefix + "lin_beta.");
  }
  void init_random(graphtx::detail::weight_rng& rng) {
    lin_key.init_random(rng);
    lin_query.init_random(rng);
    lin_value.init_random(rng);
    if constexpr (Config.uses_edge()) lin_edge.init_random(rng);
    lin_skip.init_random(rng);
    if constexpr (Config.uses_beta()) lin_beta.init_random(rng);
  }

 private:
  void check_inputs(TensorView<float const, 2, Space> x_src, TensorView<float const, 2, Space> x_dst,
                    graph::Csr<Space> const& csr, TensorView<float const, 2, Space> edge_attr) const {
    constexpr char const* where = "TransformerConv";
    check_extent(where, "x_src (features of source nodes, .in)", 1, x_src.extent(1), Config.f_src());
    check_extent(where, "x_dst (features of destination nodes, .in_dst or .in)", 1, x_dst.extent(1), Config.f_dst());
    check_extent(where, "x_src (rows = graph's source nodes)", 0, x_src.extent(0), csr.num_src_nodes);
    check_extent(where, "x_dst (rows = graph's destination nodes)", 0, x_dst.extent(0), csr.num_dst_nodes);
    index_t const e = csr.num_edges();
    if constexpr (Config.uses_edge()) {
      if (e > 0 || edge_attr.size() > 0) {
        check_extent(where, "edge_attr (rows = edges)", 0, edge_attr.extent(0), e);
        check_extent(where, "edge_attr (.edge_dim)", 1, edge_attr.extent(1), Config.edge_dim);
      }
    } else {
      if (edge_attr.size() > 0) {
        throw shape_error(detail::cat(where, ": edge_attr ", detail::shape_string(edge_attr.extents()),
                                      " was given but the config has .edge_dim = 0; set .edge_dim to use edge features"));
      }
    }
  }
};

/// Reorders attention weights from CSR order to the user's edge order (PyG's
/// `return_attention_weights` gives alpha [E, H] in edge_index order).
inline Tensor<float, 2, host> attention_weights_coo(TensorView<float const, 2, host> alpha_csr,
                                                   graph::Csr<host> const& csr) {
  Tensor<float, 2, host> out(alpha_csr.extents());
  index_t const h = alpha_csr.extent(1);
  for (index_t p = 0; p < alpha_csr.extent(0); ++p) {
    index_t const e = csr.edge_ids.cview()(p);
    for (index_t c = 0; c < h; ++c) out(e, c) = alpha_csr(p, c);
  }
  return out;
}

}  // namespace graphtx::nn
