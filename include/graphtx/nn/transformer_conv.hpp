#pragma once
/// \file
/// \brief nn::TransformerConv: PyG's `TransformerConv` (Shi et al., "Masked Label Prediction"),
/// with every constructor option: heads, concat, beta, edge_dim, bias, root_weight and bipartite
/// input. The math (docs/pyg_semantics.md, TransformerConv: forward):
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
///
/// Profiling (profile::Profiler): every forward takes a `profile::Probe` last (default: off). The
/// counts are DeepSpeed's for PyG's module whatever the algorithm: lin_key, lin_query, lin_value
/// (and lin_edge over E rows, lin_skip, lin_beta) count as the F.linear calls PyG makes, and nothing
/// else in the conv counts. Latency is measured where graphtx has the module: the conv itself and
/// the Linears it runs (lin_skip; lin_query/key/value/edge in the textbook algorithm). The folded
/// algorithm never runs lin_query, lin_key or lin_value (their work is fused into the edge phase),
/// and lin_beta is always fused into the gate: those get their counts but no call and no time.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/csr.hpp>
#include <graphtx/io/state_dict.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/detail/fold_query.hpp>
#include <graphtx/nn/detail/in_degree_split.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/parameters.hpp>
#include <graphtx/ops/attention_aggregate.hpp>
#include <graphtx/ops/attention_scores.hpp>
#include <graphtx/ops/beta_gate.hpp>
#include <graphtx/ops/bias_to_targets.hpp>
#include <graphtx/ops/elementwise.hpp>
#include <graphtx/ops/folded_attention.hpp>
#include <graphtx/ops/head_linear.hpp>
#include <graphtx/ops/gather_rows.hpp>
#include <graphtx/ops/scatter_rows.hpp>
#include <graphtx/ops/segment_softmax.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

template <TransformerConvConfig Config, class Space = host>
class TransformerConv {
  static_assert(Config.in > 0, "nn::TransformerConv: .in (F_src, input features) must be positive; set it in the TransformerConvConfig");
  static_assert(Config.out > 0, "nn::TransformerConv: .out (C, out_channels per head) must be positive; set it in the TransformerConvConfig");
  static_assert(Config.heads > 0, "nn::TransformerConv: .heads must be positive; set it in the TransformerConvConfig");
  static_assert(Config.edge_dim >= 0, "nn::TransformerConv: .edge_dim must be >= 0 (0 means no edge features)");
  static_assert(Config.in_dst >= 0, "nn::TransformerConv: .in_dst must be >= 0 (0 means the same as .in)");
  static_assert(!(Config.attention == attention_algorithm::folded && Config.uses_edge()),
                "nn::TransformerConv: attention_algorithm::folded cannot fold edge features (edge_dim > 0 makes every "
                "key and value edge-specific); use attention_algorithm::textbook or automatic");

 public:
  static constexpr TransformerConvConfig config = Config;
  using space = Space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = TransformerConv<Config, S>;
  static constexpr int in_width = Config.f_src();  // in a composition: x is source and destination
  static constexpr index_t parameter_count = Config.parameter_count();
  static constexpr int heads = Config.heads;
  static constexpr int channels = Config.out;           // C
  static constexpr int width = Config.width();          // H*C
  static constexpr int out_width = Config.out_width();  // H*C (concat) or C (mean over heads)
  static constexpr bool folded = Config.uses_folded();
  /// Folded layers on the host skip the attention of nodes with one in-edge (config.hpp).
  static constexpr bool uses_single_edge_shortcut =
      folded && Config.single_edge_shortcut && std::is_same_v<Space, host>;

  Linear<Config.key(), Space> lin_key;      // [H*C, F_src]
  Linear<Config.query(), Space> lin_query;  // [H*C, F_dst]
  Linear<Config.value(), Space> lin_value;  // [H*C, F_src]
  Linear<Config.edge(), Space> lin_edge;    // [H*C, D], no bias; extent 0 when edge_dim == 0
  Linear<Config.skip(), Space> lin_skip;    // [out_width, F_dst]; PyG creates it even without root_weight
  Linear<Config.gate(), Space> lin_beta;    // [1, 3*out_width], no bias; used only when beta && root_weight

