#pragma once
/// \file
/// \brief nn::LayerNorm: torch.nn.LayerNorm(features, eps, elementwise_affine=True).

#include <string>

#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/init.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/ops/layer_norm.hpp>
#include <graphtx/profile/format.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

template <LayerNormConfig Config, class Space = host>
class LayerNorm {
  static_assert(Config.features > 0, "nn::LayerNorm: .features must be positive; set it in the LayerNormConfig");
  static_assert(Config.eps > 0.0f, "nn::LayerNorm: .eps must be positive (PyTorch's default is 1e-5)");

 public:
  static constexpr LayerNormConfig config = Config;
  using space = Space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = LayerNorm<Config, S>;
  static constexpr int in_width = Config.features;
  static constexpr int out_width = Config.features;
  static constexpr index_t parameter_count = Config.parameter_count();

  static constexpr extents_t<1> shape{Config.features};  // [F]

  Tensor<float, 1, Space> weight = ones();  // gamma (PyTorch's init: 1)
  Tensor<float, 1, Space> bias = zeros();   // beta (0)

  /// y = (x - mean) / sqrt(var + eps) * gamma + beta per row.          x: [rows, F] -> [rows, F]
  /// `probe`: profile this call (DeepSpeed counts 5 flops per element).
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& g,
                                  profile::Probe probe = {}) const {
    Tensor<float, 2, Space> y(x.extents());
    apply(x, y.view(), probe);
    (void)g;
    return y;
  }
  /// In place: x = LayerNorm(x).
  void forward_in_place(TensorView<float, 2, Space> x, GraphContext<Space> const& /*g*/,
                        profile::Probe probe = {}) const {
    apply(x, x, probe);
  }
  /// y = LayerNorm(x); y may be x.
  void apply(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    probe.count(profile::layer_norm_counts(x.size()));
    ops::layer_norm(x, weight.cview(), bias.cview(), Config.eps, y);
  }

  static void add_counts(profile::Module& node, FlowShape s) {
    node.own += profile::layer_norm_counts(s.rows * Config.features);
  }
  /// This layer as DeepSpeed sees `torch.nn.LayerNorm` (for profile::Profiler).
  static profile::Module profile_module() {
    return profile::Module::leaf("LayerNorm",
                                 graphtx::detail::cat("(", Config.features, ",), eps=", profile::format::py_float(Config.eps),
                                                      ", elementwise_affine=True"),
                                 parameter_count);
  }

  /// `weight` and `bias` [F]; init ones and zeros (no random draw, as PyTorch).
  template <class V>
  void visit(V& v) {
    v.param("weight", weight, Init::ones());
    v.param("bias", bias, Init::zeros());
  }

 private:
  static Tensor<float, 1, Space> ones() { return to_space<Space>(Tensor<float, 1, host>::filled(shape, 1.0f)); }
  static Tensor<float, 1, Space> zeros() { return to_space<Space>(Tensor<float, 1, host>::zeros(shape)); }
};

}  // namespace graphtx::nn
