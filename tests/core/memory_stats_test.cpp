// graphtx::memory_stats<host>: bytes held by tensors now and at the peak (<graphtx/core/space.hpp>).
#include <catch2/catch.hpp>

#include <cstddef>
#include <utility>

#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>

TEST_CASE("memory_stats counts tensor bytes held and the peak since reset_peak", "[core][memory_stats]") {
  using stats = graphtx::memory_stats<graphtx::host>;
  std::size_t const base = stats::current();
  stats::reset_peak();
  CHECK(stats::peak() == base);
  {
    graphtx::Tensor<float, 2> a({100, 10});  // 4000 bytes
    CHECK(stats::current() == base + 4000);
    {
      graphtx::Tensor<double, 1> b({250});  // 2000 bytes
      CHECK(stats::current() == base + 6000);
    }
    CHECK(stats::current() == base + 4000);
    CHECK(stats::peak() == base + 6000);
    graphtx::Tensor<float, 2> moved = std::move(a);  // a move allocates nothing
    CHECK(stats::current() == base + 4000);
    graphtx::Tensor<float, 2> empty({0, 7});  // no bytes, no allocation
    CHECK(stats::current() == base + 4000);
  }
  CHECK(stats::current() == base);
  CHECK(stats::peak() == base + 6000);
  stats::reset_peak();
  CHECK(stats::peak() == base);
}
