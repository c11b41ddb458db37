// ops/thrust/gine_aggregate.hpp (the code the CUDA backend runs) built with g++ against Thrust's
// OpenMP device system: against the double reference on graphs with hubs, isolated nodes and
// E = 0, with and without the root term, bitwise identical for 1 and 2 OpenMP threads and bitwise
// equal to the host backend (same float operations in the same order).
//
// Tolerance: as tests/ops/gine_aggregate_test.cpp: (k + 2) u relatively for in-degree k, 4e-6
// absolutely (messages of |x|, |e| < 4 rounding across 0, and the root term's three roundings).

#include <catch2/catch.hpp>

#include <thrust/system/omp/execution_policy.h>

#include <omp.h>

#include <cstring>
#include <vector>

#include <graphtx/ops/gine_aggregate.hpp>
#include <graphtx/ops/reference/gine_aggregate.hpp>
#include <graphtx/ops/thrust/gine_aggregate.hpp>

#include "support/compare.hpp"
#include "support/thrust_omp.hpp"
#include "support/random.hpp"

namespace gx = graphtx;
namespace tb = graphtx::ops::thrust_backend;
using gx::index_t;
using gx::test::Tolerance;

using gx::test::same_for_1_and_2_threads;

namespace {

constexpr double u = 5.9604644775390625e-08;  // 2^-24
auto const policy = gx::test::omp_policy;

}  // namespace

TEST_CASE("Thrust-OMP gine_aggregate matches the reference and the host backend", "[omp][thrust][gine_aggregate]") {
  gx::test::rng_t rng(41);
  struct Case {
    index_t n_dst, n_src, c;
    int max_deg;
    bool hub;
  };
  for (auto cs : std::vector<Case>{{0, 2, 4, 3, false}, {50, 52, 8, 5, false}, {40, 43, 3, 4, true},
                                   {6, 6, 5, 0, false}, {20, 22, 128, 5, true}}) {
    INFO("N_dst=" << cs.n_dst << " C=" << cs.c << " hub=" << cs.hub);
    auto off = gx::test::random_offsets(rng, cs.n_dst, cs.max_deg);
    if (cs.hub && cs.n_dst > 0)
      for (index_t i = 1; i <= cs.n_dst; ++i) off(i) += 500;
    index_t const e = off(cs.n_dst);
    gx::Tensor<std::int32_t, 1> src({e});
    std::uniform_int_distribution<std::int32_t> s(0, static_cast<std::int32_t>(cs.n_src - 1));
    for (index_t p = 0; p < e; ++p) src(p) = s(rng);
    auto x = gx::test::random_uniform<float, 2>(rng, {cs.n_src, cs.c}, -4, 4);
    auto xd = gx::test::random_uniform<float, 2>(rng, {cs.n_dst, cs.c}, -4, 4);
    auto ea = gx::test::random_uniform<float, 2>(rng, {e, cs.c}, -4, 4);
    double kmax = 0;
    for (index_t i = 0; i < cs.n_dst; ++i) kmax = std::max(kmax, static_cast<double>(off(i + 1) - off(i)));
    auto x64 = gx::test::convert<double>(x.cview());
    auto xd64 = gx::test::convert<double>(xd.cview());
    auto ea64 = gx::test::convert<double>(ea.cview());

    for (bool root : {false, true}) {
      INFO("root=" << root);
      float const eps = root ? -0.3f : 0.0f;
      auto out = same_for_1_and_2_threads([&] {
        gx::Tensor<float, 2> y({cs.n_dst, cs.c});
        tb::gine_aggregate(policy, x.data(), ea.data(), off.data(), src.data(), root ? xd.data() : nullptr, eps,
                           cs.n_dst, cs.c, y.data());
        return y;
      });
      gx::Tensor<double, 2> ref({cs.n_dst, cs.c});
      gx::Tensor<float, 2> host({cs.n_dst, cs.c});
      if (root) {
        gx::ops::reference::gine_aggregate<double>(x64, ea64, off, src, xd64, eps, ref.view());
        gx::ops::gine_aggregate(x, ea, off, src, xd, eps, host.view());
      } else {
        gx::ops::reference::gine_aggregate<double>(x64, ea64, off, src, ref.view());
        gx::ops::gine_aggregate(x, ea, off, src, host.view());
      }
      GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.cview(), (Tolerance{(kmax + 2) * u * 1.001, 4e-6}));
      REQUIRE(out.to_vector() == host.to_vector());
    }
  }
}
