// The Thrust-backed embedding_sum (include/graphtx/ops/thrust/embedding_sum.hpp, the code the
// CUDA backend runs) built with g++ on Thrust's OpenMP system: the bad-index reduction finds the
// same first bad index as the host backend (also across passes of 16 tables), and the gather is
// bitwise the float reference (same left-to-right sum) and identical for 1 and 2 OpenMP threads;
// against the double reference at rtol 1e-6, atol K * 2.5e-7 (as tests/ops/embedding_sum_test.cpp).

#include <catch2/catch.hpp>

#include <thrust/system/omp/execution_policy.h>

#include <omp.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <graphtx/ops/embedding_sum.hpp>
#include <graphtx/ops/reference/embedding_sum.hpp>
#include <graphtx/ops/thrust/embedding_sum.hpp>

#include "support/compare.hpp"
#include "support/thrust_omp.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
namespace tb = graphtx::ops::thrust_backend;
using gx::index_t;
using gx::test::Tolerance;

using gx::test::same_for_1_and_2_threads;

namespace {

auto const policy = gx::test::omp_policy;

struct Tables {
  std::vector<gx::Tensor<float, 2>> owned;
  std::vector<gx::TensorView<float const, 2>> views;
  std::vector<float const*> data;
  std::vector<index_t> rows;
};
Tables random_tables(gx::test::rng_t& rng, index_t k, index_t d) {
  Tables t;
  for (index_t j = 0; j < k; ++j) t.owned.push_back(gx::test::random_normal<float, 2>(rng, {3 + (j * 7) % 11, d}));
  for (auto const& o : t.owned) {
    t.views.push_back(o.cview());
    t.data.push_back(o.data());
    t.rows.push_back(o.extent(0));
  }
  return t;
}
gx::Tensor<std::int64_t, 2> random_indices(gx::test::rng_t& rng, Tables const& t, index_t n) {
  index_t const k = static_cast<index_t>(t.rows.size());
  gx::Tensor<std::int64_t, 2> x({n, k});
  for (index_t i = 0; i < n; ++i) {
    for (index_t j = 0; j < k; ++j) {
      std::uniform_int_distribution<std::int64_t> r(0, t.rows[static_cast<std::size_t>(j)] - 1);
      x(i, j) = r(rng);
    }
  }
  return x;
}

// The check as the CUDA backend runs it: flags per row in the policy's memory, the first read back.
tb::embedding_bad_index find_bad(gx::Tensor<std::int64_t, 2> const& x, index_t n, index_t k,
                                 std::vector<index_t> const& rows) {
  std::vector<std::int64_t> flags(static_cast<std::size_t>(2 * n));
  tb::embedding_sum_flag_rows(policy, x.data(), n, k, rows.data(), flags.data());
  return tb::embedding_first_flagged(flags.data(), n, k);
}

}  // namespace

TEST_CASE("Thrust-OMP embedding_sum matches the reference bitwise, in one pass and in several",
          "[omp][thrust][embedding_sum]") {
  gx::test::rng_t rng(61);
  // K = 20 and 33 take two and three passes of embedding_tables_per_pass = 16 tables.
  for (index_t k : {0, 1, 3, 9, 16, 20, 33}) {
    for (index_t n : {0, 1, 300}) {
      INFO("N=" << n << " K=" << k);
      index_t const d = 24;
      auto t = random_tables(rng, k, d);
      auto x = random_indices(rng, t, n);
      REQUIRE(find_bad(x, n, k, t.rows).position == n * k);  // none

      auto out = same_for_1_and_2_threads([&] {
        gx::Tensor<float, 2> y({n, d});
        tb::embedding_sum(policy, x.data(), n, k, t.data.data(), d, y.data());
        return y;
      });
      gx::Tensor<float, 2> ref_f({n, d});
      gx::ops::reference::embedding_sum<float>(x, t.views, ref_f.view());
      REQUIRE((out.size_bytes() == 0 || std::memcmp(out.data(), ref_f.data(), out.size_bytes()) == 0));

      std::vector<gx::Tensor<double, 2>> td;
      std::vector<gx::TensorView<double const, 2>> tdv;
      for (auto const& v : t.views) td.push_back(gx::test::convert<double>(v));
      for (auto const& o : td) tdv.push_back(o.cview());
      gx::Tensor<double, 2> ref_d({n, d});
      gx::ops::reference::embedding_sum<double>(x, tdv, ref_d.view());
      GRAPHTX_REQUIRE_CLOSE(out.cview(), ref_d.cview(), (Tolerance{1e-6, 2.5e-7 * static_cast<double>(k)}));
    }
  }
}

TEST_CASE("Thrust-OMP embedding_sum finds the first bad index in row-major order, across passes",
          "[omp][thrust][embedding_sum]") {
  gx::test::rng_t rng(62);
  index_t const n = 50, k = 33, d = 4;
  auto t = random_tables(rng, k, d);
  auto x = random_indices(rng, t, n);
  // Bad indices at (9, 3) (first pass of 16 columns), (7, 32) (third pass), (7, 20) (second pass)
  // and (30, 0): the first in row-major order, (7, 20), is found in the second pass.
  x(9, 3) = -1;
  x(7, 32) = 1000;
  x(7, 20) = t.rows[20];
  x(30, 0) = std::numeric_limits<std::int64_t>::min();
  auto const bad = same_for_1_and_2_threads([&] {
    auto b = find_bad(x, n, k, t.rows);
    gx::Tensor<std::int64_t, 1> r({2});
    r(0) = b.position;
    r(1) = b.value;
    return r;
  });
  CHECK(bad(0) == 7 * k + 20);
  CHECK(bad(1) == t.rows[20]);
  // The host backend names the same index, with the message the CUDA backend builds from it.
  gx::Tensor<float, 2> out({n, d});
  auto const expected = gx::ops::detail::embedding_index_error("embedding_sum", bad(0) / k, bad(0) % k, bad(1),
                                                               t.rows[static_cast<std::size_t>(bad(0) % k)]);
  CHECK(std::string(expected.what()) == "embedding_sum: x[7, 20] = " + std::to_string(t.rows[20]) +
                                            " is out of range for table 20 with " + std::to_string(t.rows[20]) +
                                            " rows");
  REQUIRE_THROWS_WITH(gx::ops::embedding_sum(x, t.views, out.view()), expected.what());
}
