#pragma once
/// \file
/// \brief nn::Model: a composition (nn::Module, nn::Sequential, ...) in a space, with what a user
/// does with a whole model: load a PyG state_dict strictly, save it, random weights, copy between
/// spaces, run a graph::Batch, profile it and count it. Nothing here is model-specific.
///
/// \code
/// using Net = nn::Module<"Net", ...>;                       // written once, for the host by default
/// using HostModel = nn::Model<Net>;                         // graphtx::host
/// using GpuModel = nn::Model<Net, graphtx::cuda>;           // the same composition on the GPU (.cu files)
/// HostModel m = HostModel::load("model.safetensors");       // names, shapes, dtypes, no extra keys
/// Tensor<float, 2> y = m.forward(batch);                    // [G, out] (or [N, out] without a readout)
/// auto gpu = GpuModel::from(m);                             // tensor-to-tensor copy
/// \endcode
///
/// A model made with explicit instantiation in one translation unit
/// (`template class graphtx::nn::Model<Net, graphtx::cuda>;`) and `extern template` elsewhere is
/// compiled once.

#include <cstdint>
#include <filesystem>
#include <string>
#include <type_traits>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/batch.hpp>
#include <graphtx/io/safetensors.hpp>
#include <graphtx/io/state_dict.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/nn/parameters.hpp>
#include <graphtx/profile/counts.hpp>
#include <graphtx/profile/module.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

namespace detail {
/// `Net::config` when the description has one (GraphTransformerNet<Config>), nothing otherwise.
template <class Net>
struct config_holder {};
template <class Net>
  requires requires { Net::config; }
struct config_holder<Net> {
  static constexpr auto config = Net::config;
};

/// The name a model's messages use: the Module's class name, or the container's type.
template <class Net>
std::string model_name() {
  if constexpr (requires { Net::name.view(); }) {
    return std::string(Net::name.view());
  } else {
    return Net::profile_module().type;
  }
}
}  // namespace detail

template <class Net, class Space = host>
class Model : public Net::template rebind<Space>, public detail::config_holder<Net> {
 public:
  using description = Net;
  using net_type = typename Net::template rebind<Space>;
  using space = Space;
  template <class S>
  using rebind = Model<Net, S>;
  using typename net_type::input_type;
  using typename net_type::output_type;
  static_assert(Layer<net_type>, "nn::Model: the composition does not satisfy nn::Layer");
  static constexpr int in_width = net_type::in_width;
  static constexpr int out_width = net_type::out_width;
  static constexpr index_t parameter_count = net_type::parameter_count;

  net_type& net() { return *this; }
  net_type const& net() const { return *this; }

  // ---- run ----------------------------------------------------------------------------------

  using net_type::forward;

  /// The prediction for a batch: x (float features, or int64 x_int when the model starts with an
  /// encoder) through the composition.                        -> [G, out_width] after a readout
  Tensor<output_type, 2, Space> forward(graph::Batch<Space> const& batch, profile::Probe probe = {}) const {
    BatchContext<Space> ctx(batch);
    return net_type::forward(checked_features(batch), ctx.context(), probe);
  }
  /// The features reaching the first readout (node embeddings [N, F] of a graph-level model).
  /// (A net without a readout, or one that is not a Module, returns its forward.)
  auto node_forward(graph::Batch<Space> const& batch, profile::Probe probe = {}) const {
    BatchContext<Space> ctx(batch);
    return node_forward(checked_features(batch), ctx.context(), probe);
  }
  auto node_forward(TensorView<input_type const, 2, Space> x, GraphContext<Space> const& g,
                    profile::Probe probe = {}) const {
    if constexpr (requires { net_type::node_forward(x, g, probe); }) {
      return net_type::node_forward(x, g, probe);
    } else {
      return net_type::forward(x, g, probe);
    }
  }

  // ---- parameters ---------------------------------------------------------------------------

