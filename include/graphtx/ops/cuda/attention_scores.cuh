#pragma once
/// \file
/// \brief CUDA backend of ops::attention_scores: the Thrust-backed implementation in ops/thrust/attention_scores.hpp run on
/// the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/attention_scores.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/attention_scores.hpp>

namespace graphtx::ops::detail {

template <>
struct attention_scores_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> q, TensorView<float const, 2, cuda> k,
                  TensorView<float const, 2, cuda> edge_term, TensorView<std::int32_t const, 1, cuda> offsets,
                  TensorView<std::int32_t const, 1, cuda> sources, int heads, TensorView<float, 2, cuda> logits) {
    thrust_backend::attention_scores(cuda_policy(), q.data(), k.data(), edge_term.size() > 0 ? edge_term.data() : nullptr,
                                     offsets.data(), sources.data(), q.extent(0), heads, q.extent(1) / heads,
                                     logits.data());
  }
};

}  // namespace graphtx::ops::detail
