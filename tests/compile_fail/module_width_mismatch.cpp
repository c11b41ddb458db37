// Must NOT compile: a Module whose field "head" (Linear(16, 1)) follows a conv with 8 output
// features. The error names both layers and both widths.
#include <graphtx/graphtx.hpp>
namespace nn = graphtx::nn;
inline constexpr nn::TransformerConvConfig conv{.in = 4, .out = 8, .heads = 2, .concat = false};
using Bad = nn::Module<"Bad", nn::Field<"conv", nn::TransformerConv<conv>>, nn::Apply<nn::GlobalAddPool<>>,
                       nn::Field<"head", nn::Linear<nn::LinearConfig{.in = 16, .out = 1}>>>;
int main() { return Bad::out_width; }
