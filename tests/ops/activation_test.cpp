// ops::relu, gelu (both forms), elu, leaky_relu, silu, sigmoid, tanh (host) against
// ops::reference (double), on hand-checked values, special values and random inputs.
//
// Tolerances: relu and leaky_relu (slope 0.25, exact in float) are compared bitwise with the
// double reference. The transcendental ones are float libm calls in torch's float formulas against
// the textbook formula in double: rtol 1e-6 everywhere (a few ulp of the libm function), and an
// atol for the forms that cancel: gelu computes 1 + erf(x / sqrt 2) (or 1 + tanh(...)) in float,
// which for x < 0 loses about |x| u / 2 absolutely (u = 2^-24), so gelu gets atol 1e-6 for
// |x| <= 20 (measured on 2^20 samples of N(0, 4^2): max 4.5e-7); the others atol 1e-12 (only
// denormal-sized outputs need it; measured max relative error 1.6e-7).

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <graphtx/ops/activation.hpp>
#include <graphtx/ops/reference/activation.hpp>

#include "support/compare.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
using gx::index_t;
using gx::test::Tolerance;

namespace {

float const nan_f = std::numeric_limits<float>::quiet_NaN();
float const inf_f = std::numeric_limits<float>::infinity();

constexpr Tolerance gelu_tol{1e-6, 1e-6};
constexpr Tolerance transcendental_tol{1e-6, 1e-12};

// One activation: its host op, its double reference, its float reference, and its tolerance.
struct Activation {
  std::string name;
  std::function<void(gx::TensorView<float const, 2>, gx::TensorView<float, 2>)> host;
  std::function<void(gx::TensorView<double const, 2>, gx::TensorView<double, 2>)> ref;
  Tolerance tol;
};

std::vector<Activation> activations() {
  namespace ops = gx::ops;
  namespace ref = gx::ops::reference;
  using F = gx::TensorView<float const, 2>;
  using Fy = gx::TensorView<float, 2>;
  using D = gx::TensorView<double const, 2>;
  using Dy = gx::TensorView<double, 2>;
  return {
      {"relu", [](F x, Fy y) { ops::relu(x, y); }, [](D x, Dy y) { ref::relu<double>(x, y); }, {0, 0}},
      {"gelu", [](F x, Fy y) { ops::gelu(x, ops::gelu_approximate::none, y); },
       [](D x, Dy y) { ref::gelu<double>(x, ops::gelu_approximate::none, y); }, gelu_tol},
      {"gelu_tanh", [](F x, Fy y) { ops::gelu(x, ops::gelu_approximate::tanh, y); },
       [](D x, Dy y) { ref::gelu<double>(x, ops::gelu_approximate::tanh, y); }, gelu_tol},
      {"elu", [](F x, Fy y) { ops::elu(x, 1.0f, y); }, [](D x, Dy y) { ref::elu<double>(x, 1.0, y); },
       transcendental_tol},
      {"elu_alpha_0.5", [](F x, Fy y) { ops::elu(x, 0.5f, y); }, [](D x, Dy y) { ref::elu<double>(x, 0.5, y); },
       transcendental_tol},
      // slope 0.25 is exact in float and double, so the double reference is bitwise the float result.
      {"leaky_relu", [](F x, Fy y) { ops::leaky_relu(x, 0.25f, y); },
       [](D x, Dy y) { ref::leaky_relu<double>(x, 0.25, y); }, {0, 0}},
      {"silu", [](F x, Fy y) { ops::silu(x, y); }, [](D x, Dy y) { ref::silu<double>(x, y); }, transcendental_tol},
      {"sigmoid", [](F x, Fy y) { ops::sigmoid(x, y); }, [](D x, Dy y) { ref::sigmoid<double>(x, y); },
       transcendental_tol},
      {"tanh", [](F x, Fy y) { ops::tanh(x, y); }, [](D x, Dy y) { ref::tanh<double>(x, y); }, transcendental_tol},
  };
}

gx::Tensor<float, 2> row(std::vector<float> const& v) {
  gx::Tensor<float, 2> t({1, static_cast<index_t>(v.size())});
  for (std::size_t i = 0; i < v.size(); ++i) t.data()[i] = v[i];
  return t;
}

template <class Op>
std::vector<float> apply(Op op, std::vector<float> const& v) {
  auto x = row(v);
  gx::Tensor<float, 2> y({1, x.extent(1)});
  op(x.cview(), y.view());
  return std::vector<float>(y.data(), y.data() + y.size());
}

}  // namespace

