#pragma once
/// \file
/// \brief Composition templates: a PyG model written as a C++ type, with everything else
/// (state_dict names, strict load and save, parameter count, DeepSpeed's profile tree and counts,
/// random init, copy between spaces, compile-time shape checks) derived from the type alone.
///
/// | graphtx | mirrors | names of its children |
/// |---|---|---|
/// | `Module<"Net", Field<"convs", A>, Field<"head", B>>` | a `torch.nn.Module` subclass with attributes | `convs.*`, `head.*` |
/// | `Sequential<A, B, C>` | `torch.nn.Sequential(A, B, C)` | `0.*`, `1.*`, `2.*` (parameter-free entries take a slot) |
/// | `ModuleList<A, B>` | `torch.nn.ModuleList([A, B])` run in order (`for m in self.list: x = m(x)`) | `0.*`, `1.*` |
/// | `Repeat<K, A>` (inside a list) | K modules of the same shape | K consecutive slots |
/// | `Unused<A>` (inside a list) | a module that is built and saved but never run | its slot |
/// | `Residual<A>` | `x = x + a(x)` | A's own names (no slot) |
/// | `OnEdges<A>` (as a Field) | `edge_attr = a(edge_attr)` (BondEncoder, an edge Linear) | its field name |
/// | `Apply<A>` (inside a Module) | a function call in forward (`F.relu`, `global_mean_pool`) | none |
///
/// A Module runs its items in order unless its first item is `Forward<Steps...>`, which spells the
/// forward out: `Call<"name">` runs a field, `Zip<"convs", "act", "norms">` runs, for i = 0, 1, ...,
/// item i of every list named (a slot that is missing or Unused is skipped) and every non-list field,
/// as PyG models do with `for conv, norm in zip(self.convs, self.norms)`; `Apply<M>` calls a function.
///
/// Leaves are written for the host by default (`nn::Linear<cfg>` is `nn::Linear<cfg, host>`); a whole
/// composition moves to another space with `rebind<cuda>` (nn::Model does it for you).
///
/// Shape chaining: every pair of neighbouring steps is checked at compile time; a width mismatch is a
/// static_assert whose instantiation names both layer types and both widths.

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
#include <graphtx/nn/fixed_string.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/ops/elementwise.hpp>
#include <graphtx/profile/module.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

// ---- slot descriptors ------------------------------------------------------------------------

namespace detail {
template <class Storage, std::size_t F>
struct call_plan;
template <class Storage, std::size_t... F>
struct zip_step_plan;
template <class M>
struct static_apply_plan;
}  // namespace detail

/// A named child of a Module: PyG's attribute `self.<Name> = M(...)`.
template <fixed_string Name, class M>
struct Field {
  static constexpr fixed_string name = Name;
  static constexpr bool is_field_slot = true;
  using module = M;
  template <class S>
  using rebind = Field<Name, typename M::template rebind<S>>;
};

/// A function called in a Module's forward (no state_dict keys, no node in the profile tree; what it
/// counts goes to the Module, as DeepSpeed adds a patched functional's counts to the running module).
template <class M>
struct Apply {
  static_assert(M::parameter_count == 0,
                "nn::Apply: a function call has no state_dict keys; a module with parameters must be a named Field");
  using module = M;
  static constexpr bool is_apply_slot = true;
  template <class S>
  using rebind = Apply<typename M::template rebind<S>>;
  template <class Storage>
  using plan = typename detail::static_apply_plan<M>::type;
};

/// K consecutive slots of the same module type in a Sequential or ModuleList.
template <std::size_t K, class M>
struct Repeat {
  template <class S>
  using rebind = Repeat<K, typename M::template rebind<S>>;
};

/// The first item of a Module whose forward is not "every item in order".
template <class... Steps>
struct Forward {
  template <class S>
  using rebind = Forward<typename Steps::template rebind<S>...>;
};
/// A Forward step: run the field `Name`.
template <fixed_string Name>
struct Call {
  template <class S>
  using rebind = Call<Name>;
  template <class Storage>
  using plan = typename detail::call_plan<Storage, Storage::template index_of<Name>()>::type;
};
/// A Forward step: `for i, ...: names[0][i], names[1][i] or names[1], ...` (see the file comment).
template <fixed_string... Names>
struct Zip {
  static_assert(sizeof...(Names) >= 1, "nn::Zip: name at least one list field");
  template <class S>
  using rebind = Zip<Names...>;
  template <class Storage>
  using plan = typename detail::zip_step_plan<Storage, Storage::template index_of<Names>()...>::type;
};

// ---- small type utilities --------------------------------------------------------------------

