#pragma once
/// \file
/// \brief Which x86 vector extensions the CPU running the program has, for the host kernels that
/// carry AVX2 / AVX-512 versions behind function target attributes (the library itself is built
/// for the compiler's baseline, e.g. x86-64 with SSE2 only, so that one binary runs everywhere).

#include <cstdlib>
#include <string_view>

#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__))
#define GRAPHTX_HOST_X86_TARGETS 1
#endif

namespace graphtx::ops::detail {

enum class host_isa { baseline = 0, avx2_fma = 1, avx512f = 2 };

/// The widest of the kernels' instruction sets this CPU runs (detected once), lowered by the
/// environment variable GRAPHTX_HOST_ISA=baseline|avx2 when set (to compare the kernels, or to
/// reproduce another machine's rounding; it can never raise what the CPU has).
inline host_isa host_vector_isa() {
#if defined(GRAPHTX_HOST_X86_TARGETS)
  static host_isa const isa = [] {
    __builtin_cpu_init();
    host_isa best = host_isa::baseline;
    if (__builtin_cpu_supports("avx512f")) {
      best = host_isa::avx512f;
    } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
      best = host_isa::avx2_fma;
    }
    if (char const* cap = std::getenv("GRAPHTX_HOST_ISA")) {
      std::string_view const c(cap);
      if (c == "baseline") best = host_isa::baseline;
      if (c == "avx2" && best == host_isa::avx512f) best = host_isa::avx2_fma;
    }
    return best;
  }();
  return isa;
#else
  return host_isa::baseline;
#endif
}

}  // namespace graphtx::ops::detail
