#pragma once
/// \file
/// \brief Everything done to a module's parameters, written once for every module: strict load and
/// save of PyG's state_dict, deterministic random init, copy between spaces, listing. Each works by
/// walking the module with a visitor; a module only says what it holds:
///
/// \code
/// template <class V> void visit(V& v) {
///   v.param("weight", weight, Init::uniform(bound));   // a trained parameter
///   v.buffer("running_mean", running_mean);            // a buffer PyG saves in the state_dict
///   v.scalar_buffer("num_batches_tracked", tracked);   // an int64 scalar buffer
///   v.child("lin_key", lin_key);                       // a submodule under "lin_key."
///   v.child("", inner);                                // a transparent wrapper (same prefix)
/// }
/// \endcode
///
/// Names are PyG's: the container adds "<name>." for each child, so a leaf names only its own
/// tensors. After a visitor that changes parameters (load, init, copy) has visited a module, the
/// module's `prepare()` runs, if it has one (TransformerConv folds its weights there).

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/io/state_dict.hpp>
#include <graphtx/nn/init.hpp>
#include <graphtx/nn/layer.hpp>

namespace graphtx::nn {

namespace detail {

/// The dotted-prefix bookkeeping every visitor shares.
template <class Derived>
class visitor_base {
 public:
  /// Visits `m` under `<prefix><name>.` (an empty name: under the same prefix), then prepares it.
  template <class M>
  void child(std::string_view name, M& m) {
    std::size_t const saved = prefix_.size();
    if (!name.empty()) {
      prefix_ += name;
      prefix_ += '.';
    }
    m.visit(static_cast<Derived&>(*this));
    if constexpr (Derived::modifies && has_prepare_v<M>) {
      m.prepare();
      static_cast<Derived&>(*this).prepared(m);
    }
    prefix_.resize(saved);
  }
  /// Called after a module's prepare(): a visitor may act on the derived weights (StateLoader
  /// frees the folded PyG weights there when asked to).
  template <class M>
  void prepared(M&) {}
  std::string full_name(std::string_view leaf) const { return prefix_ + std::string(leaf); }

 protected:
  std::string prefix_;
};

}  // namespace detail

/// Visits the root module itself (prefix ""), with its prepare() when the visitor modifies.
template <class M, class V>
void visit_root(M& m, V& v) {
  v.child("", m);
}

// ---- load -----------------------------------------------------------------------------------

/// How a state_dict is loaded.
struct LoadOptions {
  /// Free the PyG-layout weights that a layer's fast path has folded into weights of its own,
  /// right after folding (nn::TransformerConv with the folded algorithm: lin_query and lin_key,
  /// and lin_value when concat=False). The seed model then holds about 140 MiB instead of 408 MiB
  /// and loads faster. Such a model runs as usual, but nn::Model::save() and nn::Model::from()
  /// throw: the weights they would write or copy are gone.
  bool drop_folded_weights = false;
};

/// Reads every parameter and buffer from a state_dict: exact name, shape and dtype (F32 tensors,
/// I64 scalars) or an io_error naming the file and the key.
template <class Space>
class StateLoader : public detail::visitor_base<StateLoader<Space>> {
 public:
  static constexpr bool modifies = true;
  explicit StateLoader(io::StateDictReader& sd, LoadOptions options = {}) : sd_(&sd), options_(options) {}

  /// With LoadOptions::drop_folded_weights, a module that folded its weights in prepare() frees
  /// the PyG-layout ones it no longer runs, before the next module is read (the freed blocks are
  /// reused for the next layer's weights, so they never add up).
  template <class M>
  void prepared(M& m) {
    if constexpr (has_drop_folded_weights_v<M>) {
      if (options_.drop_folded_weights) {
        m.drop_folded_weights();
        ++dropped_;
      }
    }
  }
  /// How many modules freed folded weights.
  int dropped() const { return dropped_; }

  template <int Rank>
  void param(std::string_view name, Tensor<float, Rank, Space>& t, Init) {
    t = to_space<Space>(sd_->take<Rank>(this->full_name(name), t.extents()));
  }
  template <int Rank>
  void buffer(std::string_view name, Tensor<float, Rank, Space>& t) {
    param(name, t, Init::keep());
  }
  void scalar_buffer(std::string_view name, std::int64_t& value) {
    value = sd_->take_int64_scalar(this->full_name(name));
  }

