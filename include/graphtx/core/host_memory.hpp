#pragma once
/// \file
/// \brief The host side of graphtx's memory: a cache of large blocks kept across forward passes.
///
/// Why: a seed-model forward allocates two [N, H*F] = [7170, 8192] float tables per conv (235 MB
/// each). glibc serves blocks that large with mmap and returns them with munmap, so every conv of
/// every forward paid about 115,000 first-touch page faults for them. Blocks of at least
/// `min_block_bytes` are therefore kept when a tensor frees them and handed to the next tensor of
/// (nearly) the same size: after the first forward of a given batch shape, later forwards map no
/// new memory. This is the host counterpart of the CUDA backend's stream-ordered pool (release
/// threshold unlimited) and of PyTorch's caching allocators. On Linux the blocks are 2 MiB aligned
/// and advised as transparent huge pages (MADV_HUGEPAGE), so the GEMMs and the edge phase also
/// take fewer TLB misses.
///
/// The cache holds at most `cache_limit()` bytes of free blocks (default 2 GiB; set_cache_limit(0)
/// turns caching off, trim() frees what is cached now). Thread-safe: one mutex, taken only for
/// blocks of at least min_block_bytes. Under AddressSanitizer the cache is off, so that ASan still sees
/// every use after free.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
#include <new>
#include <unordered_map>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace graphtx {

namespace detail {
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool host_cache_default_on = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool host_cache_default_on = false;
#else
inline constexpr bool host_cache_default_on = true;
#endif
#else
inline constexpr bool host_cache_default_on = true;
#endif
}  // namespace detail

/// The large-block cache behind graphtx's host tensors (see the file comment).
class host_block_cache {
 public:
  /// Blocks below this size go straight to operator new / delete. 128 KiB is glibc's default
  /// mmap threshold: blocks above it are mapped and unmapped (or trimmed off the heap) per
  /// allocation, so without the cache the [20, 8192] temporaries of a one-molecule seed forward
  /// (640 KiB) took fresh pages at every layer of every forward (about 10% of that forward).
  static constexpr std::size_t min_block_bytes = std::size_t{128} << 10;
  /// Blocks of 2 MiB and more are rounded up to and aligned on 2 MiB (one x86-64 huge page) and
  /// advised as huge pages; smaller ones are rounded up to 64 KiB, 64-byte aligned.
  static constexpr std::size_t granule = std::size_t{2} << 20;
  static constexpr std::size_t small_granule = std::size_t{64} << 10;
  static constexpr std::size_t small_alignment = 64;

  /// The process's cache (never destroyed, so tensors in static storage may outlive main()).
  static host_block_cache& instance() {
    static host_block_cache* const cache = new host_block_cache;
    return *cache;
  }

  /// A block of at least `bytes` (>= min_block_bytes), aligned as alignment_of says: a cached one whose
  /// capacity is at most 25% larger than the capacity a new block would have (`bytes` rounded up
  /// to 2 MiB), or a new one. Comparing with the rounded size matters: a 2.7 MB request needs a
  /// 4 MiB block either way, so a cached 4 MiB block must serve it (comparing with the 2.7 MB asked
  /// for, every forward added new 4 MiB blocks to the cache until it reached its limit).
  void* allocate(std::size_t bytes) {
    std::size_t const capacity = capacity_for(bytes);
    {
      std::lock_guard lock(mutex_);
      auto it = free_.lower_bound(capacity);
      if (it != free_.end() && it->first - capacity <= capacity / 4) {
        void* p = it->second;
        cached_bytes_ -= it->first;
        in_use_.emplace(p, it->first);
        free_.erase(it);
        return p;
      }
    }
    void* p = ::operator new(capacity, alignment_of(capacity));
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (capacity >= granule) (void)::madvise(p, capacity, MADV_HUGEPAGE);  // advice only: failure changes nothing
#endif
    try {
      std::lock_guard lock(mutex_);
      in_use_.emplace(p, capacity);
    } catch (...) {
      ::operator delete(p, alignment_of(capacity));
      throw;
    }
    return p;
  }

  /// The capacity of the block that serves a request of `bytes` (>= min_block_bytes).
  static constexpr std::size_t capacity_for(std::size_t bytes) {
    std::size_t const g = bytes >= granule ? granule : small_granule;
    return (bytes + g - 1) / g * g;
  }

  /// Takes back a block from allocate(): cached while the cache stays under its limit.
  void deallocate(void* p) noexcept {
    std::lock_guard lock(mutex_);
    auto it = in_use_.find(p);
    std::size_t const capacity = it->second;
    in_use_.erase(it);
    if (capacity > cache_limit_) {
      ::operator delete(p, alignment_of(capacity));
      return;
    }
    try {
      free_.emplace(capacity, p);
    } catch (...) {  // no memory for the map node: free the block instead of caching it
      ::operator delete(p, alignment_of(capacity));
      return;
    }
    cached_bytes_ += capacity;
    evict_to(cache_limit_);
  }

  /// Bytes of free blocks held now (not counted by memory_stats, which counts tensors).
  std::size_t cached_bytes() const {
    std::lock_guard lock(mutex_);
    return cached_bytes_;
  }
  std::size_t cache_limit() const {
    std::lock_guard lock(mutex_);
    return cache_limit_;
  }
  /// At most `bytes` of free blocks are kept from now on (0: none); frees the excess now.
  void set_cache_limit(std::size_t bytes) {
    std::lock_guard lock(mutex_);
    cache_limit_ = bytes;
    evict_to(cache_limit_);
  }
  /// Frees every cached block (tensors alive keep theirs).
  void trim() {
    std::lock_guard lock(mutex_);
    evict_to(0);
  }

 private:
  host_block_cache() = default;

  static constexpr std::align_val_t alignment_of(std::size_t capacity) {
    return std::align_val_t{capacity >= granule ? granule : small_alignment};
  }

  // Frees the largest cached blocks until at most `limit` bytes are cached. Caller holds mutex_.
  void evict_to(std::size_t limit) noexcept {
    while (cached_bytes_ > limit && !free_.empty()) {
      auto last = std::prev(free_.end());
      cached_bytes_ -= last->first;
      ::operator delete(last->second, alignment_of(last->first));
      free_.erase(last);
    }
  }

  mutable std::mutex mutex_;
  std::multimap<std::size_t, void*> free_;           // capacity -> cached block
  std::unordered_map<void*, std::size_t> in_use_;    // block -> capacity, for blocks tensors hold
  std::size_t cached_bytes_ = 0;
  std::size_t cache_limit_ = detail::host_cache_default_on ? (std::size_t{2} << 30) : 0;
};

}  // namespace graphtx
