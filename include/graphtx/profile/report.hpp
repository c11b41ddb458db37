#pragma once
/// \file
/// \brief The text report of DeepSpeed's legacy flops profiler (v0.7.x to v0.10.0, the format of
/// the seed model's own report; docs/pyg_semantics.md, DeepSpeed flops profiler: report format), line for line: the summary, the top modules per
/// depth ("Aggregated Profile per GPU") and the module tree with params, MACs, latency and FLOPS
/// per module ("Detailed Profile per GPU"), printed as PyTorch 1.13 prints a model.
///
/// **Example** (the seed batch; latencies are whatever the machine measured):
/// \code
/// graphtx::profile::Profiler prof(model);
/// model.forward(batch, &prof);
/// graphtx::profile::print_report(std::cout, prof);
/// //   params per gpu:                                               64.07 M
/// //   fwd MACs per GPU:                                             411.82 GMACs
/// //   fwd flops per GPU:                                            823.74 G
/// \endcode
///
/// What a DeepSpeed engine would add (world size, batch size per GPU, backward and step latency)
/// is not printed: there is no engine and no backward pass. Deviations a reader may notice: the
/// modules are graphtx's, so a TransformerConv has no `aggr_module` child (PyG >= 2.1 has a
/// SumAggregation there; it is hidden by the conv's repr and below the printed depths anyway).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <graphtx/profile/format.hpp>
#include <graphtx/profile/module.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::profile {

struct ReportOptions {
  int step = 1;           ///< "Profile Summary at step <step>:" (DeepSpeed's profile_step)
  int module_depth = -1;  ///< the aggregated profile prints depths 0 .. module_depth-1; -1: all but the innermost
  int top_modules = 1;    ///< modules listed per depth in the aggregated profile
  bool detailed = true;   ///< print the module tree
};

namespace detail {

// Python's '{:<width}'.format(s).
inline std::string ljust(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

// One summary line: '{:<60}  {:<8}'.format(label, value).
inline void summary_line(std::ostream& os, std::string const& label, std::string const& value) {
  os << ljust(label, 60) << "  " << ljust(value, 8) << '\n';
}

struct report_totals {
  std::int64_t params = 0;
  std::int64_t macs = 0;
  std::int64_t flops = 0;
  double duration = 0.0;
};

// DeepSpeed's flops_repr: the stats that replace a module's extra_repr.
inline std::string module_stats(Module const& m, report_totals const& t) {
  std::int64_t const params = m.params();
  Counts const c = m.counts();
  double const d = m.latency();
  std::string s = format::params_to_string(params);
  s += ", " + format::percent(t.params != 0 ? static_cast<double>(params) / static_cast<double>(t.params) : 0.0) + " Params";
  s += ", " + format::macs_to_string(c.macs);
  s += ", " + format::percent(t.macs != 0 ? static_cast<double>(c.macs) / static_cast<double>(t.macs) : 0.0) + " MACs";
  s += ", " + format::duration_to_string(d, m.latency_measured());
  s += ", " + format::percent(t.duration != 0.0 ? d / t.duration : 0.0) + " latency";
  s += ", " + format::flops_to_string(d != 0.0 ? static_cast<double>(c.flops) / d : 0.0);
  s += ", " + m.extra_repr;
  return s;
}

// torch.nn.modules.module._addindent: indents every line but the first.
inline std::string add_indent(std::string const& s, std::size_t spaces) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    out += ch;
    if (ch == '\n') out.append(spaces, ' ');
  }
  return out;
}

// torch 1.13 Module.__repr__ with extra_repr replaced by the stats; a class with its own __repr__
// (PyG's convs) prints that and hides its children.
inline std::string module_repr(Module const& m, report_totals const& t) {
  if (!m.repr.empty()) return m.repr;
  std::string const extra = module_stats(m, t);
  if (m.children.empty() && extra.find('\n') == std::string::npos) return m.type + "(" + extra + ")";
  std::string out = m.type + "(\n  " + add_indent(extra, 2);
  for (Module const& c : m.children) out += "\n  (" + c.name + "): " + add_indent(module_repr(c, t), 2);
  return out + "\n)";
}

struct depth_entry {
  std::string type;
  std::int64_t macs = 0;
  std::int64_t params = 0;
  double duration = 0.0;
  bool measured = false;
};

inline void walk_depths(Module const& m, std::size_t depth, std::vector<std::vector<depth_entry>>& info) {
  if (info.size() <= depth) info.resize(depth + 1);
  auto& level = info[depth];
  auto it = std::find_if(level.begin(), level.end(), [&](depth_entry const& e) { return e.type == m.type; });
  if (it == level.end()) {
    level.push_back({m.type});
    it = level.end() - 1;
  }
  it->macs += m.macs();
  it->params += m.params();
  it->duration += m.latency();
  it->measured = it->measured || m.latency_measured();
  for (Module const& c : m.children) walk_depths(c, depth + 1, info);
}

