// Must NOT compile: a TransformerConv with zero heads. The test passes when the build fails with
// the static_assert text that tells the user what to change.
#include <graphtx/nn/transformer_conv.hpp>
inline constexpr graphtx::nn::TransformerConvConfig bad{.in = 8, .out = 4, .heads = 0};
graphtx::nn::TransformerConv<bad> conv;
int main() { return 0; }
