// Must NOT compile: x + M(x) around a layer that changes the width.
#include <graphtx/graphtx.hpp>
namespace nn = graphtx::nn;
using Bad = nn::Residual<nn::Linear<nn::LinearConfig{.in = 4, .out = 8}>>;
int main() { return Bad::out_width; }
