#pragma once
/// \file
/// \brief Integer-feature encoders: nn::Embedding (torch.nn.Embedding over one int64 column) and
/// OGB's nn::AtomEncoder / nn::BondEncoder (ogb.graphproppred.mol_encoder: one torch.nn.Embedding
/// per column of the int64 features, summed). Their input is int64 (`input_type`), their output
/// float; all three run ops::embedding_sum.
///
/// \code
/// using Net = nn::Module<"GPSMolecule",
///                        nn::Field<"atom_encoder", nn::AtomEncoder<16>>,              // x_int [N, 9] -> [N, 16]
///                        nn::Field<"bond_encoder", nn::OnEdges<nn::BondEncoder<16>>>, // edge_attr_int [E, 3] -> [E, 16]
///                        ...>;
/// \endcode
///
/// An index outside its table is ops::embedding_sum's value_error naming the row, the column, the
/// value and the table's size ("embedding_sum: x[3, 1] = 7 is out of range for table 1 with 5
/// rows"), as torch raises an IndexError.
///
/// Random init: torch draws N(0, 1) for an embedding; graphtx's random stream has uniforms only,
/// so nn::init_random uses U(-sqrt 3, sqrt 3), which has the same (unit) variance.

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/graph_context.hpp>
#include <graphtx/nn/init.hpp>
#include <graphtx/nn/layer.hpp>
#include <graphtx/ops/embedding_sum.hpp>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::nn {

/// Half-width of the uniform with unit variance (sqrt 3): graphtx's stand-in for torch's N(0, 1)
/// embedding init.
inline constexpr float embedding_init_bound = 1.7320508f;

/// `torch.nn.Embedding(num_embeddings, dim)` (no padding_idx, max_norm, ...).
struct EmbeddingConfig {
  int num_embeddings = 0;  ///< rows of the table
  int dim = 0;             ///< embedding_dim: features out

  constexpr index_t parameter_count() const { return index_t{num_embeddings} * dim; }
};

namespace detail {
/// One embedding table [rows, dim] named "weight" (torch.nn.Embedding's only state).
template <class Space>
struct embedding_table {
  Tensor<float, 2, Space> weight;

  embedding_table() = default;
  embedding_table(index_t rows, index_t dim) : weight(to_space<Space>(Tensor<float, 2, host>::zeros({rows, dim}))) {}

  template <class V>
  void visit(V& v) {
    v.param("weight", weight, Init::uniform(embedding_init_bound));
  }
};

/// The profile node of torch.nn.Embedding(rows, dim): extra_repr "rows, dim".
inline profile::Module embedding_profile(index_t rows, index_t dim) {
  return profile::Module::leaf("Embedding", graphtx::detail::cat(rows, ", ", dim), rows * dim);
}
}  // namespace detail

/// torch.nn.Embedding over x: [rows, 1] int64 (the index column; PyG code calls it as
/// `emb(x.squeeze(-1))`) -> [rows, dim]. Key `weight` [num_embeddings, dim]. DeepSpeed patches
/// F.embedding but counts 0 for it.
template <EmbeddingConfig Config, class Space = host>
class Embedding {
  static_assert(Config.num_embeddings > 0, "nn::Embedding: .num_embeddings must be positive");
  static_assert(Config.dim > 0, "nn::Embedding: .dim must be positive");

 public:
  static constexpr EmbeddingConfig config = Config;
  using space = Space;
  using input_type = std::int64_t;
  using output_type = float;
  template <class S>
  using rebind = Embedding<Config, S>;
  static constexpr int in_width = 1;
  static constexpr int out_width = Config.dim;
  static constexpr index_t parameter_count = Config.parameter_count();

  Tensor<float, 2, Space> weight = to_space<Space>(Tensor<float, 2, host>::zeros({Config.num_embeddings, Config.dim}));

  /// out[n, :] = weight[x[n, 0], :].          x: [rows, 1] int64 -> [rows, dim]
  /// Throws shape_error for x of another width than 1, value_error for an index outside [0, num).
  Tensor<float, 2, Space> forward(TensorView<std::int64_t const, 2, Space> x, GraphContext<Space> const& /*g*/,
                                  profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    check_extent("Embedding", "x (index column)", 1, x.extent(1), 1);
    Tensor<float, 2, Space> out({x.extent(0), Config.dim});
    std::array<TensorView<float const, 2, Space>, 1> const tables{weight.cview()};
    ops::embedding_sum(x, std::span<TensorView<float const, 2, Space> const>(tables), out.view());
    return out;
  }

