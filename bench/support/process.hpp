#pragma once
/// \file
/// \brief What the file-driven benchmark runners (bench_seed_model_files, bench_gps_molecule_files)
/// measure about their own process: wall-clock milliseconds and the peak resident set.

#include <chrono>
#include <cstdio>

namespace graphtx::bench {

using clock_type = std::chrono::steady_clock;

/// Milliseconds from t0 to now.
inline double ms_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

/// The process's peak resident set in MiB: VmHWM from /proc/self/status on Linux (-1 elsewhere). Not
/// getrusage's ru_maxrss, which survives execve: launched from Python it reports the Python parent's peak.
inline double peak_resident_mib() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1.0;
  char line[256];
  long long kib = -1;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "VmHWM: %lld kB", &kib) == 1) break;
  }
  std::fclose(f);
  return kib < 0 ? -1.0 : static_cast<double>(kib) / 1024.0;
}

}  // namespace graphtx::bench