namespace detail {
template <class... T>
struct type_list {
  static constexpr std::size_t size = sizeof...(T);
};
template <class... L>
struct concat;
template <>
struct concat<> {
  using type = type_list<>;
};
template <class... A>
struct concat<type_list<A...>> {
  using type = type_list<A...>;
};
template <class... A, class... B, class... Rest>
struct concat<type_list<A...>, type_list<B...>, Rest...> {
  using type = typename concat<type_list<A..., B...>, Rest...>::type;
};
template <class... L>
using concat_t = typename concat<L...>::type;

template <std::size_t K, class M>
struct repeat_list {
  using type = concat_t<type_list<M>, typename repeat_list<K - 1, M>::type>;
};
template <class M>
struct repeat_list<0, M> {
  using type = type_list<>;
};

// A list entry as slots: Repeat<K, M> is K slots of M, anything else one slot.
template <class E>
struct expand_entry {
  using type = type_list<E>;
};
template <std::size_t K, class M>
struct expand_entry<Repeat<K, M>> {
  using type = typename repeat_list<K, M>::type;
};

template <class List>
struct as_tuple;
template <class... T>
struct as_tuple<type_list<T...>> {
  using type = std::tuple<T...>;
};

template <std::size_t I, class List>
struct at;
template <std::size_t I, class H, class... T>
struct at<I, type_list<H, T...>> : at<I - 1, type_list<T...>> {};
template <class H, class... T>
struct at<0, type_list<H, T...>> {
  using type = H;
};
template <std::size_t I, class List>
using at_t = typename at<I, List>::type;

template <class T>
struct is_forward : std::false_type {};
template <class... S>
struct is_forward<Forward<S...>> : std::true_type {};
}  // namespace detail

template <class M>
class Unused;
template <class M>
class OnEdges;

namespace detail {
template <class T>
struct is_unused : std::false_type {};
template <class M>
struct is_unused<Unused<M>> : std::true_type {};
template <class T>
struct is_on_edges : std::false_type {};
template <class M>
struct is_on_edges<OnEdges<M>> : std::true_type {};
// Member flags rather than partial specialisations on a fixed_string parameter (nvcc 13 does not
// deduce a class-type template parameter in a partial specialisation).
template <class T>
struct is_field : std::bool_constant<requires { T::is_field_slot; }> {};
template <class T>
struct is_apply : std::bool_constant<requires { T::is_apply_slot; }> {};
}  // namespace detail

/// Whether a slot runs in the forward (Unused slots do not).
template <class M>
inline constexpr bool is_runnable_v = !detail::is_unused<M>::value;

// ---- the plan: the forward as a list of references to slots -----------------------------------
//
// Every container's forward, counts and shape checks run over one compile-time list of steps,
// each naming where its module lives (`get(self)`) and where it records (`probe(self, p)`).

