#pragma once
// The seed model on the GPU behind a host-compilable interface, so that quickstart.cpp and
// run_model.cpp stay ordinary C++ files: only support/seed_model_cuda.cu is compiled by nvcc.

#include <cstddef>
#include <string>
#include <vector>

#include <graphtx/graphtx.hpp>

namespace graphtx_examples {

using SeedModelHost = graphtx::GraphTransformer<graphtx::seed_config, graphtx::host>;

struct CudaForward {
  graphtx::Tensor<float, 2, graphtx::host> y;  // [G, 1]
  std::vector<double> forward_ms;              // per repetition, CUDA events around forward only
  std::string device;                          // e.g. "NVIDIA H100 80GB HBM3"
  std::size_t model_bytes = 0;                 // device bytes of the model's tensors (memory_stats<cuda>)
  std::size_t batch_bytes = 0;                 // device bytes of the batch
  std::size_t forward_peak_bytes = 0;          // most device bytes the forwards held above model + batch
};

/// Copies the model and the batch to the GPU once, runs `repeat` forwards (the first one is
/// included: it pays for allocations), and copies y back. Throws graphtx::cuda_error when no
/// usable device is present. With `profiler`, the last forward is profiled (CUDA events per module).
CudaForward seed_forward_cuda(SeedModelHost const& model, graphtx::graph::Batch<graphtx::host> const& batch,
                              int repeat, bool tf32 = false, graphtx::profile::Profiler* profiler = nullptr);

}  // namespace graphtx_examples
