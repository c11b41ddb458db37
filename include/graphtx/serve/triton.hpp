#pragma once
/// \file
/// \brief A graphtx model type as an NVIDIA Triton Inference Server backend, with ragged graph
/// batching: the requests of one Execute call (each one graph: x [1, N_i, F], edge_index
/// [1, 2, E_i], optional edge_attr [1, E_i, D]) are merged into one graph::Batch (each graph's
/// edge ids shifted by the nodes before it), run in one forward, and y is split back per request
/// ([1, out] after a readout, [1, N_i, out] for a node-level model).
///
/// A backend library is one translation unit:
/// \code
/// #include <graphtx/models/graph_transformer.hpp>
/// #include <graphtx/serve/triton.hpp>
/// using served = graphtx::GraphTransformerNet<graphtx::seed_config>;
/// GRAPHTX_TRITON_BACKEND(served)
/// \endcode
/// built as `libtriton_<backend>.so` (CMake: graphtx_add_model(... TRITON), or the project's
/// libtriton_graphtx.so for the seed model), exporting only the TRITONBACKEND_* entry points.
///
/// What it does, by entry point:
/// - Initialize: refuses a server whose TRITONBACKEND API is not 1.x with x >= 19.
/// - ModelInitialize: reads the config (parameters below), loads `<model>/<version>/<weights>`
///   strictly (a missing or mismatched file fails the load with the library's message, which
///   Triton logs). One loaded model serves every instance (forward is const).
/// - ModelInstanceInitialize: KIND_CPU (or KIND_MODEL) instances share the loaded host model;
///   KIND_GPU instances (a library made with GRAPHTX_TRITON_BACKEND_CUDA and
///   <graphtx/serve/triton_cuda.cuh>) each load the weights onto their device with their own
///   stream; without CUDA, KIND_GPU is refused with a message.
/// - ModelInstanceExecute: every request is validated by itself; a bad one gets its own error
///   response naming the input and the problem (missing input, dtype, shape, negative or
///   out-of-range edge id, feature width, NaN/Inf when `check_finite`, over a limit) and the
///   others are still merged and answered. No exception leaves any entry point.
///
/// `parameters` of config.pbtxt (all optional, strings as Triton passes them):
/// | key | default | what |
/// |---|---|---|
/// | `weights` | model.safetensors | file in the version folder |
/// | `max_request_nodes` / `max_request_edges` | 100000 / 1000000 | one request above either is refused |
/// | `max_batch_nodes` / `max_batch_edges` / `max_batch_graphs` | 200000 / 2000000 / 4096 | a merged forward holds at most these; more requests run as several forwards |
/// | `check_finite` | false | refuse NaN or Inf in x and edge_attr, naming the first one |
/// | `omp_threads` | 0 | OpenMP threads of each instance's forward (0: OpenMP's default); with `count` instances, count * omp_threads <= cores avoids oversubscription |

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <nlohmann/json.hpp>

#include <graphtx/core/error.hpp>
#include <graphtx/core/finite.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/batch.hpp>
#include <graphtx/nn/model.hpp>
#include <graphtx/serve/triton_api.h>

namespace graphtx::serve::triton {

using graphtx::detail::cat;

/// A request the backend refuses (answered with TRITONSERVER_ERROR_INVALID_ARG).
class request_error : public error {
 public:
  using error::error;
};

// ---- settings ---------------------------------------------------------------------------------

struct Settings {
  std::string weights = "model.safetensors";
  index_t max_request_nodes = 100'000;
  index_t max_request_edges = 1'000'000;
  index_t max_batch_nodes = 200'000;
  index_t max_batch_edges = 2'000'000;
  index_t max_batch_graphs = 4096;
  bool check_finite = false;
  int omp_threads = 0;
};

namespace detail {
inline index_t parse_count(std::string const& key, std::string const& v, index_t lo, index_t hi) {
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(v, &used);
  } catch (std::exception const&) {
    used = 0;
  }
  if (used == 0 || used != v.size() || n < lo || n > hi) {
    throw error(cat("parameter \"", key, "\": \"", v, "\" is not an integer in [", lo, ", ", hi, "]"));
  }
  return static_cast<index_t>(n);
}
}  // namespace detail

/// Settings from the model config's JSON (Triton's ModelConfig, version 1): `parameters`, each
/// {"string_value": "..."}. An unknown key or a bad value is an error naming it.
inline Settings parse_settings(nlohmann::json const& config) {
  Settings s;
  if (!config.contains("parameters") || !config["parameters"].is_object()) return s;
  for (auto const& [key, value] : config["parameters"].items()) {
    std::string v = value.is_object() && value.contains("string_value") && value["string_value"].is_string()
                        ? value["string_value"].get<std::string>()
                        : std::string();
    if (key == "weights") {
      if (v.empty() || v.find('/') != std::string::npos || v == "..") {
        throw error(cat("parameter \"weights\": \"", v, "\" is not a file name in the version folder"));
      }
      s.weights = v;
    } else if (key == "max_request_nodes") s.max_request_nodes = detail::parse_count(key, v, 0, graph::max_index);
    else if (key == "max_request_edges") s.max_request_edges = detail::parse_count(key, v, 0, graph::max_index);
    else if (key == "max_batch_nodes") s.max_batch_nodes = detail::parse_count(key, v, 1, graph::max_index);
    else if (key == "max_batch_edges") s.max_batch_edges = detail::parse_count(key, v, 1, graph::max_index);
    else if (key == "max_batch_graphs") s.max_batch_graphs = detail::parse_count(key, v, 1, graph::max_index);
    else if (key == "omp_threads") s.omp_threads = static_cast<int>(detail::parse_count(key, v, 0, 4096));
    else if (key == "check_finite") {
      if (v != "true" && v != "false") throw error(cat("parameter \"check_finite\": \"", v, "\" is not true or false"));
      s.check_finite = v == "true";
    } else {
      throw error(cat("unknown parameter \"", key, "\" (known: weights, max_request_nodes, max_request_edges, "
                      "max_batch_nodes, max_batch_edges, max_batch_graphs, check_finite, omp_threads)"));
    }
  }
  // A request the batch could never hold would be refused by the batch limits anyway: say so once.
  s.max_request_nodes = std::min(s.max_request_nodes, s.max_batch_nodes);
  s.max_request_edges = std::min(s.max_request_edges, s.max_batch_edges);
  return s;
}