namespace detail {

/// Item I of a list container (Sequential / ModuleList): probe child "I".
template <std::size_t I>
struct item_ref {
  template <class Self>
  static auto const& get(Self const& self) {
    return std::get<I>(self.items);
  }
  template <class Self>
  using module_t = std::tuple_element_t<I, typename Self::items_tuple>;
  template <class Self>
  static profile::Probe probe_of(profile::Probe p) {
    return p.item(I);
  }
  template <class Self>
  static profile::Module& node_of(profile::Module& node) {
    return node.children[I];
  }
};

/// Field F of a Module: probe child by its name.
template <std::size_t F>
struct field_ref {
  template <class Self>
  static auto const& get(Self const& self) {
    return std::get<F>(self.items);
  }
  template <class Self>
  using module_t = std::tuple_element_t<F, typename Self::items_tuple>;
  template <class Self>
  static profile::Probe probe_of(profile::Probe p) {
    return p.child(Self::template item_name<F>());
  }
  template <class Self>
  static profile::Module& node_of(profile::Module& node) {
    return node.at(Self::template item_name<F>());
  }
};

/// Item I of the list in field F of a Module (Zip): probe child "<field>" then "I".
template <std::size_t F, std::size_t I>
struct field_item_ref {
  template <class Self>
  static auto const& get(Self const& self) {
    return std::get<I>(std::get<F>(self.items).items);
  }
  template <class Self>
  using module_t = std::tuple_element_t<I, typename std::tuple_element_t<F, typename Self::items_tuple>::items_tuple>;
  template <class Self>
  static profile::Probe probe_of(profile::Probe p) {
    return p.child(Self::template item_name<F>()).item(I);
  }
  template <class Self>
  static profile::Module& node_of(profile::Module& node) {
    return node.at(Self::template item_name<F>()).children[I];
  }
};

/// An Apply item F of a Module: the module's own probe, untimed.
template <std::size_t F>
struct apply_ref {
  template <class Self>
  static auto const& get(Self const& self) {
    return std::get<F>(self.items);
  }
  template <class Self>
  using module_t = std::tuple_element_t<F, typename Self::items_tuple>;
  template <class Self>
  static profile::Probe probe_of(profile::Probe p) {
    return p.untimed();
  }
  template <class Self>
  static profile::Module& node_of(profile::Module& node) {
    return node;
  }
};

/// A stateless function named in a Forward spec (`Apply<GlobalMeanPool<>>`): no storage.
template <class M>
struct static_apply_ref {
  template <class Self>
  static M const& get(Self const&) {
    static M const instance{};
    return instance;
  }
  template <class Self>
  using module_t = M;
  template <class Self>
  static profile::Probe probe_of(profile::Probe p) {
    return p.untimed();
  }
  template <class Self>
  static profile::Module& node_of(profile::Module& node) {
    return node;
  }
};

template <class Ref, class Self>
profile::Probe ref_probe(profile::Probe p) {
  return Ref::template probe_of<Self>(p);
}

/// DeepSpeed's counts of the plan's steps, each into its node, the shape flowing through readouts.
template <class Self, class Plan, std::size_t I = 0>
void count_plan(profile::Module& node, FlowShape s) {
  if constexpr (I < Plan::size) {
    using Ref = at_t<I, Plan>;
    using M = typename Ref::template module_t<Self>;
    M::add_counts(Ref::template node_of<Self>(node), s);
    count_plan<Self, Plan, I + 1>(node, shape_after<M>(s));
  }
}

/// The shape after the whole plan.
template <class Self, class Plan, std::size_t I = 0>
constexpr FlowShape plan_shape(FlowShape s) {
  if constexpr (I == Plan::size) {
    return s;
  } else {
    using M = typename at_t<I, Plan>::template module_t<Self>;
    return plan_shape<Self, Plan, I + 1>(shape_after<M>(s));
  }
}
/// Whether any step of the plan is a readout.
template <class Self, class Plan, std::size_t... I>
constexpr bool plan_has_readout(std::index_sequence<I...>) {
  return (is_readout_v<typename at_t<I, Plan>::template module_t<Self>> || ...);
}
template <class Self, class Plan>
inline constexpr bool plan_has_readout_v = plan_has_readout<Self, Plan>(std::make_index_sequence<Plan::size>{});

template <std::size_t K, class M>
constexpr index_t repeat_params(Repeat<K, M>) {
  return static_cast<index_t>(K) * M::parameter_count;
}
template <class E>
constexpr index_t entry_params() {
  if constexpr (requires { E::parameter_count; }) {
    return E::parameter_count;
  } else {
    return repeat_params(E{});
  }
}

template <class T, int Rank, class Space>
Tensor<std::remove_const_t<T>, Rank, Space> owned_copy(TensorView<T, Rank, Space> x) {
  Tensor<std::remove_const_t<T>, Rank, Space> out(x.extents());
  deep_copy<std::remove_const_t<T>, Rank, Space, Space>(out.view(), TensorView<std::remove_const_t<T> const, Rank, Space>(x));
  return out;
}

// One step on a borrowed view or an owned tensor.
template <class M, class T, class Space>
auto run_step(M const& m, TensorView<T const, 2, Space> x, GraphContext<Space> const& g, profile::Probe p) {
  return m.forward(x, g, p);
}
template <class M, class T, class Space>
auto run_step(M const& m, Tensor<T, 2, Space> x, GraphContext<Space> const& g, profile::Probe p) {
  return run_owned(m, std::move(x), g, p);
}

template <class X>
struct value_of;
template <class T, class Space>
struct value_of<TensorView<T const, 2, Space>> {
  using type = T;
};
template <class T, class Space>
struct value_of<Tensor<T, 2, Space>> {
  using type = T;
};

/// Runs the plan's steps I.. on x (a view of the caller's features, or a tensor this forward owns).
/// StopAtReadout: return the features reaching the first readout (a model's node-level part).
template <class Self, class Plan, std::size_t I, bool StopAtReadout, class X, class Space>
auto run_plan(Self const& self, X&& x, GraphContext<Space> const& g, profile::Probe p) {
  using T = typename value_of<std::remove_cvref_t<X>>::type;
  if constexpr (I == Plan::size) {
    if constexpr (std::is_same_v<std::remove_cvref_t<X>, Tensor<T, 2, Space>>) {
      return std::move(x);
    } else {
      return owned_copy(x);
    }
  } else {
    using Ref = at_t<I, Plan>;
    using M = typename Ref::template module_t<Self>;
    if constexpr (StopAtReadout && is_readout_v<M>) {
      return run_plan<Self, Plan, Plan::size, false>(self, std::forward<X>(x), g, p);
    } else if constexpr (is_on_edges<M>::value) {
      // Edge features for the steps after this one; the tensor lives in this frame until they return.
      Tensor<float, 2, Space> e = Ref::get(self).encode(g, ref_probe<Ref, Self>(p));  // [E, D']
      GraphContext<Space> const g2 = g.with_edge_attr(e.cview());
      return run_plan<Self, Plan, I + 1, StopAtReadout>(self, std::forward<X>(x), g2, p);
    } else {
      auto y = run_step(Ref::get(self), std::forward<X>(x), g, ref_probe<Ref, Self>(p));
      return run_plan<Self, Plan, I + 1, StopAtReadout>(self, std::move(y), g, p);
    }
  }
}

template <class M>
constexpr bool width_passes() {
  if constexpr (requires { M::out_width; }) {
    return M::out_width == any_width;
  } else {
    return true;
  }
}

/// The width and type checks of one link, not instantiated at all for an edge step (an OnEdges
/// encoder takes edge features: its width and type say nothing about the node features).
template <bool Edge, class Prev, int W, class M, class T>
struct link_checked : std::bool_constant<check_link<Prev, W, M, M::in_width>::ok &&
                                         check_type_link<Prev, T, M, typename M::input_type>::ok> {};
template <class Prev, int W, class M, class T>
struct link_checked<true, Prev, W, M, T> : std::true_type {};

/// Compile-time chaining of the plan: widths and element types, checked pair by pair. (End is a
/// parameter of its own: clang 14 rejects a partial specialisation on `Plan::size`.)
template <class Self, class Plan, std::size_t I, int W, class T, class Prev, bool End = (I == Plan::size)>
struct chain {
  using Ref = at_t<I, Plan>;
  using M = typename Ref::template module_t<Self>;
  static constexpr bool edge = is_on_edges<M>::value;
  static constexpr bool linked = link_checked<edge, Prev, W, M, T>::value;
  using next = chain<Self, Plan, I + 1, edge ? W : width_after<M>(W),
                     std::conditional_t<edge, T, typename M::output_type>,
                     // the layer that set the width (activations and readouts pass it through)
                     std::conditional_t<edge || width_passes<M>(), Prev, M>>;
  static constexpr int out_width = next::out_width;
  using output_type = typename next::output_type;
  static constexpr bool ok = linked && next::ok;
};
template <class Self, class Plan, std::size_t I, int W, class T, class Prev>
struct chain<Self, Plan, I, W, T, Prev, true> {
  static constexpr int out_width = W;
  using output_type = T;
  static constexpr bool ok = true;
};

// The first step that takes node features (edge encoders take edge features).
template <class Self, class Plan, std::size_t I = 0, bool End = (I == Plan::size)>
struct first_node_step {
  using Ref = at_t<I, Plan>;
  using M = typename Ref::template module_t<Self>;
  static constexpr bool here = !is_on_edges<M>::value;
  using next = first_node_step<Self, Plan, I + 1>;
  static constexpr int in_width = here ? M::in_width : next::in_width;
  using input_type = std::conditional_t<here, typename M::input_type, typename next::input_type>;
};
template <class Self, class Plan, std::size_t I>
struct first_node_step<Self, Plan, I, true> {
  static constexpr int in_width = any_width;
  using input_type = float;
};

struct chain_start {};  // the "previous layer" of a container's first step

}  // namespace detail

