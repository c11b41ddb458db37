#pragma once
/// \file
/// \brief graph::Batch: many graphs as one block-diagonal graph, like PyG's `Batch`: node
/// features stacked, each graph's edge ids shifted by the nodes before it, `batch` [N] holding each
/// node's graph id (non-decreasing) and `ptr` [G+1] the first node of each graph.
///
/// **Example**:
/// \code
/// std::vector<graphtx::graph::GraphData> graphs = ...;        // x [n_g, F], edge_index [2, e_g] local ids
/// auto b = graphtx::graph::batch_graphs(graphs);               // like Batch.from_data_list
/// // or, from a file's tensors: make_batch(std::move(x), edge_index.cview(), batch.cview())
/// \endcode

#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <graphtx/core/error.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/graph/convert.hpp>
#include <graphtx/graph/coo.hpp>
#include <graphtx/graph/csr.hpp>
#include <graphtx/graph/validate.hpp>

namespace graphtx::graph {

/// A batch of graphs as one block-diagonal graph (PyG's Batch). Edges never cross graphs, so
/// running a layer on the batch equals running it on each graph.
///
/// Features stored as integers (OGB's atom and bond features, for AtomEncoder and BondEncoder)
/// are kept twice: as int64 in `x_int` / `edge_attr_int`, and as their float cast in `x` /
/// `edge_attr`, so a model that reads floats (the seed model casts OGB's ints to float) works on
/// either kind of input unchanged. Float features leave the int64 member [0, 0].
template <class Space = host>
struct Batch {
  Tensor<float, 2, Space> x;          // [N, F], always set: the float features, or the float cast of x_int
  Tensor<float, 2, Space> edge_attr;  // [E, D] in COO order (the float cast of edge_attr_int when that is
                                      // set), or [0, 0] when the graphs have no edge features
  Csr<Space> csr;                     // by destination, over all N nodes
  Tensor<node_t, 1, Space> batch;     // [N] graph id of each node, non-decreasing
  Tensor<node_t, 1, Space> ptr;       // [G + 1] first node of each graph; ptr[G] = N
  index_t num_graphs = 0;             // G
  /// [N, F] integer node features as given (OGB atom features), or [0, 0] when they were float;
  /// when set, x holds the same values cast to float.
  Tensor<std::int64_t, 2, Space> x_int;
  /// [E, D] integer edge features as given (OGB bond features), in COO (file) order like
  /// edge_attr, or [0, 0] when there are none or they were float; when set, edge_attr holds the
  /// same values cast to float.
  Tensor<std::int64_t, 2, Space> edge_attr_int;

  index_t num_nodes() const { return x.extent(0); }
  index_t num_edges() const { return csr.num_edges(); }
};

/// One graph as a user hands it in (PyG's Data): ids local to the graph. Node features go in
/// either x (float) or x_int (int64, OGB's atom features), edge features in either edge_attr or
/// edge_attr_int, never both; the batch then holds the int64 values and their float cast.
struct GraphData {
  Tensor<float, 2, host> x;                  // [n, F]; a zero-node graph may also leave it [0, 0]
  Tensor<std::int64_t, 2, host> edge_index;  // [2, e]; an edgeless graph may also leave it [0, 0]
  Tensor<float, 2, host> edge_attr;          // [e, D], or [0, 0] (none)
  Tensor<std::int64_t, 2, host> x_int;          // [n, F] integer features instead of x, or [0, 0]
  Tensor<std::int64_t, 2, host> edge_attr_int;  // [e, D] integer edge features instead of edge_attr, or [0, 0]
};

namespace detail {

// ptr [G+1] from a validated, non-decreasing batch vector whose ids are all < num_graphs.
inline Tensor<node_t, 1, host> ptr_from_batch(TensorView<node_t const, 1, host> batch, index_t num_graphs) {
  auto ptr = Tensor<node_t, 1, host>::zeros({num_graphs + 1});
  for (index_t n = 0; n < batch.extent(0); ++n) ++ptr(batch(n) + 1);  // nodes per graph, shifted by one
  for (index_t g = 0; g < num_graphs; ++g) ptr(g + 1) += ptr(g);      // inclusive prefix sum
  return ptr;
}

inline bool is_unset(index_t rows, index_t cols) { return rows == 0 && cols == 0; }

/// The float cast of integer features (what the seed model does to OGB's ints).
inline Tensor<float, 2, host> float_cast(TensorView<std::int64_t const, 2, host> v) {
  Tensor<float, 2, host> out({v.extent(0), v.extent(1)});
  std::int64_t const* in = v.data();
  float* o = out.data();
  for (index_t k = 0; k < out.size(); ++k) o[k] = static_cast<float>(in[k]);
  return out;
}

/// Element types make_batch takes features in: float, or int64 (kept, and cast to float).
template <class T>
concept feature_value = std::is_same_v<T, float> || std::is_same_v<T, std::int64_t>;

/// a * b and a + b saturating at UINT64_MAX: byte estimates from hostile counts must not wrap.
inline std::uint64_t sat_mul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}
inline std::uint64_t sat_add(std::uint64_t a, std::uint64_t b) {
  return b > std::numeric_limits<std::uint64_t>::max() - a ? std::numeric_limits<std::uint64_t>::max() : a + b;
}
inline std::uint64_t as_count(index_t v) { return v < 0 ? 0 : static_cast<std::uint64_t>(v); }

}  // namespace detail