// ---- one request's graph ------------------------------------------------------------------------

/// One input tensor of a request, copied into host memory.
struct RawInput {
  TRITONSERVER_DataType type = TRITONSERVER_TYPE_INVALID;
  std::vector<std::int64_t> shape;
  std::vector<unsigned char> bytes;
};

inline char const* type_name(TRITONSERVER_DataType t) {
  switch (t) {
    case TRITONSERVER_TYPE_BOOL: return "BOOL";
    case TRITONSERVER_TYPE_UINT8: return "UINT8";
    case TRITONSERVER_TYPE_UINT16: return "UINT16";
    case TRITONSERVER_TYPE_UINT32: return "UINT32";
    case TRITONSERVER_TYPE_UINT64: return "UINT64";
    case TRITONSERVER_TYPE_INT8: return "INT8";
    case TRITONSERVER_TYPE_INT16: return "INT16";
    case TRITONSERVER_TYPE_INT32: return "INT32";
    case TRITONSERVER_TYPE_INT64: return "INT64";
    case TRITONSERVER_TYPE_FP16: return "FP16";
    case TRITONSERVER_TYPE_FP32: return "FP32";
    case TRITONSERVER_TYPE_FP64: return "FP64";
    case TRITONSERVER_TYPE_BYTES: return "BYTES";
    case TRITONSERVER_TYPE_BF16: return "BF16";
    default: return "INVALID";
  }
}

