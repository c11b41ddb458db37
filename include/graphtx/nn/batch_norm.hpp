#pragma once
/// \file
/// \brief nn::BatchNorm1d: torch.nn.BatchNorm1d(features, eps, affine, track_running_stats=True)
/// in eval mode (running statistics), and nn::PygBatchNorm: PyG's torch_geometric.nn.BatchNorm,
/// the same module under a child named "module".
///
/// \code
/// constexpr graphtx::nn::BatchNormConfig bn{.features = 64};
/// graphtx::nn::BatchNorm1d<bn> norm;      // keys weight, bias, running_mean, running_var, num_batches_tracked
/// graphtx::nn::PygBatchNorm<bn> pyg;      // keys module.weight, module.bias, module.running_mean, ...
/// \endcode
///
/// graphtx runs inference only: y = (x - running_mean) / sqrt(running_var + eps) * weight + bias
/// (ops::batch_norm, PyTorch CPU's float arithmetic). momentum only matters in training and is
/// not configurable (the profile's extra_repr prints torch's default 0.1).

#include <cstdint>
#include <string>

#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/init.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/ops/batch_norm.hpp>
#include <graphtx/profile/format.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

/// `torch.nn.BatchNorm1d(features, eps, affine=affine)` (track_running_stats=True, eval).
struct BatchNormConfig {
  int features = 0;    ///< C: features per row
  float eps = 1e-5f;   ///< added to running_var inside the sqrt (torch casts it to float, as here)
  bool affine = true;  ///< weight and bias exist (false: y = (x - mean) / sqrt(var + eps))

  constexpr index_t parameter_count() const { return affine ? 2 * index_t{features} : 0; }
};

/// DeepSpeed's count of `F.batch_norm` in eval mode (training=False): numel flops with affine
/// weights x 2, without x 1; no MACs (_batch_norm_flops_compute in DeepSpeed's profiler.py).
constexpr profile::Counts batch_norm_counts(index_t numel, bool affine = true) {
  return {0, std::int64_t{numel} * (affine ? 2 : 1)};
}

/// torch.nn.BatchNorm1d in eval mode over x: [rows, C].
///
/// State (torch's names and order): `weight` [C], `bias` [C] (parameters, affine only),
/// `running_mean` [C], `running_var` [C] (buffers), `num_batches_tracked` (an int64 scalar buffer:
/// loaded, kept and saved back, unused in eval). Built as torch builds it: weight ones, bias zeros,
/// running_mean zeros, running_var ones, num_batches_tracked 0; nn::init_random sets weight to ones
/// and bias to zeros and leaves the buffers (torch's reset_parameters draws nothing either).
template <BatchNormConfig Config, class Space = host>
class BatchNorm1d {
  static_assert(Config.features > 0, "nn::BatchNorm1d: .features must be positive; set it in the BatchNormConfig");
  static_assert(Config.eps > 0.0f, "nn::BatchNorm1d: .eps must be positive (PyTorch's default is 1e-5)");

 public:
  static constexpr BatchNormConfig config = Config;
  using space = Space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = BatchNorm1d<Config, S>;
  static constexpr int in_width = Config.features;
  static constexpr int out_width = Config.features;
  static constexpr index_t parameter_count = Config.parameter_count();

  static constexpr extents_t<1> shape{Config.features};                       // [C]
  static constexpr extents_t<1> affine_shape{Config.affine ? Config.features : 0};  // [C] or [0]

  Tensor<float, 1, Space> weight = filled(affine_shape, 1.0f);  // gamma (affine only)
  Tensor<float, 1, Space> bias = filled(affine_shape, 0.0f);    // beta (affine only)
  Tensor<float, 1, Space> running_mean = filled(shape, 0.0f);
  Tensor<float, 1, Space> running_var = filled(shape, 1.0f);
  std::int64_t num_batches_tracked = 0;