// ---- Unused, OnEdges, Residual ---------------------------------------------------------------

/// A slot that is built, loaded, saved and counted as a parameter holder but never run: PyG models
/// that construct one layer more than their forward uses (the seed model's convs.10 and lns.9).
/// It is not part of the forward, so it is not width-checked against its neighbours.
template <class M>
class Unused {
 public:
  using space = typename M::space;
  using inner_type = M;
  template <class S>
  using rebind = Unused<typename M::template rebind<S>>;
  static constexpr index_t parameter_count = M::parameter_count;

  M inner;

  /// The inner module's parameters under the same prefix, without its prepare(): a slot that
  /// never runs needs no derived weights (the seed's trailing conv would otherwise be folded at
  /// every load for nothing: a tenth of the seed model's load time).
  template <class V>
  void visit(V& v) {
    inner.visit(v);
  }
  static profile::Module profile_module() { return M::profile_module(); }
  /// Never run: DeepSpeed counts nothing for it.
  static void add_counts(profile::Module& /*node*/, FlowShape /*shape*/) {}
};

/// A module applied to the edge features (BondEncoder, a Linear on edge_attr): the layers after it
/// see its output as `g.edge_attr` ([E, D'], CSR order). Its input is `g.edge_attr_int` when M
/// takes int64 features, else `g.edge_attr`.
template <class M>
class OnEdges {
 public:
  using space = typename M::space;
  using input_type = typename M::input_type;
  using output_type = float;
  template <class S>
  using rebind = OnEdges<typename M::template rebind<S>>;
  static constexpr int in_width = M::in_width;
  static constexpr int out_width = M::out_width;
  static constexpr index_t parameter_count = M::parameter_count;
  static constexpr bool edge_step = true;

