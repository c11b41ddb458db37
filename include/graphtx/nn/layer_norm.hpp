#pragma once
/// \file
/// \brief nn::LayerNorm: torch.nn.LayerNorm(features, eps, elementwise_affine=True).

#include <string>

#include <graphtx/core/tensor.hpp>
#include <graphtx/io/state_dict.hpp>
#include <graphtx/nn/config.hpp>
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
  static constexpr index_t parameter_count = Config.parameter_count();

  static constexpr extents_t<1> shape{Config.features};  // [F]

  Tensor<float, 1, Space> weight{shape};  // gamma
  Tensor<float, 1, Space> bias{shape};    // beta

  LayerNorm() { reset(); }

  /// y = (x - mean) / sqrt(var + eps) * gamma + beta per row. y may be x.     x, y: [N, F]
  /// `probe`: profile this call (DeepSpeed counts 5 flops per element).
  void forward(TensorView<float const, 2, Space> x, TensorView<float, 2, Space> y, profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    probe.count(profile::layer_norm_counts(x.size()));
    ops::layer_norm(x, weight.cview(), bias.cview(), Config.eps, y);
  }

  /// This layer as DeepSpeed sees `torch.nn.LayerNorm` (for profile::Profiler).
  static profile::Module profile_module() {
    return profile::Module::leaf("LayerNorm",
                                 graphtx::detail::cat("(", Config.features, ",), eps=", profile::format::py_float(Config.eps),
                                                      ", elementwise_affine=True"),
                                 parameter_count);
  }

  void load(io::StateDictReader& sd, std::string const& prefix) {
    weight = to_space<Space>(sd.take<1>(prefix + "weight", {Config.features}));
    bias = to_space<Space>(sd.take<1>(prefix + "bias", {Config.features}));
  }
  void save(io::StateDictWriter& sd, std::string const& prefix) const {
    sd.put(prefix + "weight", to_space<host>(weight));
    sd.put(prefix + "bias", to_space<host>(bias));
  }
  /// PyTorch's init: gamma = 1, beta = 0.
  void reset() {
    weight = to_space<Space>(Tensor<float, 1, host>::filled({Config.features}, 1.0f));
    bias = to_space<Space>(Tensor<float, 1, host>::zeros({Config.features}));
  }
};

}  // namespace graphtx::nn
