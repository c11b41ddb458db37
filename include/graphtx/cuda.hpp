#pragma once
/// \file
/// \brief Umbrella header for CUDA translation units (.cu files compiled by nvcc): everything in
/// <graphtx/graphtx.hpp> plus the graphtx::cuda space (device memory, streams, cuBLAS) and the CUDA
/// implementation of every op, so that `GraphTransformer<Config, graphtx::cuda>` and
/// `nn::TransformerConv<Config, graphtx::cuda>` compile.
///
/// **Example** (seed_model.cu):
/// \code
/// #include <graphtx/cuda.hpp>
/// using Model = graphtx::GraphTransformer<graphtx::seed_config, graphtx::cuda>;
/// auto model = Model::load("model.safetensors");                       // weights copied to the GPU
/// auto batch = graphtx::graph::to_space<graphtx::cuda>(graphtx::io::read_batch("graph.safetensors"));
/// auto y = graphtx::to_space<graphtx::host>(model.forward(batch));     // [G, 1] back on the host
/// \endcode

#if !defined(__CUDACC__)
#error "<graphtx/cuda.hpp> needs nvcc: include it from a .cu file, or use graphtx::host with <graphtx/graphtx.hpp>"
#endif

#include <graphtx/graphtx.hpp>

#include <graphtx/core/cuda/check.cuh>
#include <graphtx/core/cuda/context.cuh>
#include <graphtx/core/cuda/memory.cuh>
#include <graphtx/graph/transfer.hpp>

// Every op with a Thrust version (ops/thrust/dispatch.hpp, on the thread's stream), then the ops
// with their own CUDA code (explicit specialisations: cuBLAS, kernels).
#include <graphtx/ops/cuda/policy.cuh>

#include <graphtx/ops/cuda/folded_attention.cuh>
#include <graphtx/ops/cuda/head_linear.cuh>
#include <graphtx/ops/cuda/layer_norm.cuh>
#include <graphtx/ops/cuda/linear.cuh>

#include <graphtx/profile/cuda/timer.cuh>
