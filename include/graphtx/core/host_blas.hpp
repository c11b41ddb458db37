#pragma once
/// \file
/// \brief Which BLAS the host GEMMs run on, and a check that it uses this CPU's vector units.
///
/// Why this exists: OpenBLAS built with DYNAMIC_ARCH (Debian's) picks its kernels from the CPU's
/// model number when the library is loaded. A CPU newer than the OpenBLAS release (OpenBLAS 0.3.21
/// on a Sapphire Rapids Xeon, for example) is not recognised and gets the generic "Prescott" SSE3
/// kernels: measured on such a machine (2 cores, 2026-11-30), the seed model's [7170, 256] x
/// [256, 8192] GEMM ran at 29 GFLOP/s with them and at 110-119 GFLOP/s with
/// OPENBLAS_CORETYPE=Cooperlake, a 4x loss on the GEMMs that are most of a forward. The choice can
/// only be made before OpenBLAS is loaded (environment variable OPENBLAS_CORETYPE), so graphtx
/// cannot fix it from inside a running program; it can only detect it and say what to set.
///
/// The second check is threading: OpenBLAS's pthreads build (Debian's default libopenblas-dev)
/// keeps its own pool of threads that spin after each GEMM, while graphtx's OpenMP loops spin on
/// theirs; with both pools as wide as the machine they take cores from each other between GEMMs.
/// Measured on 2 cores (2026-11-30, seed model): 79 / 188 / 500 / 2532 ms at G = 1 / 16 / 64 / 512
/// with the pthreads build, 28 / 90 / 295 / 2334 ms with OpenBLAS's OpenMP build, which runs its
/// GEMMs on graphtx's OpenMP threads. graphtx's CMake links the OpenMP build when it is installed.
///
/// **Example**:
/// \code
/// graphtx::host_blas_info const blas = graphtx::host_blas();
/// if (!blas.warning.empty()) std::cerr << "warning: " << blas.warning << '\n';
/// \endcode

#include <string>

#include <cblas.h>
#if defined(_OPENMP)
#include <omp.h>
#endif

namespace graphtx {

/// What host_blas() found.
struct host_blas_info {
  std::string description;  ///< e.g. "OpenBLAS 0.3.21 ... (core Cooperlake, 2 threads)", or "CBLAS"
  std::string core;         ///< OpenBLAS's kernel family ("Cooperlake", "Haswell", "Prescott"); empty otherwise
  std::string threading;    ///< OpenBLAS's threading: "OpenMP", "pthreads" or "sequential"; empty otherwise
  std::string warning;      ///< non-empty when the kernels do not use the CPU's AVX2/AVX-512 units, or
                            ///< when OpenBLAS's pthreads compete with graphtx's OpenMP threads; with the fix
};

namespace detail {
/// OpenBLAS kernel families older than AVX2: on a CPU with AVX2 they leave most of its FLOPs unused.
inline bool openblas_core_predates_avx2(std::string const& core) {
  for (char const* old : {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Coppermine",
                          "Northwood", "Banias", "Sandybridge", "Opteron", "Barcelona", "Bobcat", "Bulldozer",
                          "Piledriver", "Steamroller", "Excavator", "Nano", "Athlon", "Unknown"}) {
    if (core == old) return true;
  }
  return false;
}
}  // namespace detail

/// Describes the CBLAS graphtx's host GEMMs call, and warns when it is OpenBLAS running kernels
/// that predate AVX2 on a CPU that has AVX2 (or AVX-512). Cheap; safe to call from any thread.
inline host_blas_info host_blas() {
  host_blas_info info;
#if defined(OPENBLAS_VERSION)
  info.core = openblas_get_corename();
  info.description = std::string(openblas_get_config()) + " (core " + info.core + ", " +
                     std::to_string(openblas_get_num_threads()) + " threads)";
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  bool const avx512 = __builtin_cpu_supports("avx512f") != 0;
  bool const avx2 = __builtin_cpu_supports("avx2") != 0;
  if ((avx2 || avx512) && detail::openblas_core_predates_avx2(info.core)) {
    info.warning = std::string("OpenBLAS did not recognise this CPU and runs its generic '") + info.core +
                   "' kernels, which do not use " + (avx512 ? "AVX-512" : "AVX2") +
                   " (GEMMs several times slower); set OPENBLAS_CORETYPE=" + (avx512 ? "SkylakeX" : "Haswell") +
                   " in the environment before starting the program";
  }
#endif
  int const parallel = openblas_get_parallel();
  info.threading = parallel == OPENBLAS_OPENMP ? "OpenMP" : parallel == OPENBLAS_THREAD ? "pthreads" : "sequential";
#if defined(_OPENMP)
  if (parallel == OPENBLAS_THREAD && openblas_get_num_threads() > 1 && omp_get_max_threads() > 1) {
    if (!info.warning.empty()) info.warning += "; also, ";
    info.warning +=
        "OpenBLAS is its pthreads build: its threads and graphtx's OpenMP threads compete for the cores "
        "(small batches 2-3x slower); link OpenBLAS's OpenMP build (Debian: libopenblas-openmp-dev; graphtx's "
        "CMake prefers it when installed), or set OMP_WAIT_POLICY=passive";
  }
#endif
#else
  info.description = "CBLAS (not OpenBLAS; no kernel check)";
#endif
  return info;
}

}  // namespace graphtx
