#pragma once
/// \file
/// \brief Activation modules: nn::ReLU is torch.nn.ReLU(inplace=False). No parameters; any width.

#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/ops/activation.hpp>
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

}  // namespace graphtx::nn
