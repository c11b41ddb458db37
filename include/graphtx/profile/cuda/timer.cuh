#pragma once
/// \file
/// \brief Forward latency of CUDA layers for profile::Profiler: a pair of CUDA events per module
/// call, recorded on the thread's graphtx stream (CudaContext). nvcc only; <graphtx/cuda.hpp>
/// includes it.
///
/// DeepSpeed calls torch.cuda.synchronize() in every hook and reads the host clock. Events need no
/// synchronisation inside the forward: the stop event of a module is queued behind its kernels, and
/// the elapsed times are read once, when the Profiler's tree is next read (Profiler::root() or
/// resolve()). A module's time is then the GPU time between its first and last kernel launch
/// point, including gaps where the GPU waited for the host to launch more work.

#include <cuda_runtime.h>

#include <cstddef>
#include <utility>
#include <vector>

#include <graphtx/core/cuda/check.cuh>
#include <graphtx/core/cuda/context.cuh>
#include <graphtx/profile/profiler.hpp>

namespace graphtx::profile::detail {

/// The event pool and the module calls waiting for their times.
class cuda_event_timing final : public deferred_timing {
 public:
  cuda_event_timing() = default;
  cuda_event_timing(cuda_event_timing const&) = delete;
  cuda_event_timing& operator=(cuda_event_timing const&) = delete;
  ~cuda_event_timing() override {
    for (cudaEvent_t e : events_) cudaEventDestroy(e);  // no throw from a destructor
  }

  /// Records a start event on the current stream; returns its index.
  std::size_t record_start() {
    std::size_t const i = next_event();
    GRAPHTX_CUDA_CHECK(cudaEventRecord(events_[i], CudaContext::this_thread().stream()));
    return i;
  }
  /// Records the matching stop event. Called from a destructor: errors are kept and thrown by resolve().
  void record_stop(Module& target, std::size_t start) noexcept {
    try {
      std::size_t const i = next_event();
      cudaError_t const s = cudaEventRecord(events_[i], CudaContext::this_thread().stream());
      if (s != cudaSuccess) {
        if (error_ == cudaSuccess) error_ = s;
        return;
      }
      spans_.push_back({&target, start, i});
    } catch (...) {
      if (error_ == cudaSuccess) error_ = cudaErrorMemoryAllocation;
    }
  }

  bool pending() const override { return !spans_.empty() || error_ != cudaSuccess; }

  /// Waits for each stop event and adds start-to-stop to its module's duration (in seconds).
  void resolve() override {
    std::vector<span> spans = std::move(spans_);
    spans_.clear();
    used_ = 0;  // the events may be recorded again once read
    if (error_ != cudaSuccess) {
      cudaError_t const e = std::exchange(error_, cudaSuccess);
      graphtx::detail::throw_cuda_error(e, "cudaEventRecord (profile::Scope end)", __FILE__, __LINE__);
    }
    for (span const& s : spans) {
      GRAPHTX_CUDA_CHECK(cudaEventSynchronize(events_[s.stop]));
      float ms = 0.0f;
      GRAPHTX_CUDA_CHECK(cudaEventElapsedTime(&ms, events_[s.start], events_[s.stop]));
      s.target->duration += static_cast<double>(ms) * 1e-3;
    }
  }

 private:
  struct span {
    Module* target;
    std::size_t start;
    std::size_t stop;
  };

  std::size_t next_event() {
    if (used_ == events_.size()) {
      cudaEvent_t e = nullptr;
      GRAPHTX_CUDA_CHECK(cudaEventCreate(&e));
      events_.push_back(e);
    }
    return used_++;
  }

  std::vector<cudaEvent_t> events_;  // pool, reused after every resolve()
  std::size_t used_ = 0;
  std::vector<span> spans_;
  cudaError_t error_ = cudaSuccess;
};

/// CUDA: an event pair per call, read later (see the file comment).
template <>
struct scope_clock<::graphtx::cuda> {
  using mark = std::size_t;
  static mark start(Profiler& profiler) { return profiler.deferred<cuda_event_timing>().record_start(); }
  static void stop(Profiler& profiler, Module& target, mark start) noexcept {
    profiler.deferred<cuda_event_timing>().record_stop(target, start);
  }
};

}  // namespace graphtx::profile::detail
