#pragma once
/// \file
/// \brief Thrust-backed embedding_sum: a pass per row that flags the first index out of its table,
/// then one work item per output element gathering and summing the K rows in column
/// order. The table pointers and row counts travel by value inside the functors,
/// `embedding_tables_per_pass` at a time, so nothing is copied to the device; more tables take
/// more passes, each continuing the same left-to-right sum from what the previous pass wrote
/// (bitwise the single-pass result).

#include <cstdint>


#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

/// Tables handled per reduction / gather pass.
inline constexpr int embedding_tables_per_pass = 16;

/// The first bad index: its flat position n * K + k in x and its value; position == N * K if none.
struct embedding_bad_index {
  index_t position;
  std::int64_t value;
};

/// One work item per row n: flags[2n] = the first column k whose index is outside [0, rows[k]) (or
/// -1), flags[2n + 1] = that index. Columns go `embedding_tables_per_pass` per pass; a row already
/// flagged by an earlier pass (a smaller column) is left as it is.
struct embedding_check_fn {
  std::int64_t const* x;  // [N, K]
  std::int64_t* flags;    // [N, 2]
  index_t cols;           // K
  index_t k0;             // first column of this pass
  index_t kc;             // columns in this pass
  index_t rows[embedding_tables_per_pass];
  GRAPHTX_HOST_DEVICE void operator()(index_t n) const {
    if (k0 == 0) flags[2 * n] = -1;
    if (flags[2 * n] >= 0) return;
    for (index_t j = 0; j < kc; ++j) {
      std::int64_t const v = x[n * cols + k0 + j];
      if (v < 0 || v >= rows[j]) {
        flags[2 * n] = k0 + j;
        flags[2 * n + 1] = v;
        return;
      }
    }
  }
};

/// Flags every row's first bad index (see embedding_check_fn) into `flags` [N, 2] in the policy's
/// memory. x: [N, K] in the policy's memory; rows: K row counts in host memory. (A per-row pass
/// rather than thrust::reduce: Thrust's OpenMP reduce trips UBSan, and the rows are read back
/// only when an index is bad.)
template <class Policy>
void embedding_sum_flag_rows(Policy const& policy, std::int64_t const* x, index_t n, index_t k, index_t const* rows,
                             std::int64_t* flags) {
  if (n <= 0) return;
  if (k == 0) {
    embedding_check_fn f{x, flags, 0, 0, 0, {}};
    for_each_index(policy, n, f);
    return;
  }
  for (index_t k0 = 0; k0 < k; k0 += embedding_tables_per_pass) {
    embedding_check_fn f{x, flags, k, k0, k - k0 < embedding_tables_per_pass ? k - k0 : embedding_tables_per_pass, {}};
    for (index_t j = 0; j < f.kc; ++j) f.rows[j] = rows[k0 + j];
    for_each_index(policy, n, f);
  }
}

/// The first bad index in row-major order from flags [N, 2] in host memory.
inline embedding_bad_index embedding_first_flagged(std::int64_t const* flags, index_t n, index_t k) {
  for (index_t r = 0; r < n; ++r) {
    if (flags[2 * r] >= 0) return {r * k + static_cast<index_t>(flags[2 * r]), flags[2 * r + 1]};
  }
  return {n * k, 0};
}

struct embedding_sum_fn {
  std::int64_t const* x;  // [N, K]
  float* out;             // [N, D]
  index_t cols;           // K
  index_t dim;            // D
  index_t k0;             // first column of this pass; 0: start the sum, else continue from out
  index_t kc;             // columns in this pass
  float const* tables[embedding_tables_per_pass];  // [rows_k, D] each
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    index_t const n = t / dim, c = t % dim;
    std::int64_t const* xr = x + n * cols + k0;
    float acc = k0 == 0 ? tables[0][static_cast<index_t>(xr[0]) * dim + c] : out[t];
    for (index_t j = k0 == 0 ? 1 : 0; j < kc; ++j) acc += tables[j][static_cast<index_t>(xr[j]) * dim + c];
    out[t] = acc;
  }
};
struct embedding_zero_fn {
  float* out;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const { out[t] = 0.0f; }
};

/// out[n, :] = sum over k of tables[k][x[n, k], :] in column order (K = 0: zeros). Every index
/// must be valid (embedding_sum_flag_rows first). x: [N, K] and out: [N, D] in the policy's
/// memory; `tables`: a host array of K pointers to [rows_k, D] tables in the policy's memory.
template <class Policy>
void embedding_sum(Policy const& policy, std::int64_t const* x, index_t n, index_t k, float const* const* tables,
                   index_t dim, float* out) {
  if (k == 0) {
    for_each_index(policy, n * dim, embedding_zero_fn{out});
    return;
  }
  for (index_t k0 = 0; k0 < k; k0 += embedding_tables_per_pass) {
    embedding_sum_fn f{x, out, k, dim, k0, k - k0 < embedding_tables_per_pass ? k - k0 : embedding_tables_per_pass, {}};
    for (index_t j = 0; j < f.kc; ++j) f.tables[j] = tables[k0 + j];
    for_each_index(policy, n * dim, f);
  }
}

}  // namespace graphtx::ops::thrust_backend
