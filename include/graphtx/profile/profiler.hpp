#pragma once
/// \file
/// \brief profile::Profiler: per-module counts and forward latency of a model, the way DeepSpeed's
/// flops profiler records them for a PyTorch model (docs/pyg_semantics.md, DeepSpeed flops profiler: counting).
///
/// DeepSpeed hooks every module: a pre-hook pushes it on a stack and starts a clock, the patched
/// torch functions add their counts to the module on top, a post-hook stops the clock and adds the
/// time to the module's `__duration__` (summed over calls). graphtx does the same without hooks:
/// every layer's forward takes a `profile::Probe` (default: off), opens a `profile::Scope` for
/// itself and adds its counts with `probe.count(...)`; a parent passes `probe.child("lin_key")` to
/// its children. The module tree itself (names, classes, parameters, the layers that never run)
/// comes from the model's static `profile_module()`.
///
/// **Example**:
/// \code
/// graphtx::profile::Profiler prof(model);            // the tree of `model`: names, classes, params
/// auto y = model.forward(batch, &prof);              // counts and latency per module
/// graphtx::profile::print_report(std::cout, prof);  // DeepSpeed's report (<graphtx/profile/report.hpp>)
/// \endcode
///
/// Off costs nothing measurable: a null Probe is two null pointers; Scope and count() test one of
/// them and then do nothing (no clock read, no virtual call, no allocation).
///
/// Timing: host layers read std::chrono::steady_clock at the start and end of their forward (host
/// ops are synchronous). CUDA layers record a pair of CUDA events on the thread's stream instead
/// (<graphtx/profile/cuda/timer.cuh>, reached through <graphtx/cuda.hpp>): the forward is not
/// synchronised, and the times are read when the tree is first read afterwards (root()).
///
/// Several profiled forwards accumulate (counts and times add up, as in DeepSpeed between
/// start_profile and end_profile); reset() starts over. A Profiler is not thread-safe: profile one
/// forward at a time.

#include <chrono>
#include <concepts>
#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>

#include <graphtx/core/error.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/profile/module.hpp>
#include <graphtx/profile/op_counts.hpp>

namespace graphtx::profile {

class Profiler;

namespace detail {

/// Times that a backend can read only later (CUDA events). The Profiler resolves them before its
/// tree is read.
class deferred_timing {
 public:
  virtual ~deferred_timing() = default;
  virtual bool pending() const = 0;
  /// Adds the measured times to their modules; throws graphtx::error (cuda_error) on failure.
  virtual void resolve() = 0;
};

/// How a Scope measures time in a Space: `mark start(Profiler&)` and
/// `void stop(Profiler&, Module&, mark) noexcept`. The primary template is reached only when the
/// space's backend header was not included.
template <class Space>
struct scope_clock {
  static_assert(sizeof(Space) == 0,
                "graphtx::profile: no clock for this Space; for graphtx::cuda include <graphtx/cuda.hpp> "
                "from a .cu file");
};

/// Host: std::chrono::steady_clock around the forward (host ops return when they are done).
template <>
struct scope_clock<host> {
  using mark = std::chrono::steady_clock::time_point;
  static mark start(Profiler& /*profiler*/) { return std::chrono::steady_clock::now(); }
  static void stop(Profiler& /*profiler*/, Module& target, mark start) noexcept {
    target.duration += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};

}  // namespace detail

/// A handle on one module of a Profiler's tree, passed to a layer's forward; default: off.
/// Converts implicitly from `Profiler*` (the root; off when null), so `forward(batch, &prof)` works.
class Probe {
 public:
  constexpr Probe() = default;
  Probe(Profiler* profiler);  // NOLINT(google-explicit-constructor): `forward(x, &prof)`
  constexpr Probe(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): `forward(x, nullptr)`

  /// Whether profiling is on for this call.
  explicit operator bool() const { return module_ != nullptr; }
  Profiler* profiler() const { return profiler_; }
  /// The module this probe records into (null when off).
  Module* target() const { return module_; }

