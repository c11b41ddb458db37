#pragma once
/// \file
/// \brief What every graphtx benchmark report records besides the timings: the date, the git
/// revision and build type it was built from, the graphtx version, the BLAS and the thread counts.
/// Google Benchmark prints these in the console header and writes them under "context" in
/// --benchmark_out JSON. Use GRAPHTX_BENCHMARK_MAIN() instead of BENCHMARK_MAIN().

#include <benchmark/benchmark.h>

#include <cblas.h>

#include <ctime>
#include <string>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <graphtx/core/host_blas.hpp>
#include <graphtx/version.hpp>

// Compile definitions from bench/CMakeLists.txt; the fallbacks keep a file compiled by hand usable.
#ifndef GRAPHTX_BENCH_GIT_REVISION
#define GRAPHTX_BENCH_GIT_REVISION "unknown"
#endif
#ifndef GRAPHTX_BENCH_BUILD_TYPE
#define GRAPHTX_BENCH_BUILD_TYPE "unknown"
#endif
#ifndef GRAPHTX_BENCH_BLAS_VENDOR
#define GRAPHTX_BENCH_BLAS_VENDOR "unknown"
#endif
#ifndef GRAPHTX_BENCH_COMPILER
#define GRAPHTX_BENCH_COMPILER "unknown"
#endif

namespace graphtx::bench {

/// Today's date, YYYY-MM-DD in local time (the name of the results file).
inline std::string today() {
  std::time_t const now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[16] = {};
  std::strftime(buf, sizeof buf, "%F", &local);
  return buf;
}

/// The BLAS the host GEMM runs on: CMake's vendor, and OpenBLAS's build string and kernel family
/// when it is OpenBLAS (graphtx::host_blas), with its warning when the kernels predate this CPU.
inline std::string blas_description() {
  graphtx::host_blas_info const info = graphtx::host_blas();
  std::string s = std::string(GRAPHTX_BENCH_BLAS_VENDOR) + " (" + info.description + ")";
  if (!info.warning.empty()) s += " WARNING: " + info.warning;
  return s;
}

/// Threads the host ops use: OpenMP's maximum, or 1 in a build without OpenMP.
inline int host_threads() {
#if defined(_OPENMP)
  return omp_get_max_threads();
#else
  return 1;
#endif
}

/// Adds graphtx's entries to the benchmark context (call before RunSpecifiedBenchmarks).
inline void add_context() {
  benchmark::AddCustomContext("graphtx_date", today());
  benchmark::AddCustomContext("graphtx_version", graphtx::version_string);
  benchmark::AddCustomContext("graphtx_git_revision", GRAPHTX_BENCH_GIT_REVISION);
  benchmark::AddCustomContext("graphtx_build_type", GRAPHTX_BENCH_BUILD_TYPE);
  benchmark::AddCustomContext("graphtx_compiler", GRAPHTX_BENCH_COMPILER);
  benchmark::AddCustomContext("graphtx_blas", blas_description());
  benchmark::AddCustomContext("graphtx_openmp_threads", std::to_string(host_threads()));
}

/// Counters are per iteration; Google Benchmark divides by the time per iteration.
inline benchmark::Counter flops_rate(double flop_per_iteration) {
  return benchmark::Counter(flop_per_iteration, benchmark::Counter::kIsIterationInvariantRate,
                            benchmark::Counter::kIs1000);
}
inline benchmark::Counter bytes_rate(double bytes_per_iteration) {
  return benchmark::Counter(bytes_per_iteration, benchmark::Counter::kIsIterationInvariantRate,
                            benchmark::Counter::kIs1024);
}

}  // namespace graphtx::bench

/// main() for a graphtx benchmark binary: Google Benchmark's main plus graphtx's context.
#define GRAPHTX_BENCHMARK_MAIN()                                              \
  int main(int argc, char** argv) {                                           \
    graphtx::bench::add_context();                                            \
    benchmark::Initialize(&argc, argv);                                       \
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;         \
    benchmark::RunSpecifiedBenchmarks();                                      \
    benchmark::Shutdown();                                                    \
    return 0;                                                                 \
  }                                                                           \
  static_assert(true, "GRAPHTX_BENCHMARK_MAIN() takes a semicolon")