  /// Strict load of a PyG state_dict: every key present with its exact shape and dtype (F32;
  /// int64 scalars for num_batches_tracked), and no other key in the file.
  static Model load(io::SafetensorsFile const& file, LoadOptions options = {}) {
    Model m;
    m.load_into(file, options);
    return m;
  }
  /// Largest safetensors header load(path) reads: the JSON of a few hundred tensors is tens of KiB;
  /// 16 MiB leaves room for generous __metadata__.
  static constexpr std::uint64_t max_state_dict_header_bytes = std::uint64_t{16} << 20;
  /// The bytes of this model's state_dict data (parameters and buffers), from its tensors' shapes.
  std::uint64_t state_dict_bytes() const {
    std::uint64_t n = 0;
    for (auto const& e : state_entries(net())) {
      std::uint64_t k = 1;
      for (index_t d : e.shape) k *= static_cast<std::uint64_t>(d);
      n += e.shape.empty() ? 8 : 4 * k;  // an int64 scalar, or float32 values
    }
    return n;
  }
  /// The largest file load(path) accepts for this model: the 8-byte length, the largest header,
  /// and the state_dict's data.
  std::uint64_t max_state_dict_file_bytes() const { return 8 + max_state_dict_header_bytes + state_dict_bytes(); }
  /// load(file) from a path. The reader checks the file size against the largest valid state_dict
  /// of this model before reading anything, so a wrong path (a dataset, a checkpoint with optimizer
  /// state) fails at once with a message instead of being read whole.
  static Model load(std::filesystem::path const& path, LoadOptions options = {}) {
    Model m;
    io::ReadLimits limits;
    limits.max_header_bytes = max_state_dict_header_bytes;
    limits.max_file_bytes = m.max_state_dict_file_bytes();
    limits.max_file_reason = graphtx::detail::cat("too large for the state_dict of this ", detail::model_name<Net>(), " (",
                                                  parameter_count, " float32 parameters and a header of at most ",
                                                  max_state_dict_header_bytes, " bytes); is it the right file?");
    m.load_into(io::SafetensorsFile::open(path, limits), options);
    return m;
  }
  /// Whether the model was loaded with LoadOptions::drop_folded_weights (it then runs, but
  /// save() and from() throw).
  bool dropped_folded_weights() const { return dropped_folded_weights_; }
  /// Writes the state_dict under PyG's names: loads back into PyG with
  /// `model.load_state_dict(safetensors.torch.load_file(path))`.
  void save(io::StateDictWriter& sd) const {
    refuse_if_dropped("save");
    save_state(net(), sd);
  }
  void save(std::filesystem::path const& path) const {
    io::StateDictWriter sd;
    save(sd);
    sd.write(path);
  }
  /// Deterministic random weights (PyTorch-style init per module), the same numbers on every
  /// platform for a given seed.
  static Model random(std::uint64_t seed) {
    Model m;
    init_random(m.net(), seed);
    return m;
  }
  /// The same parameters in this model's space, from the model in another space (a host model to
  /// the GPU: `Model<Net, cuda>::from(host_model)`), tensor by tensor.
  template <class OtherSpace>
  static Model from(Model<Net, OtherSpace> const& other) {
    if (other.dropped_folded_weights()) {
      throw error(graphtx::detail::cat(detail::model_name<Net>(), "::from: the source model was loaded with "
                                       "LoadOptions::drop_folded_weights, so the PyG weights to copy are gone; load it "
                                       "without that option, or load the file straight into this space"));
    }
    Model m;
    copy_parameters(m.net(), other.net());
    return m;
  }

  // ---- profile ------------------------------------------------------------------------------

  /// The model as DeepSpeed sees the PyG model (for profile::Profiler): names, classes, params.
  static profile::Module profile_module() { return net_type::profile_module(); }
  /// The module tree with DeepSpeed's counts of one forward over a batch of this shape, without
  /// running anything (latencies all zero).
  /// `features`: the input width, needed only when the whole net takes any width (a bare activation).
  static profile::Module counts(profile::BatchShape shape, index_t features = in_width) {
    if (features < 0) {
      throw error(graphtx::detail::cat(detail::model_name<Net>(), "::counts: the net takes features of any width; ",
                                       "pass their width: counts(shape, features)"));
    }
    profile::Module m = profile_module();
    FlowShape s{.rows = shape.nodes, .width = features, .nodes = shape.nodes, .edges = shape.edges, .graphs = shape.graphs};
    net_type::add_counts(m, s);
    return m;
  }

 private:
  void load_into(io::SafetensorsFile const& file, LoadOptions options) {
    io::StateDictReader sd(file);
    bool const dropped = load_state(net(), sd, "", options);
    sd.finish();
    dropped_folded_weights_ = dropped;
  }
  void refuse_if_dropped(char const* what) const {
    if (dropped_folded_weights_) {
      throw error(graphtx::detail::cat(detail::model_name<Net>(), "::", what, ": the model was loaded with "
                                       "LoadOptions::drop_folded_weights, which freed the PyG weights it folded "
                                       "(lin_query, lin_key, lin_value); load it without that option to ", what, " it"));
    }
  }

  bool dropped_folded_weights_ = false;

  TensorView<input_type const, 2, Space> checked_features(graph::Batch<Space> const& batch) const {
    TensorView<input_type const, 2, Space> x;
    char const* what = "x (node features, .in)";
    if constexpr (std::is_same_v<input_type, std::int64_t>) {
      if constexpr (requires { batch.x_int; }) {
        x = batch.x_int.cview();
        what = "x (integer node features)";
        if (x.extent(0) != batch.num_nodes()) {
          throw shape_error(graphtx::detail::cat(detail::model_name<Net>(), ": the model's first layer takes integer node "
                                                 "features (int64 x, as OGB stores them), but the batch has none"));
        }
      } else {
        static_assert(sizeof(Space) == 0, "nn::Model: graph::Batch has no integer node features (x_int)");
      }
    } else {
      x = batch.x.cview();
    }
    if constexpr (in_width != any_width) {
      check_extent(detail::model_name<Net>().c_str(), what, 1, x.extent(1), in_width);
    }
    return x;
  }
};

}  // namespace graphtx::nn

namespace graphtx::nn {

/// Any module's tree (M::profile_module()) with DeepSpeed's counts of one forward over `shape`
/// (node-level input: N rows of M::in_width features).
template <class M>
profile::Module forward_counts(profile::BatchShape shape) {
  profile::Module m = M::profile_module();
  M::add_counts(m, FlowShape{.rows = shape.nodes, .width = M::in_width, .nodes = shape.nodes, .edges = shape.edges,
                             .graphs = shape.graphs});
  return m;
}

}  // namespace graphtx::nn
