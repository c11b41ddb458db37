#pragma once
/// \file
/// \brief nn::Linear: torch.nn.Linear / PyG's Linear, weights in a Space.

#include <cmath>
#include <string>

#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/init.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/ops/linear.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

template <LinearConfig Config, class Space = host>
class Linear {
  static_assert(Config.in >= 0, "nn::Linear: .in must be >= 0; set it in the LinearConfig");
  static_assert(Config.out >= 0, "nn::Linear: .out must be >= 0; set it in the LinearConfig");

 public:
  static constexpr LinearConfig config = Config;
  using space = Space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = Linear<Config, S>;
  static constexpr int in_width = Config.in;
  static constexpr int out_width = Config.out;
  static constexpr index_t parameter_count = Config.parameter_count();

  static constexpr extents_t<2> weight_shape{Config.out, Config.in};       // [out, in]
  static constexpr extents_t<1> bias_shape{Config.bias ? Config.out : 0};  // [out] or [0]

  Tensor<float, 2, Space> weight{weight_shape};
  Tensor<float, 1, Space> bias{bias_shape};

  /// y = x W^T + b.                                  x: [rows, in] -> [rows, out]
  /// `probe`: profile this call (DeepSpeed counts F.linear as rows x in x out MACs, bias ignored).
  Tensor<float, 2, Space> forward(TensorView<float const, 2, Space> x, GraphContext<Space> const& /*g*/,
                                  profile::Probe probe = {}) const {
    return (*this)(x, probe);
  }
  /// The same without a graph (inside other layers).
  Tensor<float, 2, Space> operator()(TensorView<float const, 2, Space> x, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    probe.count(profile_counts(x.extent(0)));
    Tensor<float, 2, Space> y({x.extent(0), Config.out});
    ops::linear(x, weight.cview(), bias.cview(), y.view(), false);
    return y;
  }
  /// Into a caller's tensor: y = x W^T + b, or y += x W^T + b when `accumulate`.   y: [rows, out]
  void forward_into(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y, bool accumulate = false,
                    profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    probe.count(profile_counts(x.extent(0)));
    ops::linear(x, weight.cview(), bias.cview(), y, accumulate);
  }

  /// What DeepSpeed counts for one call over `rows` input rows.
  static constexpr profile::Counts profile_counts(index_t rows) {
    return profile::linear_counts(rows, Config.in, Config.out);
  }
  static void add_counts(profile::Module& node, FlowShape s) { node.own += profile_counts(s.rows); }
  /// This layer as DeepSpeed sees `torch.nn.Linear` (for profile::Profiler).
  static profile::Module profile_module() {
    return profile::Module::leaf("Linear",
                                 graphtx::detail::cat("in_features=", Config.in, ", out_features=", Config.out,
                                                      ", bias=", Config.bias ? "True" : "False"),
                                 parameter_count);
  }

  /// `weight` [out, in] and `bias` [out] (PyG names); PyTorch's default init
  /// U(-1/sqrt(in), 1/sqrt(in)) for both.
  template <class V>
  void visit(V& v) {
    float const bound = Config.in > 0 ? 1.0f / std::sqrt(static_cast<float>(Config.in)) : 0.0f;
    v.param("weight", weight, Init::uniform(bound));
    if constexpr (Config.bias) v.param("bias", bias, Init::uniform(bound));
  }
};

}  // namespace graphtx::nn
