#pragma once
/// \file
/// \brief The command-line runner of a model: one program per composition type `Net`
/// (nn::Model<Net>), the code behind `run_model` (the seed model), `quickstart`'s forward and
/// every `NAME_run` that CMake's `graphtx_add_model(NAME HEADER model.hpp TYPE ns::Name)` builds.
///
///     NAME_run --weights W.safetensors --graph G.safetensors --out P.safetensors   # P gets y
///     NAME_run --weights W.safetensors --check check.safetensors                   # vs PyG's y
///
/// | option | what |
/// |---|---|
/// | `--weights W` | the PyG state_dict (strict load: names, shapes, dtypes, no other key) |
/// | `--graph G` | x [N, F] (float, or int64 for an encoder), edge_index [2, E], batch [N], edge_attr [E, D] where the model uses it (io::read_batch) |
/// | `--out P` | writes y: [G, out] after a readout, [N, out] for a node-level model (F32) |
/// | `--check C` | the batch and PyG's `y` (and `y_f64`) from C, as the exporter writes them; prints max abs / rel error; exit 1 beyond `--rtol` (1e-4) / `--atol` (1e-5), elementwise \|y - y_pyg\| <= atol + rtol \|y_pyg\| |
/// | `--device host\|cuda` | cuda only in a runner built with its CUDA translation unit |
/// | `--profile` | DeepSpeed's flops-profiler report of the (last) forward, as quickstart prints it |
/// | `--num-graphs G`, `--max-graph-bytes B`, `--check-finite`, `--repeat K`, `--tf32`, `--quiet` | as run_model always had |
///
/// Any bad input ends with exit code 1 and one line on stderr, `PROGRAM: <file>: <what>`, naming
/// the file and the tensor; a bad command line with exit code 2.
///
/// A program is `int main(int argc, char** argv) { return graphtx::tools::run_main<Net>(argc, argv, info); }`.
/// The runner parses its own arguments (no CLI library), so a package consumer needs nothing but
/// graphtx. The CUDA forward is type-erased (tools::CudaBackend, a function pointer made by
/// `tools::cuda_backend<Net>()` in <graphtx/tools/runner_cuda.cuh>) so that only one .cu
/// translation unit compiles the model for the GPU while the runner itself stays host C++; the
/// interface between the two names no class-type template argument (nvcc 13 cannot write such a
/// declaration's host code; see <graphtx/models/seed_model_cuda.cuh>).

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include <graphtx/core/error.hpp>
#include <graphtx/core/finite.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/batch.hpp>
#include <graphtx/io/graph_file.hpp>
#include <graphtx/io/safetensors.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/profile/profiler.hpp>
#include <graphtx/profile/report.hpp>