  /// Folded weights, derived from the lin_* parameters by prepare() (load and init_random call it;
  /// call it yourself after changing lin_* by hand). Empty for the textbook algorithm.
  ///   fold_query  [H*F_src, F_dst]: row h*F_src + f is (Wk_h^T Wq_h)[f, :]   -> Qt = x_dst A^T + u
  ///   fold_bias   [H*F_src]:        Wk_h^T bq_h (the query bias seen through the keys)
  ///   fold_value  [C, H*F_src]:     Wv_h / H side by side (concat=False: mean over heads folded in)
  ///   fold_value_bias [C]:          mean_h bv_h (concat=False), added only where in-degree > 0
  ///   fold_value_mean [C, F_src]:   mean_h Wv_h (concat=False, host): the value product of a node
  ///                                 with one in-edge, whose attention weights are all exactly 1
  Tensor<float, 2, Space> fold_query;
  Tensor<float, 1, Space> fold_bias;
  Tensor<float, 2, Space> fold_value;
  Tensor<float, 1, Space> fold_value_bias;
  Tensor<float, 2, Space> fold_value_mean;

  /// Computes the folded weights (in double, rounded once to float). A no-op for textbook layers.
  ///
  /// Why it is exact: q_i^h . k_j^h = x_i^T Wq_h^T Wk_h x_j + bq_h^T Wk_h x_j + (terms constant in j),
  /// and terms constant in j cancel in the softmax over j. After the softmax everything is linear:
  /// sum_j a_ij (Wv_h x_j + bv_h) = Wv_h (sum_j a_ij x_j) + (sum_j a_ij) bv_h, with sum_j a_ij = 1 for
  /// nodes with in-edges and 0 for isolated ones.
  void prepare() {
    if constexpr (folded) {
      constexpr index_t H = heads, C = channels, Fs = Config.f_src(), Fd = Config.f_dst();
      // The lin_* weights as host views: the parameters themselves on the host, copies otherwise.
      Tensor<float, 2, host> wq_copy, wk_copy, wv_copy;
      Tensor<float, 1, host> bq_copy;
      TensorView<float const, 2, host> wq, wk, wv;  // [H*C, Fd], [H*C, Fs], [H*C, Fs]
      TensorView<float const, 1, host> bq;          // [H*C] or [0]
      if constexpr (std::is_same_v<Space, host>) {
        wq = lin_query.weight.cview(), wk = lin_key.weight.cview(), wv = lin_value.weight.cview();
        bq = lin_query.bias.cview();
      } else {
        wq_copy = to_space<host>(lin_query.weight), wk_copy = to_space<host>(lin_key.weight);
        wv_copy = to_space<host>(lin_value.weight), bq_copy = to_space<host>(lin_query.bias);
        wq = wq_copy.cview(), wk = wk_copy.cview(), wv = wv_copy.cview(), bq = bq_copy.cview();
      }
      Tensor<float, 2, host> a({H * Fs, Fd});
      Tensor<float, 1, host> u({Config.bias ? H * Fs : 0});
      detail::fold_query(wq, wk, bq, H, a.view(), u.view());
      fold_query = to_space<Space>(std::move(a));
      fold_bias = to_space<Space>(std::move(u));
      if constexpr (!Config.concat) {
        Tensor<float, 2, host> v({C, H * Fs});
        for (index_t c = 0; c < C; ++c)
          for (index_t h = 0; h < H; ++h)
            for (index_t f = 0; f < Fs; ++f) v(c, h * Fs + f) = static_cast<float>(static_cast<double>(wv(h * C + c, f)) / H);
        fold_value = to_space<Space>(std::move(v));
        if constexpr (uses_single_edge_shortcut) {
          Tensor<float, 2, host> vm({C, Fs});
          for (index_t c = 0; c < C; ++c) {
            for (index_t f = 0; f < Fs; ++f) {
              double s = 0;
              for (index_t h = 0; h < H; ++h) s += wv(h * C + c, f);
              vm(c, f) = static_cast<float>(s / H);
            }
          }
          fold_value_mean = to_space<Space>(std::move(vm));
        }
        Tensor<float, 1, host> vb({Config.bias ? C : 0});
        if constexpr (Config.bias) {
          auto bv = to_space<host>(lin_value.bias);
          for (index_t c = 0; c < C; ++c) {
            double s = 0;
            for (index_t h = 0; h < H; ++h) s += bv(h * C + c);
            vb(c) = static_cast<float>(s / H);
          }
        }
        fold_value_bias = to_space<Space>(std::move(vb));
      }
    }
  }

