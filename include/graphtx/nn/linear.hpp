#pragma once
/// \file
/// \brief nn::Linear: torch.nn.Linear / PyG's Linear, weights in a Space.

#include <cmath>
#include <string>

#include <graphtx/core/tensor.hpp>
#include <graphtx/detail/random.hpp>
#include <graphtx/io/state_dict.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/ops/linear.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

template <LinearConfig Config, class Space = host>
class Linear {
  static_assert(Config.in >= 0, "nn::Linear: .in must be >= 0; set it in the LinearConfig");
  static_assert(Config.out >= 0, "nn::Linear: .out must be >= 0; set it in the LinearConfig");

 public:
  static constexpr LinearConfig config = Config;
  static constexpr index_t parameter_count = Config.parameter_count();

  static constexpr extents_t<2> weight_shape{Config.out, Config.in};       // [out, in]
  static constexpr extents_t<1> bias_shape{Config.bias ? Config.out : 0};  // [out] or [0]

  Tensor<float, 2, Space> weight{weight_shape};
  Tensor<float, 1, Space> bias{bias_shape};

  /// y = x W^T + b (+ y when accumulate).            x: [N, in] -> y: [N, out]
  /// `probe`: profile this call (DeepSpeed counts F.linear as N x in x out MACs, bias ignored).
  void forward(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y, bool accumulate = false,
               profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    probe.count(profile_counts(x.extent(0)));
    ops::linear(x, weight.cview(), bias.cview(), y, accumulate);
  }
  /// Allocating form.
  Tensor<float, 2, Space> operator()(TensorView<float const, 2, Space> x, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    probe.count(profile_counts(x.extent(0)));
    Tensor<float, 2, Space> y({x.extent(0), Config.out});
    ops::linear(x, weight.cview(), bias.cview(), y.view(), false);
    return y;
  }

  /// What DeepSpeed counts for one call over `rows` input rows.
  static constexpr profile::Counts profile_counts(index_t rows) {
    return profile::linear_counts(rows, Config.in, Config.out);
  }
  /// This layer as DeepSpeed sees `torch.nn.Linear` (for profile::Profiler).
  static profile::Module profile_module() {
    return profile::Module::leaf("Linear",
                                 graphtx::detail::cat("in_features=", Config.in, ", out_features=", Config.out,
                                                      ", bias=", Config.bias ? "True" : "False"),
                                 parameter_count);
  }

  /// Reads `<prefix>weight` and `<prefix>bias` (PyG names) with exact shapes.
  void load(io::StateDictReader& sd, std::string const& prefix) {
    weight = to_space<Space>(sd.take<2>(prefix + "weight", {Config.out, Config.in}));
    if constexpr (Config.bias) bias = to_space<Space>(sd.take<1>(prefix + "bias", {Config.out}));
  }
  void save(io::StateDictWriter& sd, std::string const& prefix) const {
    sd.put(prefix + "weight", to_space<host>(weight));
    if constexpr (Config.bias) sd.put(prefix + "bias", to_space<host>(bias));
  }
  /// PyTorch's default init: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
  void init_random(graphtx::detail::weight_rng& rng) {
    float bound = Config.in > 0 ? 1.0f / std::sqrt(static_cast<float>(Config.in)) : 0.0f;
    weight = to_space<Space>(detail::uniform_host<2>(rng, {Config.out, Config.in}, bound));
    if constexpr (Config.bias) bias = to_space<Space>(detail::uniform_host<1>(rng, {Config.out}, bound));
  }
};

}  // namespace graphtx::nn
