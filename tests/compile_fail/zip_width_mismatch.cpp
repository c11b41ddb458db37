// Must NOT compile: a Zip whose second list item (LayerNorm(16)) follows a Linear with 8 outputs.
#include <graphtx/graphtx.hpp>
namespace nn = graphtx::nn;
using Bad = nn::Module<"Bad", nn::Forward<nn::Zip<"lins", "norms">>,
                       nn::Field<"lins", nn::ModuleList<nn::Linear<nn::LinearConfig{.in = 4, .out = 8}>>>,
                       nn::Field<"norms", nn::ModuleList<nn::LayerNorm<nn::LayerNormConfig{.features = 16}>>>>;
int main() { return Bad::out_width; }
