#pragma once
/// \file
/// \brief CUDA backend of ops::beta_gate: the Thrust-backed implementation in ops/thrust/beta_gate.hpp run on
/// the calling thread's stream. Included by <graphtx/cuda.hpp>.

#include <graphtx/ops/beta_gate.hpp>
#include <graphtx/ops/cuda/policy.cuh>
#include <graphtx/ops/thrust/beta_gate.hpp>

namespace graphtx::ops::detail {

template <>
struct beta_gate_impl<cuda> {
  static void run(TensorView<float const, 2, cuda> out, TensorView<float const, 2, cuda> x_r,
                  TensorView<float const, 2, cuda> w_beta, TensorView<float, 2, cuda> y) {
    thrust_backend::beta_gate(cuda_policy(), out.data(), x_r.data(), w_beta.data(), out.extent(0), out.extent(1),
                              y.data());
  }
};

}  // namespace graphtx::ops::detail
