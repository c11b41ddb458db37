// cuda_seed_model: the seed GraphTransformer on an NVIDIA GPU from your own .cu file.
//
//   cuda_seed_model [MODEL.safetensors GRAPH.safetensors]
//
// With no arguments it uses deterministic random weights and the generated seed batch (G = 512,
// N = 7170). What a CUDA user writes:
//   1. include <graphtx/models/seed_model_cuda.cuh> (or <graphtx/cuda.hpp> for your own configs),
//   2. load the weights straight into the cuda space (Model::load copies them to the GPU),
//   3. build and validate the graph on the host, copy it once with graph::to_space<cuda>,
//   4. run forward (queued on this thread's stream), copy y back with to_space<host>.
// Compiling the seed model for the GPU takes about 20 s with nvcc 13 on 2 cores: keep it in one .cu
// file of your program.

#include <graphtx/models/seed_model_cuda.cuh>

#include <cstdio>
#include <exception>

namespace gx = graphtx;
using Model = gx::GraphTransformer<gx::seed_config, gx::cuda>;

int main(int argc, char** argv) {
  try {
    if (argc != 1 && argc != 3) {
      std::fprintf(stderr, "usage: cuda_seed_model [MODEL.safetensors GRAPH.safetensors]\n");
      return 2;
    }
    Model const model = argc == 3 ? Model::load(argv[1]) : Model::random(0);
    gx::graph::Batch<gx::host> host_batch =
        argc == 3 ? gx::io::read_batch(argv[2]) : gx::graph::generate_molecule_batch(512, 0, 7170);
    auto batch = gx::graph::to_space<gx::cuda>(host_batch);

    gx::Tensor<float, 2, gx::cuda> y_device = model.forward(batch);  // [G, 1], still on the GPU
    gx::Tensor<float, 2, gx::host> y = gx::to_space<gx::host>(y_device);
    std::printf("cuda_seed_model: G = %lld, y[0] = %.6f\n", static_cast<long long>(y.extent(0)),
                y.extent(0) > 0 ? y(0, 0) : 0.0f);
    return 0;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "cuda_seed_model: %s\n", e.what());
    return 1;
  }
}
