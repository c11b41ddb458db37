#pragma once
/// \file
/// \brief nn::RandomWeights: deterministic random weights for examples, tests and benchmarks,
/// the same numbers on every platform for a given seed (std::uniform_real_distribution differs
/// between standard libraries, so the mapping from the 64-bit engine to floats is graphtx's own),
/// and nn::Init: how a module asks for one of its parameters to be initialised.

#include <cstdint>

#include <graphtx/core/tensor.hpp>
#include <graphtx/detail/random.hpp>

namespace graphtx::nn {

/// How `nn::init_random` fills a parameter: PyTorch's default scheme per module (a uniform in
/// [-bound, bound) for Linear's weight and bias, ones and zeros for norms), drawn from one
/// RandomWeights stream in the order the parameters are visited.
struct Init {
  enum class kind { uniform, ones, zeros, keep };
  kind what = kind::keep;  ///< keep: leave the value the module was built with (buffers)
  float bound = 0.0f;      ///< uniform only

  static constexpr Init uniform(float b) { return {kind::uniform, b}; }
  static constexpr Init ones() { return {kind::ones, 0.0f}; }
  static constexpr Init zeros() { return {kind::zeros, 0.0f}; }
  static constexpr Init keep() { return {kind::keep, 0.0f}; }
};

/// The seeded stream every random weight in graphtx comes from (a 64-bit Mersenne twister; each
/// float is the top 24 bits of one draw, exactly representable).
///
/// \code
/// graphtx::nn::RandomWeights rng(42);
/// graphtx::nn::init_random(model, rng);     // or Model::random(42)
/// \endcode
class RandomWeights {
 public:
  explicit RandomWeights(std::uint64_t seed) : engine_(seed) {}

  /// Uniform in [0, 1).
  float unit() { return graphtx::detail::unit_float(engine_); }

  /// A host tensor with elements uniform in [-bound, bound), drawn in row-major order.
  template <int Rank>
  Tensor<float, Rank, host> uniform(extents_t<Rank> const& extents, float bound) {
    return graphtx::detail::uniform_host<Rank>(engine_, extents, bound);
  }

  /// The engine itself (graph generators draw from it too).
  graphtx::detail::weight_rng& engine() { return engine_; }

 private:
  graphtx::detail::weight_rng engine_;
};

}  // namespace graphtx::nn