  M inner;

  /// [E, D] (CSR order) -> [E, D'].
  Tensor<float, 2, space> encode(GraphContext<space> const& g, profile::Probe probe = {}) const {
    if constexpr (std::is_same_v<input_type, std::int64_t>) {
      if (g.edge_attr_int.extent(0) != g.num_edges() || (g.num_edges() == 0 && g.edge_attr_int.extent(1) == 0)) {
        if (g.num_edges() > 0 || g.edge_attr_int.extent(1) != 0) {
          throw shape_error(graphtx::detail::cat(M::profile_module().type, " (on edges): needs integer edge_attr [E, ",
                                                 M::in_width, "] with E = ", g.num_edges(), ", got ",
                                                 graphtx::detail::shape_string(g.edge_attr_int.extents())));
        }
      }
      return inner.forward(g.edge_attr_int, g, probe);
    } else {
      if (g.num_edges() > 0 && g.edge_attr.extent(0) != g.num_edges()) {
        throw shape_error(graphtx::detail::cat(M::profile_module().type, " (on edges): needs edge_attr [E, ",
                                               M::in_width, "] with E = ", g.num_edges(), ", got ",
                                               graphtx::detail::shape_string(g.edge_attr.extents())));
      }
      return inner.forward(g.edge_attr, g, probe);
    }
  }

  template <class V>
  void visit(V& v) {
    v.child("", inner);
  }
  static profile::Module profile_module() { return M::profile_module(); }
  /// Over the E edge rows.
  static void add_counts(profile::Module& node, FlowShape s) {
    FlowShape e = s;
    e.rows = s.edges;
    e.width = M::in_width;
    M::add_counts(node, e);
  }
};

/// `x = x + M(x)`: a residual connection around M (no state_dict keys or profile node of its own;
/// DeepSpeed does not count the `+`).
template <class M>
class Residual {
  static_assert(M::out_width == M::in_width || M::out_width == any_width,
                "nn::Residual: the wrapped module must keep the width (out_width == in_width) for x + M(x)");

 public:
  using space = typename M::space;
  using input_type = float;
  using output_type = float;
  template <class S>
  using rebind = Residual<typename M::template rebind<S>>;
  static constexpr int in_width = M::in_width;
  static constexpr int out_width = M::in_width;
  static constexpr index_t parameter_count = M::parameter_count;

  M inner;

  /// x: [rows, W] -> x + M(x): [rows, W]
  Tensor<float, 2, space> forward(TensorView<float const, 2, space> x, GraphContext<space> const& g,
                                  profile::Probe probe = {}) const {
    Tensor<float, 2, space> y = inner.forward(x, g, probe);
    check_extent("nn::Residual", "M(x) (rows)", 0, y.extent(0), x.extent(0));
    check_extent("nn::Residual", "M(x) (features)", 1, y.extent(1), x.extent(1));
    ops::add(x, y.cview(), y.view());  // PyG: x + f(x) (IEEE addition is commutative: bitwise the same)
    return y;
  }

  template <class V>
  void visit(V& v) {
    v.child("", inner);
  }
  static profile::Module profile_module() { return M::profile_module(); }
  static void add_counts(profile::Module& node, FlowShape s) { M::add_counts(node, s); }
};

// ---- list containers -------------------------------------------------------------------------

namespace detail {

template <class List>
struct item_plan;
template <class... T>
struct item_plan<type_list<T...>> {
  template <std::size_t... I>
  static auto make(std::index_sequence<I...>) -> concat_t<std::conditional_t<is_runnable_v<T>, type_list<item_ref<I>>, type_list<>>...>;
  using type = decltype(make(std::index_sequence_for<T...>{}));
};

template <class List>
struct space_of_list {
  using type = host;
};
template <class H, class... T>
struct space_of_list<type_list<H, T...>> {
  using type = typename H::space;
  static_assert((std::is_same_v<type, typename T::space> && ...),
                "graphtx::nn: every entry of a container must be in the same space (use rebind<Space>)");
};

/// Sequential and ModuleList: slots "0", "1", ... holding the expanded entries.
template <class... Entries>
class list_base {
 public:
  using slots = concat_t<typename expand_entry<Entries>::type...>;
  using items_tuple = typename as_tuple<slots>::type;
  using space = typename space_of_list<slots>::type;
  using plan = typename item_plan<slots>::type;
  static constexpr std::size_t size = slots::size;

  items_tuple items;

  template <std::size_t I>
  auto& item() {
    return std::get<I>(items);
  }
  template <std::size_t I>
  auto const& item() const {
    return std::get<I>(items);
  }

  template <class V>
  void visit(V& v) {
    visit_items(v, std::make_index_sequence<size>{});
  }

