// The Thrust-backed batch_norm (include/graphtx/ops/thrust/batch_norm.hpp, the code the CUDA
// backend runs) built with g++ on Thrust's OpenMP system: against the double reference, bitwise
// identical for 1 and 2 OpenMP threads, and bitwise equal to the host backend (both compute
// PyTorch CPU's float alpha/beta form in the same order; see ops/batch_norm.hpp).
//
// Tolerance against the reference: rtol 1e-5, atol 1e-4. The float form's error is ~3 u times the
// terms that cancel (|x alpha| + |mean alpha| + |b| <= ~40 here): <= ~1e-5 absolute; the tight,
// per-element bound is checked on the host backend in tests/ops/batch_norm_test.cpp, and this
// backend is bitwise equal to that one.

#include <catch2/catch.hpp>

#include <thrust/system/omp/execution_policy.h>

#include <omp.h>

#include <cstring>
#include <limits>

#include <graphtx/ops/batch_norm.hpp>
#include <graphtx/ops/reference/batch_norm.hpp>
#include <graphtx/ops/thrust/batch_norm.hpp>

#include "support/compare.hpp"
#include "support/thrust_omp.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
namespace tb = graphtx::ops::thrust_backend;
using gx::test::Tolerance;

using gx::test::same_for_1_and_2_threads;

namespace {

auto const policy = gx::test::omp_policy;

}  // namespace

TEST_CASE("Thrust-OMP batch_norm matches the reference and the host backend bitwise", "[omp][thrust][batch_norm]") {
  gx::test::rng_t rng(43);
  constexpr Tolerance tol{1e-5, 1e-4};
  for (gx::index_t n : {0, 1, 300}) {
    for (int affine : {0, 1, 2, 3}) {  // bit 0: weight, bit 1: bias
      INFO("N=" << n << " affine=" << affine);
      gx::index_t const c = 24;
      auto mean = gx::test::random_normal<float, 1>(rng, {c}, 2.0);
      auto var = gx::test::random_uniform<float, 1>(rng, {c}, 0.5, 2.0);
      auto w = gx::test::random_normal<float, 1>(rng, {c});
      auto b = gx::test::random_normal<float, 1>(rng, {c});
      auto x = gx::test::random_normal<float, 2>(rng, {n, c}, 2.0);
      for (gx::index_t i = 0; i < x.size(); ++i) x.data()[i] += mean(i % c);
      if (x.size() > 5) x.data()[5] = std::numeric_limits<float>::quiet_NaN();
      gx::TensorView<float const, 1> const weight = (affine & 1) ? w.cview() : gx::TensorView<float const, 1>{};
      gx::TensorView<float const, 1> const bias = (affine & 2) ? b.cview() : gx::TensorView<float const, 1>{};
      float const eps = 1e-5f;

      auto y = same_for_1_and_2_threads([&] {
        gx::Tensor<float, 2> out({n, c});
        tb::batch_norm(policy, x.data(), mean.data(), var.data(), (affine & 1) ? w.data() : nullptr,
                       (affine & 2) ? b.data() : nullptr, eps, n, c, out.data());
        return out;
      });

      gx::Tensor<double, 2> ref({n, c});
      gx::ops::reference::batch_norm<double>(
          gx::test::convert<double>(x.cview()), gx::test::convert<double>(mean.cview()),
          gx::test::convert<double>(var.cview()), gx::test::convert<double>(weight), gx::test::convert<double>(bias),
          static_cast<double>(eps), ref.view());
      GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), tol);

      gx::Tensor<float, 2> host({n, c});
      gx::ops::batch_norm(x, mean, var, weight, bias, eps, host.view());
      REQUIRE((y.size_bytes() == 0 || std::memcmp(y.data(), host.data(), y.size_bytes()) == 0));

      auto in_place = x.clone();  // y may alias x
      tb::batch_norm(policy, in_place.data(), mean.data(), var.data(), (affine & 1) ? w.data() : nullptr,
                     (affine & 2) ? b.data() : nullptr, eps, n, c, in_place.data());
      REQUIRE((y.size_bytes() == 0 || std::memcmp(y.data(), in_place.data(), y.size_bytes()) == 0));
    }
  }
}
