// nn/detail/fold_query.hpp (TransformerConv's query fold through DGEMM) against the scalar double
// loops it replaced (each entry a sum over c in order, in double, rounded once to float): every
// float within 1 ulp, at the seed layer's shape (H = 32, C = F = 256) and at odd small shapes,
// with and without the query bias; and the DGEMM result equal to the exact product where one
// exists (integer-valued weights).

#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <graphtx/nn/detail/fold_query.hpp>

#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

namespace {

// The fold as TransformerConv::prepare computed it before DGEMM: a[h*Fs + f][d] = sum_c wk[h*C+c][f] wq[h*C+c][d].
void loop_fold(gx::Tensor<float, 2> const& wq, gx::Tensor<float, 2> const& wk, gx::Tensor<float, 1> const& bq,
               index_t heads, gx::Tensor<float, 2>& a, gx::Tensor<float, 1>& u) {
  index_t const c_per = wq.extent(0) / heads, fd = wq.extent(1), fs = wk.extent(1);
  std::vector<double> row(static_cast<std::size_t>(fd));
  for (index_t h = 0; h < heads; ++h) {
    for (index_t f = 0; f < fs; ++f) {
      std::fill(row.begin(), row.end(), 0.0);
      double ub = 0.0;
      for (index_t c = 0; c < c_per; ++c) {
        double const k = wk(h * c_per + c, f);
        for (index_t d = 0; d < fd; ++d) row[static_cast<std::size_t>(d)] += k * static_cast<double>(wq(h * c_per + c, d));
        if (bq.extent(0) != 0) ub += k * static_cast<double>(bq(h * c_per + c));
      }
      for (index_t d = 0; d < fd; ++d) a(h * fs + f, d) = static_cast<float>(row[static_cast<std::size_t>(d)]);
      if (bq.extent(0) != 0) u(h * fs + f) = static_cast<float>(ub);
    }
  }
}

std::int64_t ulps(float x, float y) {
  auto key = [](float v) {  // monotone integer order of floats (-0 and +0 adjacent)
    std::int32_t const b = std::bit_cast<std::int32_t>(v);
    return b < 0 ? std::int64_t{INT32_MIN} - b : std::int64_t{b};
  };
  return std::llabs(key(x) - key(y));
}

}  // namespace

TEST_CASE("fold_query through DGEMM is within 1 ulp of the scalar double loops", "[nn][transformer_conv][fold]") {
  gx::test::rng_t rng(7);
  struct Shape {
    index_t heads, c, fs, fd;
    bool bias;
  };
  auto const s = GENERATE(Shape{32, 256, 256, 256, true}, Shape{3, 5, 7, 2, true}, Shape{1, 1, 1, 1, false},
                          Shape{4, 16, 9, 16, false}, Shape{2, 0, 3, 3, false});
  CAPTURE(s.heads, s.c, s.fs, s.fd, s.bias);
  auto const wq = gx::test::random_normal<float, 2>(rng, {s.heads * s.c, s.fd});
  auto const wk = gx::test::random_normal<float, 2>(rng, {s.heads * s.c, s.fs});
  auto const bq = s.bias ? gx::test::random_normal<float, 1>(rng, {s.heads * s.c}) : gx::Tensor<float, 1>({0});
  gx::Tensor<float, 2> a({s.heads * s.fs, s.fd}), a_loop({s.heads * s.fs, s.fd});
  gx::Tensor<float, 1> u({s.bias ? s.heads * s.fs : 0}), u_loop({s.bias ? s.heads * s.fs : 0});
  gx::nn::detail::fold_query(wq.cview(), wk.cview(), bq.cview(), s.heads, a.view(), u.view());
  loop_fold(wq, wk, bq, s.heads, a_loop, u_loop);
  std::int64_t worst = 0, differing = 0;
  for (index_t i = 0; i < a.size(); ++i) {
    std::int64_t const d = ulps(a.data()[i], a_loop.data()[i]);
    worst = std::max(worst, d);
    differing += d != 0;
  }
  for (index_t i = 0; i < u.size(); ++i) worst = std::max(worst, ulps(u.data()[i], u_loop.data()[i]));
  CAPTURE(differing, a.size());
  CHECK(worst <= 1);
  // A 1-ulp difference needs the double sum within ~2^-50 relative of a float rounding boundary.
  CHECK(differing * 1000 <= a.size() + 1000);
}

TEST_CASE("fold_query is exact where the product is exact (small integer weights)", "[nn][transformer_conv][fold]") {
  index_t const heads = 2, c = 3, f = 2;
  // Wq_h, Wk_h [3, 2] per head; A_h = Wk_h^T Wq_h [2, 2], u_h = Wk_h^T bq_h [2].
  auto wq = gx::Tensor<float, 2>::from({heads * c, f}, {1, 2, 3, 4, 5, 6, -1, 0, 2, 1, 0, -3});
  auto wk = gx::Tensor<float, 2>::from({heads * c, f}, {1, 0, 0, 1, 1, 1, 2, -1, 1, 1, 0, 2});
  auto bq = gx::Tensor<float, 1>::from({heads * c}, {1, 2, 3, 0, 1, -1});
  gx::Tensor<float, 2> a({heads * f, f});
  gx::Tensor<float, 1> u({heads * f});
  gx::nn::detail::fold_query(wq.cview(), wk.cview(), bq.cview(), heads, a.view(), u.view());
  // Head 0: Wk^T = [[1, 0, 1], [0, 1, 1]]; Wk^T Wq = [[6, 8], [8, 10]]; Wk^T bq = [4, 5].
  CHECK(a(0, 0) == 6.0f);
  CHECK(a(0, 1) == 8.0f);
  CHECK(a(1, 0) == 8.0f);
  CHECK(a(1, 1) == 10.0f);
  CHECK(u(0) == 4.0f);
  CHECK(u(1) == 5.0f);
  // Head 1: Wk^T = [[2, 1, 0], [-1, 1, 2]]; Wq = [[-1, 0], [2, 1], [0, -3]] -> [[0, 1], [3, -5]]; bq [0, 1, -1] -> [1, -1].
  CHECK(a(2, 0) == 0.0f);
  CHECK(a(2, 1) == 1.0f);
  CHECK(a(3, 0) == 3.0f);
  CHECK(a(3, 1) == -5.0f);
  CHECK(u(2) == 1.0f);
  CHECK(u(3) == -1.0f);
}
