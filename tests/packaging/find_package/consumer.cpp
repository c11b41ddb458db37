// Builds against the install tree: one TransformerConv layer on a 3-node graph, and the seed
// model's parameter count checked at compile time through the installed headers.
#include <graphtx/graphtx.hpp>

#include <cstdio>

namespace gx = graphtx;
inline constexpr gx::nn::TransformerConvConfig conv_config{.in = 4, .out = 2, .heads = 2};
static_assert(gx::GraphTransformer<gx::seed_config>::parameter_count == 64'071'937);

int main() {
  gx::nn::RandomWeights rng(7);
  gx::nn::TransformerConv<conv_config> conv;
  gx::nn::init_random(conv, rng);
  auto x = gx::Tensor<float, 2>::filled({3, 4}, 0.5f);
  auto edge_index = gx::Tensor<std::int64_t, 2>::from({2, 3}, {0, 1, 2, 1, 2, 0});
  auto csr = gx::graph::to_csr(gx::graph::coo_from_edge_index(edge_index.cview(), 3, 3));
  auto out = conv.forward(x.cview(), csr);  // [3, 4]
  std::printf("consumer: out [%lld, %lld], out(0,0) = %f\n", static_cast<long long>(out.extent(0)),
              static_cast<long long>(out.extent(1)), out(0, 0));
  return out.extent(0) == 3 && out.extent(1) == 4 ? 0 : 1;
}
