#pragma once
/// \file
/// \brief Umbrella header for host translation units (g++, clang++ or nvcc). Includes the whole
/// host library: tensors, graphs, ops (reference and host), layers, the GraphTransformer model,
/// safetensors I/O and the profiler (DeepSpeed's counts and report). It never includes CUDA
/// headers: a host-only program needs no toolkit. CUDA translation units include
/// <graphtx/cuda.hpp> instead.

#include <graphtx/version.hpp>

#include <graphtx/core/config.hpp>
#include <graphtx/core/dtype.hpp>
#include <graphtx/core/error.hpp>
#include <graphtx/core/host_blas.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

#include <graphtx/graph/batch.hpp>
#include <graphtx/graph/convert.hpp>
#include <graphtx/graph/coo.hpp>
#include <graphtx/graph/csr.hpp>
#include <graphtx/graph/generate.hpp>
#include <graphtx/graph/transfer.hpp>
#include <graphtx/graph/validate.hpp>

#include <graphtx/ops/activation.hpp>
#include <graphtx/ops/attention_aggregate.hpp>
#include <graphtx/ops/attention_scores.hpp>
#include <graphtx/ops/batch_norm.hpp>
#include <graphtx/ops/beta_gate.hpp>
#include <graphtx/ops/bias_to_targets.hpp>
#include <graphtx/ops/concat_columns.hpp>
#include <graphtx/ops/elementwise.hpp>
#include <graphtx/ops/embedding_sum.hpp>
#include <graphtx/ops/folded_attention.hpp>
#include <graphtx/ops/gather_rows.hpp>
#include <graphtx/ops/gine_aggregate.hpp>
#include <graphtx/ops/graph_attention.hpp>
#include <graphtx/ops/graph_layer_norm.hpp>
#include <graphtx/ops/head_linear.hpp>
#include <graphtx/ops/layer_norm.hpp>
#include <graphtx/ops/linear.hpp>
#include <graphtx/ops/pooling.hpp>
#include <graphtx/ops/scatter_add.hpp>
#include <graphtx/ops/scatter_rows.hpp>
#include <graphtx/ops/segment_softmax.hpp>
#include <graphtx/ops/segment_sum.hpp>

#include <graphtx/io/graph_file.hpp>
#include <graphtx/io/safetensors.hpp>
#include <graphtx/io/state_dict.hpp>

#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/batch_norm.hpp>
#include <graphtx/nn/concat.hpp>
#include <graphtx/nn/config.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/dropout.hpp>
#include <graphtx/nn/embedding.hpp>
#include <graphtx/nn/fixed_string.hpp>
#include <graphtx/nn/gine_conv.hpp>
#include <graphtx/nn/gps_conv.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/graph_layer_norm.hpp>
#include <graphtx/nn/init.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/nn/layer_norm.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/mlp.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/nn/multihead_attention.hpp>
#include <graphtx/nn/parameters.hpp>
#include <graphtx/nn/pooling.hpp>
#include <graphtx/nn/transformer_conv.hpp>

#include <graphtx/models/graph_transformer.hpp>

#include <graphtx/profile/counts.hpp>
#include <graphtx/profile/format.hpp>
#include <graphtx/profile/module.hpp>
#include <graphtx/profile/op_counts.hpp>
#include <graphtx/profile/profiler.hpp>
#include <graphtx/profile/report.hpp>
