#pragma once
/// \file
/// \brief nn::Concat: `torch.cat([a(x), b(x), ...], dim=-1)`, the same input through every branch
/// and the outputs side by side (feature concatenation), as PyG models write it in their forward:
///
///     self.a = A(...); self.b = B(...)
///     def forward(self, x, ...): return torch.cat([self.a(x), self.b(x)], dim=-1)
///
/// \code
/// using Both = nn::Concat<nn::Field<"a", A>, nn::Field<"b", B>>;      // keys a.*, b.*; width A + B
/// using Readout = nn::Concat<nn::InWidth<8>,                           // torch.cat([global_mean_pool(x, batch),
///                            nn::Apply<nn::GlobalMeanPool<>>,          //            global_max_pool(x, batch)], -1)
///                            nn::Apply<nn::GlobalMaxPool<>>>;          // [G, 16]
/// \endcode
///
/// Branches are `Field<"name", M>` (an attribute: its state_dict keys are `name.*` and its node in
/// the profile tree is `name`) or `Apply<M>` (a function such as a pool: no keys, no node, its counts
/// go to the Concat's node). The Concat adds no key prefix of its own (a transparent wrapper: as a
/// whole net, or under nn::Residual, the keys are exactly `a.*`, `b.*`; in a Sequential slot `0`
/// they are `0.a.*`), and one node of type "Concat" in DeepSpeed's tree, whose children are the Field
/// branches (the PyG module whose forward does the torch.cat). DeepSpeed counts nothing for
/// torch.cat; the branches count what they count.
///
/// Widths: the branches take the same input width (the first fixed one; width-agnostic branches
/// accept it); out_width is the sum of the branches' output widths, so it must be known at compile
/// time: when every branch is width-agnostic (pools, activations), name the input width with a
/// leading `nn::InWidth<W>`. Readout branches (pools) turn N rows into G: either every branch is a
/// readout or none is (torch.cat needs the same rows).

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <graphtx/core/config.hpp>
#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/ops/concat_columns.hpp>
#include <graphtx/profile/module.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

/// The input width of an nn::Concat whose branches are all width-agnostic (first argument).
template <int W>
struct InWidth {
  static_assert(W >= 0, "nn::InWidth: the width must be >= 0");
  static constexpr int value = W;
  static constexpr bool is_in_width = true;
  template <class S>
  using rebind = InWidth<W>;
};

namespace detail {

template <class T>
struct is_in_width : std::bool_constant<requires { T::is_in_width; }> {};

// Splits a leading InWidth<W> off the branches.
template <class... Items>
struct concat_split {
  static constexpr int declared = any_width;
  using branches = type_list<Items...>;
};
template <class First, class... Items>
  requires(is_in_width<First>::value)
struct concat_split<First, Items...> {
  static constexpr int declared = First::value;
  using branches = type_list<Items...>;
};

template <class Branch>
constexpr bool concat_branch_ok() {
  return is_field<Branch>::value || is_apply<Branch>::value;
}

template <class List>
struct concat_parts;
template <class... B>
struct concat_parts<type_list<B...>> {
  static_assert(sizeof...(B) >= 1, "nn::Concat: give at least one branch");
  static_assert((concat_branch_ok<B>() && ...),
                "nn::Concat: every branch is nn::Field<\"name\", M> (keys name.*) or nn::Apply<M> (a function)");
  using modules = type_list<typename B::module...>;
  using items_tuple = std::tuple<typename B::module...>;
  static constexpr std::size_t size = sizeof...(B);
  static constexpr std::array<std::string_view, sizeof...(B)> names{item_name_of<B>()...};
  static constexpr std::array<bool, sizeof...(B)> applied{is_apply<B>::value...};
  static constexpr std::array<int, sizeof...(B)> in_widths{B::module::in_width...};
  static constexpr std::array<int, sizeof...(B)> out_widths{B::module::out_width...};
  static constexpr std::array<bool, sizeof...(B)> readouts{is_readout_v<typename B::module>...};
  static constexpr bool all_readouts = (is_readout_v<typename B::module> && ...);
  static constexpr bool no_readouts = (!is_readout_v<typename B::module> && ...);
  using first_module = typename at<0, type_list<typename B::module...>>::type;
  using input_type = typename first_module::input_type;
  static constexpr bool same_input_type = (std::is_same_v<input_type, typename B::module::input_type> && ...);
  static constexpr bool float_outputs = (std::is_same_v<float, typename B::module::output_type> && ...);
  static constexpr index_t parameter_count = (index_t{0} + ... + B::module::parameter_count);
};

// The common input width: InWidth<W> if given, else the first branch's fixed in_width.
template <class Parts, int Declared>
constexpr int concat_in_width() {
  int w = Declared;
  for (int b : Parts::in_widths) {
    if (w == any_width) w = b;
  }
  return w;
}
template <class Parts, int In>
constexpr bool concat_widths_agree() {
  for (int b : Parts::in_widths) {
    if (b != any_width && In != any_width && b != In) return false;
  }
  return true;
}
// out_width of branch i given the common input width (any_width: unknown).
template <class Parts, int In>
constexpr int concat_branch_width(std::size_t i) {
  return Parts::out_widths[i] == any_width ? In : Parts::out_widths[i];
}
template <class Parts, int In>
constexpr int concat_out_width() {
  int total = 0;
  for (std::size_t i = 0; i < Parts::size; ++i) {
    int const w = concat_branch_width<Parts, In>(i);
    if (w == any_width) return any_width;
    total += w;
  }
  return total;
}

}  // namespace detail