namespace graphtx::tools {

// ---- the device side ------------------------------------------------------------------------

/// What a forward on a device asks for: `repeat` forwards (the last one profiled when `profiler`
/// is set), TF32 GEMMs or strict FP32.
struct ForwardRequest {
  int repeat = 1;
  bool tf32 = false;
  profile::Profiler* profiler = nullptr;
};

/// The result of timed forwards, on whichever device ran them.
struct ForwardResult {
  Tensor<float, 2, host> y;        ///< the last forward's output, on the host
  std::vector<double> forward_ms;  ///< per forward (CUDA events on the GPU, steady_clock on the host)
  std::string where;               ///< "host, OpenMP on", "cuda, NVIDIA H100 80GB HBM3, strict FP32"
  std::size_t model_bytes = 0;         ///< device bytes of the model's tensors (GPU only; 0 on the host)
  std::size_t batch_bytes = 0;         ///< device bytes of the batch (GPU only)
  std::size_t forward_peak_bytes = 0;  ///< most bytes the forwards held above model and batch
};

/// A model's CUDA forward, made in a .cu file by tools::cuda_backend<Net>()
/// (<graphtx/tools/runner_cuda.cuh>). `model` is the nn::Model<Net, host> that the backend was
/// made for: run_main<Net> and forward_on<Net> pass nothing else. Null: built without CUDA.
struct CudaBackend {
  ForwardResult (*forward)(void const* model, graph::Batch<host> const& batch, ForwardRequest const& request) = nullptr;
  explicit operator bool() const { return forward != nullptr; }
};

/// The model's forward `request.repeat` times on `device` ("host" or "cuda").
template <class Net>
ForwardResult forward_on(nn::Model<Net, host> const& model, graph::Batch<host> const& batch, std::string const& device,
                         ForwardRequest const& request, CudaBackend cuda, std::string const& program) {
  static_assert(std::is_same_v<typename nn::Model<Net, host>::output_type, float>,
                "graphtx::tools: the runner writes float predictions; the model's output must be float");
  if (device == "cuda") {
    if (!cuda) throw error(graphtx::detail::cat(program, " was built without the CUDA backend; use --device host"));
    return cuda.forward(&model, batch, request);
  }
  if (device != "host") throw error(graphtx::detail::cat("unknown device \"", device, "\" (host or cuda)"));
  using stats = memory_stats<host>;
  ForwardResult r;
#if defined(_OPENMP)
  r.where = "host, OpenMP on";
#else
  r.where = "host, OpenMP off";
#endif
  std::size_t const before = stats::current();
  stats::reset_peak();
  int const repeat = std::max(request.repeat, 1);
  for (int i = 0; i < repeat; ++i) {
    auto const a = std::chrono::steady_clock::now();
    r.y = model.forward(batch, i == repeat - 1 ? request.profiler : nullptr);
    r.forward_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
  }
  r.forward_peak_bytes = stats::peak() - before;
  return r;
}

// ---- what a runner is ---------------------------------------------------------------------------

/// How a runner names itself and its model in messages.
struct RunnerInfo {
  std::string program;      ///< prefix of every message: "run_model", "gps_molecule_run"
  std::string model_label;  ///< "the seed model"; empty: the model's class name (GPSMolecule)
  std::string summary;      ///< the first line of --help
};

/// The parsed command line.
struct RunOptions {
  std::string weights, graph, out, check;
  std::string device = "host";
  double rtol = 1e-4, atol = 1e-5;
  long long num_graphs = -1;
  std::uint64_t max_graph_bytes = graph::BatchLimits{}.max_bytes;
  int repeat = 1;
  bool profile = false, check_finite = false, quiet = false, tf32 = false, help = false;
};

/// A bad command line: exit code 2.
class usage_error : public error {
 public:
  using error::error;
};

inline std::string usage(RunnerInfo const& info) {
  std::string const p = info.program;
  return graphtx::detail::cat(
      info.summary.empty() ? p : info.summary, "\n\nUsage:\n  ", p,
      " --weights W.safetensors --graph G.safetensors --out P.safetensors [options]\n  ", p,
      " --weights W.safetensors --check CHECK.safetensors [--out P.safetensors] [options]\n\n"
      "  --weights FILE        PyG state_dict of the model (.safetensors)\n"
      "  --graph FILE          graph batch: x, edge_index, batch and, where the model uses it, edge_attr\n"
      "  --out FILE            write the predictions y (F32: [G, out], or [N, out] without pooling)\n"
      "  --check FILE          read the batch and PyG's y from FILE (x, edge_index, batch, edge_attr, y,\n"
      "                        y_f64: the exporter's check.safetensors); print the max abs / rel error and\n"
      "                        exit 1 where |y - y_pyg| > atol + rtol |y_pyg|\n"
      "  --rtol R, --atol A    tolerances of --check (default 1e-4, 1e-5: PyG fp32)\n"
      "  --device host|cuda    where to run (cuda: only in a runner built with CUDA)\n"
      "  --tf32                cuda only: TF32 tensor-core GEMMs (about 1e-3 relative error)\n"
      "  --repeat K            forward passes to time (default 1)\n"
      "  --profile             print DeepSpeed's flops-profiler report of the last forward\n"
      "  --num-graphs G        G; default batch.max() + 1\n"
      "  --check-finite        refuse NaN or Inf in the weights or the features, naming the first one\n"
      "  --max-graph-bytes B   memory the graph batch may take (default 4 GiB)\n"
      "  --quiet               print nothing on success\n"
      "  --help                this text\n");
}

namespace detail {
template <class T>
T parse_number(std::string_view option, std::string const& text) {
  T value{};
  char const* const end = text.data() + text.size();
  std::from_chars_result r{};
  if constexpr (std::is_floating_point_v<T>) {
    // from_chars for double: g++ 11+ (libstdc++); strtod keeps older libraries working too.
    char* stop = nullptr;
    value = static_cast<T>(std::strtod(text.c_str(), &stop));
    r.ptr = stop;
    r.ec = (stop == text.c_str() || !std::isfinite(static_cast<double>(value))) ? std::errc::invalid_argument : std::errc{};
  } else {
    r = std::from_chars(text.data(), end, value);
  }
  if (text.empty() || r.ec != std::errc{} || r.ptr != end) {
    throw usage_error(graphtx::detail::cat(option, ": \"", text, "\" is not a valid ",
                                           std::is_floating_point_v<T> ? "number" : "integer"));
  }
  return value;
}
}  // namespace detail

/// Parses the runner's options; throws usage_error naming the option.
inline RunOptions parse_options(int argc, char const* const* argv) {
  RunOptions o;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto value = [&]() -> std::string {
      if (inline_value) return *inline_value;
      if (i + 1 >= args.size()) throw usage_error(graphtx::detail::cat(name, " needs a value"));
      return args[++i];
    };
    auto flag = [&](bool& f) {
      if (inline_value) throw usage_error(graphtx::detail::cat(name, " takes no value"));
      f = true;
    };
    if (name == "--weights") o.weights = value();
    else if (name == "--graph") o.graph = value();
    else if (name == "--out") o.out = value();
    else if (name == "--check") o.check = value();
    else if (name == "--device") {
      o.device = value();
      if (o.device != "host" && o.device != "cuda") {
        throw usage_error(graphtx::detail::cat("--device: \"", o.device, "\" is not host or cuda"));
      }
    } else if (name == "--rtol") o.rtol = detail::parse_number<double>(name, value());
    else if (name == "--atol") o.atol = detail::parse_number<double>(name, value());
    else if (name == "--num-graphs") o.num_graphs = detail::parse_number<long long>(name, value());
    else if (name == "--max-graph-bytes") o.max_graph_bytes = detail::parse_number<std::uint64_t>(name, value());
    else if (name == "--repeat") {
      o.repeat = detail::parse_number<int>(name, value());
      if (o.repeat < 1) throw usage_error("--repeat: must be at least 1");
    } else if (name == "--profile") flag(o.profile);
    else if (name == "--check-finite") flag(o.check_finite);
    else if (name == "--quiet") flag(o.quiet);
    else if (name == "--tf32") flag(o.tf32);
    else if (name == "--help" || name == "-h") flag(o.help);
    else throw usage_error(graphtx::detail::cat("unknown option \"", name, "\" (see --help)"));
  }
  if (o.help) return o;
  if (o.rtol < 0 || o.atol < 0) throw usage_error("--rtol and --atol must not be negative");
  if (o.weights.empty()) throw usage_error("--weights is required");
  if (o.graph.empty() == o.check.empty()) {
    throw usage_error(o.graph.empty() ? "--graph (with --out) or --check is required"
                                      : "--graph and --check are exclusive: --check reads the batch from its own file");
  }
  if (!o.graph.empty() && o.out.empty()) throw usage_error("--out is required with --graph");
  return o;
}

