// ops::embedding_sum (host; OGB's AtomEncoder / BondEncoder, torch.nn.Embedding for K = 1) against
// ops::reference::embedding_sum: bitwise with the float reference (same left-to-right sum in
// float), and against the double reference at rtol 1e-6, atol K * 2.5e-7: a float sum of K
// N(0, 1) terms rounds K - 1 times (worst case (K - 1) u sum |e|); measured max abs error on 2^20
// elements: 4.8e-7, 1.8e-6, 4.0e-6 for K = 3, 9, 20.

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <graphtx/ops/embedding_sum.hpp>
#include <graphtx/ops/reference/embedding_sum.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;
using gx::test::Tolerance;

namespace {

// OGB's full atom feature dims (ogb.utils.features.get_atom_feature_dims()), cycled for K > 9.
constexpr index_t atom_rows[] = {119, 5, 12, 12, 10, 6, 6, 2, 2};

struct Tables {
  std::vector<gx::Tensor<float, 2>> owned;
  std::vector<gx::TensorView<float const, 2>> views;
};
Tables random_tables(gx::test::rng_t& rng, index_t k, index_t d) {
  Tables t;
  for (index_t j = 0; j < k; ++j) t.owned.push_back(gx::test::random_normal<float, 2>(rng, {atom_rows[j % 9], d}));
  for (auto const& o : t.owned) t.views.push_back(o.cview());
  return t;
}
gx::Tensor<std::int64_t, 2> random_indices(gx::test::rng_t& rng, index_t n, index_t k) {
  gx::Tensor<std::int64_t, 2> x({n, k});
  for (index_t i = 0; i < n; ++i) {
    for (index_t j = 0; j < k; ++j) {
      std::uniform_int_distribution<std::int64_t> r(0, atom_rows[j % 9] - 1);
      x(i, j) = r(rng);
    }
  }
  return x;
}
bool bitwise_equal(gx::TensorView<float const, 2> a, gx::TensorView<float const, 2> b) {
  return a.extents() == b.extents() && (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
}

}  // namespace

TEST_CASE("embedding_sum on a hand-checked example", "[ops][embedding_sum]") {
  // K = 3 tables of D = 2: table k row r is (100 k + r, -(100 k + r) / 4).
  std::vector<gx::Tensor<float, 2>> owned;
  for (index_t k = 0; k < 3; ++k) {
    gx::Tensor<float, 2> t({4 + k, 2});
    for (index_t r = 0; r < 4 + k; ++r) {
      t(r, 0) = static_cast<float>(100 * k + r);
      t(r, 1) = -static_cast<float>(100 * k + r) / 4;
    }
    owned.push_back(std::move(t));
  }
  std::array<gx::TensorView<float const, 2>, 3> const tables{owned[0].cview(), owned[1].cview(), owned[2].cview()};
  auto x = gx::Tensor<std::int64_t, 2>::from({2, 3}, {0, 1, 2, 3, 4, 5});
  gx::Tensor<float, 2> out({2, 2});
  gx::ops::embedding_sum(x, tables, out.view());
  CHECK(out(0, 0) == 0.0f + 101.0f + 202.0f);
  CHECK(out(0, 1) == -(0.0f + 101.0f + 202.0f) / 4);
  CHECK(out(1, 0) == 3.0f + 104.0f + 205.0f);
  CHECK(out(1, 1) == -(3.0f + 104.0f + 205.0f) / 4);
}

TEST_CASE("embedding_sum with one table is torch.nn.Embedding: a bitwise gather", "[ops][embedding_sum]") {
  auto table = gx::Tensor<float, 2>::from({3, 2}, {-0.0f, 1.5f, std::numeric_limits<float>::quiet_NaN(), 2.0f,
                                                   std::numeric_limits<float>::infinity(), -3.0f});
  auto x = gx::Tensor<std::int64_t, 2>::from({4, 1}, {2, 0, 0, 1});
  std::array<gx::TensorView<float const, 2>, 1> const tables{table.cview()};
  gx::Tensor<float, 2> out({4, 2});
  gx::ops::embedding_sum(x, tables, out.view());
  CHECK(out(0, 0) == std::numeric_limits<float>::infinity());
  CHECK(out(0, 1) == -3.0f);
  CHECK((out(1, 0) == 0.0f && std::signbit(out(1, 0))));  // -0.0 kept (no 0 + e0)
  CHECK(out(2, 1) == 1.5f);
  CHECK(std::isnan(out(3, 0)));
}

TEST_CASE("embedding_sum matches the reference on random OGB-like features", "[ops][embedding_sum]") {
  gx::test::rng_t rng(51);
  // (N, K, D): empty, D = 1, BondEncoder-like K = 3, AtomEncoder K = 9 at D = 256 (large enough
  // for the OpenMP path), K = 20, and K = 0 (zeros).
  auto [n, k, d] = GENERATE(table<index_t, index_t, index_t>(
      {{0, 9, 16}, {7, 2, 1}, {50, 3, 64}, {300, 9, 256}, {40, 20, 8}, {5, 0, 4}}));
  CAPTURE(n, k, d);
  auto t = random_tables(rng, k, d);
  auto x = random_indices(rng, n, k);
  gx::Tensor<float, 2> out({n, d});
  gx::ops::embedding_sum(x, t.views, out.view());

  gx::Tensor<float, 2> ref_f({n, d});
  gx::ops::reference::embedding_sum<float>(x, t.views, ref_f.view());
  CHECK(bitwise_equal(out, ref_f));

  std::vector<gx::Tensor<double, 2>> td;
  std::vector<gx::TensorView<double const, 2>> tdv;
  for (auto const& v : t.views) td.push_back(gx::test::convert<double>(v));
  for (auto const& o : td) tdv.push_back(o.cview());
  gx::Tensor<double, 2> ref_d({n, d});
  gx::ops::reference::embedding_sum<double>(x, tdv, ref_d.view());
  GRAPHTX_REQUIRE_CLOSE(out.cview(), ref_d.cview(), (Tolerance{1e-6, 2.5e-7 * static_cast<double>(k)}));
  if (k == 0) {
    for (index_t i = 0; i < out.size(); ++i) CHECK(out.data()[i] == 0.0f);
  }
}

TEST_CASE("embedding_sum names the column, row, value and table size of a bad index", "[ops][embedding_sum]") {
  gx::test::rng_t rng(52);
  auto t = random_tables(rng, 3, 4);  // rows 119, 5, 12
  auto x = random_indices(rng, 6, 3);
  gx::Tensor<float, 2> out({6, 4});
  for (index_t i = 0; i < out.size(); ++i) out.data()[i] = 42.0f;
  using Catch::Contains;

  SECTION("too large") {
    x(3, 1) = 7;
    REQUIRE_THROWS_AS(gx::ops::embedding_sum(x, t.views, out.view()), gx::value_error);
    REQUIRE_THROWS_WITH(gx::ops::embedding_sum(x, t.views, out.view()),
                        Contains("embedding_sum: x[3, 1] = 7 is out of range for table 1 with 5 rows"));
    REQUIRE_THROWS_WITH(gx::ops::reference::embedding_sum<float>(x, t.views, out.view()),
                        Contains("reference::embedding_sum: x[3, 1] = 7 is out of range for table 1 with 5 rows"));
  }
  SECTION("equal to the row count") {
    x(0, 2) = 12;
    REQUIRE_THROWS_WITH(gx::ops::embedding_sum(x, t.views, out.view()),
                        Contains("embedding_sum: x[0, 2] = 12 is out of range for table 2 with 12 rows"));
  }
  SECTION("negative") {
    x(5, 0) = -1;
    REQUIRE_THROWS_WITH(gx::ops::embedding_sum(x, t.views, out.view()),
                        Contains("embedding_sum: x[5, 0] = -1 is out of range for table 0 with 119 rows"));
  }
  SECTION("the first bad index in row-major order is named") {
    x(4, 0) = 1000;
    x(2, 2) = -5;
    x(2, 1) = std::numeric_limits<std::int64_t>::max();
    REQUIRE_THROWS_WITH(
        gx::ops::embedding_sum(x, t.views, out.view()),
        Contains("embedding_sum: x[2, 1] = 9223372036854775807 is out of range for table 1 with 5 rows"));
  }
  // Checked before anything is written.
  for (index_t i = 0; i < out.size(); ++i) REQUIRE(out.data()[i] == 42.0f);
}

TEST_CASE("embedding_sum names the tensor, dim and extents of a shape mismatch", "[ops][embedding_sum]") {
  gx::test::rng_t rng(53);
  auto t = random_tables(rng, 3, 4);
  auto x = random_indices(rng, 6, 3);
  gx::Tensor<float, 2> out({6, 4}), out_rows({5, 4}), out_cols({6, 5});
  using Catch::Contains;
  std::span<gx::TensorView<float const, 2> const> const two(t.views.data(), 2);
  REQUIRE_THROWS_AS(gx::ops::embedding_sum(x, two, out.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::embedding_sum(x, two, out.view()),
                      Contains("embedding_sum: 2 tables given, expected 3 (one per column of x, which is [6, 3])"));
  REQUIRE_THROWS_WITH(gx::ops::embedding_sum(x, t.views, out_rows.view()),
                      Contains("embedding_sum: out has extent 5 in dim 0, expected 6"));
  REQUIRE_THROWS_WITH(gx::ops::embedding_sum(x, t.views, out_cols.view()),
                      Contains("embedding_sum: table 0 has extent 4 in dim 1, expected 5 (out's D)"));
  REQUIRE_THROWS_AS(gx::ops::reference::embedding_sum<float>(x, two, out.view()), gx::shape_error);
}
