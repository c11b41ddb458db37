// run_model: run a trained seed-architecture GraphTransformer on a graph batch.
//
//   run_model --weights MODEL.safetensors --graph GRAPH.safetensors --out PRED.safetensors
//   run_model --weights MODEL.safetensors --check CHECK.safetensors        # against PyG's y
//
// MODEL: the PyG state_dict, saved with safetensors.torch.save_file(model.state_dict(), path).
// GRAPH: x [N, 9] (F32, or I64 as OGB stores it), edge_index [2, E] (I64 or I32), batch [N] (I64).
// PRED:  y [G, 1] F32, G = batch.max() + 1 or --num-graphs.
// Any bad input ends with exit code 1 and one line on stderr naming the file, tensor and problem.
// NaN or Inf in x or in the weights propagate as in PyG (a NaN feature makes its graph's prediction
// NaN); --check-finite refuses them instead, naming the first one. --max-graph-bytes bounds what the
// graph may cost in memory (graph::BatchLimits::max_bytes, checked before anything is allocated).
//
// This is graphtx's generic runner (<graphtx/tools/runner.hpp>, the program graphtx_add_model
// builds for any composition) for the seed model's type; --help lists every option.

#include <graphtx/graphtx.hpp>
#include <graphtx/tools/runner.hpp>
#if defined(GRAPHTX_EXAMPLES_HAVE_CUDA)
#include "seed_model_cuda.hpp"
#endif

int main(int argc, char** argv) {
  graphtx::tools::CudaBackend cuda;
#if defined(GRAPHTX_EXAMPLES_HAVE_CUDA)
  cuda = graphtx_examples::seed_cuda_backend();
#endif
  return graphtx::tools::run_main<graphtx::GraphTransformerNet<graphtx::seed_config>>(
      argc, argv,
      {.program = "run_model",
       .model_label = "the seed model",
       .summary = "graphtx run_model: predictions of a PyG seed-architecture GraphTransformer"},
      cuda);
}
