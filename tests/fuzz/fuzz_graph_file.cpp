// libFuzzer target: a graph file through io::read_batch into a validated Batch, then forwards of a small model.
// Build: -DGRAPHTX_BUILD_FUZZERS=ON with clang (tests/fuzz/CMakeLists.txt); run: .ci/fuzz.
// Any graphtx::error is a named rejection and fine; everything else is a finding (targets.hpp).

#include <cstddef>
#include <cstdint>
#include <span>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  try {
    graphtx::fuzz::graph_file_one(std::span<std::uint8_t const>(data, size));
  } catch (graphtx::error const&) {
  }
  return 0;
}