inline std::string shape_text(std::vector<std::int64_t> const& s) {
  std::string out = "[";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

/// What the model takes, for checking requests.
struct GraphSpec {
  bool batch_dim = true;  ///< max_batch_size > 0: every shape starts with the batch dimension (1)
  index_t in_width = -1;  ///< x's F; -1: any
  bool int_x = false;     ///< the model reads int64 x (an encoder): x must be INT64
};

namespace detail {
/// The shape without the batch dimension (which must be 1: one graph per request).
inline std::vector<std::int64_t> graph_shape(char const* name, RawInput const& in, GraphSpec const& spec,
                                             std::size_t rank, char const* expected) {
  std::vector<std::int64_t> s = in.shape;
  if (spec.batch_dim) {
    if (s.empty() || s[0] != 1) {
      throw request_error(cat("input \"", name, "\": shape ", shape_text(in.shape), ", expected [1, ", expected,
                              "] (one graph per request: batch dimension 1)"));
    }
    s.erase(s.begin());
  }
  if (s.size() != rank) {
    throw request_error(cat("input \"", name, "\": shape ", shape_text(in.shape), ", expected ",
                            spec.batch_dim ? "[1, " : "[", expected, "]"));
  }
  for (auto d : s) {
    if (d < 0) throw request_error(cat("input \"", name, "\": negative dimension in shape ", shape_text(in.shape)));
  }
  return s;
}

inline std::uint64_t element_count(std::vector<std::int64_t> const& s) {
  std::uint64_t n = 1;
  for (auto d : s) n = graph::detail::sat_mul(n, static_cast<std::uint64_t>(d));
  return n;
}

inline void check_bytes(char const* name, RawInput const& in, std::size_t elem) {
  std::uint64_t const want = graph::detail::sat_mul(element_count(in.shape), elem);
  if (want != in.bytes.size()) {
    throw request_error(cat("input \"", name, "\": ", in.bytes.size(), " bytes of data for shape ",
                            shape_text(in.shape), " of ", type_name(in.type), " (", want, " expected)"));
  }
}

template <class T>
Tensor<T, 2, host> to_tensor(RawInput const& in, index_t rows, index_t cols) {
  Tensor<T, 2, host> t({rows, cols});
  if (!in.bytes.empty()) std::memcpy(t.data(), in.bytes.data(), in.bytes.size());
  return t;
}
}  // namespace detail

/// One request's graph from its inputs (local node ids), or request_error naming the input and
/// the problem. `inputs` maps input names to their tensors.
inline graph::GraphData parse_graph(std::map<std::string, RawInput, std::less<>> const& inputs, GraphSpec const& spec,
                                    Settings const& settings) {
  auto const x_it = inputs.find("x");
  if (x_it == inputs.end()) throw request_error("input \"x\" is missing (node features [N, F])");
  auto const ei_it = inputs.find("edge_index");
  if (ei_it == inputs.end()) throw request_error("input \"edge_index\" is missing ([2, E] int64 node ids)");
  RawInput const& xi = x_it->second;
  RawInput const& ei = ei_it->second;

  // x
  bool const x_is_int = xi.type == TRITONSERVER_TYPE_INT64;
  if (spec.int_x ? !x_is_int : xi.type != TRITONSERVER_TYPE_FP32) {
    throw request_error(cat("input \"x\": dtype ", type_name(xi.type), ", expected ",
                            spec.int_x ? "INT64 (integer node features for the model's encoder)" : "FP32"));
  }
  auto const xs = detail::graph_shape("x", xi, spec, 2, "N, F");
  detail::check_bytes("x", xi, x_is_int ? 8 : 4);
  if (spec.in_width >= 0 && xs[1] != spec.in_width) {
    throw request_error(cat("input \"x\": ", xs[1], " features per node, the model takes ", spec.in_width));
  }
  if (xs[0] > settings.max_request_nodes) {
    throw request_error(cat("input \"x\": ", xs[0], " nodes, more than max_request_nodes (",
                            settings.max_request_nodes, ") of the model's parameters"));
  }
  index_t const n = static_cast<index_t>(xs[0]), f = static_cast<index_t>(xs[1]);

  // edge_index
  if (ei.type != TRITONSERVER_TYPE_INT64) {
    throw request_error(cat("input \"edge_index\": dtype ", type_name(ei.type), ", expected INT64"));
  }
  auto const es = detail::graph_shape("edge_index", ei, spec, 2, "2, E");
  if (es[0] != 2) {
    throw request_error(cat("input \"edge_index\": shape ", shape_text(ei.shape), ", expected ",
                            spec.batch_dim ? "[1, 2, E]" : "[2, E]"));
  }
  detail::check_bytes("edge_index", ei, 8);
  if (es[1] > settings.max_request_edges) {
    throw request_error(cat("input \"edge_index\": ", es[1], " edges, more than max_request_edges (",
                            settings.max_request_edges, ") of the model's parameters"));
  }
  index_t const e = static_cast<index_t>(es[1]);
  {
    std::vector<std::int64_t> ids(static_cast<std::size_t>(2 * e));
    if (e > 0) std::memcpy(ids.data(), ei.bytes.data(), ei.bytes.size());
    for (index_t row = 0; row < 2; ++row) {
      for (index_t k = 0; k < e; ++k) {
        std::int64_t const v = ids[static_cast<std::size_t>(row * e + k)];
        if (v < 0 || v >= n) {
          throw request_error(cat("input \"edge_index\": edge ", k, " has ", row == 0 ? "source" : "target", " id ", v,
                                  v < 0 ? " (negative)" : "", ", outside [0, ", n, ") of the graph's ", n, " nodes"));
        }
      }
    }
  }

  graph::GraphData g;
  if (x_is_int) g.x_int = detail::to_tensor<std::int64_t>(xi, n, f);
  else g.x = detail::to_tensor<float>(xi, n, f);
  g.edge_index = detail::to_tensor<std::int64_t>(ei, 2, e);

  // edge_attr (optional)
  if (auto const ea_it = inputs.find("edge_attr"); ea_it != inputs.end()) {
    RawInput const& ea = ea_it->second;
    if (ea.type != TRITONSERVER_TYPE_FP32 && ea.type != TRITONSERVER_TYPE_INT64) {
      throw request_error(cat("input \"edge_attr\": dtype ", type_name(ea.type), ", expected FP32 (or INT64)"));
    }
    auto const as = detail::graph_shape("edge_attr", ea, spec, 2, "E, D");
    detail::check_bytes("edge_attr", ea, ea.type == TRITONSERVER_TYPE_INT64 ? 8 : 4);
    if (as[0] != e) {
      throw request_error(cat("input \"edge_attr\": ", as[0], " rows, but edge_index has ", e,
                              " edges (one row per edge)"));
    }
    index_t const d = static_cast<index_t>(as[1]);
    if (ea.type == TRITONSERVER_TYPE_INT64) g.edge_attr_int = detail::to_tensor<std::int64_t>(ea, e, d);
    else g.edge_attr = detail::to_tensor<float>(ea, e, d);
  }

  if (settings.check_finite) {
    try {
      if (!x_is_int) check_finite(g.x.cview(), "input \"x\"");
      check_finite(g.edge_attr.cview(), "input \"edge_attr\"");
    } catch (value_error const& err) {
      throw request_error(err.what());
    }
  }
  return g;
}

// ---- merging and splitting -----------------------------------------------------------------------

/// Consecutive groups of `sizes` (nodes, edges per graph) that fit the batch limits: [begin, end).
inline std::vector<std::pair<std::size_t, std::size_t>> plan_batches(
    std::span<std::pair<index_t, index_t> const> sizes, Settings const& s) {
  std::vector<std::pair<std::size_t, std::size_t>> groups;
  std::size_t begin = 0;
  index_t nodes = 0, edges = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    auto const [n, e] = sizes[i];
    bool const fits = nodes + n <= s.max_batch_nodes && edges + e <= s.max_batch_edges &&
                      static_cast<index_t>(i - begin) + 1 <= s.max_batch_graphs;
    if (!fits && i > begin) {
      groups.emplace_back(begin, i);
      begin = i;
      nodes = edges = 0;
    }
    nodes += n;
    edges += e;
  }
  if (begin < sizes.size()) groups.emplace_back(begin, sizes.size());
  return groups;
}

