// The CUDA forward that quickstart and run_model use for --device cuda: the one translation unit
// of the examples that compiles the seed model for the GPU (about 20 s with nvcc 13 on 2 cores).

#include "seed_model_cuda.hpp"

#include <graphtx/models/seed_model_cuda.cuh>
#include <graphtx/tools/runner_cuda.cuh>

namespace graphtx_examples {

graphtx::tools::CudaBackend seed_cuda_backend() {
  return graphtx::tools::cuda_backend<graphtx::GraphTransformerNet<graphtx::seed_config>>();
}

}  // namespace graphtx_examples
