// Must NOT compile: Linear(4, 8) followed by Linear(6, 2) in a Sequential. The error names both
// layers and both widths: check_link<Linear<{4, 8}>, 8, Linear<{6, 2}>, 6>.
#include <graphtx/graphtx.hpp>
namespace nn = graphtx::nn;
using Bad = nn::Sequential<nn::Linear<nn::LinearConfig{.in = 4, .out = 8}>, nn::ReLU<>,
                           nn::Linear<nn::LinearConfig{.in = 6, .out = 2}>>;
int main() { return Bad::out_width; }