/// How y's rows map to the merged graphs.
enum class output_level { unknown, graph, node };

/// One request's rows of y: [rows, C] at `first`.
struct Slice {
  index_t first = 0, rows = 0;
  bool per_node = false;
};

/// The rows of y that belong to each graph of the batch.
inline std::vector<Slice> split_rows(graph::Batch<host> const& b, index_t y_rows, output_level level) {
  index_t const g = b.num_graphs, n = b.num_nodes();
  bool per_node = false;
  if (level == output_level::node) per_node = true;
  else if (level == output_level::graph) per_node = false;
  else per_node = y_rows == n && y_rows != g;
  if (per_node ? y_rows != n : y_rows != g) {
    throw error(cat("the model returned ", y_rows, " rows for a batch of ", g, " graphs and ", n,
                    " nodes (expected one per ", per_node ? "node" : "graph", ")"));
  }
  std::vector<Slice> out(static_cast<std::size_t>(g));
  for (index_t i = 0; i < g; ++i) {
    out[static_cast<std::size_t>(i)] =
        per_node ? Slice{b.ptr(i), b.ptr(i + 1) - b.ptr(i), true} : Slice{i, 1, false};
  }
  return out;
}

// ---- the backend ---------------------------------------------------------------------------------

namespace detail {
inline std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}
inline void log(TRITONSERVER_LogLevel level, std::string const& msg) noexcept {
  if (TRITONSERVER_Error* e = TRITONSERVER_LogMessage(level, __FILE__, __LINE__, msg.c_str())) TRITONSERVER_ErrorDelete(e);
}
/// A Triton call that failed: its message as an exception (the error is deleted).
inline void check(TRITONSERVER_Error* e, char const* what) {
  if (e == nullptr) return;
  std::string msg = cat(what, ": ", TRITONSERVER_ErrorMessage(e));
  TRITONSERVER_ErrorDelete(e);
  throw error(msg);
}
inline TRITONSERVER_Error* make_error(TRITONSERVER_Error_Code code, std::string const& msg) noexcept {
  return TRITONSERVER_ErrorNew(code, msg.c_str());
}
/// Runs `f`; any exception becomes a Triton error with `prefix` (none crosses the C boundary).
template <class F>
TRITONSERVER_Error* guarded(std::string const& prefix, F&& f) noexcept {
  try {
    f();
    return nullptr;
  } catch (std::exception const& e) {
    return make_error(TRITONSERVER_ERROR_INVALID_ARG, cat(prefix, e.what()));
  } catch (...) {
    return make_error(TRITONSERVER_ERROR_INTERNAL, cat(prefix, "unknown exception"));
  }
}

inline RawInput read_input(TRITONBACKEND_Request* request, char const* name) {
  TRITONBACKEND_Input* input = nullptr;
  if (TRITONSERVER_Error* e = TRITONBACKEND_RequestInput(request, name, &input)) {
    TRITONSERVER_ErrorDelete(e);
    throw request_error(cat("input \"", name, "\" is missing"));
  }
  RawInput r;
  TRITONSERVER_DataType type = TRITONSERVER_TYPE_INVALID;
  int64_t const* shape = nullptr;
  uint32_t dims = 0, buffers = 0;
  uint64_t byte_size = 0;
  check(TRITONBACKEND_InputProperties(input, nullptr, &type, &shape, &dims, &byte_size, &buffers), name);
  r.type = type;
  r.shape.assign(shape, shape + dims);
  r.bytes.resize(byte_size);
  std::uint64_t at = 0;
  for (uint32_t i = 0; i < buffers; ++i) {
    void const* buf = nullptr;
    uint64_t size = 0;
    TRITONSERVER_MemoryType mem = TRITONSERVER_MEMORY_CPU;
    int64_t mem_id = 0;
    check(TRITONBACKEND_InputBuffer(input, i, &buf, &size, &mem, &mem_id), name);
    if (mem == TRITONSERVER_MEMORY_GPU) {
      throw request_error(cat("input \"", name, "\": the data is in GPU memory; this backend reads host memory"));
    }
    if (size > byte_size - at) throw request_error(cat("input \"", name, "\": more data than its byte size"));
    if (size > 0) std::memcpy(r.bytes.data() + at, buf, size);
    at += size;
  }
  if (at != byte_size) throw request_error(cat("input \"", name, "\": ", at, " bytes of data, ", byte_size, " announced"));
  return r;
}
}  // namespace detail

/// A model's CUDA side for KIND_GPU instances, made in a .cu translation unit by
/// `serve::triton::cuda_hooks<Net>()` (<graphtx/serve/triton_cuda.cuh>). It names no model type,
/// so the host translation unit and nvcc share no declaration with nested class-type template
/// arguments (as tools::CudaBackend). Null: built without CUDA, and KIND_GPU is refused.
struct CudaHooks {
  /// The model loaded from `weights` onto `device`, with its own stream (one per instance).
  void* (*load)(std::string const& weights, int device) = nullptr;
  void (*destroy)(void* gpu) = nullptr;
  /// y of one forward on the instance's stream, copied to the host.
  Tensor<float, 2, host> (*forward)(void* gpu, graph::Batch<host> const& batch) = nullptr;
  explicit operator bool() const { return load != nullptr && destroy != nullptr && forward != nullptr; }
};