  static profile::Module profile_children(profile::Module m) {
    add_profile_children(m, std::make_index_sequence<size>{});
    return m;
  }

  static void add_counts(profile::Module& node, FlowShape s) { count_plan<list_base, plan>(node, s); }

  template <std::size_t I>
  static constexpr std::string_view item_name() {
    return index_names[I].view();
  }

 private:
  template <class V, std::size_t... I>
  void visit_items(V& v, std::index_sequence<I...>) {
    (v.child(std::string_view(index_names[I].view()), std::get<I>(items)), ...);
  }
  template <std::size_t... I>
  static void add_profile_children(profile::Module& m, std::index_sequence<I...>) {
    (m.add(std::string(index_names[I].view()), std::tuple_element_t<I, items_tuple>::profile_module()), ...);
  }

  struct index_name {
    char text[8]{};
    std::size_t length = 0;
    constexpr std::string_view view() const { return {text, length}; }
  };
  static constexpr std::array<index_name, size + 1> make_index_names() {
    std::array<index_name, size + 1> names{};
    for (std::size_t i = 0; i <= size; ++i) {
      char digits[8]{};
      std::size_t n = 0, v = i;
      do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
      } while (v != 0);
      for (std::size_t k = 0; k < n; ++k) names[i].text[k] = digits[n - 1 - k];
      names[i].length = n;
    }
    return names;
  }
  static constexpr std::array<index_name, size + 1> index_names = make_index_names();
};

}  // namespace detail

/// `torch.nn.Sequential(...)`: entries run in order, named by position. It runs a forward of its own
/// (DeepSpeed times it), unlike a ModuleList.
template <class... Entries>
class Sequential : public detail::list_base<Entries...> {
  using base = detail::list_base<Entries...>;
  using first = detail::first_node_step<base, typename base::plan>;
  using chained = detail::chain<base, typename base::plan, 0, first::in_width, typename first::input_type,
                                detail::chain_start>;
  static_assert(chained::ok);

 public:
  using space = typename base::space;
  template <class S>
  using rebind = Sequential<typename Entries::template rebind<S>...>;
  using input_type = typename first::input_type;
  using output_type = typename chained::output_type;
  static constexpr int in_width = first::in_width;
  static constexpr int out_width = chained::out_width;
  static constexpr index_t parameter_count = (index_t{0} + ... + detail::entry_params<Entries>());

  Tensor<output_type, 2, space> forward(TensorView<input_type const, 2, space> x, GraphContext<space> const& g,
                                        profile::Probe probe = {}) const {
    profile::Scope<space> scope(probe);
    return detail::run_plan<base, typename base::plan, 0, false>(*this, x, g, probe);
  }
  static profile::Module profile_module() { return base::profile_children(profile::Module::leaf("Sequential", "", 0)); }
  static constexpr FlowShape out_shape(FlowShape s)
    requires(detail::plan_has_readout_v<base, typename base::plan>)
  {
    return detail::plan_shape<base, typename base::plan>(s);
  }
};

/// `torch.nn.ModuleList([...])`: a numbered holder; as a step of a forward it runs its runnable
/// entries in order (`for m in self.list: x = m(x)`). It has no forward of its own in PyG, so it is
/// not timed: DeepSpeed reports the sum of its children.
template <class... Entries>
class ModuleList : public detail::list_base<Entries...> {
  using base = detail::list_base<Entries...>;
  using first = detail::first_node_step<base, typename base::plan>;
  using chained = detail::chain<base, typename base::plan, 0, first::in_width, typename first::input_type,
                                detail::chain_start>;

 public:
  using space = typename base::space;
  template <class S>
  using rebind = ModuleList<typename Entries::template rebind<S>...>;
  using input_type = typename first::input_type;
  using output_type = typename chained::output_type;
  static constexpr int in_width = first::in_width;
  static constexpr int out_width = chained::out_width;
  static constexpr index_t parameter_count = (index_t{0} + ... + detail::entry_params<Entries>());
  /// Lists used by Zip are not run whole, so their entries need not chain: checked on use only.
  static constexpr bool is_module_list = true;

  Tensor<output_type, 2, space> forward(TensorView<input_type const, 2, space> x, GraphContext<space> const& g,
                                        profile::Probe probe = {}) const {
    static_assert(chained::ok);
    return detail::run_plan<base, typename base::plan, 0, false>(*this, x, g, probe);
  }
  static profile::Module profile_module() { return base::profile_children(profile::Module::leaf("ModuleList", "", 0)); }
  static constexpr FlowShape out_shape(FlowShape s)
    requires(detail::plan_has_readout_v<base, typename base::plan>)
  {
    return detail::plan_shape<base, typename base::plan>(s);
  }
};

// ---- Module: named fields ---------------------------------------------------------------------