  /// Frees the PyG-layout weights the folded forward never reads once prepare() has folded them:
  /// lin_query and lin_key (weights and biases), and lin_value with concat=False (folded into
  /// fold_value / fold_value_bias / fold_value_mean). They become empty tensors, so the layer can
  /// no longer be saved, copied or prepared again (nn::Model refuses save() and from() after a
  /// load with LoadOptions::drop_folded_weights). A no-op for the textbook algorithm.
  void drop_folded_weights() {
    if constexpr (folded) {
      lin_query.weight = {}, lin_query.bias = {};
      lin_key.weight = {}, lin_key.bias = {};
      if constexpr (!Config.concat) lin_value.weight = {}, lin_value.bias = {};
    }
  }

  /// In a composition: x is both source and destination features, edge features come from the
  /// batch (g.edge_attr, already in CSR order).                     x: [N, F] -> [N, out_width]
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& g,
                                  profile::Probe probe = {}) const {
    static_assert(Config.f_src() == Config.f_dst(),
                  "nn::TransformerConv: this config is bipartite (.in_dst != .in); call forward(x_src, x_dst, csr)");
    profile::Scope<Space> scope(probe);
    TensorView<float const, 2, Space> edge_attr;
    if constexpr (Config.uses_edge()) edge_attr = g.edge_attr;
    return run(x, x, *g.csr, edge_attr, nullptr, probe);
  }

  /// Homogeneous graph: x is both source and destination features.        x: [N, F] -> [N, out_width]
  /// edge_attr: [E, D] in the user's (COO) edge order, required when edge_dim > 0.
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, graph::Csr<Space> const& csr,
                                  TensorView<float const, 2, Space> edge_attr = {}, profile::Probe probe = {}) const {
    static_assert(Config.f_src() == Config.f_dst(),
                  "nn::TransformerConv: this config is bipartite (.in_dst != .in); call forward(x_src, x_dst, csr)");
    return forward(x, x, csr, edge_attr, nullptr, probe);
  }

  /// Bipartite input (PyG's tuple `(x_src, x_dst)`).    x_src: [N_src, F_src], x_dst: [N_dst, F_dst]
  /// edge_attr: [E, D] in the user's (COO) edge order, required when edge_dim > 0.
  /// alpha_csr, when given, receives the attention weights [E, H] in CSR order
  /// (`attention_weights_coo` reorders them like PyG's return_attention_weights).
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x_src, TensorView<float const, 2, Space> x_dst,
                                  graph::Csr<Space> const& csr, TensorView<float const, 2, Space> edge_attr = {},
                                  Tensor<float, 2, Space>* alpha_csr = nullptr, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    check_inputs(x_src, x_dst, csr, edge_attr);
    Tensor<float, 2, Space> edge_attr_csr;  // [E, D]: the edge features in CSR order, streamed with the edges
    if constexpr (Config.uses_edge()) {
      index_t const e = csr.num_edges();
      edge_attr_csr = Tensor<float, 2, Space>({e, Config.edge_dim});
      if (e > 0) ops::gather_rows(edge_attr, csr.edge_ids.cview(), edge_attr_csr.view());
    }
    return run(x_src, x_dst, csr, edge_attr_csr.cview(), alpha_csr, probe);
  }

 private:
  // The forward; the caller holds the profile scope. edge_attr_csr: [E, D] in CSR order.
  Tensor<float, 2, Space> run(TensorView<float const, 2, Space> x_src, TensorView<float const, 2, Space> x_dst,
                              graph::Csr<Space> const& csr, TensorView<float const, 2, Space> edge_attr_csr,
                              Tensor<float, 2, Space>* alpha_csr, profile::Probe probe) const {
    check_inputs(x_src, x_dst, csr, edge_attr_csr);
    if constexpr (folded) {
      if (alpha_csr != nullptr) {
        throw error("TransformerConv: the folded algorithm never materialises attention weights; use "
                    "attention_algorithm::textbook to get them");
      }
      return run_folded(x_src, x_dst, csr, probe);
    }
    index_t const n_dst = x_dst.extent(0);
    index_t const e = csr.num_edges();

    Tensor<float, 2, Space> q = lin_query(x_dst, probe.child("lin_query"));  // [N_dst, H*C]
    Tensor<float, 2, Space> k = lin_key(x_src, probe.child("lin_key"));      // [N_src, H*C]
    Tensor<float, 2, Space> v = lin_value(x_src, probe.child("lin_value"));  // [N_src, H*C]

    // Projected edge features, in CSR order so the edge ops stream them with the edges.
    Tensor<float, 2, Space> edge_term({Config.uses_edge() ? e : 0, Config.uses_edge() ? width : 0});  // [E, H*C]
    if constexpr (Config.uses_edge()) {
      if (e > 0) lin_edge.forward_into(edge_attr_csr, edge_term.view(), false, probe.child("lin_edge"));
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

    finish_root(x_dst, out, probe);
    if (alpha_csr != nullptr) *alpha_csr = std::move(alpha);
    return out;
  }


 public:
  /// Folded path: Qt = x_dst A^T + u (one GEMM), the fused edge phase in input space, then one GEMM
  /// by the value weights; no q, k, v tables and no per-edge tensors.
  Tensor<float, 2, Space> forward_folded(TensorView<float const, 2, Space> x_src, TensorView<float const, 2, Space> x_dst,
                                         graph::Csr<Space> const& csr, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    return run_folded(x_src, x_dst, csr, probe);
  }

  /// This conv as DeepSpeed sees PyG's module (for profile::Profiler): class TransformerConv with
  /// its own __repr__ (`TransformerConv(9, 256, heads=32)`, children hidden in the printed tree) and
  /// the Linears PyG creates, in PyG's order: lin_key, lin_query, lin_value, lin_edge (edge_dim
  /// only), lin_skip (always, even without root_weight), lin_beta (beta and root_weight only).
  static profile::Module profile_module() {
    profile::Module m;
    m.type = "TransformerConv";
    m.repr = Config.in_dst > 0
                 ? graphtx::detail::cat("TransformerConv((", Config.in, ", ", Config.in_dst, "), ", Config.out,
                                        ", heads=", Config.heads, ")")
                 : graphtx::detail::cat("TransformerConv(", Config.in, ", ", Config.out, ", heads=", Config.heads, ")");
    auto pyg_linear = [](profile::Module lin, LinearConfig c) {  // PyG's Linear has its own __repr__
      lin.repr = graphtx::detail::cat("Linear(", c.in, ", ", c.out, ", bias=", c.bias ? "True" : "False", ")");
      return lin;
    };
    m.add("lin_key", pyg_linear(decltype(lin_key)::profile_module(), Config.key()));
    m.add("lin_query", pyg_linear(decltype(lin_query)::profile_module(), Config.query()));
    m.add("lin_value", pyg_linear(decltype(lin_value)::profile_module(), Config.value()));
    if constexpr (Config.uses_edge()) m.add("lin_edge", pyg_linear(decltype(lin_edge)::profile_module(), Config.edge()));
    m.add("lin_skip", pyg_linear(decltype(lin_skip)::profile_module(), Config.skip()));
    if constexpr (Config.uses_beta()) m.add("lin_beta", pyg_linear(decltype(lin_beta)::profile_module(), Config.gate()));
    return m;
  }

  /// DeepSpeed's counts of one forward over n_src source rows, n_dst destination rows and e edges
  /// (the F.linear calls of PyG's conv), added to this conv's node (profile_module()).
  static void add_counts(profile::Module& conv, index_t n_src, index_t n_dst, index_t e) {
    auto lin = [&](char const* key, LinearConfig c, index_t rows) {
      conv.at(key).own += profile::linear_counts(rows, c.in, c.out);
    };
    lin("lin_key", Config.key(), n_src);
    lin("lin_query", Config.query(), n_dst);
    lin("lin_value", Config.value(), n_src);
    if constexpr (Config.uses_edge()) lin("lin_edge", Config.edge(), e);
    if constexpr (Config.root_weight) lin("lin_skip", Config.skip(), n_dst);
    if constexpr (Config.uses_beta()) lin("lin_beta", Config.gate(), n_dst);
  }
  static void add_counts(profile::Module& conv, FlowShape s) { add_counts(conv, s.rows, s.rows, s.edges); }
  /// This conv's tree with one forward's counts (bipartite: n_src != n_dst).
  static profile::Module counts(index_t n_src, index_t n_dst, index_t e) {
    profile::Module m = profile_module();
    add_counts(m, n_src, n_dst, e);
    return m;
  }
  static profile::Module counts(index_t nodes, index_t e) { return counts(nodes, nodes, e); }

  /// Every parameter PyG saves for this config, in PyG's order; prepare() runs after a load.
  template <class V>
  void visit(V& v) {
    v.child("lin_key", lin_key);
    v.child("lin_query", lin_query);
    v.child("lin_value", lin_value);
    if constexpr (Config.uses_edge()) v.child("lin_edge", lin_edge);
    v.child("lin_skip", lin_skip);
    if constexpr (Config.uses_beta()) v.child("lin_beta", lin_beta);
  }

  /// A conv from a file holding exactly this conv's state_dict under `prefix` (with prefix "",
  /// a key the conv does not have is an error).
  static TransformerConv load(io::SafetensorsFile const& file, std::string const& prefix = "") {
    io::StateDictReader sd(file);
    TransformerConv conv;
    load_state(conv, sd, prefix);
    if (prefix.empty()) sd.finish();
    return conv;
  }
  /// The same parameters from a conv in another space (host -> cuda or back), tensor by tensor.
  template <class OtherSpace>
  static TransformerConv from(TransformerConv<Config, OtherSpace> const& other) {
    TransformerConv conv;
    copy_parameters(conv, other);
    return conv;
  }

 private:
  // The folded forward; the caller holds the profile scope. lin_query, lin_key and lin_value get
  // the counts of PyG's F.linear calls without running.
  Tensor<float, 2, Space> run_folded(TensorView<float const, 2, Space> x_src, TensorView<float const, 2, Space> x_dst,
                                     graph::Csr<Space> const& csr, profile::Probe probe) const {
    if (probe) {
      probe.child("lin_query").count(decltype(lin_query)::profile_counts(x_dst.extent(0)));
      probe.child("lin_key").count(decltype(lin_key)::profile_counts(x_src.extent(0)));
      probe.child("lin_value").count(decltype(lin_value)::profile_counts(x_src.extent(0)));
    }
    if constexpr (uses_single_edge_shortcut) {
      graphtx::detail::InDegreeSplit split = graphtx::detail::split_by_in_degree(x_src, x_dst, csr);
      if (split.num_single() > 0) {
        Tensor<float, 2, Space> out = run_folded_split(x_src, x_dst, csr, split);
        finish_root(x_dst, out, probe);
        return out;
      }
    }
    Tensor<float, 2, Space> out({x_dst.extent(0), out_width});  // [N_dst, out_width]
    folded_message(x_dst, x_src, csr.offsets.cview(), csr.sources.cview(), out.view());
    add_value_bias(csr, out);
    finish_root(x_dst, out, probe);
    return out;
  }

  // The folded message of R destinations without the value bias: Qt = x_rows A^T (one GEMM; the
  // bias u is applied inside the edge phase), the fused edge phase in input space, then one GEMM by
  // the value weights. x_rows: [R, F_dst] their features, offsets: [R+1] and sources: their
  // incoming edges (CSR by destination), out: [R, out_width], overwritten.
  void folded_message(TensorView<float const, 2, Space> x_rows, TensorView<float const, 2, Space> x_src,
                      TensorView<std::int32_t const, 1, Space> offsets, TensorView<std::int32_t const, 1, Space> sources,
                      TensorView<float, 2, Space> out) const {
    index_t const r = x_rows.extent(0);
    constexpr index_t fs = Config.f_src();
    Tensor<float, 2, Space> qt({r, heads * fs});  // [R, H*F_src]
    ops::linear(x_rows, fold_query.cview(), {}, qt.view());
    Tensor<float, 2, Space> y({r, heads * fs});  // [R, H*F_src]: sum_j alpha_ij^h x_j
    ops::folded_attention(qt.cview(), fold_bias.cview(), x_src, offsets, sources, heads,
                          std::sqrt(static_cast<float>(channels)), y.view());
    if constexpr (Config.concat) {
      ops::head_linear(y.cview(), lin_value.weight.cview(), heads, out);
    } else {
      ops::linear(y.cview(), fold_value.cview(), {}, out);
    }
  }

  // The value bias of the folded message, only where in-degree > 0 (the attention weights of a
  // node sum to 1, or to 0 without in-edges). out: [N_dst, out_width].
  void add_value_bias(graph::Csr<Space> const& csr, Tensor<float, 2, Space>& out) const {
    if constexpr (Config.bias) {
      if constexpr (Config.concat) {
        ops::add_bias_to_targets(lin_value.bias.cview(), csr.offsets.cview(), out.view());
      } else {
        ops::add_bias_to_targets(fold_value_bias.cview(), csr.offsets.cview(), out.view());
      }
    }
  }

  // The folded message on the host with the single-edge shortcut (nn/detail/in_degree_split.hpp):
  //   M nodes of in-degree >= 2: their rows of x_dst through the general folded path, compactly;
  //   S nodes of in-degree 1:    the value of their one source, x_src[j] (mean_h Wv_h)^T or x_src[j] Wv^T;
  //   nodes of in-degree 0:      zero.
  // Rows are put back with scatter_rows; the value bias goes where in-degree > 0, as in run_folded.
  Tensor<float, 2, Space> run_folded_split(TensorView<float const, 2, Space> x_src,
                                           TensorView<float const, 2, Space> x_dst, graph::Csr<Space> const& csr,
                                           graphtx::detail::InDegreeSplit const& split) const {
    constexpr index_t fs = Config.f_src(), fd = Config.f_dst();
    index_t const m = split.num_multi(), s = split.num_single();
    auto out = Tensor<float, 2, Space>::zeros({x_dst.extent(0), out_width});  // [N_dst, out_width]
    if (m > 0) {
      Tensor<float, 2, Space> x_multi({m, fd});  // [M, F_dst]
      ops::gather_rows(x_dst, split.multi_rows.cview(), x_multi.view());
      Tensor<float, 2, Space> out_multi({m, out_width});  // [M, out_width]
      folded_message(x_multi.cview(), x_src, split.multi_offsets.cview(), split.multi_sources.cview(),
                     out_multi.view());
      ops::scatter_rows(out_multi.cview(), split.multi_rows.cview(), out.view());
    }
    Tensor<float, 2, Space> x_single({s, fs});  // [S, F_src]: x_src[j] of each one edge
    ops::gather_rows(x_src, split.single_sources.cview(), x_single.view());
    Tensor<float, 2, Space> out_single({s, out_width});  // [S, out_width]
    if constexpr (Config.concat) {
      ops::linear(x_single.cview(), lin_value.weight.cview(), {}, out_single.view());  // Wv x_j, every head
    } else {
      ops::linear(x_single.cview(), fold_value_mean.cview(), {}, out_single.view());  // mean_h Wv_h x_j
    }
    ops::scatter_rows(out_single.cview(), split.single_rows.cview(), out.view());
    for (std::int32_t const i : split.single_nan_rows) {  // PyG: NaN logit -> NaN weight -> NaN message
      std::fill_n(out.view().row(i), out_width, std::numeric_limits<float>::quiet_NaN());
    }
    add_value_bias(csr, out);
    return out;
  }

  // The root term: out += lin_skip(x_dst), or PyG's beta gate between the two.
  void finish_root(TensorView<float const, 2, Space> x_dst, Tensor<float, 2, Space>& out, profile::Probe probe) const {
    if constexpr (Config.root_weight) {
      Tensor<float, 2, Space> x_r = lin_skip(x_dst, probe.child("lin_skip"));  // [N_dst, out_width]
      if constexpr (Config.uses_beta()) {
        // PyG: lin_beta(cat([out, x_r, out - x_r])), an F.linear over N_dst rows, fused here.
        probe.child("lin_beta").count(decltype(lin_beta)::profile_counts(x_dst.extent(0)));
        ops::beta_gate(out.cview(), x_r.cview(), lin_beta.weight.cview(), out.view());
      } else {
        ops::add(out.cview(), x_r.cview(), out.view());
      }
    }
  }

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
        throw shape_error(graphtx::detail::cat(where, ": edge_attr ", graphtx::detail::shape_string(edge_attr.extents()),
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