TEST_CASE("relu zeroes negatives and propagates NaN on a hand-checked example", "[ops][activation]") {
  float const nan = std::numeric_limits<float>::quiet_NaN();
  float const inf = std::numeric_limits<float>::infinity();
  auto x = gx::Tensor<float, 2>::from({2, 4}, {-2.0f, 0.0f, 3.5f, nan, -inf, inf, -1e-30f, 1e-30f});
  gx::Tensor<float, 2> y({2, 4});
  gx::ops::relu(x, y.view());
  CHECK(y(0, 0) == 0.0f);
  CHECK(y(0, 1) == 0.0f);
  CHECK(y(0, 2) == 3.5f);
  CHECK(std::isnan(y(0, 3)));  // torch.relu(nan) is nan, not 0
  CHECK(y(1, 0) == 0.0f);
  CHECK(y(1, 1) == inf);
  CHECK(y(1, 2) == 0.0f);
  CHECK(y(1, 3) == 1e-30f);

  gx::Tensor<double, 2> yd({2, 4});
  gx::ops::reference::relu<double>(gx::test::convert<double>(x.cview()), yd.view());
  CHECK(std::isnan(yd(0, 3)));
  CHECK(yd(0, 0) == 0.0);
  CHECK(yd(0, 2) == 3.5);

  SECTION("in place") {
    gx::ops::relu(x, x.view());
    CHECK(x(0, 0) == 0.0f);
    CHECK(std::isnan(x(0, 3)));
    CHECK(x(0, 2) == 3.5f);
  }
}

TEST_CASE("relu matches the reference bitwise on random inputs", "[ops][activation]") {
  gx::test::rng_t rng(12);
  // (N, F): empty, F = 1, and one large enough for the OpenMP path (2^18 elements).
  auto [n, f] = GENERATE(table<index_t, index_t>({{0, 256}, {17, 1}, {33, 9}, {1024, 256}}));
  bool const in_place = GENERATE(false, true);
  CAPTURE(n, f, in_place);
  auto x = gx::test::random_normal<float, 2>(rng, {n, f});
  if (x.size() > 3) x.data()[3] = std::numeric_limits<float>::quiet_NaN();
  gx::Tensor<float, 2> ref({n, f});
  gx::ops::reference::relu<float>(x, ref.view());
  gx::Tensor<float, 2> y({n, f});
  if (in_place) {
    y = x.clone();
    gx::ops::relu(y, y.view());
  } else {
    gx::ops::relu(x, y.view());
  }
  GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), (gx::test::Tolerance{0.0, 0.0}));  // no arithmetic: exact
  if (x.size() > 3) CHECK(std::isnan(y.data()[3]));
}

