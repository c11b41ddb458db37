#pragma once
/// \file
/// \brief The one loop every Thrust-backed op is written with: `for_each_index(policy, n, f)` calls
/// f(t) for t in [0, n) on the policy's system (CUDA on the GPU, OpenMP or C++ in the host test
/// build). Ops map t to a (row, column) or (node, head) work item that writes only its own outputs,
/// so no atomics are needed and results are bitwise reproducible.
///
/// These headers compile with nvcc and with g++ (Thrust's OpenMP device system), which is how CI
/// runs this code without a GPU. They take raw pointers: the caller decides where memory lives.

#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>

#include <graphtx/core/config.hpp>

namespace graphtx::ops::thrust_backend {

template <class Policy, class F>
void for_each_index(Policy const& policy, index_t n, F f) {
  if (n <= 0) return;
  ::thrust::for_each_n(policy, ::thrust::counting_iterator<index_t>(0), n, f);
}

}  // namespace graphtx::ops::thrust_backend