 private:
  io::StateDictReader* sd_;
  LoadOptions options_;
  int dropped_ = 0;
};

/// Loads `m` from `sd` under `prefix` ("" for a whole model). Does not check for leftover keys:
/// call sd.finish() for that (nn::Model::load does). Returns whether any module freed folded
/// weights (LoadOptions::drop_folded_weights).
template <class M>
bool load_state(M& m, io::StateDictReader& sd, std::string_view prefix = "", LoadOptions options = {}) {
  StateLoader<typename M::space> v(sd, options);
  v.child(prefix.empty() ? std::string_view{} : prefix.substr(0, prefix.size() - (prefix.back() == '.' ? 1 : 0)), m);
  return v.dropped() > 0;
}

// ---- save -----------------------------------------------------------------------------------

/// Writes every parameter and buffer under PyG's names (loads back with PyG's load_state_dict).
template <class Space>
class StateSaver : public detail::visitor_base<StateSaver<Space>> {
 public:
  static constexpr bool modifies = false;
  explicit StateSaver(io::StateDictWriter& sd) : sd_(&sd) {}

  template <int Rank>
  void param(std::string_view name, Tensor<float, Rank, Space> const& t, Init) {
    sd_->put(this->full_name(name), to_space<host>(t));
  }
  template <int Rank>
  void buffer(std::string_view name, Tensor<float, Rank, Space> const& t) {
    param(name, t, Init::keep());
  }
  void scalar_buffer(std::string_view name, std::int64_t value) { sd_->put_int64_scalar(this->full_name(name), value); }

 private:
  io::StateDictWriter* sd_;
};

/// Saves `m` (a const module: saving changes nothing) into `sd` under `prefix`.
template <class M>
void save_state(M const& m, io::StateDictWriter& sd, std::string_view prefix = "") {
  StateSaver<typename M::space> v(sd);
  // visit() is non-const by design (one walk for every visitor); the saver only reads.
  v.child(prefix.empty() ? std::string_view{} : prefix.substr(0, prefix.size() - (prefix.back() == '.' ? 1 : 0)),
          const_cast<M&>(m));
}

// ---- random init ----------------------------------------------------------------------------

/// PyTorch-style init from one RandomWeights stream, in visiting order.
template <class Space>
class RandomInitializer : public detail::visitor_base<RandomInitializer<Space>> {
 public:
  static constexpr bool modifies = true;
  explicit RandomInitializer(RandomWeights& rng) : rng_(&rng) {}

  template <int Rank>
  void param(std::string_view, Tensor<float, Rank, Space>& t, Init init) {
    switch (init.what) {
      case Init::kind::uniform: t = to_space<Space>(rng_->uniform<Rank>(t.extents(), init.bound)); break;
      case Init::kind::ones: t = to_space<Space>(Tensor<float, Rank, host>::filled(t.extents(), 1.0f)); break;
      case Init::kind::zeros: t = to_space<Space>(Tensor<float, Rank, host>::zeros(t.extents())); break;
      case Init::kind::keep: break;
    }
  }
  template <int Rank>
  void buffer(std::string_view, Tensor<float, Rank, Space>&) {}
  void scalar_buffer(std::string_view, std::int64_t&) {}

