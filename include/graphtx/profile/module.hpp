#pragma once
/// \file
/// \brief profile::Module: one module of a profiled model as DeepSpeed's flops profiler sees a
/// `torch.nn.Module` — its name under the parent, class name, `extra_repr`, parameters, the counts
/// of the torch calls it made itself, and the time its forward took — with its children.
///
/// Layers describe themselves with a static `profile_module()` (names and classes of the PyG
/// model, so that the tree prints like the PyG one); a profiled forward fills in counts and times.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <graphtx/core/config.hpp>
#include <graphtx/core/error.hpp>
#include <graphtx/profile/op_counts.hpp>

namespace graphtx::profile {

struct Module {
  std::string name;        ///< key under the parent: "convs", "0", "lin_key"; empty for the root
  std::string type;        ///< class name: "GraphTransformer", "ModuleList", "TransformerConv", "Linear"
  std::string extra_repr;  ///< torch's extra_repr(): "in_features=256, out_features=1, bias=True"
  std::string repr;        ///< set when the class overrides __repr__ (PyG's convs): printed as is, children hidden
  index_t own_params = 0;  ///< parameters held directly, not by children
  Counts own;              ///< counts of the torch calls made while this module was the innermost running one
  double duration = 0.0;   ///< seconds, summed over every call of this module's forward
  std::int64_t calls = 0;  ///< how many times its forward ran (0: never; DeepSpeed then prints "0")
  std::vector<Module> children;

  /// A module with no children.
  static Module leaf(std::string type, std::string extra_repr, index_t params) {
    Module m;
    m.type = std::move(type);
    m.extra_repr = std::move(extra_repr);
    m.own_params = params;
    return m;
  }
  /// Adds `child` under `key` and returns it.
  Module& add(std::string key, Module child) {
    child.name = std::move(key);
    children.push_back(std::move(child));
    return children.back();
  }

  /// DeepSpeed's `__params__`: every parameter of the module and its children, used or not.
  index_t params() const {
    index_t n = own_params;
    for (auto const& c : children) n += c.params();
    return n;
  }
  /// DeepSpeed's `get_module_macs` / `get_module_flops`: own counts plus the children's, recursively.
  Counts counts() const {
    Counts s = own;
    for (auto const& c : children) s += c.counts();
    return s;
  }
  std::int64_t macs() const { return counts().macs; }
  std::int64_t flops() const { return counts().flops; }

  /// DeepSpeed's `get_module_duration`: the module's own time, or, when that is zero (a ModuleList,
  /// which never runs a forward of its own), the sum of its direct children's own times.
  double latency() const {
    if (duration != 0.0) return duration;
    double d = duration;
    for (auto const& c : children) d += c.duration;
    return d;
  }
  /// Whether latency() came from a clock. DeepSpeed starts every duration at the int 0 and adds
  /// floats, so a module whose latency involves no call at all prints "0", a measured zero "0.0".
  bool latency_measured() const {
    if (calls > 0) return true;
    if (duration != 0.0) return true;
    for (auto const& c : children)
      if (c.calls > 0) return true;
    return false;
  }

  /// Zeroes counts, durations and calls here and below (DeepSpeed's reset_profile).
  void reset() {
    own = {};
    duration = 0.0;
    calls = 0;
    for (auto& c : children) c.reset();
  }

  /// The direct child named `key`, or nullptr.
  Module* child(std::string_view key) {
    for (auto& c : children)
      if (c.name == key) return &c;
    return nullptr;
  }
  Module const* child(std::string_view key) const { return const_cast<Module*>(this)->child(key); }

  /// The module at a dotted path below this one ("convs.3.lin_key"; "" is this module). Throws
  /// graphtx::error naming the missing part.
  Module& at(std::string_view path) { return const_cast<Module&>(static_cast<Module const*>(this)->at(path)); }
  Module const& at(std::string_view path) const {
    Module const* m = this;
    while (!path.empty()) {
      auto const dot = path.find('.');
      std::string_view const key = path.substr(0, dot);
      Module const* next = m->child(key);
      if (next == nullptr) {
        throw error(graphtx::detail::cat("profile: ", m->type, " '", m->name, "' has no child '", key, "'"));
      }
      m = next;
      path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    }
    return *m;
  }
};

}  // namespace graphtx::profile
