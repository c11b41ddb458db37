#pragma once
/// \file
/// \brief CUDA backend of ops::embedding_sum: the Thrust-backed implementation in
/// ops/thrust/embedding_sum.hpp run on the calling thread's stream: a pass that flags each row's
/// first bad index (the flags come back to the host: one synchronisation), the
/// value_error if there is one, then the gather. Included by <graphtx/cuda.hpp>.

#include <cstdint>
#include <span>
#include <vector>

#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/embedding_sum.hpp>
#include <graphtx/ops/thrust/embedding_sum.hpp>

namespace graphtx::ops::detail {

template <>
struct embedding_sum_impl<cuda> {
  static void run(TensorView<std::int64_t const, 2, cuda> x, std::span<TensorView<float const, 2, cuda> const> tables,
                  TensorView<float, 2, cuda> out) {
    index_t const n = x.extent(0), k = x.extent(1);
    std::vector<index_t> rows(tables.size());
    std::vector<float const*> data(tables.size());
    for (std::size_t j = 0; j < tables.size(); ++j) {
      rows[j] = tables[j].extent(0);
      data[j] = tables[j].data();
    }
    Tensor<std::int64_t, 2, cuda> flags({n, 2});  // [N, 2]: each row's first bad column and index
    thrust_backend::embedding_sum_flag_rows(cuda_policy(), x.data(), n, k, rows.data(), flags.data());
    auto const host_flags = to_space<host>(flags);  // N x 16 bytes back: the one synchronisation
    auto const bad = thrust_backend::embedding_first_flagged(host_flags.data(), n, k);
    if (bad.position < n * k) {
      index_t const col = bad.position % k;
      throw embedding_index_error("embedding_sum", bad.position / k, col, bad.value,
                                  rows[static_cast<std::size_t>(col)]);
    }
    if (n == 0 || out.extent(1) == 0) return;
    thrust_backend::embedding_sum(cuda_policy(), x.data(), n, k, data.data(), out.extent(1), out.data());
  }
};

}  // namespace graphtx::ops::detail
