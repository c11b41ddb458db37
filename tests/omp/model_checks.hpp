#pragma once
// Shared by the whole-model tests of tests/omp/ (the module tests' other checks are the host
// suite's bodies, tests/nn/*_cases.hpp): a golden's model and batch on graphtx::thrust_omp give a
// bitwise identical prediction for 1 and 2 OpenMP threads.

#include <string>

#include <graphtx/thrust_omp.hpp>

#include "support/module_golden.hpp"
#include "support/thrust_omp.hpp"

namespace graphtx::test {

/// Net loaded from tests/data/<dir>/<name>, its forward on thrust_omp with 1 and with 2 threads:
/// bitwise equal (REQUIREd); returns the prediction (on the host).
template <class Net>
Tensor<float, 2, host> golden_prediction_same_for_1_and_2_threads(std::string const& dir, std::string const& name) {
  auto const g = load_module_golden(dir, name);
  auto const model = golden_model<Net, thrust_omp>(g);
  auto const batch = graph::to_space<thrust_omp>(golden_batch(g.io));
  return same_for_1_and_2_threads([&] { return to_space<host>(model.forward(batch)); });
}

}  // namespace graphtx::test