namespace detail {

template <class Item>
constexpr std::string_view item_name_of() {
  if constexpr (is_field<Item>::value) {
    return Item::name.view();
  } else {
    return {};
  }
}

template <class... Items>
struct split_forward {
  using forward = void;
  using items = type_list<Items...>;
};
template <class... Steps, class... Items>
struct split_forward<Forward<Steps...>, Items...> {
  using forward = Forward<Steps...>;
  using items = type_list<Items...>;
};

template <class List>
struct modules_of;
template <class... Items>
struct modules_of<type_list<Items...>> {
  using type = type_list<typename Items::module...>;
};

template <class M>
inline constexpr bool is_list_v = requires { typename M::slots; };

// The default plan: every item in order (Unused fields skipped).
template <class List>
struct default_plan;
template <class... Items>
struct default_plan<type_list<Items...>> {
  template <std::size_t... F>
  static auto make(std::index_sequence<F...>)
      -> concat_t<std::conditional_t<is_apply<Items>::value, type_list<apply_ref<F>>,
                                     std::conditional_t<is_runnable_v<typename Items::module>, type_list<field_ref<F>>,
                                                        type_list<>>>...>;
  using type = decltype(make(std::index_sequence_for<Items...>{}));
};

// Zip: the entry of field F at iteration I.
template <class Base, std::size_t I, std::size_t F, bool IsList, bool InRange>
struct zip_entry_impl {
  using type = type_list<field_ref<F>>;  // a non-list field: called at every iteration
};
template <class Base, std::size_t I, std::size_t F>
struct zip_entry_impl<Base, I, F, true, false> {
  using type = type_list<>;  // the list is shorter: nothing at this iteration
};
template <class Base, std::size_t I, std::size_t F>
struct zip_entry_impl<Base, I, F, true, true> {
  using L = std::tuple_element_t<F, typename Base::items_tuple>;
  using type = std::conditional_t<is_runnable_v<std::tuple_element_t<I, typename L::items_tuple>>,
                                  type_list<field_item_ref<F, I>>, type_list<>>;
};
template <class Base, std::size_t I, std::size_t F>
struct zip_entry {
  using M = std::tuple_element_t<F, typename Base::items_tuple>;
  static constexpr bool list = is_list_v<M>;
  static constexpr bool in_range = [] {
    if constexpr (is_list_v<M>) {
      return I < M::size;
    } else {
      return true;
    }
  }();
  using type = typename zip_entry_impl<Base, I, F, list, in_range>::type;
};
template <class Base, std::size_t I, std::size_t... Fs>
struct zip_iteration {
  using type = concat_t<typename zip_entry<Base, I, Fs>::type...>;
};
template <class Base, class Iterations, std::size_t F0, std::size_t... Fs>
struct zip_plan;
template <class Base, std::size_t... I, std::size_t F0, std::size_t... Fs>
struct zip_plan<Base, std::index_sequence<I...>, F0, Fs...> {
  using L0 = std::tuple_element_t<F0, typename Base::items_tuple>;
  using type = concat_t<std::conditional_t<is_runnable_v<std::tuple_element_t<I, typename L0::items_tuple>>,
                                           typename zip_iteration<Base, I, F0, Fs...>::type, type_list<>>...>;
};

}  // namespace detail

namespace detail {

/// A Module's items and everything known about them before the Module itself is complete.
template <class ItemList>
struct module_storage;
template <class... Items>
struct module_storage<type_list<Items...>> {
  using items_tuple = std::tuple<typename Items::module...>;
  using item_list = type_list<Items...>;
  static constexpr std::size_t size = sizeof...(Items);
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  static constexpr std::array<std::string_view, sizeof...(Items)> names{item_name_of<Items>()...};

  items_tuple items;

  static constexpr std::size_t find(std::string_view n) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == n && !n.empty()) return i;
    return npos;
  }
  template <std::size_t F>
  static constexpr std::string_view item_name() {
    return names[F];
  }
  template <fixed_string N>
  static constexpr std::size_t index_of() {
    constexpr std::size_t i = find(N.view());
    static_assert(i != npos, "nn::Module: no Field of this name (Forward, Zip or get<> names a field the Module lacks)");
    return i;
  }

  /// The item named `N` (compile time): `model.get<"convs">()`.
  template <fixed_string N>
  auto& get() {
    return std::get<index_of<N>()>(items);
  }
  template <fixed_string N>
  auto const& get() const {
    return std::get<index_of<N>()>(items);
  }
};

template <class Storage, std::size_t F>
struct call_plan {
  using type = type_list<field_ref<F>>;
};
template <class M>
struct static_apply_plan {
  using type = type_list<static_apply_ref<M>>;
};
template <class Storage, std::size_t F0, std::size_t... Fs>
struct zip_step_plan<Storage, F0, Fs...> {
  using L0 = std::tuple_element_t<F0, typename Storage::items_tuple>;
  static_assert(is_list_v<L0>, "nn::Zip: the first name must be a ModuleList or Sequential field");
  using type = typename zip_plan<Storage, std::make_index_sequence<L0::size>, F0, Fs...>::type;
};