/// The state of one model (one config), shared by its instances.
template <class Net>
struct ModelState {
  using Model = nn::Model<Net, host>;
  std::string name;
  Settings settings;
  GraphSpec spec;
  output_level level = output_level::unknown;
  std::string weights;  ///< the file, for GPU instances that load their own copy
  std::unique_ptr<Model> model;
};

template <class Net>
struct InstanceState {
  ModelState<Net>* model = nullptr;
  TRITONBACKEND_ModelInstance* handle = nullptr;  ///< for the statistics calls
  std::string name;
  int omp_threads = 0;
  CudaHooks cuda;       ///< set for a KIND_GPU instance
  void* gpu = nullptr;  ///< its model on the device (cuda.load)
  ~InstanceState() {
    if (gpu != nullptr) cuda.destroy(gpu);
  }
};

template <class Net>
struct Backend {
  using Model = nn::Model<Net, host>;
  static_assert(std::is_same_v<typename Model::output_type, float>,
                "graphtx::serve::triton: the backend returns float predictions; the model's output must be float");

  static TRITONSERVER_Error* initialize(TRITONBACKEND_Backend*) noexcept {
    uint32_t major = 0, minor = 0;
    if (TRITONSERVER_Error* e = TRITONBACKEND_ApiVersion(&major, &minor)) return e;
    if (major != TRITONBACKEND_API_VERSION_MAJOR || minor < TRITONBACKEND_API_VERSION_MINOR) {
      return detail::make_error(
          TRITONSERVER_ERROR_UNSUPPORTED,
          cat("graphtx backend: the server speaks TRITONBACKEND API ", major, ".", minor, "; this backend needs ",
              TRITONBACKEND_API_VERSION_MAJOR, ".", TRITONBACKEND_API_VERSION_MINOR, " or a later ",
              TRITONBACKEND_API_VERSION_MAJOR, ".x (Triton 2.51 or later)"));
    }
    return nullptr;
  }

  static TRITONSERVER_Error* model_initialize(TRITONBACKEND_Model* model) noexcept {
    char const* cname = nullptr;
    std::string name = "?";
    if (TRITONBACKEND_ModelName(model, &cname) == nullptr && cname) name = cname;
    return detail::guarded(cat("graphtx backend: model \"", name, "\": "), [&] {
      auto state = std::make_unique<ModelState<Net>>();
      state->name = name;
      uint64_t version = 0;
      detail::check(TRITONBACKEND_ModelVersion(model, &version), "TRITONBACKEND_ModelVersion");
      TRITONBACKEND_ArtifactType artifact{};
      char const* location = nullptr;
      detail::check(TRITONBACKEND_ModelRepository(model, &artifact, &location), "TRITONBACKEND_ModelRepository");
      TRITONSERVER_Message* message = nullptr;
      detail::check(TRITONBACKEND_ModelConfig(model, 1, &message), "TRITONBACKEND_ModelConfig");
      char const* json = nullptr;
      std::size_t json_size = 0;
      TRITONSERVER_Error* e = TRITONSERVER_MessageSerializeToJson(message, &json, &json_size);
      nlohmann::json config;
      if (e == nullptr) config = nlohmann::json::parse(std::string_view(json, json_size), nullptr, false);
      if (TRITONSERVER_Error* d = TRITONSERVER_MessageDelete(message)) TRITONSERVER_ErrorDelete(d);
      detail::check(e, "TRITONSERVER_MessageSerializeToJson");
      if (config.is_discarded()) throw error("the model config is not valid JSON");
      configure(*state, config);
      std::filesystem::path const weights =
          std::filesystem::path(location) / std::to_string(version) / state->settings.weights;
      if (!std::filesystem::exists(weights)) {
        throw error(cat("the weights file ", weights.string(), " does not exist (put the PyG state_dict there, "
                        "or name another file in the version folder with parameters { key: \"weights\" })"));
      }
      // The library's message names the file and the tensor.
      state->model = std::make_unique<Model>(Model::load(weights, nn::LoadOptions{.drop_folded_weights = true}));
      state->level = probe_level(*state->model);
      state->weights = weights.string();
      detail::log(TRITONSERVER_LOG_INFO,
                  cat("graphtx backend: model \"", name, "\" version ", version, " loaded from ", weights.string(),
                      " (", Model::parameter_count, " parameters, ",
                      state->level == output_level::node ? "node-level" : "graph-level", " output)"));
      detail::check(TRITONBACKEND_ModelSetState(model, state.get()), "TRITONBACKEND_ModelSetState");
      state.release();
    });
  }

  static TRITONSERVER_Error* model_finalize(TRITONBACKEND_Model* model) noexcept {
    void* p = nullptr;
    if (TRITONSERVER_Error* e = TRITONBACKEND_ModelState(model, &p)) return e;
    delete static_cast<ModelState<Net>*>(p);
    return nullptr;
  }

