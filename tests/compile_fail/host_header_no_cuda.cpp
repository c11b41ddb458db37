// Header hygiene (compiled normally, must SUCCEED): the host umbrella header never pulls in the
// CUDA runtime nor Thrust (<graphtx/thrust_omp.hpp> is separate), so host-only users need neither.
#include <graphtx/graphtx.hpp>
#if defined(__CUDA_RUNTIME_H__) || defined(CUDART_VERSION)
#error "<graphtx/graphtx.hpp> included the CUDA runtime"
#endif
#if defined(THRUST_VERSION)
#error "<graphtx/graphtx.hpp> included Thrust"
#endif
int main() { return 0; }