 private:
  RandomWeights* rng_;
};

/// Deterministic random parameters for `m` (the same numbers on every platform for a seed).
template <class M>
void init_random(M& m, RandomWeights& rng) {
  RandomInitializer<typename M::space> v(rng);
  visit_root(m, v);
}
template <class M>
void init_random(M& m, std::uint64_t seed) {
  RandomWeights rng(seed);
  init_random(m, rng);
}

// ---- copy between spaces --------------------------------------------------------------------

namespace detail {
struct tensor_record {
  std::string name;
  void const* data;
  std::vector<index_t> extents;
  std::int64_t scalar = 0;
  bool is_scalar = false;
};

template <class Space>
class tensor_recorder : public visitor_base<tensor_recorder<Space>> {
 public:
  static constexpr bool modifies = false;
  std::vector<tensor_record> records;
  template <int Rank>
  void param(std::string_view name, Tensor<float, Rank, Space> const& t, Init) {
    records.push_back({this->full_name(name), t.data(), std::vector<index_t>(t.extents().begin(), t.extents().end())});
  }
  template <int Rank>
  void buffer(std::string_view name, Tensor<float, Rank, Space> const& t) {
    param(name, t, Init::keep());
  }
  void scalar_buffer(std::string_view name, std::int64_t value) {
    records.push_back({this->full_name(name), nullptr, {}, value, true});
  }
};

template <class Space, class SrcSpace>
class tensor_assigner : public visitor_base<tensor_assigner<Space, SrcSpace>> {
 public:
  static constexpr bool modifies = true;
  explicit tensor_assigner(std::vector<tensor_record> const& records) : records_(&records) {}
  template <int Rank>
  void param(std::string_view name, Tensor<float, Rank, Space>& t, Init) {
    tensor_record const& r = next(name);
    extents_t<Rank> e{};
    if (r.is_scalar || static_cast<int>(r.extents.size()) != Rank) mismatch(r);
    for (int d = 0; d < Rank; ++d) {
      if (r.extents[static_cast<std::size_t>(d)] != t.extent(d)) mismatch(r);
      e[d] = r.extents[static_cast<std::size_t>(d)];
    }
    Tensor<float, Rank, Space> copy(e);
    deep_copy<float, Rank, Space, SrcSpace>(copy.view(), TensorView<float const, Rank, SrcSpace>(static_cast<float const*>(r.data), e));
    t = std::move(copy);
  }
  template <int Rank>
  void buffer(std::string_view name, Tensor<float, Rank, Space>& t) {
    param(name, t, Init::keep());
  }
  void scalar_buffer(std::string_view name, std::int64_t& value) {
    tensor_record const& r = next(name);
    if (!r.is_scalar) mismatch(r);
    value = r.scalar;
  }

 private:
  tensor_record const& next(std::string_view name) {
    if (i_ >= records_->size() || (*records_)[i_].name != this->full_name(name)) {
      throw error(graphtx::detail::cat("nn::copy_parameters: source and destination differ at \"", this->full_name(name),
                                       "\" (not the same module type in two spaces)"));
    }
    return (*records_)[i_++];
  }
  [[noreturn]] static void mismatch(tensor_record const& r) {
    throw shape_error(graphtx::detail::cat("nn::copy_parameters: ", r.name, " has another shape in the source"));
  }
  std::vector<tensor_record> const* records_;
  std::size_t i_ = 0;
};
}  // namespace detail

/// dst's parameters and buffers become copies of src's, tensor by tensor (host <-> cuda): the two
/// are the same module in two spaces (`M::rebind<OtherSpace>`).
template <class Dst, class Src>
void copy_parameters(Dst& dst, Src const& src) {
  detail::tensor_recorder<typename Src::space> rec;
  visit_root(const_cast<Src&>(src), rec);
  detail::tensor_assigner<typename Dst::space, typename Src::space> assign(rec.records);
  visit_root(dst, assign);
}

// ---- listing --------------------------------------------------------------------------------

/// One entry of nn::state_entries: a state_dict key, its shape and whether it is a parameter.
struct StateEntry {
  std::string name;
  std::vector<index_t> shape;  ///< [] for a scalar buffer
  bool parameter = true;       ///< false: a buffer (running statistics, num_batches_tracked)
};

namespace detail {
template <class Space>
class entry_lister : public visitor_base<entry_lister<Space>> {
 public:
  static constexpr bool modifies = false;
  std::vector<StateEntry> entries;
  template <int Rank>
  void param(std::string_view name, Tensor<float, Rank, Space> const& t, Init) {
    entries.push_back({this->full_name(name), std::vector<index_t>(t.extents().begin(), t.extents().end()), true});
  }
  template <int Rank>
  void buffer(std::string_view name, Tensor<float, Rank, Space> const& t) {
    entries.push_back({this->full_name(name), std::vector<index_t>(t.extents().begin(), t.extents().end()), false});
  }
  void scalar_buffer(std::string_view name, std::int64_t) { entries.push_back({this->full_name(name), {}, false}); }
};
}  // namespace detail

/// Every state_dict key of `m` in visiting order (PyG's order for PyG's modules).
template <class M>
std::vector<StateEntry> state_entries(M const& m) {
  detail::entry_lister<typename M::space> v;
  visit_root(const_cast<M&>(m), v);
  return v.entries;
}

/// The parameters `m` holds, counted at run time (tests compare it with M::parameter_count).
template <class M>
index_t count_parameters(M const& m) {
  index_t n = 0;
  for (auto const& e : state_entries(m)) {
    if (!e.parameter) continue;
    index_t k = 1;
    for (index_t d : e.shape) k *= d;
    n += k;
  }
  return n;
}

}  // namespace graphtx::nn