TEST_CASE("relu reports the tensor, dim and extents of a shape mismatch", "[ops][activation]") {
  gx::Tensor<float, 2> x({3, 4});
  gx::Tensor<float, 2> y_rows({2, 4});
  REQUIRE_THROWS_AS(gx::ops::relu(x, y_rows.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::relu(x, y_rows.view()), Catch::Contains("relu: y has extent 2 in dim 0, expected 3"));
  gx::Tensor<float, 2> y_cols({3, 1});
  REQUIRE_THROWS_AS(gx::ops::relu(x, y_cols.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(gx::ops::relu(x, y_cols.view()), Catch::Contains("relu: y has extent 1 in dim 1, expected 4"));
  REQUIRE_THROWS_WITH(gx::ops::reference::relu<float>(x, y_cols.view()),
                      Catch::Contains("reference::relu: y has extent 1 in dim 1, expected 4"));
}

TEST_CASE("activations give torch's values on hand-checked points", "[ops][activation]") {
  namespace ops = gx::ops;
  // Values printed by torch 2.x (float32) to 7 digits: F.gelu, F.gelu(approximate="tanh"),
  // F.elu, F.leaky_relu, F.silu, torch.sigmoid, torch.tanh at -1, 0.5, 1, 2.
  std::vector<float> const x{-1.0f, 0.5f, 1.0f, 2.0f};
  auto near = [](std::vector<float> const& got, std::vector<double> const& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CAPTURE(i, got[i], want[i]);
      CHECK(got[i] == Approx(want[i]).epsilon(1e-6).margin(1e-7));
    }
  };
  near(apply([](auto a, auto b) { ops::gelu(a, ops::gelu_approximate::none, b); }, x),
       {-0.1586553, 0.3457312, 0.8413447, 1.9544997});
  near(apply([](auto a, auto b) { ops::gelu(a, ops::gelu_approximate::tanh, b); }, x),
       {-0.1588080, 0.3457140, 0.8411920, 1.9545977});
  near(apply([](auto a, auto b) { ops::elu(a, 1.0f, b); }, x), {-0.6321206, 0.5, 1.0, 2.0});
  near(apply([](auto a, auto b) { ops::elu(a, 2.0f, b); }, x), {-1.2642411, 0.5, 1.0, 2.0});
  near(apply([](auto a, auto b) { ops::leaky_relu(a, 0.01f, b); }, x), {-0.01, 0.5, 1.0, 2.0});
  near(apply([](auto a, auto b) { ops::silu(a, b); }, x), {-0.2689414, 0.3112297, 0.7310586, 1.7615942});
  near(apply([](auto a, auto b) { ops::sigmoid(a, b); }, x), {0.2689414, 0.6224593, 0.7310586, 0.8807971});
  near(apply([](auto a, auto b) { ops::tanh(a, b); }, x), {-0.7615942, 0.4621172, 0.7615942, 0.9640276});
}

TEST_CASE("activations propagate NaN and handle infinities, large |x| and -0.0 as torch", "[ops][activation]") {
  namespace ops = gx::ops;
  std::vector<float> const x{nan_f, inf_f, -inf_f, 100.0f, -100.0f, 1e30f, -1e30f, -0.0f, 0.0f};
  enum : std::size_t { i_nan, i_inf, i_ninf, i_100, i_n100, i_big, i_nbig, i_nzero, i_zero };
  auto is_neg_zero = [](float v) { return v == 0.0f && std::signbit(v); };
  auto is_pos_zero = [](float v) { return v == 0.0f && !std::signbit(v); };

  SECTION("gelu (exact)") {
    auto y = apply([](auto a, auto b) { ops::gelu(a, ops::gelu_approximate::none, b); }, x);
    CHECK(std::isnan(y[i_nan]));
    CHECK(y[i_inf] == inf_f);
    CHECK(std::isnan(y[i_ninf]));  // -inf * 0.5 * (1 + erf(-inf)) = -inf * 0: torch gives nan too
    CHECK(y[i_100] == 100.0f);
    CHECK(is_neg_zero(y[i_n100]));
    CHECK(y[i_big] == 1e30f);
    CHECK(is_neg_zero(y[i_nbig]));
    CHECK(is_neg_zero(y[i_nzero]));
    CHECK(is_pos_zero(y[i_zero]));
  }
  SECTION("gelu (tanh)") {
    auto y = apply([](auto a, auto b) { ops::gelu(a, ops::gelu_approximate::tanh, b); }, x);
    CHECK(std::isnan(y[i_nan]));
    CHECK(y[i_inf] == inf_f);
    CHECK(std::isnan(y[i_ninf]));
    CHECK(y[i_100] == 100.0f);
    CHECK(is_neg_zero(y[i_n100]));
    CHECK(y[i_big] == 1e30f);  // x^3 overflows to inf: tanh(inf) = 1, y = x
    CHECK(is_neg_zero(y[i_nbig]));
    CHECK(is_neg_zero(y[i_nzero]));
    CHECK(is_pos_zero(y[i_zero]));
  }
  SECTION("elu") {
    auto y = apply([](auto a, auto b) { ops::elu(a, 1.5f, b); }, x);
    CHECK(std::isnan(y[i_nan]));
    CHECK(y[i_inf] == inf_f);
    CHECK(y[i_ninf] == -1.5f);
    CHECK(y[i_100] == 100.0f);
    CHECK(y[i_n100] == -1.5f);
    CHECK(y[i_nbig] == -1.5f);
    CHECK(is_neg_zero(y[i_nzero]));  // expm1(-0) * alpha = -0
    CHECK(is_pos_zero(y[i_zero]));
  }
  SECTION("leaky_relu") {
    auto y = apply([](auto a, auto b) { ops::leaky_relu(a, 0.01f, b); }, x);
    CHECK(std::isnan(y[i_nan]));
    CHECK(y[i_inf] == inf_f);
    CHECK(y[i_ninf] == -inf_f);
    CHECK(y[i_n100] == -100.0f * 0.01f);
    CHECK(y[i_nbig] == -1e30f * 0.01f);
    CHECK(is_neg_zero(y[i_nzero]));
    CHECK(is_pos_zero(y[i_zero]));
  }
  SECTION("silu") {
    auto y = apply([](auto a, auto b) { ops::silu(a, b); }, x);
    CHECK(std::isnan(y[i_nan]));
    CHECK(y[i_inf] == inf_f);
    CHECK(std::isnan(y[i_ninf]));  // -inf / (1 + inf): torch's x / (1 + exp(-x)) gives nan too
    CHECK(y[i_100] == 100.0f);
    CHECK(is_neg_zero(y[i_n100]));  // exp(100) overflows: -100 / inf
    CHECK(y[i_big] == 1e30f);
    CHECK(is_neg_zero(y[i_nbig]));
    CHECK(is_neg_zero(y[i_nzero]));
    CHECK(is_pos_zero(y[i_zero]));
  }
  SECTION("sigmoid") {
    auto y = apply([](auto a, auto b) { ops::sigmoid(a, b); }, x);
    CHECK(std::isnan(y[i_nan]));
    CHECK(y[i_inf] == 1.0f);
    CHECK(is_pos_zero(y[i_ninf]));
    CHECK(y[i_100] == 1.0f);
    CHECK(is_pos_zero(y[i_n100]));
    CHECK(y[i_nzero] == 0.5f);
    CHECK(y[i_zero] == 0.5f);
  }
  SECTION("tanh") {
    auto y = apply([](auto a, auto b) { ops::tanh(a, b); }, x);
    CHECK(std::isnan(y[i_nan]));
    CHECK(y[i_inf] == 1.0f);
    CHECK(y[i_ninf] == -1.0f);
    CHECK(y[i_100] == 1.0f);
    CHECK(y[i_n100] == -1.0f);
    CHECK(is_neg_zero(y[i_nzero]));
    CHECK(is_pos_zero(y[i_zero]));
  }
  SECTION("the double reference agrees on every special value") {
    for (auto const& a : activations()) {
      CAPTURE(a.name);
      auto xf = row(x);
      gx::Tensor<float, 2> y({1, xf.extent(1)});
      a.host(xf.cview(), y.view());
      auto xd = gx::test::convert<double>(xf.cview());
      gx::Tensor<double, 2> yd({1, xf.extent(1)});
      a.ref(xd.cview(), yd.view());
      GRAPHTX_REQUIRE_CLOSE(y.cview(), yd.cview(), a.tol);  // NaN where the other is NaN, equal infinities
      for (index_t i = 0; i < y.size(); ++i) {
        CAPTURE(i);
        if (y.data()[i] == 0.0f) CHECK(std::signbit(y.data()[i]) == std::signbit(yd.data()[i]));
      }
    }
  }
}

TEST_CASE("activations match the double reference on random inputs, in and out of place", "[ops][activation]") {
  gx::test::rng_t rng(21);
  // (N, F): empty, F = 1, small, and one large enough for the OpenMP paths (2^18 elements).
  auto [n, f] = GENERATE(table<index_t, index_t>({{0, 256}, {17, 1}, {33, 9}, {1024, 256}}));
  bool const in_place = GENERATE(false, true);
  CAPTURE(n, f, in_place);
  // N(0, 4^2) covers the tails (|x| up to ~20) where exp over/underflows and gelu cancels.
  auto x = gx::test::random_normal<float, 2>(rng, {n, f}, 4.0);
  if (x.size() > 5) {
    x.data()[3] = nan_f;
    x.data()[4] = -0.0f;
    x.data()[5] = 1e-30f;
  }
  auto const xd = gx::test::convert<double>(x.cview());
  for (auto const& a : activations()) {
    CAPTURE(a.name);
    gx::Tensor<double, 2> ref({n, f});
    a.ref(xd.cview(), ref.view());
    gx::Tensor<float, 2> y({n, f});
    if (in_place) {
      y = x.clone();
      a.host(y.cview(), y.view());
    } else {
      a.host(x.cview(), y.view());
    }
    GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), a.tol);
    if (x.size() > 5) CHECK(std::isnan(y.data()[3]));
  }
}

