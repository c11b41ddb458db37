// The seed model written as user code, exactly as the README shows it, is the library's
// GraphTransformer<seed_config>: the same state_dict keys, the same counts, and bitwise the same
// predictions from the same weights.

#include <catch2/catch.hpp>

#include <graphtx/graphtx.hpp>

namespace gx = graphtx;

namespace readme {
// ---- README, "Your own model: a composition" (keep the two in sync) ----
namespace nn = graphtx::nn;
inline constexpr nn::TransformerConvConfig conv0{.in = 9, .out = 256, .heads = 32, .concat = false,
                                                 .attention = nn::attention_algorithm::automatic};
inline constexpr nn::TransformerConvConfig conv{.in = 256, .out = 256, .heads = 32, .concat = false,
                                                .attention = nn::attention_algorithm::automatic};
using Conv = nn::TransformerConv<conv>;
using Norm = nn::LayerNorm<nn::LayerNormConfig{.features = 256}>;
using Seed = nn::Module<"GraphTransformer",
    // for i in range(10): x = dropout(relu(convs[i](x))); if i != 9: x = lns[i](x)
    nn::Forward<nn::Zip<"convs", "ReLU", "conv_dropout", "lns">, nn::Apply<nn::GlobalMeanPool<>>, nn::Call<"post_mp">>,
    nn::Field<"convs", nn::ModuleList<nn::TransformerConv<conv0>, nn::Repeat<9, Conv>, nn::Unused<Conv>>>,
    nn::Field<"lns", nn::ModuleList<nn::Repeat<9, Norm>, nn::Unused<Norm>>>,
    nn::Field<"conv_dropout", nn::Dropout<>>,
    nn::Field<"ReLU", nn::ReLU<>>,
    nn::Field<"post_mp", nn::Sequential<nn::Linear<nn::LinearConfig{.in = 256, .out = 1}>>>>;
static_assert(Seed::parameter_count == 64'071'937);
}  // namespace readme

TEST_CASE("the README's seed model is GraphTransformer<seed_config>", "[models][composition][seed]") {
  using Library = gx::GraphTransformer<gx::seed_config>;
  using User = gx::nn::Model<readme::Seed>;
  static_assert(User::parameter_count == Library::parameter_count);

  auto const library = Library::random(17);
  gx::io::StateDictWriter sd;
  library.save(sd);
  auto const user = User::load(  // strict: the same keys, shapes and nothing else
gx::io::SafetensorsFile::from_bytes(sd.to_bytes(), "seed.safetensors"));
  auto const batch = gx::graph::generate_molecule_batch(6, 3, 80);
  REQUIRE(user.forward(batch).to_vector() == library.forward(batch).to_vector());
  auto const shape = gx::profile::BatchShape{.nodes = 7170, .edges = 14'762, .graphs = 512};
  REQUIRE(User::counts(shape).macs() == 411'819'233'792);
  REQUIRE(User::counts(shape).flops() == Library::counts(shape).flops());
  REQUIRE(User::profile_module().at("convs.10").repr == Library::profile_module().at("convs.10").repr);
}