  static void add_counts(profile::Module& /*node*/, FlowShape /*s*/) {}
  static profile::Module profile_module() { return detail::embedding_profile(Config.num_embeddings, Config.dim); }

  template <class V>
  void visit(V& v) {
    v.param("weight", weight, Init::uniform(embedding_init_bound));
  }
};

/// The column tables of OGB's encoders (ogb.utils.features: get_atom_feature_dims() and
/// get_bond_feature_dims()), the names of their ModuleList and of the class.
struct atom_features {
  static constexpr char const* type = "AtomEncoder";
  static constexpr char const* list = "atom_embedding_list";
  static constexpr char const* input = "x (integer atom features)";
  static constexpr std::array<int, 9> rows{119, 5, 12, 12, 10, 6, 6, 2, 2};
};
struct bond_features {
  static constexpr char const* type = "BondEncoder";
  static constexpr char const* list = "bond_embedding_list";
  static constexpr char const* input = "edge_attr (integer bond features)";
  static constexpr std::array<int, 3> rows{5, 6, 2};
};

/// OGB's AtomEncoder / BondEncoder (use the aliases below): `<list>.k.weight` [rows_k, Dim] for
/// column k; out = sum over k of table_k[x[:, k]], in column order (ops::embedding_sum).
/// x: [rows, K] int64 -> [rows, Dim]. DeepSpeed sees Encoder -> <list>: ModuleList -> k: Embedding,
/// all counting 0.
template <class Features, int Dim, class Space = host>
class OgbEncoder {
  static_assert(Dim > 0, "nn::AtomEncoder / nn::BondEncoder: emb_dim must be positive");
  static constexpr std::size_t K = Features::rows.size();

 public:
  using features = Features;
  using space = Space;
  using input_type = std::int64_t;
  using output_type = float;
  template <class S>
  using rebind = OgbEncoder<Features, Dim, S>;
  static constexpr int in_width = static_cast<int>(K);
  static constexpr int out_width = Dim;
  static constexpr index_t parameter_count = [] {
    index_t n = 0;
    for (int r : Features::rows) n += index_t{r} * Dim;
    return n;
  }();

  std::array<detail::embedding_table<Space>, K> tables = make_tables();

  /// x: [rows, K] int64 -> [rows, Dim]. Throws shape_error for another width than K, value_error
  /// naming the first index outside its table.
  Tensor<float, 2, Space> forward(TensorView<std::int64_t const, 2, Space> x, GraphContext<Space> const& /*g*/,
                                  profile::Probe probe = {}) const {
    profile::Scope<Space> scope(probe);
    check_extent(Features::type, Features::input, 1, x.extent(1), static_cast<index_t>(K));
    Tensor<float, 2, Space> out({x.extent(0), Dim});
    std::array<TensorView<float const, 2, Space>, K> views{};
    for (std::size_t k = 0; k < K; ++k) views[k] = tables[k].weight.cview();
    ops::embedding_sum(x, std::span<TensorView<float const, 2, Space> const>(views), out.view());
    return out;
  }

  static void add_counts(profile::Module& /*node*/, FlowShape /*s*/) {}
  static profile::Module profile_module() {
    profile::Module m = profile::Module::leaf(Features::type, "", 0);
    profile::Module& list = m.add(Features::list, profile::Module::leaf("ModuleList", "", 0));
    for (std::size_t k = 0; k < K; ++k) list.add(std::to_string(k), detail::embedding_profile(Features::rows[k], Dim));
    return m;
  }

  template <class V>
  void visit(V& v) {
    for (std::size_t k = 0; k < K; ++k) {
      std::string const key = std::string(Features::list) + "." + std::to_string(k);
      v.child(key, tables[k]);
    }
  }

 private:
  static std::array<detail::embedding_table<Space>, K> make_tables() {
    std::array<detail::embedding_table<Space>, K> t;
    for (std::size_t k = 0; k < K; ++k) t[k] = detail::embedding_table<Space>(Features::rows[k], Dim);
    return t;
  }
};

/// ogb.graphproppred.mol_encoder.AtomEncoder(emb_dim = Dim): x_int [N, 9] -> [N, Dim].
template <int Dim, class Space = host>
using AtomEncoder = OgbEncoder<atom_features, Dim, Space>;
/// ogb.graphproppred.mol_encoder.BondEncoder(emb_dim = Dim): edge_attr_int [E, 3] -> [E, Dim]
/// (inside a composition: `nn::OnEdges<nn::BondEncoder<Dim>>`).
template <int Dim, class Space = host>
using BondEncoder = OgbEncoder<bond_features, Dim, Space>;

}  // namespace graphtx::nn