// ---- the steps, each usable on its own ---------------------------------------------------------

/// The model's name in messages: info.model_label, or its class name ("GPSMolecule").
template <class Net>
std::string model_label(RunnerInfo const& info) {
  return info.model_label.empty() ? nn::detail::model_name<Net>() : info.model_label;
}

/// Strict load (the file's bytes are freed once the model holds its weights); with
/// `refuse_non_finite`, a NaN or Inf anywhere in the file is an error naming it. `options`:
/// the runner drops the folded PyG weights when it runs on the host (it never saves the model
/// or copies it to another space, so they would only cost load time and memory).
template <class Net>
nn::Model<Net, host> load_model(std::string const& weights, bool refuse_non_finite, nn::LoadOptions options = {}) {
  using Model = nn::Model<Net, host>;
  if (!refuse_non_finite) return Model::load(std::filesystem::path(weights), options);
  auto const file = io::SafetensorsFile::open(weights);
  io::check_finite(file);
  return Model::load(file, options);
}

/// The batch of a graph (or check) file, validated, and checked against what the model takes:
/// the width of x, integer x for a model that starts with an encoder. Errors name the file.
template <class Net>
graph::Batch<host> load_batch(io::SafetensorsFile const& file, RunOptions const& o, RunnerInfo const& info) {
  using Model = nn::Model<Net, host>;
  graph::BatchLimits limits;
  limits.max_bytes = o.max_graph_bytes;
  std::string const& src = file.source();
  // dtype of x first (read_batch names a missing x itself): an encoder needs OGB's integers.
  if constexpr (std::is_same_v<typename Model::input_type, std::int64_t>) {
    if (auto const* xi = file.find("x"); xi != nullptr && xi->type != dtype::i64 && xi->type != dtype::i32) {
      throw io_error(graphtx::detail::cat(src, ": tensor \"x\" has dtype ", dtype_name(xi->type), ", but ",
                                          model_label<Net>(info),
                                          " takes integer node features (I64 or I32, as OGB stores them)"));
    }
  }
  graph::Batch<host> batch = io::read_batch(file, o.num_graphs, limits);
  if (Model::in_width != nn::any_width && batch.x.extent(1) != Model::in_width) {
    throw shape_error(graphtx::detail::cat(src, ": tensor \"x\" has ", batch.x.extent(1), " features per node, ",
                                           model_label<Net>(info), " expects ", Model::in_width));
  }
  if (o.check_finite) {
    check_finite(batch.x.cview(), src + ": tensor \"x\"");
    check_finite(batch.edge_attr.cview(), src + ": tensor \"edge_attr\"");
  }
  return batch;
}