/// Bounds on what building a Batch from outside data (make_batch, io::read_batch) may cost. Both are
/// checked from the counts alone, before anything is allocated; breaking one is a resource_error
/// that names the limit, the value and the input that asked for it. The 32-bit limits on N, E and
/// G (graph::max_index) apply in any case.
struct BatchLimits {
  /// Bytes the finished Batch holds plus what is built on the way (batch_build_bytes): 4 bytes
  /// per value of x N*F, edge_attr E*D, batch N, ptr (G+1), CSR (N+1) + 2E and the COO it is
  /// sorted from 2E, and 8 bytes per value of the int64 copies x_int N*F and edge_attr_int E*D
  /// when the features are integers. io::read_batch adds its int64 copies of edge_index (2E) and
  /// batch (N).
  /// Default 4 GiB: some 35 to 50 million molecule-sized nodes (9 features, ~2 edges per node),
  /// far more than one forward of the seed model can hold (its folded layers need ~32 KB per
  /// node); raise it for big graphs with many features.
  std::uint64_t max_bytes = std::uint64_t{4} << 30;
  /// Graphs that own no node: ids a batch vector skips, or trailing graphs an explicit num_graphs
  /// adds. Each costs nothing in the file but a ptr entry here and a pooled row ([G, hidden]) in
  /// every forward, so without this bound two nodes with graph ids 0 and 2^31 - 2 would cost
  /// gigabytes. Default 65,536 (PyG batches rarely hold any).
  index_t max_empty_graphs = index_t{1} << 16;
};

/// The bytes BatchLimits::max_bytes counts for a batch of n nodes with f features, e edges with d
/// edge features and g graphs (saturating, never wrapping). `f_int` and `d_int` are the columns
/// of the int64 copies x_int and edge_attr_int (f and d when the features are integers, 0 when
/// float), 8 bytes each on top of the float values. Negative counts count as zero.
inline std::uint64_t batch_build_bytes(index_t n, index_t f, index_t e, index_t d, index_t g, index_t f_int = 0,
                                       index_t d_int = 0) {
  using detail::as_count, detail::sat_add, detail::sat_mul;
  std::uint64_t const nn = as_count(n), ee = as_count(e);
  std::uint64_t values = sat_mul(nn, as_count(f));   // x
  values = sat_add(values, sat_mul(ee, as_count(d)));  // edge_attr
  values = sat_add(values, nn);                        // batch (int32)
  values = sat_add(values, sat_add(as_count(g), 1));   // ptr
  values = sat_add(values, sat_add(nn, 1));            // CSR offsets
  values = sat_add(values, sat_mul(ee, 4));            // CSR sources + edge_ids, COO src + dst
  std::uint64_t const ints = sat_add(sat_mul(nn, as_count(f_int)), sat_mul(ee, as_count(d_int)));  // int64
  return sat_add(sat_mul(values, 4), sat_mul(ints, 8));
}

