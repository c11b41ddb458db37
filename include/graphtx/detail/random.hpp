#pragma once
/// \file
/// \brief Deterministic random weights for examples and tests. Own mapping from a 64-bit engine
/// to floats, because std::uniform_real_distribution differs between standard libraries and
/// "deterministic random weights" must mean the same numbers everywhere.

#include <cstdint>
#include <random>

#include <graphtx/core/tensor.hpp>

namespace graphtx::detail {

/// The engine used for every random weight in graphtx.
using weight_rng = std::mt19937_64;

/// Uniform in [0, 1) from the top 24 bits: exactly representable in float.
inline float unit_float(weight_rng& rng) {
  return static_cast<float>(rng() >> 40) * (1.0f / 16777216.0f);
}

/// A host tensor with elements uniform in [-bound, bound).
template <int Rank>
Tensor<float, Rank, host> uniform_host(weight_rng& rng, extents_t<Rank> const& extents, float bound) {
  Tensor<float, Rank, host> t(extents);
  for (index_t i = 0; i < t.size(); ++i) t.data()[i] = (2.0f * unit_float(rng) - 1.0f) * bound;
  return t;
}

}  // namespace graphtx::detail
