#pragma once
/// \file
/// \brief Compiler glue shared by host and CUDA translation units.

#include <cstdint>

#if defined(__CUDACC__)
#define GRAPHTX_HOST_DEVICE __host__ __device__
#else
#define GRAPHTX_HOST_DEVICE
#endif

namespace graphtx {

/// Extents and element counts of tensors. Signed, so that "rows - 1" never wraps.
using index_t = std::int64_t;

/// Node ids and edge positions inside graphtx: 32-bit, which halves index traffic on the GPU.
/// Graphs whose node or edge count does not fit are rejected when they are built
/// (graph::max_index, graph/coo.hpp).
using node_t = std::int32_t;

}  // namespace graphtx