namespace detail {
/// resource_error when `bytes` (what `what` would need) exceeds limits.max_bytes.
inline void check_batch_bytes(std::uint64_t bytes, BatchLimits const& limits, std::string_view where,
                              std::string_view what) {
  if (bytes > limits.max_bytes) {
    throw resource_error(graphtx::detail::cat(where, ": ", what, " needs ", bytes,
                                              " bytes, more than BatchLimits::max_bytes (", limits.max_bytes,
                                              "); nothing was allocated (raise the limit for a graph this big)"));
  }
}
}  // namespace detail

/// Concatenates graphs like PyG's Batch.from_data_list: x stacked, graph g's edge ids shifted by
/// the nodes of graphs 0..g-1, edge_attr stacked in edge order, batch and ptr built. Graphs with
/// zero nodes or zero edges are allowed (a zero-node graph keeps its slot: ptr[g] == ptr[g+1]).
/// Integer features (x_int, edge_attr_int) are stacked the same way into the batch's x_int /
/// edge_attr_int, and their float cast into x / edge_attr.
///
/// Checks, naming the graph index: every x has the same F (an x of [0, 0] counts as a zero-node
/// graph of any F); every edge_index is [2, e] ([0, 0] counts as no edges) with local ids in
/// [0, n_g) (graph_error naming the graph and the first bad edge); edge_attr is [e_g, D] with one
/// D for all graphs, or [0, 0] when no graph has any, or on graphs without edges; a graph gives
/// x or x_int, edge_attr or edge_attr_int, not both, and all graphs with nodes (with edges) give
/// them the same way; totals fit int32.
inline Batch<host> batch_graphs(std::span<GraphData const> graphs) {
  using graphtx::detail::cat, graphtx::detail::shape_string;
  index_t const g_count = static_cast<index_t>(graphs.size());
  detail::check_index_range("number of graphs", g_count, "batch_graphs");
  auto graph = [&](index_t g) -> GraphData const& { return graphs[static_cast<std::size_t>(g)]; };
  auto edge_count = [&](index_t g) {
    auto const& ei = graph(g).edge_index;
    return detail::is_unset(ei.extent(0), ei.extent(1)) ? index_t{0} : ei.extent(1);
  };
  // Which member holds a graph's node (edge) features: the float one, the int64 one, or none.
  // Node features are set unless [0, 0]; edge features unless they have no columns.
  auto x_is_int = [&](index_t g) {
    auto const& gd = graph(g);
    bool const has_f = !detail::is_unset(gd.x.extent(0), gd.x.extent(1));
    bool const has_i = !detail::is_unset(gd.x_int.extent(0), gd.x_int.extent(1));
    if (has_f && has_i) {
      throw shape_error(cat("batch_graphs: graph ", g, " has both x of shape ", shape_string(gd.x.extents()),
                            " and x_int of shape ", shape_string(gd.x_int.extents()),
                            " (give integer features in x_int only: the float cast is made)"));
    }
    return has_i;
  };
  auto ea_is_int = [&](index_t g) {
    auto const& gd = graph(g);
    bool const has_f = gd.edge_attr.extent(1) > 0, has_i = gd.edge_attr_int.extent(1) > 0;
    if (has_f && has_i) {
      throw shape_error(cat("batch_graphs: graph ", g, " has both edge_attr of shape ",
                            shape_string(gd.edge_attr.extents()), " and edge_attr_int of shape ",
                            shape_string(gd.edge_attr_int.extents()),
                            " (give integer features in edge_attr_int only: the float cast is made)"));
    }
    return has_i;
  };
  auto x_extents = [&](index_t g) {
    auto const& gd = graph(g);
    return x_is_int(g) ? gd.x_int.extents() : gd.x.extents();
  };
  auto ea_extents = [&](index_t g) {
    auto const& gd = graph(g);
    return ea_is_int(g) ? gd.edge_attr_int.extents() : gd.edge_attr.extents();
  };
  auto x_name = [](bool is_int) { return is_int ? "x_int" : "x"; };
  auto ea_name = [](bool is_int) { return is_int ? "edge_attr_int" : "edge_attr"; };

  // F from the first graph whose x is set, D from the first graph that has edge features; the
  // kind (float or int64) from the first graph with nodes (edges) and features, else from those.
  index_t f = 0, f_from = -1, d = 0, d_from = -1, xk_from = -1, ek_from = -1;
  for (index_t g = 0; g < g_count; ++g) {
    auto const xe = x_extents(g), ee = ea_extents(g);
    if (f_from < 0 && !detail::is_unset(xe[0], xe[1])) {
      f = xe[1];
      f_from = g;
    }
    if (xk_from < 0 && xe[0] > 0) xk_from = g;
    if (d_from < 0 && ee[1] > 0) {
      d = ee[1];
      d_from = g;
    }
    if (ek_from < 0 && ee[1] > 0 && edge_count(g) > 0) ek_from = g;
  }
  if (xk_from < 0) xk_from = f_from;
  if (ek_from < 0) ek_from = d_from;
  bool const int_x = xk_from >= 0 && x_is_int(xk_from);
  bool const int_ea = ek_from >= 0 && ea_is_int(ek_from);

  index_t n = 0, e = 0;
  for (index_t g = 0; g < g_count; ++g) {
    auto const& gd = graph(g);
    auto const xe = x_extents(g);
    if (!detail::is_unset(xe[0], xe[1]) && xe[1] != f) {
      throw shape_error(cat("batch_graphs: graph ", g, " has ", x_name(x_is_int(g)), " with ", xe[1],
                            " features, graph ", f_from, " has ", f));
    }
    if (xe[0] > 0 && x_is_int(g) != int_x) {
      throw shape_error(cat("batch_graphs: graph ", g, " has its node features in ", x_name(x_is_int(g)), ", graph ",
                            xk_from, " in ", x_name(int_x), " (float or integer, the same for all graphs)"));
    }
    auto const& ei = gd.edge_index;
    if (!detail::is_unset(ei.extent(0), ei.extent(1)) && ei.extent(0) != 2) {
      throw shape_error(cat("batch_graphs: graph ", g, " has edge_index of shape ", shape_string(ei.extents()),
                            ", expected [2, E]"));
    }
    index_t const ge = edge_count(g);
    auto const ee = ea_extents(g);
    if (ee[1] > 0) {
      if (ee[0] != ge || ee[1] != d) {
        throw shape_error(cat("batch_graphs: graph ", g, " has ", ea_name(ea_is_int(g)), " of shape ",
                              shape_string(ee), ", expected [", ge, ", ", d, "] (one row per edge, D as graph ",
                              d_from, ")"));
      }
      if (ge > 0 && ea_is_int(g) != int_ea) {
        throw shape_error(cat("batch_graphs: graph ", g, " has its edge features in ", ea_name(ea_is_int(g)),
                              ", graph ", ek_from, " in ", ea_name(int_ea),
                              " (float or integer, the same for all graphs)"));
      }
    } else if (d > 0 && ge > 0) {
      throw shape_error(cat("batch_graphs: graph ", g, " has ", ge, " edges but ", ea_name(int_ea), " of shape ",
                            shape_string(int_ea ? gd.edge_attr_int.extents() : gd.edge_attr.extents()),
                            ", while graph ", d_from, " has ", ea_name(ea_is_int(d_from)), " with ", d,
                            " features (all graphs or none)"));
    }
    n += xe[0];
    e += ge;
  }
  detail::check_index_range("number of nodes", n, "batch_graphs");
  detail::check_index_range("number of edges", e, "batch_graphs");

  Batch<host> b;
  b.x = Tensor<float, 2, host>({n, f});                      // [N, F]
  b.edge_attr = Tensor<float, 2, host>({d > 0 ? e : 0, d});  // [E, D] or [0, 0]
  if (int_x) b.x_int = Tensor<std::int64_t, 2, host>({n, f});                                // [N, F]
  if (int_ea && d > 0) b.edge_attr_int = Tensor<std::int64_t, 2, host>({e, d});              // [E, D]
  b.batch = Tensor<node_t, 1, host>({n});                    // [N]
  b.ptr = Tensor<node_t, 1, host>({g_count + 1});            // [G + 1]
  b.num_graphs = g_count;
  Coo<host> coo{Tensor<node_t, 1, host>({e}), Tensor<node_t, 1, host>({e}), n, n};
  // Rows [row0, row0 + src rows) of dst (float) and dst_int (int64, when the kind is integer).
  auto copy_rows = [](Tensor<float, 2, host> const& src, Tensor<std::int64_t, 2, host> const& src_int, bool is_int,
                      index_t row0, Tensor<float, 2, host>& dst, Tensor<std::int64_t, 2, host>& dst_int) {
    index_t const cols = dst.extent(1);
    if (!is_int) {
      if (src.size() > 0) std::memcpy(dst.data() + row0 * cols, src.data(), src.size_bytes());
      return;
    }
    if (src_int.size() == 0) return;
    std::memcpy(dst_int.data() + row0 * cols, src_int.data(), src_int.size_bytes());
    float* out = dst.data() + row0 * cols;
    for (index_t k = 0; k < src_int.size(); ++k) out[k] = static_cast<float>(src_int.data()[k]);
  };
  index_t node0 = 0, edge0 = 0;  // nodes and edges of the graphs before g
  b.ptr(0) = 0;
  for (index_t g = 0; g < g_count; ++g) {
    auto const& gd = graph(g);
    index_t const gn = x_extents(g)[0], ge = edge_count(g);
    if (gn > 0) copy_rows(gd.x, gd.x_int, int_x, node0, b.x, b.x_int);
    if (d > 0 && ge > 0) copy_rows(gd.edge_attr, gd.edge_attr_int, int_ea, edge0, b.edge_attr, b.edge_attr_int);
    if (ge > 0) {
      // The graph's own ids against its own node count, then shifted into the batch.
      Coo<host> local = coo_from_edge_index(gd.edge_index.cview(), gn, gn, cat("batch_graphs: graph ", g, " edge_index"));
      for (index_t k = 0; k < ge; ++k) {
        coo.src(edge0 + k) = static_cast<node_t>(local.src(k) + node0);
        coo.dst(edge0 + k) = static_cast<node_t>(local.dst(k) + node0);
      }
    }
    for (index_t k = 0; k < gn; ++k) b.batch(node0 + k) = static_cast<node_t>(g);
    node0 += gn;
    edge0 += ge;
    b.ptr(g + 1) = static_cast<node_t>(node0);
  }
  b.csr = to_csr(coo);
  return b;
}