/// y [R, C] as a safetensors file (key "y", F32).
inline void write_predictions(std::string const& path, TensorView<float const, 2, host> y) {
  io::SafetensorsWriter writer;
  writer.add<float, 2>("y", y);
  writer.write(path);
}

/// The errors of predictions against expected values (PyG's y).
struct CheckReport {
  double max_abs = 0;      ///< max |y - expected|
  double max_rel = 0;      ///< max |y - expected| / |expected| over expected != 0
  index_t worst_row = -1;  ///< the element furthest beyond atol + rtol |expected| (or the largest error)
  index_t worst_col = -1;
  double worst_got = 0, worst_expected = 0;
  index_t failures = 0;  ///< elements beyond the tolerance (a NaN where PyG has a number, and back)
  index_t count = 0;
  bool ok() const { return failures == 0; }
};

/// numpy.allclose's rule per element, |y - e| <= atol + rtol |e|; NaN matches NaN (PyG propagates
/// NaN exactly: a NaN feature's graph is NaN in both), an infinity only itself.
template <class E>
CheckReport compare(TensorView<float const, 2, host> y, TensorView<E const, 2, host> expected, double rtol,
                    double atol) {
  CheckReport r;
  double worst = -1;
  for (index_t i = 0; i < y.extent(0); ++i) {
    for (index_t j = 0; j < y.extent(1); ++j) {
      double const a = y(i, j);
      double const b = static_cast<double>(expected(i, j));
      ++r.count;
      double excess;  // how far beyond the tolerance (<= 0: within)
      if (std::isnan(a) || std::isnan(b)) {
        excess = std::isnan(a) && std::isnan(b) ? -1 : std::numeric_limits<double>::infinity();
      } else if (std::isinf(a) || std::isinf(b)) {
        excess = a == b ? -1 : std::numeric_limits<double>::infinity();
      } else {
        double const d = std::abs(a - b);
        r.max_abs = std::max(r.max_abs, d);
        if (b != 0) r.max_rel = std::max(r.max_rel, d / std::abs(b));
        excess = d - (atol + rtol * std::abs(b));
      }
      if (excess > 0) ++r.failures;
      if (excess > worst) {
        worst = excess;
        r.worst_row = i;
        r.worst_col = j;
        r.worst_got = a;
        r.worst_expected = b;
      }
    }
  }
  return r;
}

/// Prints DeepSpeed's flops-profiler report of the profiled forward (step: the forwards before it).
inline void print_profile(profile::Profiler const& profiler, int step) {
  std::fflush(stdout);
  profile::print_report(std::cout, profiler, {.step = step});
  std::cout.flush();
}

// ---- the whole program ---------------------------------------------------------------------

