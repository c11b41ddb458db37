// Must NOT compile: calling the one-input forward on a bipartite config (F_src != F_dst).
#include <graphtx/nn/transformer_conv.hpp>
inline constexpr graphtx::nn::TransformerConvConfig bip{.in = 6, .out = 4, .heads = 2, .in_dst = 8};
int main() {
  graphtx::nn::TransformerConv<bip> conv;
  graphtx::Tensor<float, 2> x({3, 6});
  graphtx::graph::Csr<graphtx::host> csr;
  auto out = conv.forward(x.cview(), csr);
  return static_cast<int>(out.size());
}
