#pragma once
/// \file
/// \brief CUDA backend of ops::attention_aggregate: the Thrust-backed implementation in ops/thrust/attention_aggregate.hpp run on
/// the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/attention_aggregate.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/attention_aggregate.hpp>

namespace graphtx::ops::detail {

template <>
struct attention_aggregate_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> alpha, TensorView<float const, 2, cuda> v,
                  TensorView<float const, 2, cuda> edge_term, TensorView<std::int32_t const, 1, cuda> offsets,
                  TensorView<std::int32_t const, 1, cuda> sources, int heads, TensorView<float, 2, cuda> out) {
    thrust_backend::attention_aggregate(cuda_policy(), alpha.data(), v.data(),
                                        edge_term.size() > 0 ? edge_term.data() : nullptr, offsets.data(),
                                        sources.data(), out.extent(0), heads, out.extent(1) / heads, out.data());
  }
};

}  // namespace graphtx::ops::detail