/// The runner with parsed options: returns the exit code (0, or 1 when --check finds errors
/// beyond the tolerance); throws graphtx::error on bad input.
template <class Net>
int run(RunOptions const& o, RunnerInfo const& info, CudaBackend cuda = {}) {
  using Model = nn::Model<Net, host>;
  auto const t0 = std::chrono::steady_clock::now();
  Model const model =
      load_model<Net>(o.weights, o.check_finite, nn::LoadOptions{.drop_folded_weights = o.device == "host"});
  bool const checking = !o.check.empty();
  auto const file = io::SafetensorsFile::open(checking ? o.check : o.graph);
  if (checking && !file.contains("y")) {
    throw io_error(graphtx::detail::cat(file.source(), ": check file has no tensor named \"y\" (PyG's prediction ",
                                        "for its batch; the exporter writes x, edge_index, batch, edge_attr, y, y_f64)"));
  }
  graph::Batch<host> const batch = load_batch<Net>(file, o, info);
  auto const t1 = std::chrono::steady_clock::now();

  profile::Profiler profiler(model);  // records only when passed to a forward
  ForwardRequest const request{.repeat = o.repeat, .tf32 = o.tf32, .profiler = o.profile ? &profiler : nullptr};
  ForwardResult const r = [&] {
    // What the forward refuses is a fault of the batch (no edge_attr, its width, an atom index
    // beyond an encoder's table): name the file.
    try {
      return forward_on<Net>(model, batch, o.device, request, cuda, info.program);
    } catch (shape_error const& e) {
      throw shape_error(graphtx::detail::cat(file.source(), ": ", e.what()));
    } catch (value_error const& e) {
      throw value_error(graphtx::detail::cat(file.source(), ": ", e.what()));
    } catch (graph_error const& e) {
      throw graph_error(graphtx::detail::cat(file.source(), ": ", e.what()));
    }
  }();
  if (!o.out.empty()) write_predictions(o.out, r.y.cview());

  std::vector<double> times = r.forward_ms;
  std::sort(times.begin(), times.end());
  double const load_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  if (!o.quiet) {
    std::printf("%s: G = %lld, N = %lld, E = %lld; load %.1f ms, forward %.1f ms", info.program.c_str(),
                static_cast<long long>(batch.num_graphs), static_cast<long long>(batch.num_nodes()),
                static_cast<long long>(batch.num_edges()), load_ms, times[times.size() / 2]);
    if (o.repeat > 1) std::printf(" (median of %d)", o.repeat);
    if (o.device != "host") std::printf(" (%s)", r.where.c_str());
    if (!o.out.empty()) std::printf("; wrote %s", o.out.c_str());
    std::printf("\n");
  }
  if (o.profile) print_profile(profiler, o.repeat - 1);
  if (!checking) return 0;

  // --check: y [R, C] against PyG's (R = G, or N for a node-level model).
  std::string const& src = file.source();
  auto const expected = file.read_float<2>("y");
  if (expected.extent(0) != r.y.extent(0) || expected.extent(1) != r.y.extent(1)) {
    throw shape_error(graphtx::detail::cat(src, ": tensor \"y\" has shape [", expected.extent(0), ", ",
                                           expected.extent(1), "], but ", model_label<Net>(info), " gives [",
                                           r.y.extent(0), ", ", r.y.extent(1), "] for this batch"));
  }
  CheckReport const c = compare<float>(r.y.cview(), expected.cview(), o.rtol, o.atol);
  if (!o.quiet) {
    std::printf("%s: check against %s: max abs error %.3g, max rel error %.3g over %lld values (rtol %g, atol %g)",
                info.program.c_str(), src.c_str(), c.max_abs, c.max_rel, static_cast<long long>(c.count), o.rtol,
                o.atol);
    if (file.contains("y_f64")) {
      auto const exact = file.read<double, 2>("y_f64");
      if (exact.extent(0) == r.y.extent(0) && exact.extent(1) == r.y.extent(1)) {
        CheckReport const e = compare<double>(r.y.cview(), exact.cview(), o.rtol, o.atol);
        std::printf("; vs PyG float64: max abs %.3g, max rel %.3g", e.max_abs, e.max_rel);
      }
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  if (c.ok()) return 0;
  std::fprintf(stderr,
               "%s: %s: y differs from PyG's beyond rtol %g, atol %g at %lld of %lld values; worst at row %lld, "
               "column %lld: %.9g, expected %.9g (max abs error %.3g, max rel error %.3g)\n",
               info.program.c_str(), src.c_str(), o.rtol, o.atol, static_cast<long long>(c.failures),
               static_cast<long long>(c.count), static_cast<long long>(c.worst_row),
               static_cast<long long>(c.worst_col), c.worst_got, c.worst_expected, c.max_abs, c.max_rel);
  return 1;
}

/// main() of a runner: parses argv, runs, and turns every error into one line on stderr
/// (exit code 1; 2 for a bad command line).
template <class Net>
int run_main(int argc, char const* const* argv, RunnerInfo const& info, CudaBackend cuda = {}) {
  RunOptions o;
  try {
    o = parse_options(argc, argv);
  } catch (usage_error const& e) {
    std::fprintf(stderr, "%s: %s\n", info.program.c_str(), e.what());
    return 2;
  }
  if (o.help) {
    std::fputs(usage(info).c_str(), stdout);
    return 0;
  }
  try {
    return run<Net>(o, info, cuda);
  } catch (std::bad_alloc const&) {
    std::fprintf(stderr, "%s: out of memory\n", info.program.c_str());
  } catch (std::exception const& e) {
    std::fprintf(stderr, "%s: %s\n", info.program.c_str(), e.what());
  }
  return 1;
}
template <class Net>
int run_main(int argc, char** argv, RunnerInfo const& info, CudaBackend cuda = {}) {
  return run_main<Net>(argc, const_cast<char const* const*>(argv), info, cuda);
}

}  // namespace graphtx::tools
