#pragma once
/// \file
/// \brief The seed model on the GPU: <graphtx/cuda.hpp> (every CUDA op, the cuda space) and the
/// seed model's composition, for `graphtx::GraphTransformer<graphtx::seed_config, graphtx::cuda>` in
/// a .cu file.
///
/// There is no `extern template` of the model: nvcc 13 loses a class-type template argument nested
/// in another one (`nn::Model<GraphTransformerNet<seed_config>, cuda>`) when it writes the host code
/// of an explicit instantiation declaration (an undeclared `__T20` in the generated file), and the
/// seed model compiles in about 20 s per translation unit anyway (nvcc 13, 2 cores, 2026-12-02). Keep
/// the model in one .cu file behind a host-callable function of your own, as examples/support does.

#include <graphtx/cuda.hpp>
#include <graphtx/models/graph_transformer.hpp>
