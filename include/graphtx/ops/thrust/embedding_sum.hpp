#pragma once
/// \file
/// \brief Thrust-backed embedding_sum: a reduction that finds the first index out of its table
/// (row-major), then one work item per output element gathering and summing the K rows in column
/// order. The table pointers and row counts travel by value inside the functors,
/// `embedding_tables_per_pass` at a time, so nothing is copied to the device; more tables take
/// more passes, each continuing the same left-to-right sum from what the previous pass wrote
/// (bitwise the single-pass result).

#include <cstdint>

#include <thrust/functional.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/transform_reduce.h>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

/// Tables handled per reduction / gather pass.
inline constexpr int embedding_tables_per_pass = 16;

/// The first bad index: its flat position n * K + k in x and its value; position == N * K if none.
struct embedding_bad_index {
  index_t position;
  std::int64_t value;
};

struct embedding_check_fn {
  std::int64_t const* x;  // [N, K]
  index_t cols;           // K
  index_t k0;             // first column of this pass
  index_t kc;             // columns in this pass
  index_t none;           // N * K
  index_t rows[embedding_tables_per_pass];
  GRAPHTX_HOST_DEVICE embedding_bad_index operator()(index_t t) const {
    index_t const n = t / kc, j = t % kc;
    index_t const pos = n * cols + k0 + j;
    std::int64_t const v = x[pos];
    bool const bad = v < 0 || v >= rows[j];
    return bad ? embedding_bad_index{pos, v} : embedding_bad_index{none, 0};
  }
};
struct embedding_first_fn {
  GRAPHTX_HOST_DEVICE embedding_bad_index operator()(embedding_bad_index a, embedding_bad_index b) const {
    return b.position < a.position ? b : a;
  }
};

/// The first x[n, k] (row-major) outside [0, rows[k]), or position N * K when all are valid.
/// x: [N, K] in the policy's memory; rows: K row counts in host memory.
template <class Policy>
embedding_bad_index embedding_sum_find_bad(Policy const& policy, std::int64_t const* x, index_t n, index_t k,
                                           index_t const* rows) {
  embedding_bad_index first{n * k, 0};
  if (n <= 0) return first;
  for (index_t k0 = 0; k0 < k; k0 += embedding_tables_per_pass) {
    embedding_check_fn f{x, k, k0, k - k0 < embedding_tables_per_pass ? k - k0 : embedding_tables_per_pass, n * k, {}};
    for (index_t j = 0; j < f.kc; ++j) f.rows[j] = rows[k0 + j];
    embedding_bad_index const b =
        ::thrust::transform_reduce(policy, ::thrust::counting_iterator<index_t>(0),
                                   ::thrust::counting_iterator<index_t>(n * f.kc), f, embedding_bad_index{n * k, 0},
                                   embedding_first_fn{});
    first = embedding_first_fn{}(first, b);
  }
  return first;
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
/// must be valid (embedding_sum_find_bad first). x: [N, K] and out: [N, D] in the policy's
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
