#pragma once
/// \file
/// \brief The GPS molecule model as a graphtx composition in user code: tools/graphtx_pyg.py's
/// `GPSMolecule(hidden=C, layers=L, heads=H)` (an OGB-molecule GPS model, Rampasek et al.),
/// module for module and key for key, so that its PyG state_dict loads strictly:
///
///     x         = atom_encoder(x)              # ogb AtomEncoder(C): int64 x [N, 9] -> [N, C]
///     edge_attr = bond_encoder(edge_attr)      # ogb BondEncoder(C): int64 [E, 3] -> [E, C]
///     for conv in convs:                       # L x GPSConv(C, GINEConv(Seq(Linear(C, C), ReLU(), Linear(C, C))),
///         x = conv(x, edge_index, batch, edge_attr=edge_attr)   #             heads=H): batch_norm, relu, multihead
///     x = global_add_pool(x, batch)            # [G, C]
///     return mlp(x)                            # torch_geometric.nn.MLP([C, C / 2, 1]) (batch_norm, relu, plain_last)
///
/// The PyG class's head is MLP([hidden, 8, 1]); at its default C = 16 that is C / 2. The
/// benchmarks (bench/models/gps_molecule_bench.cpp, tools/bench_pyg_gps.py) use C = 64, L = 10,
/// H = 4 (the size of PyG's own GPS example, examples/graph_gps.py) with the head MLP([64, 32, 1]).
///
/// \code
/// #include <models/gps_molecule.hpp>           // examples/ on the include path
/// using Net = graphtx_examples::GPSMolecule<>;  // C = 16, L = 3, H = 2: tests/data/models/gps_molecule
/// auto model = graphtx::nn::Model<Net>::load("gps.safetensors");
/// auto batch = graphtx::io::read_batch("graph.safetensors");  // int64 x [N, 9], edge_attr [E, 3]
/// graphtx::Tensor<float, 2> y = model.forward(batch);         // [G, 1]
/// \endcode
///
/// GPSMolecule's forward calls global_add_pool(x, batch) without a size, so G = batch.max() + 1;
/// graphtx pools over the batch's ptr (G = num_graphs): the same unless the last graphs have no
/// nodes (graphtx then gives them rows mlp(0)).

#include <graphtx/nn/activation.hpp>
#include <graphtx/nn/containers.hpp>
#include <graphtx/nn/embedding.hpp>
#include <graphtx/nn/gine_conv.hpp>
#include <graphtx/nn/gps_conv.hpp>
#include <graphtx/nn/linear.hpp>
#include <graphtx/nn/mlp.hpp>
#include <graphtx/nn/pooling.hpp>

namespace graphtx_examples {

namespace gps_detail {
namespace nn = graphtx::nn;

/// GINEConv's nn: Sequential(Linear(C, C), ReLU(), Linear(C, C)); keys conv.nn.0.*, conv.nn.2.*.
template <int C>
using GineMlp = nn::Sequential<nn::Linear<nn::LinearConfig{.in = C, .out = C}>, nn::ReLU<>,
                               nn::Linear<nn::LinearConfig{.in = C, .out = C}>>;

/// GPSConv(C, GINEConv(GineMlp), heads=H) with PyG's defaults (norm batch_norm, act relu, dropout 0).
template <int C, int H>
using Layer = nn::GPSConv<nn::GINEConv<GineMlp<C>>, nn::GpsConfig{.channels = C, .heads = H}>;

template <int C, int L, int H>
using Net = nn::Module<"GPSMolecule",
                       nn::Field<"atom_encoder", nn::AtomEncoder<C>>,
                       nn::Field<"bond_encoder", nn::OnEdges<nn::BondEncoder<C>>>,
                       nn::Field<"convs", nn::ModuleList<nn::Repeat<L, Layer<C, H>>>>,
                       nn::Apply<nn::GlobalAddPool<>>,
                       nn::Field<"mlp", nn::MLP<nn::MlpConfig{.channels = {C, C / 2, 1}}>>>;
}  // namespace gps_detail

/// tools/graphtx_pyg.py's GPSMolecule(hidden=Channels, layers=Layers, heads=Heads) (head
/// MLP([Channels, Channels / 2, 1])); run it as graphtx::nn::Model<GPSMolecule<...>>.
template <int Channels = 16, int Layers = 3, int Heads = 2>
using GPSMolecule = gps_detail::Net<Channels, Layers, Heads>;

}  // namespace graphtx_examples
