#pragma once
// Tolerance checks shared by all tests: |actual - expected| <= atol + rtol * |expected| elementwise
// (torch.testing.assert_close's rule), reporting the worst element, its index and both values.
// Non-finite values match only themselves: NaN matches NaN, +inf matches +inf, -inf matches -inf;
// every other pairing with an infinity or a NaN fails whatever the tolerance.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <graphtx/core/tensor.hpp>

namespace graphtx::test {

struct Tolerance {
  double rtol;
  double atol;
};

/// fp32 vs a PyG fp32 golden (docs/pyg_semantics.md, Tolerances): rtol 1e-4, atol 1e-5.
inline constexpr Tolerance pyg_fp32{1e-4, 1e-5};

struct CloseReport {
  bool ok = true;
  std::int64_t count = 0;
  std::int64_t worst_index = -1;
  double worst_excess = 0;  // |a - e| - (atol + rtol |e|) at the worst element
  double max_abs = 0;
  double max_rel = 0;
  double worst_actual = 0;
  double worst_expected = 0;
  bool shape_mismatch = false;
  std::string text;
};

template <class A, class E>
CloseReport compare(A const* actual, E const* expected, std::int64_t n, Tolerance tol) {
  CloseReport r;
  r.count = n;
  for (std::int64_t i = 0; i < n; ++i) {
    double a = static_cast<double>(actual[i]);
    double e = static_cast<double>(expected[i]);
    bool both_nan = std::isnan(a) && std::isnan(e);
    if (both_nan) continue;
    double diff = 0;
    double excess = 0;
    if (std::isfinite(a) && std::isfinite(e)) {
      diff = std::fabs(a - e);
      excess = diff - (tol.atol + tol.rtol * std::fabs(e));
      if (e != 0) r.max_rel = std::max(r.max_rel, diff / std::fabs(e));
    } else if (a == e) {
      // The same infinity: an exact match. (The general rule would compute inf - inf = NaN.)
      excess = -INFINITY;
    } else {
      // Any other pairing with an infinity or a NaN (finite vs inf, inf vs -inf, NaN vs inf,
      // finite vs NaN) is a mismatch that no tolerance covers.
      diff = INFINITY;
      excess = INFINITY;
      r.max_rel = INFINITY;
    }
    r.max_abs = std::max(r.max_abs, diff);
    if (!(excess <= 0)) r.ok = false;
    if (r.worst_index < 0 || excess > r.worst_excess) {
      r.worst_index = i;
      r.worst_excess = excess;
      r.worst_actual = a;
      r.worst_expected = e;
    }
  }
  std::ostringstream s;
  s << "n=" << n << " max_abs=" << r.max_abs << " max_rel=" << r.max_rel << " (rtol=" << tol.rtol
    << ", atol=" << tol.atol << ")";
  if (r.worst_index >= 0) {
    s.precision(9);
    s << "; worst flat index " << r.worst_index << ": actual " << r.worst_actual << ", expected "
      << r.worst_expected;
  }
  r.text = s.str();
  return r;
}

template <class A, class E, int Rank, class SA, class SE>
CloseReport compare(TensorView<A, Rank, SA> actual, TensorView<E, Rank, SE> expected, Tolerance tol) {
  for (int d = 0; d < Rank; ++d) {
    if (actual.extent(d) != expected.extent(d)) {
      CloseReport r;
      r.ok = false;
      r.shape_mismatch = true;
      r.text = "shape mismatch: actual " + detail::shape_string(actual.extents()) + " expected " +
               detail::shape_string(expected.extents());
      return r;
    }
  }
  return compare(actual.data(), expected.data(), actual.size(), tol);
}

}  // namespace graphtx::test

/// REQUIRE that two host views are elementwise close: GRAPHTX_REQUIRE_CLOSE(actual, expected, tol).
/// Variadic so that template arguments with commas need no extra parentheses. Prints the worst
/// element, its flat index and both values on failure.
#define GRAPHTX_REQUIRE_CLOSE(...)                                              \
  do {                                                                          \
    auto graphtx_report_ = ::graphtx::test::compare(__VA_ARGS__);               \
    INFO("GRAPHTX_REQUIRE_CLOSE(" #__VA_ARGS__ "): " << graphtx_report_.text);  \
    REQUIRE(graphtx_report_.ok);                                                \
  } while (0)