  static TRITONSERVER_Error* instance_initialize(TRITONBACKEND_ModelInstance* instance, CudaHooks cuda = {}) noexcept {
    char const* cname = nullptr;
    std::string name = "?";
    if (TRITONBACKEND_ModelInstanceName(instance, &cname) == nullptr && cname) name = cname;
    return detail::guarded(cat("graphtx backend: instance \"", name, "\": "), [&] {
      TRITONBACKEND_Model* model = nullptr;
      detail::check(TRITONBACKEND_ModelInstanceModel(instance, &model), "TRITONBACKEND_ModelInstanceModel");
      void* mp = nullptr;
      detail::check(TRITONBACKEND_ModelState(model, &mp), "TRITONBACKEND_ModelState");
      TRITONSERVER_InstanceGroupKind kind{};
      detail::check(TRITONBACKEND_ModelInstanceKind(instance, &kind), "TRITONBACKEND_ModelInstanceKind");
      auto state = std::make_unique<InstanceState<Net>>();
      if (kind == TRITONSERVER_INSTANCEGROUPKIND_GPU) {
        if (!cuda) {
          throw error("KIND_GPU: this graphtx backend was built without CUDA (use instance_group [{ kind: KIND_CPU }], "
                      "or build it where the CUDA toolkit is found)");
        }
        int32_t device = 0;
        detail::check(TRITONBACKEND_ModelInstanceDeviceId(instance, &device), "TRITONBACKEND_ModelInstanceDeviceId");
        state->cuda = cuda;
        state->gpu = cuda.load(static_cast<ModelState<Net>*>(mp)->weights, device);
        detail::log(TRITONSERVER_LOG_INFO, cat("graphtx backend: instance \"", name, "\" on GPU ", device));
      }
      state->model = static_cast<ModelState<Net>*>(mp);
      state->handle = instance;
      state->name = name;
      state->omp_threads = state->model->settings.omp_threads;
      detail::check(TRITONBACKEND_ModelInstanceSetState(instance, state.get()), "TRITONBACKEND_ModelInstanceSetState");
      state.release();
    });
  }

  static TRITONSERVER_Error* instance_finalize(TRITONBACKEND_ModelInstance* instance) noexcept {
    void* p = nullptr;
    if (TRITONSERVER_Error* e = TRITONBACKEND_ModelInstanceState(instance, &p)) return e;
    delete static_cast<InstanceState<Net>*>(p);
    return nullptr;
  }

  static TRITONSERVER_Error* instance_execute(TRITONBACKEND_ModelInstance* instance, TRITONBACKEND_Request** requests,
                                              uint32_t count) noexcept {
    std::uint64_t const exec_start = detail::now_ns();
    void* p = nullptr;
    if (TRITONSERVER_Error* e = TRITONBACKEND_ModelInstanceState(instance, &p)) return e;
    auto& st = *static_cast<InstanceState<Net>*>(p);
    // Everything that may throw before a request is touched: on failure Triton keeps the requests.
    std::vector<TRITONBACKEND_Response*> responses;
    std::vector<std::string> errors;
    std::vector<std::optional<graph::GraphData>> graphs;
    try {
      responses.assign(count, nullptr);
      errors.assign(count, std::string());
      graphs.resize(count);
    } catch (...) {
      return detail::make_error(TRITONSERVER_ERROR_INTERNAL, "graphtx backend: out of memory for the requests");
    }
    execute_requests(st, requests, count, responses, errors, graphs, exec_start);
    return nullptr;
  }

 private:
  static void configure(ModelState<Net>& state, nlohmann::json const& config) {
    state.settings = parse_settings(config);
    long long const mbs = config.value("max_batch_size", 0LL);
    state.spec.batch_dim = mbs > 0;
    state.spec.in_width = Model::in_width == nn::any_width ? -1 : Model::in_width;
    state.spec.int_x = std::is_same_v<typename Model::input_type, std::int64_t>;
    bool has_x = false, has_ei = false, has_y = false;
    for (auto const& in : config.value("input", nlohmann::json::array())) {
      std::string const n = in.value("name", "");
      has_x |= n == "x";
      has_ei |= n == "edge_index";
      if (n != "x" && n != "edge_index" && n != "edge_attr") {
        throw error(cat("input \"", n, "\" in the config: a graph model takes x, edge_index and edge_attr"));
      }
      if (state.spec.batch_dim && !in.value("allow_ragged_batch", false)) {
        detail::log(TRITONSERVER_LOG_WARN,
                    cat("graphtx backend: model \"", state.name, "\": input \"", n, "\" has no allow_ragged_batch: "
                        "true, so Triton batches only graphs of the same size together"));
      }
    }
    for (auto const& out : config.value("output", nlohmann::json::array())) has_y |= out.value("name", "") == "y";
    if (!has_x || !has_ei) throw error("the config must declare the inputs \"x\" and \"edge_index\"");
    if (!has_y) throw error("the config must declare the output \"y\"");
  }

  /// Graph- or node-level output, from a forward over two tiny graphs (1 and 2 nodes, no edges).
  static output_level probe_level(Model const& m) noexcept {
    try {
      index_t const f = Model::in_width == nn::any_width ? 1 : Model::in_width;
      std::vector<graph::GraphData> gs(2);
      for (index_t i = 0; i < 2; ++i) {
        if constexpr (std::is_same_v<typename Model::input_type, std::int64_t>) {
          gs[static_cast<std::size_t>(i)].x_int = Tensor<std::int64_t, 2, host>::zeros({i + 1, f});
        } else {
          gs[static_cast<std::size_t>(i)].x = Tensor<float, 2, host>::zeros({i + 1, f});
        }
      }
      auto b = graph::batch_graphs(gs);
      auto y = m.forward(b);
      return y.extent(0) == 2 ? output_level::graph : y.extent(0) == 3 ? output_level::node : output_level::unknown;
    } catch (...) {
      return output_level::unknown;  // e.g. a model that needs edge_attr: decided per batch
    }
  }

