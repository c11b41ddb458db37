// graphtx::host_block_cache: large host blocks kept across forwards (<graphtx/core/host_memory.hpp>).
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>

#include <graphtx/core/host_memory.hpp>
#include <graphtx/core/tensor.hpp>

namespace {
// Restores the cache limit a test changed.
struct limit_guard {
  std::size_t saved = graphtx::host_block_cache::instance().cache_limit();
  ~limit_guard() { graphtx::host_block_cache::instance().set_cache_limit(saved); }
};
}  // namespace

TEST_CASE("host_block_cache reuses large blocks, aligns them and respects its limit", "[core][host_memory]") {
  auto& cache = graphtx::host_block_cache::instance();
  limit_guard guard;
  cache.set_cache_limit(std::size_t{1} << 30);
  cache.trim();
  REQUIRE(cache.cached_bytes() == 0);

  float const* first = nullptr;
  {
    graphtx::Tensor<float, 2> a({1000, 1000});  // 4 MB: from the cache's allocator
    first = a.data();
    CHECK(reinterpret_cast<std::uintptr_t>(first) % graphtx::host_block_cache::granule == 0);
    a(999, 999) = 1.0f;  // the whole block is usable
  }
  CHECK(cache.cached_bytes() == std::size_t{4} << 20);  // 4,000,000 bytes rounded up to 2 MiB granules
  {
    graphtx::Tensor<float, 2> b({1000, 1000});  // the same size again: the cached block
    CHECK(b.data() == first);
    CHECK(cache.cached_bytes() == 0);
    graphtx::Tensor<float, 2> c({3000, 1000});  // 12 MB: nothing cached fits, a new block
    CHECK(c.data() != first);
  }
  CHECK(cache.cached_bytes() == (std::size_t{4} << 20) + (std::size_t{12} << 20));
  {
    // 2.2 MB fits a cached 4 MiB block by size but would waste more than 25% of it: a new block.
    graphtx::Tensor<float, 1> d({550'000});
    CHECK(d.data() != first);
  }
  SECTION("small tensors never touch the cache") {
    std::size_t const before = cache.cached_bytes();
    { graphtx::Tensor<float, 1> s({1000}); }
    CHECK(cache.cached_bytes() == before);
  }
  SECTION("set_cache_limit evicts the largest blocks first; 0 turns caching off") {
    cache.set_cache_limit(std::size_t{8} << 20);
    CHECK(cache.cached_bytes() <= std::size_t{8} << 20);
    cache.set_cache_limit(0);
    CHECK(cache.cached_bytes() == 0);
    { graphtx::Tensor<float, 2> e({1000, 1000}); }
    CHECK(cache.cached_bytes() == 0);
  }
  SECTION("trim frees everything cached") {
    cache.trim();
    CHECK(cache.cached_bytes() == 0);
  }
}
