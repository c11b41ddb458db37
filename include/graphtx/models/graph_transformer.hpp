#pragma once
/// \file
/// \brief GraphTransformer: the seed model (ryienh/gnn-dataflow `GraphTransformer`), a stack of
/// TransformerConv (concat=False) -> ReLU -> Dropout -> LayerNorm, global mean pooling and a
/// Linear head, loadable from its PyG state_dict.
///
/// The seed's off-by-one is reproduced on purpose (docs/seed_model.md, The off-by-one): for `num_conv_layers = L` PyG's
/// constructor builds L + 1 convs and L LayerNorms, and its forward runs convs[0..L-1] and
/// lns[0..L-2]. convs.L.* and lns.(L-1).* are loaded, counted as parameters, and never run.
///
///     forward(x, edge_index, batch):
///       for i in 0..L-1:  x = convs[i](x); x = relu(x); x = dropout(x); if i != L-1: x = lns[i](x)
///       return post_mp(global_mean_pool(x, batch))                                        // [G, out]
///
/// Profiling: `forward(batch, &profiler)` with a profile::Profiler built from this model records
/// DeepSpeed's counts and the latency of every module, under the PyG model's names (convs,
/// lns, conv_dropout, ReLU, post_mp); see <graphtx/profile/report.hpp> for the report.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <graphtx/core/tensor.hpp>
#include <graphtx/detail/random.hpp>
#include <graphtx/graph/batch.hpp>
#include <graphtx/io/safetensors.hpp>
#include <graphtx/io/state_dict.hpp>
#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/dropout.hpp>
#include <graphtx/nn/layer_norm.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/transformer_conv.hpp>
#include <graphtx/ops/pooling.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx {

/// Shape of a GraphTransformer, fixed at compile time. The defaults are the seed model:
/// `GraphTransformer(input_dim=9, hidden_dim=256, dropout=0.0, num_conv_layers=10, heads=32)`.
struct GraphTransformerConfig {
  int in = 9;                   ///< input_dim: node features (OGB's 9 atom features, as floats)
  int hidden = 256;             ///< hidden_dim: C of every conv (heads are averaged: concat=False)
  int heads = 32;               ///< H of every conv
  int num_conv_layers = 10;     ///< L: convs that run (PyG's constructor argument)
  bool unused_trailing_layer = true;  ///< the seed's off-by-one: build conv L and LayerNorm L-1 too, never run them
  bool single_edge_shortcut = true;  ///< folded convs on the host: nodes with one in-edge skip attention (nn/config.hpp);
                                     ///< next to the other bool to keep the struct 32 bytes (nn/config.hpp says why)
  int out = 1;                  ///< post_mp output features
  float eps = 1e-5f;            ///< LayerNorm eps
  nn::attention_algorithm attention = nn::attention_algorithm::automatic;  ///< folded for every seed layer

  constexpr int convs_built() const { return num_conv_layers + (unused_trailing_layer ? 1 : 0); }
  constexpr int norms_built() const { return num_conv_layers - 1 + (unused_trailing_layer ? 1 : 0); }
  constexpr int norms_run() const { return num_conv_layers - 1; }

  constexpr nn::TransformerConvConfig first_conv() const {
    return {.in = in, .out = hidden, .heads = heads, .concat = false, .single_edge_shortcut = single_edge_shortcut,
            .attention = attention};
  }
  constexpr nn::TransformerConvConfig hidden_conv() const {
    return {.in = hidden, .out = hidden, .heads = heads, .concat = false, .single_edge_shortcut = single_edge_shortcut,
            .attention = attention};
  }
  constexpr nn::LayerNormConfig norm() const { return {.features = hidden, .eps = eps}; }
  constexpr nn::LinearConfig head() const { return {.in = hidden, .out = out, .bias = true}; }

  constexpr index_t parameter_count() const {
    return first_conv().parameter_count() + index_t{convs_built() - 1} * hidden_conv().parameter_count() +
           index_t{norms_built()} * norm().parameter_count() + head().parameter_count();
  }
};

/// The seed model's configuration (64,071,937 parameters, "64.07 M").
inline constexpr GraphTransformerConfig seed_config{};

template <GraphTransformerConfig Config, class Space = host>
class GraphTransformer {
  static_assert(Config.in > 0, "GraphTransformer: .in (input_dim) must be positive; set it in the GraphTransformerConfig");
  static_assert(Config.hidden > 0, "GraphTransformer: .hidden (hidden_dim) must be positive; set it in the GraphTransformerConfig");
  static_assert(Config.heads > 0, "GraphTransformer: .heads must be positive; set it in the GraphTransformerConfig");
  static_assert(Config.num_conv_layers >= 1, "GraphTransformer: .num_conv_layers must be at least 1 (post_mp reads hidden features)");
  static_assert(Config.out > 0, "GraphTransformer: .out must be positive; set it in the GraphTransformerConfig");