  static void execute_requests(InstanceState<Net>& st, TRITONBACKEND_Request** requests, uint32_t count,
                               std::vector<TRITONBACKEND_Response*>& responses, std::vector<std::string>& errors,
                               std::vector<std::optional<graph::GraphData>>& graphs, std::uint64_t exec_start) noexcept {
    ModelState<Net>& ms = *st.model;
    std::string const prefix = cat("graphtx model \"", ms.name, "\": ");
    auto fail = [&](std::size_t r, std::string const& what) noexcept {
      try {
        if (errors[r].empty()) errors[r] = prefix + what;
      } catch (...) {
      }
    };
    for (uint32_t r = 0; r < count; ++r) {
      if (TRITONSERVER_Error* e = TRITONBACKEND_ResponseNew(&responses[r], requests[r])) {
        detail::log(TRITONSERVER_LOG_ERROR, cat("graphtx backend: request ", r, ": no response: ",
                                                TRITONSERVER_ErrorMessage(e)));
        TRITONSERVER_ErrorDelete(e);
        responses[r] = nullptr;
        continue;
      }
      try {
        std::map<std::string, RawInput, std::less<>> inputs;
        uint32_t n_inputs = 0;
        detail::check(TRITONBACKEND_RequestInputCount(requests[r], &n_inputs), "TRITONBACKEND_RequestInputCount");
        for (uint32_t i = 0; i < n_inputs; ++i) {
          char const* in_name = nullptr;
          detail::check(TRITONBACKEND_RequestInputName(requests[r], i, &in_name), "TRITONBACKEND_RequestInputName");
          inputs.emplace(in_name, detail::read_input(requests[r], in_name));
        }
        graphs[r] = parse_graph(inputs, ms.spec, ms.settings);
      } catch (std::exception const& e) {
        fail(r, e.what());
      } catch (...) {
        fail(r, "unknown exception reading the request");
      }
    }

#if defined(_OPENMP)
    if (st.omp_threads > 0) omp_set_num_threads(st.omp_threads);
#endif
    std::uint64_t compute_start = detail::now_ns(), compute_end = compute_start;
    std::uint64_t batched = 0;
    try {
      std::vector<std::size_t> valid;
      std::vector<std::pair<index_t, index_t>> sizes;
      for (std::size_t r = 0; r < count; ++r) {
        if (!graphs[r] || !errors[r].empty()) continue;
        auto const& g = *graphs[r];
        index_t const n = std::max(g.x.extent(0), g.x_int.extent(0));
        valid.push_back(r);
        sizes.emplace_back(n, g.edge_index.extent(1));
      }
      compute_start = detail::now_ns();
      for (auto const& [begin, end] : plan_batches(sizes, ms.settings)) {
        run_group(st, std::span(valid).subspan(begin, end - begin), graphs, responses, errors, fail);
        batched += end - begin;
      }
      compute_end = detail::now_ns();
    } catch (std::exception const& e) {
      for (std::size_t r = 0; r < count; ++r) {
        if (graphs[r]) fail(r, e.what());
      }
    } catch (...) {
      for (std::size_t r = 0; r < count; ++r) fail(r, "unknown exception");
    }

    std::uint64_t const exec_end = detail::now_ns();
    for (uint32_t r = 0; r < count; ++r) {
      bool const ok = errors[r].empty();
      if (responses[r] != nullptr) {
        TRITONSERVER_Error* err = ok ? nullptr : detail::make_error(TRITONSERVER_ERROR_INVALID_ARG, errors[r]);
        if (TRITONSERVER_Error* e = TRITONBACKEND_ResponseSend(responses[r], TRITONSERVER_RESPONSE_COMPLETE_FINAL, err)) {
          detail::log(TRITONSERVER_LOG_ERROR, cat("graphtx backend: sending a response: ", TRITONSERVER_ErrorMessage(e)));
          TRITONSERVER_ErrorDelete(e);
        }
        if (err) TRITONSERVER_ErrorDelete(err);
      }
      if (TRITONSERVER_Error* e = TRITONBACKEND_ModelInstanceReportStatistics(
              st.handle, requests[r], ok, exec_start, compute_start, compute_end, exec_end)) {
        TRITONSERVER_ErrorDelete(e);
      }
    }
    if (batched > 0) {
      if (TRITONSERVER_Error* e = TRITONBACKEND_ModelInstanceReportBatchStatistics(st.handle, batched, exec_start,
                                                                                   compute_start, compute_end, exec_end)) {
        TRITONSERVER_ErrorDelete(e);
      }
    }
    for (uint32_t r = 0; r < count; ++r) {
      if (TRITONSERVER_Error* e = TRITONBACKEND_RequestRelease(requests[r], TRITONSERVER_REQUEST_RELEASE_ALL)) {
        detail::log(TRITONSERVER_LOG_ERROR, cat("graphtx backend: releasing a request: ", TRITONSERVER_ErrorMessage(e)));
        TRITONSERVER_ErrorDelete(e);
      }
    }
  }

