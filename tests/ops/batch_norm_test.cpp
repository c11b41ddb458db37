// ops::batch_norm (host; torch.nn.BatchNorm1d in eval mode) against a float replica of PyTorch
// CPU's arithmetic (bitwise) and against ops::reference::batch_norm in double.
//
// Tolerance against the double reference, per element: |y - ref| <= 5 u (|x alpha| + |mean alpha|
// + |b|) with u = 2^-24 and alpha = weight / sqrt(var + eps). torch's form rounds invstd, alpha,
// beta = b - mean alpha and x alpha + beta, so its error scales with the terms that cancel, not
// with |y| (an rtol/atol pair would have to be loose everywhere to cover it). Measured on
// 4096 x 256 random elements: max 3.3 u (terms), i.e. 9.7e-6 absolute where var is 0.01.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <graphtx/ops/batch_norm.hpp>
#include <graphtx/ops/reference/batch_norm.hpp>

#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;

namespace {

// Every element within 5 u (|x alpha| + |mean alpha| + |b|) of the double reference (see above).
void require_within_term_bound(gx::TensorView<float const, 2> y, gx::TensorView<double const, 2> ref,
                               gx::TensorView<float const, 2> x, gx::TensorView<float const, 1> mean,
                               gx::TensorView<float const, 1> var, gx::TensorView<float const, 1> weight,
                               gx::TensorView<float const, 1> bias, float eps) {
  double const u = std::ldexp(1.0, -24);
  index_t bad = 0, worst = -1;
  double worst_ratio = 0;
  for (index_t n = 0; n < x.extent(0); ++n) {
    for (index_t c = 0; c < x.extent(1); ++c) {
      double const a = double(y(n, c)), e = ref(n, c);
      if (std::isnan(a) && std::isnan(e)) continue;
      double const alpha = (weight.empty() ? 1.0 : double(weight(c))) / std::sqrt(double(var(c)) + double(eps));
      double const terms = std::fabs(double(x(n, c)) * alpha) + std::fabs(double(mean(c)) * alpha) +
                           (bias.empty() ? 0.0 : std::fabs(double(bias(c))));
      double const ratio = std::fabs(a - e) / (u * terms + 1e-300);
      if (!(ratio <= 5.0)) ++bad;
      if (worst < 0 || !(ratio <= worst_ratio)) {
        worst_ratio = ratio;
        worst = n * x.extent(1) + c;
      }
    }
  }
  INFO("worst flat index " << worst << ": error " << worst_ratio << " u (terms), " << bad << " elements over 5");
  REQUIRE(bad == 0);
}

// PyTorch CPU's eval-mode arithmetic written out in float (batch_norm_kernel.cpp): the op must
// reproduce it bitwise.
gx::Tensor<float, 2> torch_cpu_replica(gx::TensorView<float const, 2> x, gx::TensorView<float const, 1> mean,
                                       gx::TensorView<float const, 1> var, gx::TensorView<float const, 1> weight,
                                       gx::TensorView<float const, 1> bias, float eps) {
  gx::Tensor<float, 2> y(x.extents());
  for (index_t c = 0; c < x.extent(1); ++c) {
    float const invstd = 1 / std::sqrt(var(c) + eps);
    float const w = weight.empty() ? 1.0f : weight(c);
    float const b = bias.empty() ? 0.0f : bias(c);
    float const alpha = invstd * w;
    float const beta = b - mean(c) * alpha;
    for (index_t n = 0; n < x.extent(0); ++n) y(n, c) = x(n, c) * alpha + beta;
  }
  return y;
}

bool bitwise_equal(gx::TensorView<float const, 2> a, gx::TensorView<float const, 2> b) {
  return a.extents() == b.extents() && (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
}

struct Params {
  gx::Tensor<float, 1> mean, var, weight, bias;
};
Params random_params(gx::test::rng_t& rng, index_t c) {
  Params p;
  p.mean = gx::test::random_normal<float, 1>(rng, {c}, 2.0);
  p.var = gx::test::random_uniform<float, 1>(rng, {c}, 0.01, 4.0);
  p.weight = gx::test::random_normal<float, 1>(rng, {c});
  p.bias = gx::test::random_normal<float, 1>(rng, {c});
  return p;
}

}  // namespace

TEST_CASE("batch_norm on a hand-checked example, affine and not", "[ops][batch_norm]") {
  // C = 2: mean (1, -2), var (4 - eps, 0.25 - eps) so that sqrt(var + eps) is (2, 0.5) up to rounding.
  float const eps = 1e-5f;
  auto x = gx::Tensor<float, 2>::from({2, 2}, {3.0f, -2.0f, -1.0f, -1.0f});
  auto mean = gx::Tensor<float, 1>::from({2}, {1.0f, -2.0f});
  auto var = gx::Tensor<float, 1>::from({2}, {4.0f - eps, 0.25f - eps});
  auto w = gx::Tensor<float, 1>::from({2}, {0.5f, 3.0f});
  auto b = gx::Tensor<float, 1>::from({2}, {10.0f, -1.0f});
  gx::Tensor<float, 2> y({2, 2});
  gx::ops::batch_norm(x, mean, var, w, b, eps, y.view());
  CHECK(y(0, 0) == Approx(10.5).epsilon(1e-6));  // (3 - 1) / 2 * 0.5 + 10
  CHECK(y(0, 1) == Approx(-1.0).margin(1e-6));   // (-2 + 2) / 0.5 * 3 - 1
  CHECK(y(1, 0) == Approx(9.5).epsilon(1e-6));   // (-1 - 1) / 2 * 0.5 + 10
  CHECK(y(1, 1) == Approx(5.0).epsilon(1e-6));   // (-1 + 2) / 0.5 * 3 - 1

  gx::ops::batch_norm(x, mean, var, {}, {}, eps, y.view());  // affine=False
  CHECK(y(0, 0) == Approx(1.0).epsilon(1e-6));
  CHECK(y(0, 1) == Approx(0.0).margin(1e-6));
  CHECK(y(1, 0) == Approx(-1.0).epsilon(1e-6));
  CHECK(y(1, 1) == Approx(2.0).epsilon(1e-6));
}

TEST_CASE("batch_norm reproduces PyTorch CPU's float arithmetic bitwise and the double reference closely",
          "[ops][batch_norm]") {
  gx::test::rng_t rng(41);
  // (N, C): empty, C = 1, small, and one large enough for the OpenMP path (2^18 elements).
  auto [n, c] = GENERATE(table<index_t, index_t>({{0, 16}, {5, 0}, {17, 1}, {33, 9}, {1024, 256}}));
  int const affine = GENERATE(0, 1, 2, 3);  // bit 0: weight, bit 1: bias
  bool const in_place = GENERATE(false, true);
  CAPTURE(n, c, affine, in_place);
  auto p = random_params(rng, c);
  auto x = gx::test::random_normal<float, 2>(rng, {n, c}, 3.0);
  for (index_t i = 0; i < x.size(); ++i) x.data()[i] += p.mean(i % c);  // around each channel's mean
  if (x.size() > 3) x.data()[3] = std::numeric_limits<float>::quiet_NaN();
  gx::TensorView<float const, 1> const weight = (affine & 1) ? p.weight.cview() : gx::TensorView<float const, 1>{};
  gx::TensorView<float const, 1> const bias = (affine & 2) ? p.bias.cview() : gx::TensorView<float const, 1>{};
  float const eps = 1e-5f;

  gx::Tensor<float, 2> y({n, c});
  if (in_place) {
    y = x.clone();
    gx::ops::batch_norm(y, p.mean, p.var, weight, bias, eps, y.view());
  } else {
    gx::ops::batch_norm(x, p.mean, p.var, weight, bias, eps, y.view());
  }
  auto const torch_y = torch_cpu_replica(x, p.mean, p.var, weight, bias, eps);
  CHECK(bitwise_equal(y, torch_y));

  auto const xd = gx::test::convert<double>(x.cview());
  auto const md = gx::test::convert<double>(p.mean.cview());
  auto const vd = gx::test::convert<double>(p.var.cview());
  auto const wd = gx::test::convert<double>(weight);
  auto const bd = gx::test::convert<double>(bias);
  gx::Tensor<double, 2> ref({n, c});
  gx::ops::reference::batch_norm<double>(xd, md, vd, wd, bd, static_cast<double>(eps), ref.view());
  require_within_term_bound(y, ref, x, p.mean, p.var, weight, bias, eps);
  if (x.size() > 3) CHECK(std::isnan(y.data()[3]));
}

TEST_CASE("batch_norm computes through bad statistics as torch does", "[ops][batch_norm]") {
  float const inf = std::numeric_limits<float>::infinity();
  auto x = gx::Tensor<float, 2>::from({1, 4}, {1.0f, 1.0f, inf, 2.0f});
  auto mean = gx::Tensor<float, 1>::from({4}, {0.0f, 0.0f, 0.0f, 2.0f});
  auto var = gx::Tensor<float, 1>::from({4}, {-1.0f, 0.0f, 1.0f, 1.0f});  // negative variance: NaN
  gx::Tensor<float, 2> y({1, 4});
  gx::ops::batch_norm(x, mean, var, {}, {}, 0.0f, y.view());
  CHECK(std::isnan(y(0, 0)));   // sqrt(-1)
  // var + eps = 0: invstd = inf and beta = 0 - mean * inf = 0 - 0 * inf = NaN, so torch's CPU
  // form gives NaN where the textbook (1 - 0) / 0 would give inf.
  CHECK(std::isnan(y(0, 1)));
  CHECK(y(0, 2) == inf);
  CHECK(y(0, 3) == 0.0f);
}

TEST_CASE("batch_norm names the tensor, dim and extents of a shape mismatch", "[ops][batch_norm]") {
  gx::Tensor<float, 2> x({3, 4});
  gx::Tensor<float, 1> c4({4}), c3({3});
  gx::Tensor<float, 2> y({3, 4}), y_rows({2, 4}), y_cols({3, 5});
  using Catch::Contains;
  REQUIRE_THROWS_AS(gx::ops::batch_norm(x, c3, c4, c4, c4, 1e-5f, y.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::batch_norm(x, c3, c4, c4, c4, 1e-5f, y.view()),
                      Contains("batch_norm: running_mean has extent 3 in dim 0, expected 4"));
  REQUIRE_THROWS_WITH(gx::ops::batch_norm(x, c4, c3, c4, c4, 1e-5f, y.view()),
                      Contains("batch_norm: running_var has extent 3 in dim 0, expected 4"));
  REQUIRE_THROWS_WITH(gx::ops::batch_norm(x, c4, c4, c3, c4, 1e-5f, y.view()),
                      Contains("batch_norm: weight has extent 3 in dim 0, expected 4 (x's C), or an empty view"));
  REQUIRE_THROWS_WITH(gx::ops::batch_norm(x, c4, c4, {}, c3, 1e-5f, y.view()),
                      Contains("batch_norm: bias has extent 3 in dim 0, expected 4"));
  REQUIRE_THROWS_WITH(gx::ops::batch_norm(x, c4, c4, c4, c4, 1e-5f, y_rows.view()),
                      Contains("batch_norm: y has extent 2 in dim 0, expected 3"));
  REQUIRE_THROWS_WITH(gx::ops::batch_norm(x, c4, c4, c4, c4, 1e-5f, y_cols.view()),
                      Contains("batch_norm: y has extent 5 in dim 1, expected 4"));
  REQUIRE_THROWS_WITH(gx::ops::reference::batch_norm<float>(x, c4, c4, c3, c4, 1e-5, y.view()),
                      Contains("reference::batch_norm: weight has extent 3 in dim 0, expected 4"));
}
