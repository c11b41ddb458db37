// ops::gather_rows (host) against ops::reference::gather_rows: a copy, so results must be
// bitwise identical (tolerance 0).

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <vector>

#include <graphtx/ops/gather_rows.hpp>
#include <graphtx/ops/reference/gather_rows.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

TEST_CASE("gather_rows copies the indexed rows on a hand-checked example", "[ops][gather_rows]") {
  auto src = gx::Tensor<float, 2>::from({3, 2}, {0, 1, 10, 11, 20, 21});  // [M=3, F=2]
  auto rows = gx::Tensor<std::int32_t, 1>::from({4}, {2, 0, 2, 1});        // [E=4], repeats allowed
  gx::Tensor<float, 2> dst({4, 2});
  gx::ops::gather_rows(src, rows, dst.view());
  CHECK(dst.to_vector() == std::vector<float>{20, 21, 0, 1, 20, 21, 10, 11});

  gx::Tensor<float, 2> ref({4, 2});
  gx::ops::reference::gather_rows<float>(src, rows, ref.view());
  CHECK(ref.to_vector() == dst.to_vector());
}

TEST_CASE("gather_rows matches the reference bitwise on random inputs", "[ops][gather_rows]") {
  gx::test::rng_t rng(7001);
  // (M, E, F): E = 0, M = 0 with E = 0, F = 1, F = 0, and sizes large enough for the OpenMP path.
  auto [m, e_count, f] = GENERATE(table<index_t, index_t, index_t>(
      {{5, 0, 3}, {0, 0, 4}, {10, 25, 1}, {6, 4, 0}, {300, 1000, 9}, {200, 700, 256}}));
  CAPTURE(m, e_count, f);
  auto src = gx::test::random_normal<float, 2>(rng, {m, f});
  gx::Tensor<std::int32_t, 1> rows({e_count});
  std::uniform_int_distribution<std::int32_t> pick(0, static_cast<std::int32_t>(m > 0 ? m - 1 : 0));
  for (index_t e = 0; e < e_count; ++e) rows(e) = pick(rng);

  auto dst = gx::Tensor<float, 2>::filled({e_count, f}, -1.0f);
  gx::ops::gather_rows(src, rows, dst.view());
  gx::Tensor<double, 2> ref({e_count, f});
  gx::ops::reference::gather_rows<double>(gx::test::convert<double>(src.cview()), rows, ref.view());
  GRAPHTX_REQUIRE_CLOSE(dst.cview(), ref.cview(), (gx::test::Tolerance{0.0, 0.0}));  // a copy: exact
}

TEST_CASE("gather_rows reports shape mismatches, and the reference reports bad indices", "[ops][gather_rows]") {
  gx::Tensor<float, 2> src({4, 3});
  auto rows = gx::Tensor<std::int32_t, 1>::from({2}, {0, 3});
  gx::Tensor<float, 2> dst({2, 3});

  gx::Tensor<float, 2> dst_rows({3, 3});
  REQUIRE_THROWS_AS(gx::ops::gather_rows(src, rows, dst_rows.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::gather_rows(src, rows, dst_rows.view()),
                      Catch::Contains("gather_rows: dst has extent 3 in dim 0, expected 2"));
  gx::Tensor<float, 2> dst_cols({2, 2});
  REQUIRE_THROWS_AS(gx::ops::gather_rows(src, rows, dst_cols.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::gather_rows(src, rows, dst_cols.view()),
                      Catch::Contains("gather_rows: dst has extent 2 in dim 1, expected 3"));

  auto bad = gx::Tensor<std::int32_t, 1>::from({2}, {0, 4});
  REQUIRE_THROWS_AS(gx::ops::reference::gather_rows<float>(src, bad, dst.view()), gx::graph_error);
  REQUIRE_THROWS_WITH(gx::ops::reference::gather_rows<float>(src, bad, dst.view()),
                      Catch::Contains("reference::gather_rows: rows[1] is 4, expected in [0, 4)"));
  auto negative = gx::Tensor<std::int32_t, 1>::from({2}, {-1, 0});
  REQUIRE_THROWS_WITH(gx::ops::reference::gather_rows<float>(src, negative, dst.view()),
                      Catch::Contains("rows[0] is -1"));
  REQUIRE_THROWS_WITH(gx::ops::reference::gather_rows<float>(src, rows, dst_cols.view()),
                      Catch::Contains("reference::gather_rows: dst has extent 2 in dim 1, expected 3"));
}
