#pragma once
/// \file
/// \brief Reading a batched graph from a safetensors file, the input format of `run_model`:
///
///     x           [N, F]   F32 (or F64, or I64/I32 integer features as OGB stores them; cast to float)
///     edge_index  [2, E]   I64 or I32, row 0 = source j, row 1 = target i
///     batch       [N]      I64 (or I32), graph id per node, non-decreasing; optional when the file
///                          holds one graph (then every node is in graph 0)
///     edge_attr   [E, D]   F32, optional
///
/// Everything is validated before any computation: errors name the file, the tensor and the first
/// bad edge or node.

#include <filesystem>
#include <string>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/batch.hpp>
#include <graphtx/io/safetensors.hpp>

namespace graphtx::io {

/// Builds a validated host batch from an opened file. `num_graphs` < 0 means batch.max() + 1
/// (0 for an empty batch), as PyG's global_mean_pool infers it.
inline graph::Batch<host> read_batch(SafetensorsFile const& file, index_t num_graphs = -1) {
  auto const& src = file.source();
  for (char const* required : {"x", "edge_index"}) {
    if (!file.contains(required)) {
      throw io_error(detail::cat(src, ": graph file has no tensor named \"", required, "\""));
    }
  }
  auto require_rank = [&](char const* name, std::size_t rank) {
    auto const& info = file.info(name);
    if (info.shape.size() != rank) {
      throw io_error(detail::cat(src, ": tensor \"", name, "\" has shape ", detail::shape_string(info.shape),
                                 " (rank ", info.shape.size(), "), expected rank ", rank));
    }
  };
  require_rank("x", 2);
  require_rank("edge_index", 2);
  Tensor<float, 2, host> x = file.read_float<2>("x");                          // [N, F]
  Tensor<std::int64_t, 2, host> edge_index = file.read_index<2>("edge_index");  // [2, E]
  index_t const n = x.extent(0);
  Tensor<std::int64_t, 1, host> batch;
  if (file.contains("batch")) {
    require_rank("batch", 1);
    batch = file.read_index<1>("batch");  // [N]
  } else {
    batch = Tensor<std::int64_t, 1, host>::zeros({n});
    if (num_graphs < 0) num_graphs = n > 0 ? 1 : 0;
  }
  Tensor<float, 2, host> edge_attr;
  if (file.contains("edge_attr")) {
    require_rank("edge_attr", 2);
    edge_attr = file.read_float<2>("edge_attr");
  }
  try {
    return graph::make_batch(std::move(x), edge_index.cview(), batch.cview(), num_graphs, std::move(edge_attr));
  } catch (graph_error const& e) {
    throw graph_error(detail::cat(src, ": ", e.what()));
  } catch (shape_error const& e) {
    throw shape_error(detail::cat(src, ": ", e.what()));
  } catch (resource_error const& e) {
    throw resource_error(detail::cat(src, ": ", e.what()));
  }
}

inline graph::Batch<host> read_batch(std::filesystem::path const& path, index_t num_graphs = -1) {
  return read_batch(SafetensorsFile::open(path), num_graphs);
}

}  // namespace graphtx::io
