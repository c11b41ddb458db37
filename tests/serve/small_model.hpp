#pragma once
// The seed architecture at a small size, for the Triton tests (tests/serve): fast to load and run.
#include <graphtx/models/graph_transformer.hpp>

namespace graphtx_test {
inline constexpr graphtx::GraphTransformerConfig triton_small_config{.in = 9, .hidden = 32, .heads = 4,
                                                                     .num_conv_layers = 3};
using TritonSmall = graphtx::GraphTransformerNet<triton_small_config>;
}  // namespace graphtx_test
