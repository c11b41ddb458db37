// Must NOT compile: a GraphTransformer that runs no conv layer.
#include <graphtx/models/graph_transformer.hpp>
inline constexpr graphtx::GraphTransformerConfig bad{.in = 9, .hidden = 16, .heads = 2, .num_conv_layers = 0};
graphtx::GraphTransformer<bad> model;
int main() { return 0; }
