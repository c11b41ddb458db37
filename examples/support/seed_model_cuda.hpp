#pragma once
// The seed model on the GPU behind a host-compilable interface, so that quickstart.cpp and
// run_model.cpp stay ordinary C++ files: only support/seed_model_cuda.cu is compiled by nvcc.

#include <graphtx/tools/runner.hpp>

namespace graphtx_examples {

/// tools::cuda_backend<GraphTransformerNet<seed_config>>(), compiled in seed_model_cuda.cu: the
/// CUDA forward that tools::forward_on / tools::run_main take for --device cuda.
graphtx::tools::CudaBackend seed_cuda_backend();

}  // namespace graphtx_examples
