#pragma once
/// \file
/// \brief exp over a float array in a loop the compiler vectorises (SSE2 on baseline x86-64,
/// AVX/AVX-512 with -march): the host softmax kernels spend most of their time in exp, and
/// std::exp is a scalar library call per element.
///
/// Method (Cephes' expf): x = n ln2 + r with n = round(x / ln2) and |r| <= ln2 / 2 (ln2 split in a
/// high part exact in float and a low part, so r carries no rounding of n ln2), exp(r) by a
/// degree-7 polynomial, 2^n put into the exponent bits. Measured against std::exp (double
/// rounded to float) over [-87, 88]: at most 2 ulp (tests/ops/exp_array_test.cpp).
///
/// Special values, as std::exp: NaN stays NaN, -inf and anything below about -87.68 give 0
/// (std::exp gives subnormals down to -103.97; softmax weights that small are 0 next to the
/// largest weight, 1, anyway), +inf and anything above 88.72 give +inf. Not for -ffast-math
/// builds (the NaN handling relies on IEEE semantics, as every NaN check does).

#include <algorithm>
#include <bit>
#include <cstdint>

#include <graphtx/core/tensor.hpp>

namespace graphtx::ops::detail {

inline float exp_select(float x) {
  constexpr float log2e = 1.44269504088896341f;
  constexpr float ln2_hi = 0.693359375f;     // ln 2 to 9 bits: n * ln2_hi is exact for |n| <= 128
  constexpr float ln2_lo = -2.12194440e-4f;  // ln 2 - ln2_hi
  constexpr float round_magic = 12582912.0f;  // 1.5 * 2^23: t + it has round(t) in its low mantissa bits
  constexpr std::int32_t round_magic_bits = 0x4B400000;
  // Every float operation below runs unconditionally and the special cases are chosen at the
  // end by integer selects: GCC does not if-convert float comparisons under its default
  // -ftrapping-math, so a float select (or a float -> int conversion of a NaN) would keep the
  // loop scalar. n = round(x / ln 2) comes out of the bits of t + 1.5 * 2^23 (exact for
  // |t| < 2^22; larger |t|, inf and NaN are sorted out below by `big`, t's sign and the NaN test).
  float const t = x * log2e;
  // Unsigned subtraction: the bits of a large negative t + 1.5 * 2^23 would overflow an int32
  // difference (undefined); the wrapped n of such a t is never used (`big` below decides).
  auto const n = static_cast<std::int32_t>(std::bit_cast<std::uint32_t>(t + round_magic) -
                                           static_cast<std::uint32_t>(round_magic_bits));
  std::int32_t const tbits = std::bit_cast<std::int32_t>(t);
  // |t| >= 2^22 (or inf, NaN): beyond the rounding trick; its sign says 0 or inf.
  std::int32_t const big = -static_cast<std::int32_t>((tbits & 0x7FFFFFFF) >= 0x4A800000);
  std::int32_t const negative = tbits >> 31;  // all ones for t < 0 (and -0, -inf, negative NaN)
  std::int32_t const nc = std::min(std::max(n, std::int32_t{-126}), std::int32_t{128});  // valid exponent bits
  float const nf = static_cast<float>(nc);
  float const r = (x - nf * ln2_hi) - nf * ln2_lo;  // |r| <= ln 2 / 2 where n was in range
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  // 2^n as 2^n1 * 2^n2 with n1 = floor(n / 2), n2 = n - n1, both in [-63, 64]: one power would
  // leave float's normal range at either end (2^128, and 2^-126 times p < 1, which must round
  // to a subnormal as std::exp's result does, not to 0).
  std::int32_t const n1 = nc >> 1, n2 = nc - n1;
  float const y = (p * std::bit_cast<float>((n1 + 127) << 23)) * std::bit_cast<float>((n2 + 127) << 23);
  std::int32_t const xbits = std::bit_cast<std::int32_t>(x);
  std::int32_t ybits = std::bit_cast<std::int32_t>(y);
  // Masks (all ones or zero) rather than ?:, which GCC may keep as branches.
  std::int32_t const underflow = (-static_cast<std::int32_t>(n < -126) & ~big) | (big & negative);  // 0
  std::int32_t const overflow = (-static_cast<std::int32_t>(n > 128) & ~big) | (big & ~negative);   // +inf
  std::int32_t const nan = -static_cast<std::int32_t>((xbits & 0x7FFFFFFF) > 0x7F800000);  // NaN: itself
  ybits = (ybits & ~(underflow | overflow)) | (overflow & 0x7F800000);
  ybits = (ybits & ~nan) | (xbits & nan);
  return std::bit_cast<float>(ybits);
}

/// x[i] = exp(x[i] - shift) for i < n; returns the sum of the results in a fixed order (8 partial
/// sums over i mod 8, then added pairwise), so the result does not depend on threads or flags.
/// n must be a multiple of 16 (callers pad with -inf, whose exp is 0): the loop then has no
/// scalar remainder, which for the short rows of softmax over a small graph's nodes would cost
/// as much as the vector part.
inline float exp_shifted_sum(float* __restrict x, index_t n, float shift) {
  if (n % 16 != 0) __builtin_unreachable();
#pragma omp simd
  for (index_t i = 0; i < n; ++i) x[i] = exp_select(x[i] - shift);  // the vectorised loop
  constexpr index_t lanes = 8;
  float part[lanes] = {};
  index_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    for (index_t t = 0; t < lanes; ++t) part[t] += x[i + t];
  }
  for (index_t width = lanes / 2; width > 0; width /= 2) {
    for (index_t t = 0; t < width; ++t) part[t] += part[t + width];
  }
  return part[0];
}

}  // namespace graphtx::ops::detail
