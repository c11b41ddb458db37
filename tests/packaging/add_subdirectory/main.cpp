// The parent project's program (configured by packaging.add_subdirectory, never built by it).
#include <graphtx/graphtx.hpp>

int main() { return graphtx::GraphTransformer<graphtx::seed_config>::parameter_count == 64'071'937 ? 0 : 1; }