  /// y = (x - running_mean) / sqrt(running_var + eps) * weight + bias.      x: [rows, C] -> [rows, C]
  /// `probe`: profile this call (DeepSpeed: 2 flops per element, 1 without affine).
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& /*g*/,
                                  profile::Probe probe = {}) const {
    Tensor<float, 2, Space> y(x.extents());
    apply(x, y.view(), probe);
    return y;
  }
  /// In place: x = BatchNorm1d(x).
  void forward_in_place(TensorView<float, 2, Space> x, GraphContext<Space> const& /*g*/,
                        profile::Probe probe = {}) const {
    apply(x, x, probe);
  }
  /// y = BatchNorm1d(x); y may be x. Throws shape_error when x has another width than C.
  void apply(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    check_extent("BatchNorm1d", "x (features, .features)", 1, x.extent(1), Config.features);
    probe.count(batch_norm_counts(x.size(), Config.affine));
    ops::batch_norm(x, running_mean.cview(), running_var.cview(), weight.cview(), bias.cview(), Config.eps, y);
  }

  static void add_counts(profile::Module& node, FlowShape s) {
    node.own += batch_norm_counts(s.rows * Config.features, Config.affine);
  }
  /// torch.nn.BatchNorm1d as DeepSpeed prints it: "6, eps=1e-05, momentum=0.1, affine=True,
  /// track_running_stats=True".
  static profile::Module profile_module() {
    return profile::Module::leaf("BatchNorm1d", extra_repr(), parameter_count);
  }
  static std::string extra_repr() {
    return graphtx::detail::cat(Config.features, ", eps=", profile::format::py_float(Config.eps),
                                ", momentum=0.1, affine=", Config.affine ? "True" : "False",
                                ", track_running_stats=True");
  }

  template <class V>
  void visit(V& v) {
    if constexpr (Config.affine) {
      v.param("weight", weight, Init::ones());
      v.param("bias", bias, Init::zeros());
    }
    v.buffer("running_mean", running_mean);
    v.buffer("running_var", running_var);
    v.scalar_buffer("num_batches_tracked", num_batches_tracked);
  }

 private:
  static Tensor<float, 1, Space> filled(extents_t<1> e, float value) {
    return to_space<Space>(Tensor<float, 1, host>::filled(e, value));
  }
};

/// PyG's `torch_geometric.nn.BatchNorm(in_channels, eps, affine=affine)`: a torch.nn.BatchNorm1d
/// held as `self.module`, so every key is prefixed "module." (module.weight, module.bias,
/// module.running_mean, module.running_var, module.num_batches_tracked). Same numbers as
/// BatchNorm1d. DeepSpeed sees BatchNorm (which overrides __repr__: "BatchNorm(6)") with the
/// child module: BatchNorm1d, which makes the F.batch_norm call and holds the counts.
/// (PyG's allow_single_element=True only changes training; in eval it is the same.)
template <BatchNormConfig Config, class Space = host>
class PygBatchNorm {
 public:
  using inner_type = BatchNorm1d<Config, Space>;
  static constexpr BatchNormConfig config = Config;
  using space = Space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = PygBatchNorm<Config, S>;
  static constexpr int in_width = Config.features;
  static constexpr int out_width = Config.features;
  static constexpr index_t parameter_count = inner_type::parameter_count;

  inner_type module;

  /// x: [rows, C] -> [rows, C]
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& g,
                                  profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    return module.forward(x, g, probe.child("module"));
  }
  void forward_in_place(TensorView<float, 2, Space> x, GraphContext<Space> const& g, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    this->module.forward_in_place(x, g, probe.child("module"));  // "this->": nvcc warns on a line starting with `module`
  }

  static void add_counts(profile::Module& node, FlowShape s) { inner_type::add_counts(node.at("module"), s); }
  static profile::Module profile_module() {
    profile::Module m = profile::Module::leaf("BatchNorm", "", 0);
    m.repr = graphtx::detail::cat("BatchNorm(", Config.features, ")");
    m.add("module", inner_type::profile_module());
    return m;
  }

  template <class V>
  void visit(V& v) {
    v.child("module", module);
  }
};

}  // namespace graphtx::nn
