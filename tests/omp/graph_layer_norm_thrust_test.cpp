// ops/thrust/graph_layer_norm.hpp (the code the CUDA backend runs) built with g++ against Thrust's
// OpenMP device system: against the double reference on random batches (empty graphs, a big
// graph, affine=False, batch = None), bitwise identical for 1 and 2 OpenMP threads, and bitwise
// equal to the host backend (both accumulate the same double sums in the same order).
//
// Tolerance: as tests/ops/graph_layer_norm_test.cpp, one float rounding: 2 u (|ref| + 1).

#include <catch2/catch.hpp>

#include <thrust/system/omp/execution_policy.h>

#include <omp.h>

#include <cstring>
#include <vector>

#include <graphtx/ops/graph_layer_norm.hpp>
#include <graphtx/ops/reference/graph_layer_norm.hpp>
#include <graphtx/ops/thrust/graph_layer_norm.hpp>

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

TEST_CASE("Thrust-OMP graph_layer_norm matches the reference and the host backend", "[omp][thrust][graph_layer_norm]") {
  gx::test::rng_t rng(31);
  struct Case {
    index_t graphs;
    int max_len;
    index_t c;
    bool affine;
    int big;
  };
  for (auto cs : std::vector<Case>{{0, 3, 4, true, 0}, {5, 0, 3, true, 0}, {30, 6, 1, false, 0},
                                   {10, 20, 24, true, 700}, {64, 25, 64, true, 0}}) {
    INFO("G=" << cs.graphs << " C=" << cs.c << " affine=" << cs.affine << " big=" << cs.big);
    auto ptr = gx::test::random_offsets(rng, cs.graphs, cs.max_len);
    if (cs.big > 0)
      for (index_t g = cs.graphs / 2 + 1; g <= cs.graphs; ++g) ptr(g) += cs.big;
    index_t const n = ptr(cs.graphs), c = cs.c;
    auto x = gx::test::random_normal<float, 2>(rng, {n, c});
    auto w = gx::test::random_normal<float, 1>(rng, {cs.affine ? c : 0});
    auto b = gx::test::random_normal<float, 1>(rng, {cs.affine ? c : 0});
    float const* wp = cs.affine ? w.data() : nullptr;
    float const* bp = cs.affine ? b.data() : nullptr;
    auto xd = gx::test::convert<double>(x.cview());
    auto wd = gx::test::convert<double>(w.cview());
    auto bd = gx::test::convert<double>(b.cview());

    for (bool unbatched : {false, true}) {
      INFO("unbatched=" << unbatched);
      index_t const graphs = unbatched ? 1 : cs.graphs;
      auto y = same_for_1_and_2_threads([&] {
        gx::Tensor<float, 2> out({n, c});
        gx::Tensor<double, 1> stats({2 * graphs});
        tb::graph_layer_norm(policy, x.data(), unbatched ? nullptr : ptr.data(), graphs, n, c, wp, bp, 1e-5f,
                             unbatched, stats.data(), out.data());
        return out;
      });
      gx::Tensor<double, 2> ref({n, c});
      gx::Tensor<float, 2> host({n, c});
      if (unbatched) {
        gx::ops::reference::graph_layer_norm_unbatched<double>(xd, wd, bd, static_cast<double>(1e-5f), ref.view());
        gx::ops::graph_layer_norm_unbatched(x, w, b, 1e-5f, host.view());
      } else {
        gx::ops::reference::graph_layer_norm<double>(xd, ptr, wd, bd, static_cast<double>(1e-5f), ref.view());
        gx::ops::graph_layer_norm(x, ptr, w, b, 1e-5f, host.view());
      }
      GRAPHTX_REQUIRE_CLOSE(y.cview(), ref.cview(), (Tolerance{2 * u, 2 * u}));
      REQUIRE(y.to_vector() == host.to_vector());
    }
  }
}
