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
    // 2.2 MB needs a 4 MiB block (2 MiB granules) either way: the cached 4 MiB block serves it.
    graphtx::Tensor<float, 1> d({550'000});
    CHECK(d.data() == first);
    // 5 MB needs 6 MiB; the cached 12 MiB block would waste half of it: a new block.
    graphtx::Tensor<float, 1> big({1'250'000});
    CHECK(cache.cached_bytes() == std::size_t{12} << 20);
  }
  CHECK(cache.cached_bytes() == (std::size_t{4} << 20) + (std::size_t{6} << 20) + (std::size_t{12} << 20));
  SECTION("repeating one sequence of sizes reuses the same blocks: the cache stops growing") {
    // The sizes of a seed-model forward at G = 256 that grew the cache by 84 MiB per forward before
    // allocate() compared the rounded size: [2661, 256] and [2993, 256] floats (2.7 and 3.1 MB).
    auto round = [] {
      graphtx::Tensor<float, 2> a({2661, 256}), b({2993, 256}), c({2661, 256});
      a(0, 0) = b(0, 0) = c(0, 0) = 1.0f;
    };
    round();
    std::size_t const after_first = cache.cached_bytes();
    for (int i = 0; i < 10; ++i) round();
    CHECK(cache.cached_bytes() == after_first);
  }
  SECTION("mid-size blocks (128 KiB to 2 MiB) are cached too, in 64 KiB steps, 64-byte aligned") {
    std::size_t const before = cache.cached_bytes();
    float const* mid = nullptr;
    {
      graphtx::Tensor<float, 2> m({20, 8192});  // 640 KiB: a one-molecule seed temporary
      mid = m.data();
      CHECK(reinterpret_cast<std::uintptr_t>(mid) % 64 == 0);
      m(19, 8191) = 1.0f;
    }
    CHECK(cache.cached_bytes() == before + (std::size_t{640} << 10));
    {
      graphtx::Tensor<float, 2> again({20, 8192});
      CHECK(again.data() == mid);
      graphtx::Tensor<float, 1> below({32'000});  // 125 KiB: below the cache, plain operator new
      CHECK(cache.cached_bytes() == before);
    }
    CHECK(cache.cached_bytes() == before + (std::size_t{640} << 10));
    STATIC_REQUIRE(graphtx::host_block_cache::capacity_for(std::size_t{200} << 10) == std::size_t{256} << 10);
    STATIC_REQUIRE(graphtx::host_block_cache::capacity_for((std::size_t{2} << 20) + 1) == std::size_t{4} << 20);
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
