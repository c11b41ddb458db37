// graphtx::host_blas(): the description of the host BLAS and the warning when OpenBLAS runs
// pre-AVX2 kernels on a CPU with AVX2 (<graphtx/core/host_blas.hpp>).
#include <catch2/catch.hpp>

#include <cstdlib>
#if defined(_OPENMP)
#include <omp.h>
#endif
#include <string>

#include <graphtx/core/host_blas.hpp>

TEST_CASE("host_blas names the BLAS and flags only kernel families older than AVX2", "[core][host_blas]") {
  graphtx::host_blas_info const info = graphtx::host_blas();
  CHECK_FALSE(info.description.empty());
  CHECK(graphtx::detail::openblas_core_predates_avx2("Prescott"));
  CHECK(graphtx::detail::openblas_core_predates_avx2("Sandybridge"));
  CHECK_FALSE(graphtx::detail::openblas_core_predates_avx2("Haswell"));
  CHECK_FALSE(graphtx::detail::openblas_core_predates_avx2("SkylakeX"));
  CHECK_FALSE(graphtx::detail::openblas_core_predates_avx2("Cooperlake"));
  CHECK_FALSE(graphtx::detail::openblas_core_predates_avx2("Zen"));
#if defined(OPENBLAS_VERSION)
  CHECK(info.description.find(info.core) != std::string::npos);
  bool const kernel_warning = info.warning.find("OPENBLAS_CORETYPE=") != std::string::npos;
  bool const threading_warning = info.warning.find("pthreads build") != std::string::npos;
  CHECK(info.warning.empty() == !(kernel_warning || threading_warning));
#endif
}

TEST_CASE("host_blas reports OpenBLAS's threading and warns when its pthreads compete with OpenMP",
          "[core][host_blas]") {
#if defined(OPENBLAS_VERSION)
  graphtx::host_blas_info const info = graphtx::host_blas();
  // openblas_get_config() lists USE_OPENMP exactly for the OpenMP build.
  bool const openmp_build = info.description.find("USE_OPENMP") != std::string::npos;
  CHECK((info.threading == "OpenMP") == openmp_build);
  CHECK((info.threading == "OpenMP" || info.threading == "pthreads" || info.threading == "sequential"));
  bool competing = false;
#if defined(_OPENMP)
  competing = info.threading == "pthreads" && openblas_get_num_threads() > 1 && omp_get_max_threads() > 1;
#endif
  CAPTURE(info.description, info.warning);
  CHECK((info.warning.find("pthreads build") != std::string::npos) == competing);
#else
  SUCCEED("not OpenBLAS: nothing to check");
#endif
}

// Run by the CTest `host.host_blas_warns_on_forced_generic_kernels` with OPENBLAS_CORETYPE=Prescott
// (hidden from the normal listing: without that variable its premise does not hold).
TEST_CASE("host_blas warns when OpenBLAS is forced to the generic Prescott kernels", "[.][host_blas_forced]") {
#if defined(OPENBLAS_VERSION) && (defined(__x86_64__) || defined(__i386__))
  char const* forced = std::getenv("OPENBLAS_CORETYPE");
  REQUIRE(forced != nullptr);
  REQUIRE(std::string(forced) == "Prescott");
  graphtx::host_blas_info const info = graphtx::host_blas();
  CHECK(info.core == "Prescott");
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) {
    CHECK(info.warning.find("'Prescott' kernels") != std::string::npos);
    CHECK(info.warning.find("OPENBLAS_CORETYPE=") != std::string::npos);
  } else {
    CHECK(info.warning.empty());  // a CPU without AVX2 loses nothing with them
  }
#else
  SUCCEED("not OpenBLAS on x86: nothing to check");
#endif
}

// Run by the CTest `host.host_blas_warns_on_pthreads_openblas` with LD_LIBRARY_PATH pointing at
// OpenBLAS's pthreads build (which wins over the OpenMP build in the RUNPATH); hidden otherwise.
TEST_CASE("host_blas warns when OpenBLAS's pthreads build runs beside OpenMP", "[.][host_blas_pthreads]") {
#if defined(OPENBLAS_VERSION) && defined(_OPENMP)
  graphtx::host_blas_info const info = graphtx::host_blas();
  REQUIRE(info.threading == "pthreads");
  if (openblas_get_num_threads() > 1 && omp_get_max_threads() > 1) {
    CHECK(info.warning.find("OpenBLAS is its pthreads build") != std::string::npos);
    CHECK(info.warning.find("libopenblas-openmp-dev") != std::string::npos);
  } else {
    CHECK(info.warning.find("pthreads build") == std::string::npos);  // one thread each: nothing competes
  }
#else
  SUCCEED("not OpenBLAS with OpenMP: nothing to check");
#endif
}

// Run by the CTest `host.host_blas_links_openblas_openmp` when CMake found OpenBLAS's OpenMP build
// (GRAPHTX_PREFER_OPENBLAS_OPENMP): the binary must really load it (RUNPATH), not the pthreads
// build that Debian's alternatives point the shared soname at.
TEST_CASE("graphtx's build loads OpenBLAS's OpenMP build when CMake chose it", "[.][host_blas_openmp]") {
#if defined(OPENBLAS_VERSION)
  graphtx::host_blas_info const info = graphtx::host_blas();
  CAPTURE(info.description);
  CHECK(info.threading == "OpenMP");
  CHECK(info.warning.find("pthreads build") == std::string::npos);
#else
  FAIL("CMake chose OpenBLAS's OpenMP build, but cblas.h is not OpenBLAS's");
#endif
}
