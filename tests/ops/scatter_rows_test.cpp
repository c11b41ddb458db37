// ops::scatter_rows (host) against ops::reference::scatter_rows: a copy, so results must be
// bitwise identical (tolerance 0), and rows not named must keep their values.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include <graphtx/ops/reference/scatter_rows.hpp>
#include <graphtx/ops/scatter_rows.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

TEST_CASE("scatter_rows puts each row at its index on a hand-checked example", "[ops][scatter_rows]") {
  auto src = gx::Tensor<float, 2>::from({2, 2}, {1, 2, 3, 4});  // [M=2, F=2]
  auto rows = gx::Tensor<std::int32_t, 1>::from({2}, {3, 0});   // [M=2]
  auto dst = gx::Tensor<float, 2>::filled({4, 2}, -1.0f);      // [N=4, F=2]
  gx::ops::scatter_rows(src, rows, dst.view());
  CHECK(dst.to_vector() == std::vector<float>{3, 4, -1, -1, -1, -1, 1, 2});

  auto ref = gx::Tensor<float, 2>::filled({4, 2}, -1.0f);
  gx::ops::reference::scatter_rows<float>(src, rows, ref.view());
  CHECK(ref.to_vector() == dst.to_vector());
}

TEST_CASE("scatter_rows matches the reference bitwise on random inputs", "[ops][scatter_rows]") {
  gx::test::rng_t rng(7002);
  // (N, M, F): M = 0, N = 0, F = 0, F = 1, every row, and sizes large enough for the OpenMP path.
  auto [n, m, f] = GENERATE(table<index_t, index_t, index_t>(
      {{5, 0, 3}, {0, 0, 4}, {10, 7, 1}, {6, 4, 0}, {300, 300, 9}, {1000, 700, 256}}));
  CAPTURE(n, m, f);
  auto src = gx::test::random_normal<float, 2>(rng, {m, f});
  std::vector<std::int32_t> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), rng);
  gx::Tensor<std::int32_t, 1> rows({m});
  for (index_t r = 0; r < m; ++r) rows(r) = perm[static_cast<std::size_t>(r)];

  auto dst = gx::test::random_normal<float, 2>(rng, {n, f});
  auto ref = gx::test::convert<double>(dst.cview());
  gx::ops::scatter_rows(src, rows, dst.view());
  gx::ops::reference::scatter_rows<double>(gx::test::convert<double>(src.cview()), rows, ref.view());
  GRAPHTX_REQUIRE_CLOSE(dst.cview(), ref.cview(), (gx::test::Tolerance{0.0, 0.0}));  // a copy: exact
}

TEST_CASE("scatter_rows reports shape mismatches, and the reference reports bad indices", "[ops][scatter_rows]") {
  gx::Tensor<float, 2> src({2, 3});
  auto rows = gx::Tensor<std::int32_t, 1>::from({2}, {0, 3});
  gx::Tensor<float, 2> dst({4, 3});

  auto three_rows = gx::Tensor<std::int32_t, 1>::from({3}, {0, 1, 2});
  REQUIRE_THROWS_AS(gx::ops::scatter_rows(src, three_rows, dst.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::scatter_rows(src, three_rows, dst.view()),
                      Catch::Contains("scatter_rows: src has extent 2 in dim 0, expected 3"));
  gx::Tensor<float, 2> dst_cols({4, 2});
  REQUIRE_THROWS_WITH(gx::ops::scatter_rows(src, rows, dst_cols.view()),
                      Catch::Contains("scatter_rows: dst has extent 2 in dim 1, expected 3"));

  auto out_of_range = gx::Tensor<std::int32_t, 1>::from({2}, {0, 4});
  REQUIRE_THROWS_AS(gx::ops::reference::scatter_rows<float>(src, out_of_range, dst.view()), gx::graph_error);
  REQUIRE_THROWS_WITH(gx::ops::reference::scatter_rows<float>(src, out_of_range, dst.view()),
                      Catch::Contains("reference::scatter_rows: rows[1] is 4, expected in [0, 4)"));
  auto repeated = gx::Tensor<std::int32_t, 1>::from({2}, {2, 2});
  REQUIRE_THROWS_WITH(gx::ops::reference::scatter_rows<float>(src, repeated, dst.view()),
                      Catch::Contains("rows[1] is 2, already used by rows[0]"));
}
