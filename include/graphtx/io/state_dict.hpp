#pragma once
/// \file
/// \brief Loading and saving layers by PyG's state_dict names (`convs.0.lin_query.weight`,
/// `lns.0.weight`, `post_mp.0.weight`, ...) from a safetensors file written by
/// `safetensors.torch.save_file(model.state_dict(), path)`.
///
/// Strict: a missing key, a wrong shape, a dtype other than F32 and (at `finish()`) a key that no
/// layer asked for are all io_errors naming the file and the key. Never pickle.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/io/safetensors.hpp>

namespace graphtx::io {

/// Hands out the tensors of one state_dict file, checking names, dtypes and shapes, and records
/// which keys were used so that leftovers can be reported.
class StateDictReader {
 public:
  explicit StateDictReader(SafetensorsFile const& file) : file_(&file) {}

  /// The F32 tensor `name` with exactly `expected` extents.
  template <int Rank>
  Tensor<float, Rank, host> take(std::string const& name, extents_t<Rank> const& expected) {
    TensorInfo const* info = file_->find(name);
    if (info == nullptr) {
      throw io_error(detail::cat(file_->source(), ": state_dict: missing key \"", name, "\" (expected shape ",
                                 detail::shape_string(expected), ", F32)"));
    }
    bool shape_ok = info->shape.size() == static_cast<std::size_t>(Rank);
    for (std::size_t d = 0; shape_ok && d < info->shape.size(); ++d) shape_ok = info->shape[d] == expected[d];
    if (!shape_ok) {
      throw io_error(detail::cat(file_->source(), ": state_dict: ", name, " has shape ",
                                 detail::shape_string(info->shape), ", expected ", detail::shape_string(expected)));
    }
    if (info->type != dtype::f32) {
      throw io_error(detail::cat(file_->source(), ": state_dict: ", name, " has dtype ", dtype_name(info->type),
                                 ", expected F32 (save the model with model.float() first)"));
    }
    used_.insert(name);
    return file_->read<float, Rank>(name);
  }

  /// The int64 scalar `name` (shape [], I64): BatchNorm's `num_batches_tracked`.
  std::int64_t take_int64_scalar(std::string const& name) {
    TensorInfo const* info = file_->find(name);
    if (info == nullptr) {
      throw io_error(detail::cat(file_->source(), ": state_dict: missing key \"", name,
                                 "\" (expected shape [], I64)"));
    }
    if (!info->shape.empty() || info->type != dtype::i64) {
      throw io_error(detail::cat(file_->source(), ": state_dict: ", name, " has shape ",
                                 detail::shape_string(info->shape), " and dtype ", dtype_name(info->type),
                                 ", expected shape [] and dtype I64"));
    }
    used_.insert(name);
    return file_->read_scalar<std::int64_t>(name);
  }

  /// Marks a key as known but unused by the computation (for example, nothing here: every
  /// parameter PyG saves is loaded, even the seed's never-executed convs.10 and lns.9).
  bool was_used(std::string const& name) const { return used_.count(name) != 0; }

  /// Throws io_error listing every key of the file that no layer took (an architecture mismatch:
  /// wrong number of layers, beta or edge_dim set in the file but not in the config, ...).
  void finish() const {
    std::vector<std::string> unexpected;
    for (auto const& t : file_->tensors()) {
      if (used_.count(t.name) == 0) unexpected.push_back(t.name);
    }
    if (unexpected.empty()) return;
    std::sort(unexpected.begin(), unexpected.end());
    std::string list;
    for (std::size_t i = 0; i < unexpected.size() && i < 8; ++i) {
      list += (i ? ", " : "") + unexpected[i];
    }
    if (unexpected.size() > 8) list += detail::cat(", ... (", unexpected.size() - 8, " more)");
    throw io_error(detail::cat(file_->source(), ": state_dict: ", unexpected.size(),
                               " unexpected key(s) that the configured model does not have: ", list));
  }

  SafetensorsFile const& file() const { return *file_; }

 private:
  SafetensorsFile const* file_;
  std::set<std::string, std::less<>> used_;
};

/// Collects host tensors under PyG names and writes them as one safetensors file.
class StateDictWriter {
 public:
  /// Copies `tensor` into the pending file under `name` (io_error on a duplicate name).
  template <int Rank>
  void put(std::string const& name, Tensor<float, Rank, host> const& tensor) {
    writer_.add<float, Rank>(name, tensor.cview());
  }
  /// An int64 scalar (shape []) under `name`.
  void put_int64_scalar(std::string const& name, std::int64_t value) { writer_.add_scalar<std::int64_t>(name, value); }
  SafetensorsWriter& writer() { return writer_; }
  void write(std::filesystem::path const& path) const { writer_.write(path); }
  std::vector<std::byte> to_bytes() const { return writer_.to_bytes(); }

 private:
  SafetensorsWriter writer_;
};

}  // namespace graphtx::io
