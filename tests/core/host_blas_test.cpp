// graphtx::host_blas(): the description of the host BLAS and the warning when OpenBLAS runs
// pre-AVX2 kernels on a CPU with AVX2 (<graphtx/core/host_blas.hpp>).
#include <catch2/catch.hpp>

#include <cstdlib>
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
  if (!info.warning.empty()) CHECK(info.warning.find("OPENBLAS_CORETYPE=") != std::string::npos);
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
