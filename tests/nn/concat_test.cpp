// nn::Concat on the host (bodies in tests/nn/concat_cases.hpp) and what does not depend on the
// space: state_dict names, DeepSpeed's tree, strict load.

#include "nn/concat_cases.hpp"

namespace cc = graphtx::test::concat_cases;
namespace nn = graphtx::nn;
using graphtx::host;

namespace {
std::vector<std::string> names(std::vector<nn::StateEntry> const& entries) {
  std::vector<std::string> out;
  for (auto const& e : entries) out.push_back(e.name);
  return out;
}
}  // namespace

TEST_CASE("Concat is torch.cat of its branches", "[nn][concat]") { cc::both_is_the_cat_of_its_branches<host>(); }
TEST_CASE("Concat in a Module (heads and a pool readout) is the chain by hand", "[nn][concat]") {
  cc::net_is_the_chain_by_hand<host>();
}
TEST_CASE("Concat counts: profiled == static", "[nn][concat][profile]") { cc::counts_match<host>(); }
TEST_CASE("Concat save/load round trip", "[nn][concat][io]") { cc::round_trip<host>(); }
TEST_CASE("Concat names bad input", "[nn][concat][errors]") { cc::bad_input_is_named<host>(); }

TEST_CASE("Concat adds no key prefix of its own", "[nn][concat][io]") {
  CHECK(names(nn::state_entries(nn::Model<cc::Both>{})) ==
        std::vector<std::string>{"a.weight", "a.bias", "b.0.weight", "b.0.bias"});
  CHECK(names(nn::state_entries(nn::Model<cc::Net>{})) ==
        std::vector<std::string>{"lin.weight", "lin.bias", "heads.a.weight", "heads.a.bias", "heads.b.weight",
                                 "out.weight", "out.bias"});
  CHECK(nn::state_entries(nn::Model<cc::PoolBoth>{}).empty());
  // Under a Residual it is fully transparent.
  using Res = nn::Sequential<nn::Residual<nn::Concat<nn::Field<"left", nn::Linear<nn::LinearConfig{.in = 4, .out = 1}>>,
                                                     nn::Field<"right", nn::Linear<nn::LinearConfig{.in = 4, .out = 3}>>>>>;
  static_assert(Res::out_width == 4);
  CHECK(names(nn::state_entries(nn::Model<Res>{})) ==
        std::vector<std::string>{"0.left.weight", "0.left.bias", "0.right.weight", "0.right.bias"});
}

TEST_CASE("Concat in DeepSpeed's tree", "[nn][concat][profile]") {
  auto const t = nn::Model<cc::Net>::profile_module();
  CHECK(t.type == "Net");
  REQUIRE(t.children.size() == 3);  // lin, heads, out: the Apply steps (relu, the pooled cat) have no node
  CHECK(t.at("heads").type == "Concat");
  REQUIRE(t.at("heads").children.size() == 2);
  CHECK(t.at("heads.a").extra_repr == "in_features=8, out_features=3, bias=True");
  CHECK(t.at("heads.b").params() == 16);
  CHECK(t.params() == cc::Net::parameter_count);
  auto const p = nn::Model<cc::PoolBoth>::profile_module();
  CHECK(p.type == "Concat");
  CHECK(p.children.empty());  // function branches have no node
}

TEST_CASE("Concat loads strictly", "[nn][concat][io][errors]") {
  auto const model = nn::Model<cc::Net>::random(3);
  graphtx::io::StateDictWriter sd;
  model.save(sd);
  auto const full = graphtx::io::SafetensorsFile::from_bytes(sd.to_bytes(), "net.safetensors");
  SECTION("a missing branch key") {
    graphtx::io::StateDictWriter partial;
    nn::Model<cc::Both>::random(1).save(partial);
    auto const f = graphtx::io::SafetensorsFile::from_bytes(partial.to_bytes(), "both.safetensors");
    REQUIRE_THROWS_WITH(nn::Model<cc::Net>::load(f), Catch::Contains("missing key \"lin.weight\""));
  }
  SECTION("an extra key") {
    graphtx::io::StateDictWriter extra;
    model.save(extra);
    extra.put("heads.c.weight", graphtx::Tensor<float, 1>::zeros({2}));
    auto const f = graphtx::io::SafetensorsFile::from_bytes(extra.to_bytes(), "extra.safetensors");
    REQUIRE_THROWS_WITH(nn::Model<cc::Net>::load(f), Catch::Contains("unexpected key") && Catch::Contains("heads.c.weight"));
  }
  SECTION("a wrong shape") {
    using Wider = nn::Concat<nn::Field<"a", nn::Linear<nn::LinearConfig{.in = 4, .out = 4}>>,
                             nn::Field<"b", nn::Sequential<nn::Linear<cc::lin_4_5>, nn::ReLU<>>>>;
    graphtx::io::StateDictWriter w;
    nn::Model<cc::Both>::random(1).save(w);
    auto const f = graphtx::io::SafetensorsFile::from_bytes(w.to_bytes(), "both.safetensors");
    REQUIRE_THROWS_WITH(nn::Model<Wider>::load(f), Catch::Contains("a.weight has shape [3, 4], expected [4, 4]"));
  }
  (void)full;
}
