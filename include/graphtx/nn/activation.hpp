#pragma once
/// \file
/// \brief Activation modules, torch.nn's (inplace=False): nn::ReLU, nn::GELU, nn::ELU,
/// nn::LeakyReLU, nn::SiLU, nn::Sigmoid, nn::Tanh. No parameters; any width; in place inside a
/// composition. Each runs the ops/activation.hpp function torch.nn's forward calls.
///
/// DeepSpeed's counts (v0.7.7, profiler.py `_patch_functionals`): F.relu, F.gelu, F.elu,
/// F.leaky_relu and F.silu are patched and count numel flops (no MACs); torch.nn.Sigmoid and
/// torch.nn.Tanh call torch.sigmoid / torch.tanh, which DeepSpeed does not patch: 0.
///
/// Float-valued options come in a config struct (clang 14 takes no bare float template argument):
/// `nn::ELU<nn::EluConfig{.alpha = 0.5f}>`, `nn::LeakyReLU<nn::LeakyReLUConfig{.negative_slope = 0.2f}>`;
/// `nn::ELU<>` and `nn::LeakyReLU<>` are torch's defaults.

#include <string>

#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/ops/activation.hpp>
#include <graphtx/profile/format.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

/// The shared shape of parameter-free elementwise modules: any width, output = input width, in place
/// on tensors a container owns. Derived provides `static void run(x, y)` (y may be x),
/// `static profile::Counts counts(numel)`, `profile_module()` and `rebind`.
template <class Derived, class Space>
struct elementwise_module {
  using space = Space;
  using input_type = float;
  using output_type = float;
  static constexpr int in_width = any_width;
  static constexpr int out_width = any_width;
  static constexpr index_t parameter_count = 0;

  /// y = f(x) elementwise.            x: [rows, F] -> [rows, F]
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& /*g*/,
                                  profile::Probe probe = {}) const {
    Tensor<float, 2, Space> y(x.extents());
    apply(x, y.view(), probe);
    return y;
  }
  void forward_in_place(TensorView<float, 2, Space> x, GraphContext<Space> const& /*g*/, profile::Probe probe = {}) const {
    apply(x, x, probe);
  }
  /// y = f(x); y may be x.
  void apply(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    probe.count(Derived::counts(x.size()));
    Derived::run(x, y);
  }
  static void add_counts(profile::Module& node, FlowShape s) { node.own += Derived::counts(s.rows * s.width); }
  template <class V>
  void visit(V& /*v*/) {}
};

/// torch.nn.ReLU(inplace=False): y = max(x, 0), NaN kept; DeepSpeed counts one flop per element.
template <class Space = host>
struct ReLU : elementwise_module<ReLU<Space>, Space> {
  template <class S>
  using rebind = ReLU<S>;
  static constexpr profile::Counts counts(index_t numel) { return profile::relu_counts(numel); }
  static void run(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y) { ops::relu(x, y); }
  /// For profile::Profiler (torch's extra_repr of ReLU is empty).
  static profile::Module profile_module() { return profile::Module::leaf("ReLU", "", 0); }
};

/// DeepSpeed's count of a patched activation functional (F.gelu, F.elu, F.leaky_relu, F.silu):
/// numel flops, no MACs (as F.relu, profile::relu_counts).
constexpr profile::Counts activation_counts(index_t numel) { return {0, numel}; }

using ops::gelu_approximate;

/// torch.nn.GELU(approximate=...): the exact erf form (`gelu_approximate::none`, torch's default)
/// or the tanh approximation (`gelu_approximate::tanh`). extra_repr "approximate='none'".
template <gelu_approximate Approximate = gelu_approximate::none, class Space = host>
struct GELU : elementwise_module<GELU<Approximate, Space>, Space> {
  template <class S>
  using rebind = GELU<Approximate, S>;
  static constexpr gelu_approximate approximate = Approximate;
  static constexpr profile::Counts counts(index_t numel) { return activation_counts(numel); }
  static void run(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y) {
    ops::gelu(x, Approximate, y);
  }
  static profile::Module profile_module() {
    return profile::Module::leaf("GELU", Approximate == gelu_approximate::none ? "approximate='none'"
                                                                               : "approximate='tanh'",
                                 0);
  }
};

/// `torch.nn.ELU(alpha)`'s configuration.
struct EluConfig {
  float alpha = 1.0f;
};

/// torch.nn.ELU(alpha): y = x <= 0 ? alpha * expm1(x) : x. extra_repr "alpha=1.0".
template <EluConfig Config = EluConfig{}, class Space = host>
struct ELU : elementwise_module<ELU<Config, Space>, Space> {
  template <class S>
  using rebind = ELU<Config, S>;
  static constexpr float alpha = Config.alpha;
  static constexpr profile::Counts counts(index_t numel) { return activation_counts(numel); }
  static void run(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y) { ops::elu(x, alpha, y); }
  static profile::Module profile_module() {
    return profile::Module::leaf("ELU", "alpha=" + profile::format::py_float(alpha), 0);
  }
};

/// `torch.nn.LeakyReLU(negative_slope)`'s configuration.
struct LeakyReLUConfig {
  float negative_slope = 0.01f;
};

/// torch.nn.LeakyReLU(negative_slope): y = x > 0 ? x : x * negative_slope. extra_repr
/// "negative_slope=0.01".
template <LeakyReLUConfig Config = LeakyReLUConfig{}, class Space = host>
struct LeakyReLU : elementwise_module<LeakyReLU<Config, Space>, Space> {
  template <class S>
  using rebind = LeakyReLU<Config, S>;
  static constexpr float negative_slope = Config.negative_slope;
  static constexpr profile::Counts counts(index_t numel) { return activation_counts(numel); }
  static void run(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y) {
    ops::leaky_relu(x, negative_slope, y);
  }
  static profile::Module profile_module() {
    return profile::Module::leaf("LeakyReLU",
                                 "negative_slope=" + profile::format::py_float(negative_slope), 0);
  }
};

/// torch.nn.SiLU(): y = x * sigmoid(x). extra_repr "" (torch prints "inplace=True" only when set).
template <class Space = host>
struct SiLU : elementwise_module<SiLU<Space>, Space> {
  template <class S>
  using rebind = SiLU<S>;
  static constexpr profile::Counts counts(index_t numel) { return activation_counts(numel); }
  static void run(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y) { ops::silu(x, y); }
  static profile::Module profile_module() { return profile::Module::leaf("SiLU", "", 0); }
};

/// torch.nn.Sigmoid(): torch.sigmoid, which DeepSpeed does not patch: counts 0.
template <class Space = host>
struct Sigmoid : elementwise_module<Sigmoid<Space>, Space> {
  template <class S>
  using rebind = Sigmoid<S>;
  static constexpr profile::Counts counts(index_t /*numel*/) { return {}; }
  static void run(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y) { ops::sigmoid(x, y); }
  static profile::Module profile_module() { return profile::Module::leaf("Sigmoid", "", 0); }
};

/// torch.nn.Tanh(): torch.tanh, which DeepSpeed does not patch: counts 0.
template <class Space = host>
struct Tanh : elementwise_module<Tanh<Space>, Space> {
  template <class S>
  using rebind = Tanh<S>;
  static constexpr profile::Counts counts(index_t /*numel*/) { return {}; }
  static void run(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y) { ops::tanh(x, y); }
  static profile::Module profile_module() { return profile::Module::leaf("Tanh", "", 0); }
};

}  // namespace graphtx::nn