  /// The child module named `key` ("lin_key", "convs"); off when this probe is off. Throws
  /// graphtx::error when the tree has no such child (a Profiler built for another model).
  Probe child(std::string_view key) const {
    if (module_ == nullptr) return {};
    Module* c = module_->child(key);
    if (c == nullptr) {
      throw error(graphtx::detail::cat("profile: ", module_->type, " '", module_->name, "' has no child '", key,
                                       "'; was the Profiler built for another model?"));
    }
    return {profiler_, c};
  }
  /// The i-th child of a container (ModuleList, Sequential: keys "0", "1", ...); off when off.
  Probe item(std::size_t i) const {
    if (module_ == nullptr) return {};
    if (i >= module_->children.size()) {
      throw error(graphtx::detail::cat("profile: ", module_->type, " '", module_->name, "' has ",
                                       module_->children.size(), " children, no item ", i,
                                       "; was the Profiler built for another model?"));
    }
    return {profiler_, &module_->children[i]};
  }

  /// Adds what one torch call counts to this module (DeepSpeed's patched functionals).
  void count(Counts c) const {
    if (module_ != nullptr) module_->own += c;
  }

  /// The same module, counting but not timing: for a functional step inside a module's forward
  /// (PyG's `F.relu(x)`, `global_mean_pool(x, batch)`), whose counts DeepSpeed adds to the module
  /// that calls it and which has no forward hook of its own.
  /// (Encoded as a probe without its profiler, so a Probe stays two pointers; the children of such a
  /// step are not timed either.)
  Probe untimed() const { return {nullptr, module_}; }
  /// Whether a Scope on this probe times the call and counts it as one forward of the module.
  bool timed() const { return profiler_ != nullptr && module_ != nullptr; }

 private:
  Probe(Profiler* profiler, Module* target) : profiler_(profiler), module_(target) {}
  Profiler* profiler_ = nullptr;
  Module* module_ = nullptr;
};

/// Times one call of a module's forward (construction to destruction) and counts the call; does
/// nothing when the probe is off. Open it first thing in the forward.
template <class Space>
class Scope {
  using clock = detail::scope_clock<Space>;

 public:
  explicit Scope(Probe probe) : probe_(probe.timed() ? probe : Probe{}) {
    if (probe_.timed()) {
      ++probe_.target()->calls;
      start_ = clock::start(*probe_.profiler());
    }
  }
  ~Scope() {
    if (probe_.timed()) clock::stop(*probe_.profiler(), *probe_.target(), start_);
  }
  Scope(Scope const&) = delete;
  Scope& operator=(Scope const&) = delete;

 private:
  Probe probe_;
  typename clock::mark start_{};
};

/// Holds the module tree of one model and what profiled forwards recorded into it.
class Profiler {
 public:
  explicit Profiler(Module root) : root_(std::move(root)) {}
  /// The tree of `layer`'s type (its static `profile_module()`): GraphTransformer, TransformerConv,
  /// Linear, LayerNorm.
  template <class Layer>
    requires requires {
      { Layer::profile_module() } -> std::convertible_to<Module>;
    }
  explicit Profiler(Layer const& /*layer*/) : root_(Layer::profile_module()) {}

  // Probes point into the tree: a Profiler stays where it was made.
  Profiler(Profiler const&) = delete;
  Profiler& operator=(Profiler const&) = delete;

  /// The profiled tree. Reads any device timings still pending first (waits for the forward).
  Module const& root() const {
    resolve();
    return root_;
  }
  /// Zeroes every count, time and call count; the tree stays.
  void reset() {
    resolve();
    root_.reset();
  }
  /// Reads pending device timings into the tree (root() does it; call it to get errors early).
  void resolve() const {
    if (deferred_ && deferred_->pending()) deferred_->resolve();
  }

  /// For backend clocks: the profiler's deferred-timing object of type Timing, made on first use.
  template <class Timing>
  Timing& deferred() {
    if (!deferred_) deferred_ = std::make_unique<Timing>();
    return static_cast<Timing&>(*deferred_);
  }

 private:
  friend class Probe;
  // Reading CUDA event times into the tree is logically const: mutable, so root() can stay const.
  mutable Module root_;
  mutable std::unique_ptr<detail::deferred_timing> deferred_;
};

inline Probe::Probe(Profiler* profiler) {
  if (profiler != nullptr) {
    profiler_ = profiler;
    module_ = &profiler->root_;
  }
}

}  // namespace graphtx::profile
