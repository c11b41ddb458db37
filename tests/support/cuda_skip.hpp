#pragma once
// CUDA test cases run only where a device is present; elsewhere each case prints the line that
// CTest's SKIP_REGULAR_EXPRESSION turns into "Skipped" (never "Passed").

#include <iostream>

#include <graphtx/core/cuda/memory.cuh>

#define GRAPHTX_CUDA_DEVICE_OR_SKIP()                                 \
  do {                                                                \
    if (!::graphtx::cuda_device_available()) {                        \
      std::cout << "skipped: no CUDA device" << std::endl;            \
      return;                                                         \
    }                                                                 \
  } while (0)