// Python's repr of {'A': 'x', 'B': 'y'} for the top `k` entries by `key`, stable for ties.
template <class Key, class Text>
std::string top_dict(std::vector<depth_entry> level, std::size_t k, Key key, Text text) {
  std::stable_sort(level.begin(), level.end(), [&](depth_entry const& a, depth_entry const& b) { return key(a) > key(b); });
  std::string out = "{";
  for (std::size_t i = 0; i < std::min(k, level.size()); ++i) {
    if (i > 0) out += ", ";
    out += "'" + level[i].type + "': '" + text(level[i]) + "'";
  }
  return out + "}";
}

inline void print_aggregated(std::ostream& os, Module const& root, ReportOptions const& opt) {
  std::vector<std::vector<depth_entry>> info;
  walk_depths(root, 0, info);
  std::size_t depth = opt.module_depth < 0 ? info.size() - 1 : static_cast<std::size_t>(opt.module_depth);
  depth = std::min(depth, info.size());
  std::size_t const k = opt.top_modules < 0 ? 0 : static_cast<std::size_t>(opt.top_modules);
  os << "Top " << opt.top_modules << " modules in terms of params, MACs or fwd latency at different model depths:\n";
  for (std::size_t d = 0; d < depth; ++d) {
    auto const& level = info[d];
    os << "depth " << d << ":\n";
    os << "    params      - "
       << top_dict(level, k, [](depth_entry const& e) { return e.params; },
                   [](depth_entry const& e) { return format::params_to_string(e.params); })
       << '\n';
    os << "    MACs        - "
       << top_dict(level, k, [](depth_entry const& e) { return e.macs; },
                   [](depth_entry const& e) { return format::macs_to_string(e.macs); })
       << '\n';
    os << "    fwd latency - "
       << top_dict(level, k, [](depth_entry const& e) { return e.duration; },
                   [](depth_entry const& e) { return format::duration_to_string(e.duration, e.measured); })
       << '\n';
  }
}

}  // namespace detail

/// Prints DeepSpeed's legacy report of the profiled tree `root` (see the file comment).
inline void print_report(std::ostream& os, Module const& root, ReportOptions const& opt = {}) {
  detail::report_totals const t{root.params(), root.macs(), root.flops(), root.latency()};
  os << "\n-------------------------- DeepSpeed Flops Profiler --------------------------\n";
  os << "Profile Summary at step " << opt.step << ":\n";
  os << "Notations:\n"
        "data parallel size (dp_size), model parallel size(mp_size),\n"
        "number of parameters (params), number of multiply-accumulate operations(MACs),\n"
        "number of floating-point operations (flops), floating-point operations per second (FLOPS),\n"
        "fwd latency (forward propagation latency), bwd latency (backward propagation latency),\n"
        "step (weights update latency), iter latency (sum of fwd, bwd and step latency)\n\n";
  detail::summary_line(os, "params per gpu: ", format::params_to_string(t.params));
  detail::summary_line(os, "params of model = params per GPU * mp_size: ", format::params_to_string(t.params));
  detail::summary_line(os, "fwd MACs per GPU: ", format::macs_to_string(t.macs));
  detail::summary_line(os, "fwd flops per GPU: ", format::num_to_string(t.flops));
  detail::summary_line(os, "fwd flops of model = fwd flops per GPU * mp_size: ", format::num_to_string(t.flops));
  detail::summary_line(os, "fwd latency: ", format::duration_to_string(t.duration, root.latency_measured()));
  detail::summary_line(os, "fwd FLOPS per GPU = fwd flops per GPU / fwd latency: ",
                       format::flops_to_string(t.duration != 0.0 ? static_cast<double>(t.flops) / t.duration : 0.0));

  os << "\n----------------------------- Aggregated Profile per GPU -----------------------------\n";
  detail::print_aggregated(os, root, opt);

  if (opt.detailed) {
    os << "\n------------------------------ Detailed Profile per GPU ------------------------------\n";
    os << "Each module profile is listed after its name in the following order: \n"
          "params, percentage of total params, MACs, percentage of total MACs, fwd latency, percentage of "
          "total fwd latency, fwd FLOPS\n";
    os << "\nNote: 1. A module can have torch.nn.module or torch.nn.functional to compute logits (e.g. "
          "CrossEntropyLoss). They are not counted as submodules, thus not to be printed out. However they make "
          "up the difference between a parent's MACs (or latency) and the sum of its submodules'.\n"
          "2. Number of floating-point operations is a theoretical estimation, thus FLOPS computed using that "
          "could be larger than the maximum system throughput.\n"
          "3. The fwd latency listed in the top module's profile is directly captured at the module forward "
          "function in PyTorch, thus it's less than the fwd latency shown above which is captured in DeepSpeed.\n\n";
    os << detail::module_repr(root, t) << '\n';
  }
  os << "------------------------------------------------------------------------------\n";
}

/// The same for a Profiler (reads pending device timings first).
inline void print_report(std::ostream& os, Profiler const& profiler, ReportOptions const& opt = {}) {
  print_report(os, profiler.root(), opt);
}

/// The report as a string.
inline std::string report(Module const& root, ReportOptions const& opt = {}) {
  std::ostringstream os;
  print_report(os, root, opt);
  return os.str();
}
inline std::string report(Profiler const& profiler, ReportOptions const& opt = {}) { return report(profiler.root(), opt); }

}  // namespace graphtx::profile