/// `torch.cat([branch(x) for branch in branches], dim=-1)`; see the file comment.
template <class... Items>
class Concat {
  using split = detail::concat_split<Items...>;
  using parts = detail::concat_parts<typename split::branches>;

 public:
  using items_tuple = typename parts::items_tuple;
  using space = typename detail::space_of_list<typename parts::modules>::type;
  template <class S>
  using rebind = Concat<typename Items::template rebind<S>...>;
  using input_type = typename parts::input_type;
  using output_type = float;
  static constexpr std::size_t size = parts::size;
  static constexpr int in_width = detail::concat_in_width<parts, split::declared>();
  static constexpr int out_width = detail::concat_out_width<parts, in_width>();
  static constexpr index_t parameter_count = parts::parameter_count;

  static_assert(parts::same_input_type, "nn::Concat: every branch must take the same element type (float or int64)");
  static_assert(parts::float_outputs, "nn::Concat: every branch must output float features");
  static_assert(detail::concat_widths_agree<parts, in_width>(),
                "nn::Concat: the branches take different input widths (every branch gets the same x)");
  static_assert(out_width != any_width,
                "nn::Concat: the output width is not known at compile time (a width-agnostic branch and no fixed "
                "input width): start the Concat with nn::InWidth<W>");
  static_assert(parts::all_readouts || parts::no_readouts,
                "nn::Concat: either every branch is a readout (pool) or none is (torch.cat needs the same rows)");

  items_tuple items;

  template <std::size_t I>
  auto& item() {
    return std::get<I>(items);
  }
  template <std::size_t I>
  auto const& item() const {
    return std::get<I>(items);
  }

  /// x: [rows, in_width] -> [rows', sum of the branches' widths] (rows' = G when the branches are
  /// readouts), branch outputs side by side in branch order.
  Tensor<float, 2, space> forward(TensorView<input_type const, 2, space> x, GraphContext<space> const& g,
                                  profile::Probe probe = {}) const {
    profile::Scope<space> scope(probe);
    return forward_impl(x, g, probe, std::make_index_sequence<size>{});
  }

  template <class V>
  void visit(V& v) {
    visit_items(v, std::make_index_sequence<size>{});
  }

  static constexpr FlowShape out_shape(FlowShape s)
    requires(parts::all_readouts)
  {
    s = shape_after<typename detail::at<0, typename parts::modules>::type>(s);
    s.width = out_width;
    return s;
  }
  static void add_counts(profile::Module& node, FlowShape s) { count_items(node, s, std::make_index_sequence<size>{}); }
  /// DeepSpeed's tree: a node of its own, with a child per Field branch.
  static profile::Module profile_module() {
    profile::Module m = profile::Module::leaf("Concat", "", 0);
    add_profile_children(m, std::make_index_sequence<size>{});
    return m;
  }

 private:
  template <std::size_t I>
  static profile::Probe branch_probe(profile::Probe p) {
    if constexpr (parts::applied[I]) {
      return p.untimed();
    } else {
      return p.child(parts::names[I]);
    }
  }
  template <std::size_t I>
  static profile::Module& branch_node(profile::Module& node) {
    if constexpr (parts::applied[I]) {
      return node;
    } else {
      return node.at(parts::names[I]);
    }
  }

  template <std::size_t... I>
  Tensor<float, 2, space> forward_impl(TensorView<input_type const, 2, space> x, GraphContext<space> const& g,
                                       profile::Probe probe, std::index_sequence<I...>) const {
    if constexpr (in_width != any_width) check_extent("Concat", "x (features)", 1, x.extent(1), in_width);
    // Branches in order (a braced list is evaluated left to right).
    std::array<Tensor<float, 2, space>, size> ys{std::get<I>(items).forward(x, g, branch_probe<I>(probe))...};
    index_t const rows = ys[0].extent(0);
    Tensor<float, 2, space> out({rows, index_t{out_width}});  // [rows', sum of widths]
    index_t offset = 0;
    for (std::size_t b = 0; b < size; ++b) {
      check_extent("Concat", branch_label(b).c_str(), 0, ys[b].extent(0), rows);
      check_extent("Concat", branch_label(b).c_str(), 1, ys[b].extent(1),
                   detail::concat_branch_width<parts, in_width>(b) == any_width
                       ? x.extent(1)
                       : index_t{detail::concat_branch_width<parts, in_width>(b)});
      ops::concat_columns<space>(ys[b].cview(), offset, out.view());
      offset += ys[b].extent(1);
    }
    return out;
  }
  static std::string branch_label(std::size_t b) {
    return parts::names[b].empty() ? graphtx::detail::cat("the output of branch ", b)
                                   : graphtx::detail::cat("the output of branch ", b, " (", parts::names[b], ")");
  }

  template <class V, std::size_t... I>
  void visit_items(V& v, std::index_sequence<I...>) {
    (visit_item<I>(v), ...);
  }
  template <std::size_t I, class V>
  void visit_item(V& v) {
    if constexpr (!parts::applied[I]) v.child(parts::names[I], std::get<I>(items));
  }
  template <std::size_t... I>
  static void count_items(profile::Module& node, FlowShape s, std::index_sequence<I...>) {
    (std::tuple_element_t<I, items_tuple>::add_counts(branch_node<I>(node), s), ...);
  }
  template <std::size_t... I>
  static void add_profile_children(profile::Module& m, std::index_sequence<I...>) {
    (add_profile_child<I>(m), ...);
  }
  template <std::size_t I>
  static void add_profile_child(profile::Module& m) {
    if constexpr (!parts::applied[I]) m.add(std::string(parts::names[I]), std::tuple_element_t<I, items_tuple>::profile_module());
  }
};

}  // namespace graphtx::nn
