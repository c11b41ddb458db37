#pragma once
/// \file
/// \brief graphtx version numbers, kept in step with the CMake project version.

#define GRAPHTX_VERSION_MAJOR 0
#define GRAPHTX_VERSION_MINOR 1
#define GRAPHTX_VERSION_PATCH 0

namespace graphtx {
inline constexpr char version_string[] = "0.1.0";
}  // namespace graphtx
