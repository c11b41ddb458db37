#pragma once
/// \file
/// \brief The one interface every graphtx module has (nn::Layer), whether a leaf (Linear,
/// LayerNorm, TransformerConv, ...) or a composition (nn::Module, nn::Sequential, ...):
///
/// | member | what |
/// |---|---|
/// | `space`, `template <class S> rebind` | the memory space, and the same module in another space |
/// | `input_type`, `output_type` | element type of the features in and out (float; int64 for encoders) |
/// | `in_width`, `out_width` | feature widths fixed at compile time (`any_width`: any, out = in) |
/// | `parameter_count` | every parameter, used or not (DeepSpeed's `params`) |
/// | `forward(x, g, probe)` | `Tensor<output_type, 2, space>` from x [rows, in_width] and a GraphContext |
/// | `visit(v)` | its parameters and buffers by PyG name, and its children (see nn/parameters.hpp) |
/// | `profile_module()` | its node in DeepSpeed's module tree (names, classes, params) |
/// | `add_counts(node, shape)` | DeepSpeed's counts of one forward over `shape`, added to that node |
///
/// Optional: `out_shape(shape)` (a readout changes the rows from N to G), `prepare()` (derived
/// state computed after load/init/copy, e.g. TransformerConv's folded weights),
/// `drop_folded_weights()` (frees the parameters prepare() folded and the forward no longer
/// reads: nn::LoadOptions::drop_folded_weights), and `forward_in_place(x, g, probe)`
/// (elementwise modules that may overwrite their input).

#include <concepts>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include <graphtx/core/config.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/init.hpp>
#include <graphtx/profile/module.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

/// A width a module accepts whatever it is (activations, dropout, norms without parameters).
inline constexpr int any_width = -1;

/// The sizes one forward runs over, for counting without running: `rows` of the features
/// reaching a module (N for node-level modules, G after a readout), and the batch's N, E, G.
struct FlowShape {
  index_t rows = 0;
  index_t width = 0;  ///< features per row reaching the module (any-width modules count with it)
  index_t nodes = 0;
  index_t edges = 0;
  index_t graphs = 0;
};

/// A visitor archetype: what nn::Layer's `visit` may call (nn/parameters.hpp has the real ones).
template <class Space>
struct VisitorArchetype {
  static constexpr bool modifies = false;
  template <class T, int Rank>
  void param(std::string_view, Tensor<T, Rank, Space>&, Init) {}
  template <class T, int Rank>
  void buffer(std::string_view, Tensor<T, Rank, Space>&) {}
  void scalar_buffer(std::string_view, std::int64_t&) {}
  template <class M>
  void child(std::string_view, M&) {}
};

template <class L>
concept Layer = requires {
  typename L::space;
  typename L::input_type;
  typename L::output_type;
  typename L::template rebind<host>;
  { L::in_width } -> std::convertible_to<int>;
  { L::out_width } -> std::convertible_to<int>;
  { L::parameter_count } -> std::convertible_to<index_t>;
  { L::profile_module() } -> std::same_as<profile::Module>;
} && requires(L& l, L const& cl, profile::Module& node, FlowShape s, GraphContext<typename L::space> const& g,
              TensorView<typename L::input_type const, 2, typename L::space> x, profile::Probe p,
              VisitorArchetype<typename L::space>& v) {
  L::add_counts(node, s);
  { cl.forward(x, g, p) } -> std::same_as<Tensor<typename L::output_type, 2, typename L::space>>;
  l.visit(v);
};

/// Width of the features after M, given the width W reaching it.
template <class M>
constexpr int width_after(int w) {
  return M::out_width == any_width ? w : M::out_width;
}

/// Whether M changes the rows (a readout: N node rows in, G graph rows out).
template <class M>
inline constexpr bool is_readout_v = requires(FlowShape s) { M::out_shape(s); };

/// The shape after M: its rows (a readout's), its width.
template <class M>
constexpr FlowShape shape_after(FlowShape s) {
  if constexpr (requires { M::edge_step; }) return s;  // nn::OnEdges: the node features pass unchanged
  if constexpr (is_readout_v<M>) s = M::out_shape(s);
  if constexpr (requires { M::out_width; }) {
    if (M::out_width != any_width) s.width = M::out_width;
  }
  return s;
}

/// Whether M computes derived state after its parameters change.
template <class M>
inline constexpr bool has_prepare_v = requires(M& m) { m.prepare(); };
/// Whether a module can free the PyG weights its prepare() folded (LoadOptions::drop_folded_weights).
template <class M>
inline constexpr bool has_drop_folded_weights_v = requires(M& m) { m.drop_folded_weights(); };

/// Whether M can overwrite its input with its output.
template <class M>
inline constexpr bool has_forward_in_place_v =
    requires(M const& m, TensorView<float, 2, typename M::space> x, GraphContext<typename M::space> const& g,
             profile::Probe p) { m.forward_in_place(x, g, p); };

/// Runs M on an owned tensor: in place when M can, else through its forward. x is taken by value,
/// so a layer's input is freed as soon as its output exists (a forward holds two activations, not
/// one per layer).
template <class M, class T>
Tensor<typename M::output_type, 2, typename M::space> run_owned(M const& m, Tensor<T, 2, typename M::space> x,
                                                                GraphContext<typename M::space> const& g,
                                                                profile::Probe probe) {
  if constexpr (has_forward_in_place_v<M> && std::is_same_v<T, float> &&
                std::is_same_v<typename M::output_type, float>) {
    m.forward_in_place(x.view(), g, probe);
    return x;  // a by-value parameter: moved
  } else {
    return m.forward(x.cview(), g, probe);
  }
}

namespace detail {
/// Compile-time shape chaining. Instantiated with the two neighbouring layers and their widths so
/// that the compiler's message names both: "required from check_link<Previous, 64, Next, 128>".
template <class Previous, int PreviousOut, class Next, int NextIn>
struct check_link {
  static_assert(NextIn == any_width || PreviousOut == any_width || NextIn == PreviousOut,
                "graphtx::nn: a layer's input width (in_width, 4th template argument of check_link) does not match "
                "the output width of the layer before it (2nd argument); the two layers are the 1st and 3rd "
                "arguments");
  static constexpr bool ok = true;
};
template <class Previous, class PreviousT, class Next, class NextT>
struct check_type_link {
  static_assert(std::is_same_v<PreviousT, NextT>,
                "graphtx::nn: a layer's input element type (4th template argument of check_type_link) is not the "
                "output element type of the layer before it (2nd argument): an encoder (AtomEncoder, Embedding) "
                "takes int64 features, every other layer float");
  static constexpr bool ok = true;
};
}  // namespace detail

}  // namespace graphtx::nn