TEST_CASE("every activation reports its name, the tensor, dim and extents of a shape mismatch",
          "[ops][activation]") {
  namespace ops = gx::ops;
  namespace ref = gx::ops::reference;
  gx::Tensor<float, 2> x({3, 4});
  gx::Tensor<float, 2> y_rows({2, 4});
  gx::Tensor<float, 2> y_cols({3, 1});
  REQUIRE_THROWS_AS(ops::gelu(x, ops::gelu_approximate::none, y_rows.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(ops::gelu(x, ops::gelu_approximate::tanh, y_rows.view()),
                      Catch::Contains("gelu: y has extent 2 in dim 0, expected 3"));
  REQUIRE_THROWS_WITH(ops::elu(x, 1.0f, y_cols.view()), Catch::Contains("elu: y has extent 1 in dim 1, expected 4"));
  REQUIRE_THROWS_WITH(ops::leaky_relu(x, 0.01f, y_cols.view()),
                      Catch::Contains("leaky_relu: y has extent 1 in dim 1, expected 4"));
  REQUIRE_THROWS_WITH(ops::silu(x, y_rows.view()), Catch::Contains("silu: y has extent 2 in dim 0, expected 3"));
  REQUIRE_THROWS_WITH(ops::sigmoid(x, y_cols.view()), Catch::Contains("sigmoid: y has extent 1 in dim 1, expected 4"));
  REQUIRE_THROWS_WITH(ops::tanh(x, y_rows.view()), Catch::Contains("tanh: y has extent 2 in dim 0, expected 3"));
  REQUIRE_THROWS_AS(ops::tanh(x, y_rows.view()), gx::shape_error);
  REQUIRE_THROWS_WITH(ref::gelu<float>(x, ops::gelu_approximate::none, y_cols.view()),
                      Catch::Contains("reference::gelu: y has extent 1 in dim 1, expected 4"));
  REQUIRE_THROWS_WITH(ref::silu<float>(x, y_rows.view()),
                      Catch::Contains("reference::silu: y has extent 2 in dim 0, expected 3"));
}