template <class Storage, class F>
struct module_plan {
  using type = typename default_plan<typename Storage::item_list>::type;
};
template <class Storage, class... Steps>
struct module_plan<Storage, Forward<Steps...>> {
  using type = concat_t<typename Steps::template plan<Storage>...>;
};

template <class I>
constexpr index_t item_params() {
  if constexpr (is_field<I>::value) {
    return I::module::parameter_count;
  } else {
    return 0;
  }
}

}  // namespace detail

/// A `torch.nn.Module` subclass: `Name` is its class name (DeepSpeed's tree prints it), its items
/// are `Field<"attr", M>` (PyG's attribute names: the state_dict keys are `attr.*`) and `Apply<M>`
/// function calls, run in order, or in the order an optional first item `Forward<...>` spells out.
///
/// \code
/// using Net = nn::Module<"Net",
///     nn::Field<"conv", nn::TransformerConv<conv_cfg>>,
///     nn::Apply<nn::ReLU<>>,                               // F.relu(x)
///     nn::Apply<nn::GlobalMeanPool<>>,                     // global_mean_pool(x, batch)
///     nn::Field<"head", nn::Linear<head_cfg>>>;
/// \endcode
template <fixed_string Name, class... Items>
class Module : public detail::module_storage<typename detail::split_forward<Items...>::items> {
  using storage = detail::module_storage<typename detail::split_forward<Items...>::items>;

 public:
  using typename storage::items_tuple;
  using space = typename detail::space_of_list<typename detail::modules_of<typename storage::item_list>::type>::type;
  static constexpr std::size_t size = storage::size;
  /// The forward as steps (compile time).
  using plan = typename detail::module_plan<storage, typename detail::split_forward<Items...>::forward>::type;

 private:
  using first = detail::first_node_step<storage, plan>;
  using chained = detail::chain<storage, plan, 0, first::in_width, typename first::input_type, detail::chain_start>;
  static_assert(chained::ok);

 public:
  template <class S>
  using rebind = Module<Name, typename Items::template rebind<S>...>;
  using input_type = typename first::input_type;
  using output_type = typename chained::output_type;
  static constexpr int in_width = first::in_width;
  static constexpr int out_width = chained::out_width;
  static constexpr index_t parameter_count = (index_t{0} + ... + detail::item_params<Items>());
  static constexpr fixed_string name = Name;

  /// x: [rows, in_width] -> [rows', out_width] (rows' = G after a readout).
  Tensor<output_type, 2, space> forward(TensorView<input_type const, 2, space> x, GraphContext<space> const& g,
                                        profile::Probe probe = {}) const {
    profile::Scope<space> scope(probe);
    return detail::run_plan<storage, plan, 0, false>(*this, x, g, probe);
  }
  /// The features reaching the first readout (the node-level part of a graph-level model), as a
  /// profiled forward of this module that stops there.
  auto node_forward(TensorView<input_type const, 2, space> x, GraphContext<space> const& g,
                    profile::Probe probe = {}) const {
    profile::Scope<space> scope(probe);
    return detail::run_plan<storage, plan, 0, true>(*this, x, g, probe);
  }

  template <class V>
  void visit(V& v) {
    visit_items(v, std::make_index_sequence<size>{});
  }

  static profile::Module profile_module() {
    profile::Module m = profile::Module::leaf(std::string(Name.view()), "", 0);
    add_profile_children(m, std::make_index_sequence<size>{});
    return m;
  }
  static void add_counts(profile::Module& node, FlowShape s) { detail::count_plan<storage, plan>(node, s); }
  static constexpr FlowShape out_shape(FlowShape s)
    requires(detail::plan_has_readout_v<storage, plan>)
  {
    return detail::plan_shape<storage, plan>(s);
  }

 private:
  template <class V, std::size_t... F>
  void visit_items(V& v, std::index_sequence<F...>) {
    (visit_item<F>(v), ...);
  }
  template <std::size_t F, class V>
  void visit_item(V& v) {
    if constexpr (!storage::names[F].empty()) v.child(storage::names[F], std::get<F>(this->items));
  }
  template <std::size_t... F>
  static void add_profile_children(profile::Module& m, std::index_sequence<F...>) {
    (add_profile_child<F>(m), ...);
  }
  template <std::size_t F>
  static void add_profile_child(profile::Module& m) {
    if constexpr (!storage::names[F].empty()) {
      m.add(std::string(storage::names[F]), std::tuple_element_t<F, items_tuple>::profile_module());
    }
  }
};

}  // namespace graphtx::nn