 private:
  template <class Fail>
  static void run_group(InstanceState<Net>& st, std::span<std::size_t const> members,
                        std::vector<std::optional<graph::GraphData>>& graphs,
                        std::vector<TRITONBACKEND_Response*>& responses, std::vector<std::string>& errors, Fail& fail) {
    if (members.empty()) return;
    ModelState<Net>& ms = *st.model;
    try {
      std::vector<graph::GraphData> group;
      group.reserve(members.size());
      for (std::size_t r : members) group.push_back(std::move(*graphs[r]));
      graph::Batch<host> batch = graph::batch_graphs(group);
      Tensor<float, 2, host> y = st.gpu != nullptr ? st.cuda.forward(st.gpu, batch) : ms.model->forward(batch);
      auto const slices = split_rows(batch, y.extent(0), ms.level);
      index_t const c = y.extent(1);
      for (std::size_t k = 0; k < members.size(); ++k) {
        std::size_t const r = members[k];
        if (responses[r] == nullptr || !errors[r].empty()) continue;
        Slice const s = slices[k];
        std::vector<std::int64_t> shape;
        if (ms.spec.batch_dim) shape.push_back(1);
        if (s.per_node || !ms.spec.batch_dim) shape.push_back(s.rows);
        shape.push_back(c);
        try {
          TRITONBACKEND_Output* out = nullptr;
          detail::check(TRITONBACKEND_ResponseOutput(responses[r], &out, "y", TRITONSERVER_TYPE_FP32, shape.data(),
                                                     static_cast<uint32_t>(shape.size())),
                        "output \"y\"");
          std::uint64_t const bytes = static_cast<std::uint64_t>(s.rows) * static_cast<std::uint64_t>(c) * 4;
          void* buf = nullptr;
          TRITONSERVER_MemoryType mem = TRITONSERVER_MEMORY_CPU;
          int64_t mem_id = 0;
          detail::check(TRITONBACKEND_OutputBuffer(out, &buf, bytes, &mem, &mem_id), "output \"y\"");
          if (mem == TRITONSERVER_MEMORY_GPU) throw error("output \"y\": Triton gave GPU memory for a host output");
          if (bytes > 0) std::memcpy(buf, y.data() + s.first * c, bytes);
        } catch (std::exception const& e) {
          fail(r, e.what());
        }
      }
    } catch (std::exception const& e) {
      for (std::size_t r : members) fail(r, e.what());
    }
  }
};

}  // namespace graphtx::serve::triton

/// Defines the TRITONBACKEND_* entry points of a backend library serving `NET` (a composition type:
/// the library runs nn::Model<NET, host>). Use once, in one translation unit of the library.
#define GRAPHTX_TRITON_BACKEND(NET) GRAPHTX_TRITON_BACKEND_IMPL(NET, ::graphtx::serve::triton::CudaHooks{})
/// The same with KIND_GPU instances: `HOOKS` is a function `graphtx::serve::triton::CudaHooks HOOKS()`
/// defined in a .cu file as `return graphtx::serve::triton::cuda_hooks<NET>();`.
#define GRAPHTX_TRITON_BACKEND_CUDA(NET, HOOKS) GRAPHTX_TRITON_BACKEND_IMPL(NET, HOOKS())

#define GRAPHTX_TRITON_BACKEND_IMPL(NET, CUDA_HOOKS)                                                        \
  extern "C" {                                                                                              \
  GRAPHTX_TRITON_EXPORT TRITONSERVER_Error* TRITONBACKEND_Initialize(TRITONBACKEND_Backend* backend) {       \
    return ::graphtx::serve::triton::Backend<NET>::initialize(backend);                                     \
  }                                                                                                         \
  GRAPHTX_TRITON_EXPORT TRITONSERVER_Error* TRITONBACKEND_ModelInitialize(TRITONBACKEND_Model* model) {      \
    return ::graphtx::serve::triton::Backend<NET>::model_initialize(model);                                 \
  }                                                                                                         \
  GRAPHTX_TRITON_EXPORT TRITONSERVER_Error* TRITONBACKEND_ModelFinalize(TRITONBACKEND_Model* model) {        \
    return ::graphtx::serve::triton::Backend<NET>::model_finalize(model);                                   \
  }                                                                                                         \
  GRAPHTX_TRITON_EXPORT TRITONSERVER_Error* TRITONBACKEND_ModelInstanceInitialize(                          \
      TRITONBACKEND_ModelInstance* instance) {                                                              \
    return ::graphtx::serve::triton::Backend<NET>::instance_initialize(instance, CUDA_HOOKS);               \
  }                                                                                                         \
  GRAPHTX_TRITON_EXPORT TRITONSERVER_Error* TRITONBACKEND_ModelInstanceFinalize(                            \
      TRITONBACKEND_ModelInstance* instance) {                                                              \
    return ::graphtx::serve::triton::Backend<NET>::instance_finalize(instance);                             \
  }                                                                                                         \
  GRAPHTX_TRITON_EXPORT TRITONSERVER_Error* TRITONBACKEND_ModelInstanceExecute(                             \
      TRITONBACKEND_ModelInstance* instance, TRITONBACKEND_Request** requests, const uint32_t request_count) { \
    return ::graphtx::serve::triton::Backend<NET>::instance_execute(instance, requests, request_count);     \
  }                                                                                                         \
  }
