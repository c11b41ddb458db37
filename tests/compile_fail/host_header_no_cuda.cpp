// Header hygiene (compiled normally, must SUCCEED): the host umbrella header never pulls in the
// CUDA runtime, so host-only users need no toolkit.
#include <graphtx/graphtx.hpp>
#if defined(__CUDA_RUNTIME_H__) || defined(CUDART_VERSION)
#error "<graphtx/graphtx.hpp> included the CUDA runtime"
#endif
int main() { return 0; }