/// A batch from already-batched tensors, as a file holds them (PyG's Batch fields):
/// x [N, F], edge_index [2, E] with ids in [0, N), batch [N] int64, edge_attr [E, D] or [0, 0].
/// `num_graphs` < 0 means batch.max() + 1 (0 when N = 0), as PyG infers it; pass it explicitly
/// when the last graphs of the batch have no nodes.
///
/// x and edge_attr are float or int64 each (XT, EAT). Integer features (OGB's) become the batch's
/// x_int / edge_attr_int, and their float cast its x / edge_attr; float ones leave x_int /
/// edge_attr_int [0, 0]. An edge_attr of [E, 0] means no edge features (either kind).
///
/// Validates everything before building, naming the first bad node or edge: batch has N entries
/// (graph_error), every id >= 0 and < num_graphs, ids non-decreasing (graph_error at the first
/// node where they decrease: PyG's Batch always lists each graph's nodes contiguously and
/// graphtx's pooling relies on it), edge_index as coo_from_edge_index, edge_attr rows = E
/// (shape_error), N, E and G within int32 and `limits` (resource_error, before any allocation,
/// the float casts of integer features included).
template <class XT = float, class EAT = float>
  requires(detail::feature_value<XT> && detail::feature_value<EAT>)
inline Batch<host> make_batch(Tensor<XT, 2, host> x, TensorView<std::int64_t const, 2, host> edge_index,
                              TensorView<std::int64_t const, 1, host> batch, index_t num_graphs = -1,
                              Tensor<EAT, 2, host> edge_attr = {}, BatchLimits const& limits = {}) {
  constexpr bool int_x = std::is_same_v<XT, std::int64_t>, int_ea = std::is_same_v<EAT, std::int64_t>;
  index_t const n = x.extent(0);
  detail::check_index_range("number of nodes", n, "make_batch");
  if (batch.extent(0) != n) {
    throw graph_error(graphtx::detail::cat("batch: has ", batch.extent(0), " entries but x has ", n,
                                           " rows (one graph id per node)"));
  }
  std::int64_t const* ids = batch.data();  // [N]
  index_t owned = 0;                       // graphs that own at least one node (distinct ids)
  for (index_t k = 0; k < n; ++k) {
    if (ids[k] < 0) {
      throw graph_error(graphtx::detail::cat("batch: node ", k, " has graph id ", ids[k], " (negative)"));
    }
    if (k > 0 && ids[k] < ids[k - 1]) {
      throw graph_error(graphtx::detail::cat("batch: not sorted: node ", k, " has graph id ", ids[k], " after ",
                                             ids[k - 1], " (PyG batches list each graph's nodes contiguously)"));
    }
    if (k == 0 || ids[k] != ids[k - 1]) ++owned;
  }
  std::int64_t const max_id = n > 0 ? ids[n - 1] : -1;  // sorted: the last id is the largest
  if (num_graphs < 0) {
    if (max_id >= max_index) {  // max_id + 1 graphs would not fit (and max_id + 1 could overflow)
      throw resource_error(graphtx::detail::cat("batch: node ", n - 1, " has graph id ", max_id,
                                                ", so the batch would have more than ", max_index,
                                                " graphs, the most graphtx's 32-bit index holds"));
    }
    num_graphs = max_id + 1;
  } else if (max_id >= num_graphs) {
    index_t k = 0;
    while (ids[k] < num_graphs) ++k;  // the first node beyond: sorted, so everything after it is too
    throw graph_error(graphtx::detail::cat("batch: node ", k, " has graph id ", ids[k], " but num_graphs is ",
                                           num_graphs));
  }
  detail::check_index_range("number of graphs", num_graphs, "make_batch");
  if (index_t const empty = num_graphs - owned; empty > limits.max_empty_graphs) {
    // Name the first place where ids jump (or the trailing graphs an explicit num_graphs adds).
    std::string where = "the graphs after the last node's";
    for (index_t k = 0; k < n; ++k) {
      std::int64_t const before = k > 0 ? ids[k - 1] : -1;
      if (ids[k] > before + 1) {
        where = graphtx::detail::cat("node ", k, " jumps from graph id ", before, " to ", ids[k]);
        break;
      }
    }
    throw resource_error(graphtx::detail::cat("batch: ", empty, " of its ", num_graphs,
                                              " graphs have no node (", where,
                                              "), more than BatchLimits::max_empty_graphs (", limits.max_empty_graphs,
                                              "); each would still cost a ptr entry and a pooled row"));
  }
  index_t const e = edge_index.extent(0) == 2 ? edge_index.extent(1) : 0;  // shape checked below
  index_t const d = edge_attr.extent(0) == e ? edge_attr.extent(1) : 0;  // a mismatch is a shape_error below
  detail::check_batch_bytes(batch_build_bytes(n, x.extent(1), e, d, num_graphs, int_x ? x.extent(1) : 0,
                                              int_ea ? d : 0),
                            limits,
                            "make_batch", graphtx::detail::cat("a batch of ", n, " nodes, ", e, " edges and ",
                                                               num_graphs, " graphs"));

  Coo<host> coo = coo_from_edge_index(edge_index, n, n, "edge_index");
  if (!detail::is_unset(edge_attr.extent(0), edge_attr.extent(1)) && edge_attr.extent(0) != e) {
    throw shape_error(graphtx::detail::cat("edge_attr: shape ", graphtx::detail::shape_string(edge_attr.extents()),
                                           ", expected [", e, ", D] (one row per edge)"));
  }
  if (edge_attr.extent(1) == 0) edge_attr = Tensor<EAT, 2, host>();  // [E, 0]: no edge features

  Batch<host> b;
  b.csr = to_csr(coo);
  b.batch = Tensor<node_t, 1, host>({n});
  for (index_t k = 0; k < n; ++k) b.batch(k) = static_cast<node_t>(ids[k]);
  b.ptr = detail::ptr_from_batch(b.batch.cview(), num_graphs);
  b.num_graphs = num_graphs;
  if constexpr (int_x) {
    b.x = detail::float_cast(x.cview());
    b.x_int = std::move(x);
  } else {
    b.x = std::move(x);
  }
  if constexpr (int_ea) {
    b.edge_attr = detail::float_cast(edge_attr.cview());
    b.edge_attr_int = std::move(edge_attr);
  } else {
    b.edge_attr = std::move(edge_attr);
  }
  return b;
}

}  // namespace graphtx::graph
