#pragma once
// Shared by the Thrust-OMP tests (tests/omp/): the OpenMP policy the CUDA backend's Thrust code is
// run with here, and the check that a result does not depend on the thread count.

#include <catch2/catch.hpp>

#include <thrust/system/omp/execution_policy.h>

#include <omp.h>

#include <cstring>

namespace graphtx::test {

/// Thrust's OpenMP device system: the Thrust-backed ops run on the host's cores.
inline auto const omp_policy = ::thrust::omp::par;

/// Runs f with 1 and with 2 OpenMP threads; each returns a host tensor; they must be bitwise equal.
/// Returns the first result.
template <class F>
auto same_for_1_and_2_threads(F f) {
  int const saved = omp_get_max_threads();
  omp_set_num_threads(1);
  auto a = f();
  omp_set_num_threads(2);
  auto b = f();
  omp_set_num_threads(saved);
  REQUIRE(a.size_bytes() == b.size_bytes());
  // memcmp of zero bytes still needs non-null pointers (UBSan); empty cases have none.
  REQUIRE((a.size_bytes() == 0 || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0));
  return a;
}

}  // namespace graphtx::test
