#pragma once
/// \file
/// \brief Reading a batched graph from a safetensors file, the input format of `run_model`:
///
///     x           [N, F]   F32 (or F64), or integer features as OGB stores them: I64 (or I32)
///     edge_index  [2, E]   I64 or I32, row 0 = source j, row 1 = target i
///     batch       [N]      I64 (or I32), graph id per node, non-decreasing; optional when the file
///                          holds one graph (then every node is in graph 0)
///     edge_attr   [E, D]   optional, D >= 1, one row per edge in edge_index's order: F32 (or F64),
///                          or integer features as OGB stores bond features: I64 (or I32)
///
/// Integer x (edge_attr) lands in the batch's x_int (edge_attr_int) as int64 and, cast to float,
/// in x (edge_attr), so float-only models read every file alike; float features leave x_int
/// (edge_attr_int) [0, 0]. Everything is validated before any computation: errors name the file,
/// the tensor and the first bad edge or node.

#include <cstdint>
#include <filesystem>
#include <string>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/batch.hpp>
#include <graphtx/io/safetensors.hpp>

namespace graphtx::io {

/// Builds a validated host batch from an opened file. `num_graphs` < 0 means batch.max() + 1
/// (0 for an empty batch), as PyG's global_mean_pool infers it. `limits` bounds what the batch may
/// cost (graph::BatchLimits); the node, edge and byte counts are checked from the header's shapes
/// before any tensor is read, the graph count once the batch vector is read.
///
/// Errors (all naming the file and the tensor): a missing x or edge_index, a tensor of the wrong
/// rank, edge_attr of a dtype other than F32, F64, I64 or I32, with no columns or with rows other
/// than edge_index's E (io_error, from the header, before any read); x of another dtype (io_error
/// when it is read); then make_batch's checks (graph_error, shape_error, resource_error).
inline graph::Batch<host> read_batch(SafetensorsFile const& file, index_t num_graphs = -1,
                                     graph::BatchLimits const& limits = {}) {
  auto const& src = file.source();
  for (char const* required : {"x", "edge_index"}) {
    if (!file.contains(required)) {
      throw io_error(detail::cat(src, ": graph file has no tensor named \"", required, "\""));
    }
  }
  auto require_rank = [&](char const* name, std::size_t rank) -> TensorInfo const& {
    auto const& info = file.info(name);
    if (info.shape.size() != rank) {
      throw io_error(detail::cat(src, ": tensor \"", name, "\" has shape ", detail::shape_string(info.shape),
                                 " (rank ", info.shape.size(), "), expected rank ", rank));
    }
    return info;
  };
  auto rethrow_named = [&](auto&& build) {
    try {
      return build();
    } catch (graph_error const& e) {
      throw graph_error(detail::cat(src, ": ", e.what()));
    } catch (shape_error const& e) {
      throw shape_error(detail::cat(src, ": ", e.what()));
    } catch (resource_error const& e) {
      throw resource_error(detail::cat(src, ": ", e.what()));
    }
  };
  auto is_int = [](TensorInfo const& t) { return t.type == dtype::i64 || t.type == dtype::i32; };
  TensorInfo const& x_info = require_rank("x", 2);
  TensorInfo const& ei_info = require_rank("edge_index", 2);
  TensorInfo const* batch_info = file.contains("batch") ? &require_rank("batch", 1) : nullptr;
  TensorInfo const* ea_info = file.contains("edge_attr") ? &require_rank("edge_attr", 2) : nullptr;
  bool const int_x = is_int(x_info);  // any other dtype but F32 and F64 is refused by read_float below
  bool const int_ea = ea_info != nullptr && is_int(*ea_info);
  if (ea_info != nullptr) {
    if (!int_ea && ea_info->type != dtype::f32 && ea_info->type != dtype::f64) {
      throw io_error(detail::cat(src, ": tensor \"edge_attr\" has dtype ", dtype_name(ea_info->type),
                                 ", but edge features must be F32 or F64 (float) or I64 or I32 (integer)"));
    }
    if (ea_info->shape[1] == 0) {
      throw io_error(detail::cat(src, ": tensor \"edge_attr\" has shape ", detail::shape_string(ea_info->shape),
                                 ", no features per edge (D must be at least 1; leave edge_attr out of a graph "
                                 "without edge features)"));
    }
    // Only against a well-formed edge_index: a [3, E] one is named by make_batch first.
    if (ei_info.shape[0] == 2 && ea_info->shape[0] != ei_info.shape[1]) {
      throw io_error(detail::cat(src, ": tensor \"edge_attr\" has shape ", detail::shape_string(ea_info->shape),
                                 ", expected [", ei_info.shape[1], ", D] (one row per edge of \"edge_index\")"));
    }
  }

  // Counts from the header alone: a hostile shape is refused before anything is allocated. Only
  // the counts matter here; rows of the wrong length and the like are named by make_batch.
  index_t const n = x_info.shape[0];
  index_t const f = x_info.shape[1];
  index_t const e = ei_info.shape[1];
  index_t const d = ea_info != nullptr && ea_info->shape[0] == e ? ea_info->shape[1] : 0;
  rethrow_named([&] {
    graph::detail::check_index_range("number of nodes (rows of \"x\")", n, "read_batch");
    graph::detail::check_index_range("number of edges (columns of \"edge_index\")", e, "read_batch");
    // read_batch also holds edge_index [2, E] and batch [N] as int64 while it builds.
    std::uint64_t const bytes = graph::detail::sat_add(
        graph::batch_build_bytes(n, f, e, d, 0, int_x ? f : 0, int_ea ? d : 0),
        graph::detail::sat_mul(graph::detail::sat_add(2 * static_cast<std::uint64_t>(e), static_cast<std::uint64_t>(n)),
                               8));
    graph::detail::check_batch_bytes(bytes, limits, "read_batch",
                                     detail::cat("a batch of ", n, " nodes with ", f, int_x ? " integer" : "",
                                                 " features and ", e, " edges"));
    return 0;
  });

  Tensor<float, 2, host> x_float;      // [N, F] when x is F32 or F64
  Tensor<std::int64_t, 2, host> x_int;  // [N, F] when x is I64 or I32
  if (int_x) {
    x_int = file.read_index<2>("x");
  } else {
    x_float = file.read_float<2>("x");
  }
  Tensor<std::int64_t, 2, host> edge_index = file.read_index<2>("edge_index");  // [2, E]
  Tensor<std::int64_t, 1, host> batch;
  if (batch_info != nullptr) {
    batch = file.read_index<1>("batch");  // [N]
  } else {
    batch = Tensor<std::int64_t, 1, host>::zeros({n});
    if (num_graphs < 0) num_graphs = n > 0 ? 1 : 0;
  }
  Tensor<float, 2, host> ea_float;      // [E, D] when edge_attr is F32 or F64
  Tensor<std::int64_t, 2, host> ea_int;  // [E, D] when edge_attr is I64 or I32
  if (int_ea) {
    ea_int = file.read_index<2>("edge_attr");
  } else if (ea_info != nullptr) {
    ea_float = file.read_float<2>("edge_attr");
  }
  auto build = [&](auto& x, auto& edge_attr) {
    return rethrow_named([&] {
      return graph::make_batch(std::move(x), edge_index.cview(), batch.cview(), num_graphs, std::move(edge_attr),
                               limits);
    });
  };
  if (int_x) return int_ea ? build(x_int, ea_int) : build(x_int, ea_float);
  return int_ea ? build(x_float, ea_int) : build(x_float, ea_float);
}

inline graph::Batch<host> read_batch(std::filesystem::path const& path, index_t num_graphs = -1,
                                     graph::BatchLimits const& limits = {}) {
  return read_batch(SafetensorsFile::open(path), num_graphs, limits);
}

}  // namespace graphtx::io
