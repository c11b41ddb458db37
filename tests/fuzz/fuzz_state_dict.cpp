// libFuzzer target: a weights file through the state_dict loader into a small GraphTransformer and a TransformerConv, then forwards.
// Build: -DGRAPHTX_BUILD_FUZZERS=ON with clang (tests/fuzz/CMakeLists.txt); run: .ci/fuzz.
// Any graphtx::error is a named rejection and fine; everything else is a finding (targets.hpp).

#include <cstddef>
#include <cstdint>
#include <span>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  try {
    graphtx::fuzz::state_dict_one(std::span<std::uint8_t const>(data, size));
  } catch (graphtx::error const&) {
  }
  return 0;
}