 public:
  static constexpr GraphTransformerConfig config = Config;
  static constexpr index_t parameter_count = Config.parameter_count();

  using FirstConv = nn::TransformerConv<Config.first_conv(), Space>;
  using HiddenConv = nn::TransformerConv<Config.hidden_conv(), Space>;
  using Norm = nn::LayerNorm<Config.norm(), Space>;
  using Head = nn::Linear<Config.head(), Space>;

  FirstConv conv0;                    // convs.0: in -> hidden
  std::vector<HiddenConv> convs;      // convs.1 .. convs.(convs_built-1): hidden -> hidden
  std::vector<Norm> lns;              // lns.0 .. lns.(norms_built-1)
  nn::ReLU<Space> relu;
  nn::Dropout<Space> dropout;
  Head post_mp;                       // post_mp.0

  GraphTransformer() : convs(Config.convs_built() - 1), lns(Config.norms_built()) {}

  /// Node-level part: the conv stack.                   x: [N, in] -> [N, hidden]
  /// `probe`: profile it as this model's forward (post_mp then does not run).
  Tensor<float, 2, Space> node_forward(TensorView<float const, 2, Space> x, graph::Csr<Space> const& csr,
                                       profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    return run_convs(x, csr, probe);
  }

  /// Graph-level prediction: conv stack, global mean pool over `ptr`, post_mp.      -> [G, out]
  /// `probe` (e.g. `&profiler`): profile this forward; off by default.
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, graph::Csr<Space> const& csr,
                                  TensorView<graph::node_t const, 1, Space> ptr, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    Tensor<float, 2, Space> h = run_convs(x, csr, probe);  // [N, hidden]
    index_t const g = ptr.extent(0) - 1;
    Tensor<float, 2, Space> pooled({g, Config.hidden});  // [G, hidden]
    ops::global_mean_pool(h.cview(), ptr, pooled.view());  // torch_scatter: DeepSpeed counts nothing
    profile::Probe const seq = probe.child("post_mp");     // Sequential(Linear): both run a forward
    profile::Scope<Space> seq_scope(seq);
    return post_mp(pooled.cview(), seq.item(0));  // [G, out]
  }
  Tensor<float, 2, Space> forward(graph::Batch<Space> const& batch, profile::Probe probe = {}) const {
    return forward(batch.x.cview(), batch.csr, batch.ptr.cview(), probe);
  }

  /// The PyG model as DeepSpeed sees it (for profile::Profiler), every built layer included:
  ///
  ///     GraphTransformer
  ///       (convs): ModuleList  (0): TransformerConv(in, hidden) ... (convs_built-1)
  ///       (lns): ModuleList    (0): LayerNorm ... (norms_built-1)
  ///       (conv_dropout): Dropout   (ReLU): ReLU   (post_mp): Sequential  (0): Linear
  ///
  /// The Dropout is listed with its default p = 0.0 (the seed's; it has no effect at inference).
  static profile::Module profile_module() {
    profile::Module m;
    m.type = "GraphTransformer";
    profile::Module& c = m.add("convs", profile::Module::leaf("ModuleList", "", 0));
    c.add("0", FirstConv::profile_module());
    for (int i = 1; i < Config.convs_built(); ++i) c.add(std::to_string(i), HiddenConv::profile_module());
    profile::Module& n = m.add("lns", profile::Module::leaf("ModuleList", "", 0));
    for (int i = 0; i < Config.norms_built(); ++i) n.add(std::to_string(i), Norm::profile_module());
    m.add("conv_dropout", nn::Dropout<Space>{}.profile_module());
    m.add("ReLU", nn::ReLU<Space>::profile_module());
    m.add("post_mp", profile::Module::leaf("Sequential", "", 0)).add("0", Head::profile_module());
    return m;
  }

  /// Loads a PyG state_dict (convs.*, lns.*, post_mp.0.*) strictly: every key must be present
  /// with its exact shape and dtype F32, and no other key may be in the file.
  static GraphTransformer load(io::SafetensorsFile const& file) {
    io::StateDictReader sd(file);
    GraphTransformer m;
    m.conv0.load(sd, "convs.0.");
    for (std::size_t i = 0; i < m.convs.size(); ++i) m.convs[i].load(sd, detail::cat("convs.", i + 1, "."));
    for (std::size_t i = 0; i < m.lns.size(); ++i) m.lns[i].load(sd, detail::cat("lns.", i, "."));
    m.post_mp.load(sd, "post_mp.0.");
    sd.finish();
    return m;
  }
  /// Largest safetensors header load(path) reads: the JSON of a few hundred tensors is tens of KiB;
  /// 16 MiB leaves room for generous __metadata__.
  static constexpr std::uint64_t max_state_dict_header_bytes = std::uint64_t{16} << 20;
  /// Largest file load(path) reads: a valid state_dict of this model is exactly parameter_count
  /// float32 values plus the 8-byte length and the header.
  static constexpr std::uint64_t max_state_dict_file_bytes =
      8 + max_state_dict_header_bytes + 4 * static_cast<std::uint64_t>(parameter_count);

  /// load(file) from a path. The reader checks the file size against max_state_dict_file_bytes
  /// before reading anything, so a wrong path (a dataset, a checkpoint with optimizer state) fails
  /// at once with a message instead of being read whole.
  static GraphTransformer load(std::filesystem::path const& path) {
    io::ReadLimits limits;
    limits.max_header_bytes = max_state_dict_header_bytes;
    limits.max_file_bytes = max_state_dict_file_bytes;
    limits.max_file_reason = detail::cat("too large for the state_dict of this GraphTransformer (", parameter_count,
                                         " float32 parameters and a header of at most ", max_state_dict_header_bytes,
                                         " bytes); is it the right file?");
    return load(io::SafetensorsFile::open(path, limits));
  }

  /// The same parameters in this model's space, from a model in another space (for example a
  /// host model copied to the GPU: `GraphTransformer<cfg, cuda>::from(host_model)`). Goes through
  /// the state_dict, so it checks exactly what load() checks.
  template <class OtherSpace>
  static GraphTransformer from(GraphTransformer<Config, OtherSpace> const& other) {
    io::StateDictWriter sd;
    other.save(sd);
    return load(io::SafetensorsFile::from_bytes(sd.to_bytes(), "<GraphTransformer copied between spaces>"));
  }

  /// Writes the parameters under PyG's names: the file loads back into PyG with
  /// `model.load_state_dict(safetensors.torch.load_file(path))`.
  void save(io::StateDictWriter& sd) const {
    conv0.save(sd, "convs.0.");
    for (std::size_t i = 0; i < convs.size(); ++i) convs[i].save(sd, detail::cat("convs.", i + 1, "."));
    for (std::size_t i = 0; i < lns.size(); ++i) lns[i].save(sd, detail::cat("lns.", i, "."));
    post_mp.save(sd, "post_mp.0.");
  }
  void save(std::filesystem::path const& path) const {
    io::StateDictWriter sd;
    save(sd);
    sd.write(path);
  }

  /// Deterministic random weights (PyTorch-style uniform init, LayerNorm gamma 1 / beta 0), the
  /// same numbers on every platform for a given seed.
  static GraphTransformer random(std::uint64_t seed) {
    graphtx::detail::weight_rng rng(seed);
    GraphTransformer m;
    m.conv0.init_random(rng);
    for (auto& c : m.convs) c.init_random(rng);
    m.post_mp.init_random(rng);
    return m;
  }

 private:
  // The conv stack; the caller holds the model's profile scope. ModuleLists never run a forward of
  // their own (DeepSpeed reports the sum of their children), so only the layers get scopes.
  Tensor<float, 2, Space> run_convs(TensorView<float const, 2, Space> x, graph::Csr<Space> const& csr,
                                    profile::Probe probe) const {
    check_extent("GraphTransformer", "x (node features, .in)", 1, x.extent(1), Config.in);
    profile::Probe const convs_probe = probe.child("convs");
    Tensor<float, 2, Space> h = conv0.forward(x, csr, {}, convs_probe.item(0));  // [N, hidden]
    finish_layer(0, h, probe);
    for (int i = 1; i < Config.num_conv_layers; ++i) {
      auto const k = static_cast<std::size_t>(i);
      h = convs[k - 1].forward(h.cview(), csr, {}, convs_probe.item(k));  // [N, hidden]
      finish_layer(i, h, probe);
    }
    return h;
  }

  // relu -> dropout (identity) -> LayerNorm, the last layer without LayerNorm (PyG's `i != L-1`).
  void finish_layer(int i, Tensor<float, 2, Space>& h, profile::Probe probe) const {
    relu.forward(h.cview(), h.view(), probe.child("ReLU"));
    dropout.forward(h.view(), probe.child("conv_dropout"));
    if (i != Config.num_conv_layers - 1) {
      auto const k = static_cast<std::size_t>(i);
      lns[k].forward(h.cview(), h.view(), probe.child("lns").item(k));
    }
  }
};

/// The seed model's size, checked against DeepSpeed's "64.07 M" at compile time.
static_assert(seed_config.parameter_count() == 64'071'937,
              "the seed model must have exactly 64,071,937 parameters (PYG_SPEC.md §1.1)");

}  // namespace graphtx
