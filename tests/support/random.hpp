#pragma once
// Deterministic random inputs for tests. Every test seeds its own generator, so a failure
// reproduces exactly.

#include <cstdint>
#include <random>
#include <vector>

#include <graphtx/core/tensor.hpp>

namespace graphtx::test {

using rng_t = std::mt19937_64;

/// Uniform in [lo, hi).
template <class T, int Rank>
Tensor<T, Rank> random_uniform(rng_t& rng, extents_t<Rank> const& extents, double lo = -1.0, double hi = 1.0) {
  Tensor<T, Rank> t(extents);
  std::uniform_real_distribution<double> dist(lo, hi);
  for (index_t i = 0; i < t.size(); ++i) t.data()[i] = static_cast<T>(dist(rng));
  return t;
}

/// Standard normal.
template <class T, int Rank>
Tensor<T, Rank> random_normal(rng_t& rng, extents_t<Rank> const& extents, double stddev = 1.0) {
  Tensor<T, Rank> t(extents);
  std::normal_distribution<double> dist(0.0, stddev);
  for (index_t i = 0; i < t.size(); ++i) t.data()[i] = static_cast<T>(dist(rng));
  return t;
}

/// Same values, other element type (e.g. float inputs promoted to double for the reference).
template <class U, class T, int Rank, class S>
Tensor<U, Rank> convert(TensorView<T, Rank, S> src) {
  Tensor<U, Rank> out(src.extents());
  for (index_t i = 0; i < src.size(); ++i) out.data()[i] = static_cast<U>(src.data()[i]);
  return out;
}

/// CSR offsets [N+1] for `num_segments` segments with random lengths in [0, max_len]; some
/// segments are empty on purpose (isolated nodes).
inline Tensor<std::int32_t, 1> random_offsets(rng_t& rng, index_t num_segments, int max_len) {
  Tensor<std::int32_t, 1> off({num_segments + 1});
  std::uniform_int_distribution<int> len(0, max_len);
  off(0) = 0;
  for (index_t i = 0; i < num_segments; ++i) off(i + 1) = off(i) + len(rng);
  return off;
}

}  // namespace graphtx::test
