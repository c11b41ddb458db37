// ops/thrust/graph_attention.hpp (the code the CUDA backend runs: one work item per (node, head),
// online softmax) built with g++ against Thrust's OpenMP device system: against the double
// reference on random batches (empty graphs, single-node graphs, a 700-node graph, rows outside
// every graph), and bitwise identical for 1 and 2 OpenMP threads.
//
// Tolerance: rtol 1e-5 / atol 1e-5, as tests/ops/graph_attention_test.cpp (the online rescaling
// adds a few roundings per output, still ~n u for n keys).

#include <catch2/catch.hpp>

#include <thrust/system/omp/execution_policy.h>

#include <omp.h>

#include <cstring>
#include <vector>

#include <graphtx/ops/reference/graph_attention.hpp>
#include <graphtx/ops/thrust/graph_attention.hpp>

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

}  // namespace

TEST_CASE("Thrust-OMP graph_attention matches the reference", "[omp][thrust][graph_attention]") {
  gx::test::rng_t rng(51);
  struct Case {
    index_t graphs;
    int max_len, heads;
    index_t d;
    int big;
  };
  for (auto cs : std::vector<Case>{{0, 3, 2, 4, 0}, {5, 0, 1, 8, 0}, {30, 6, 1, 1, 0}, {40, 20, 4, 16, 0},
                                   {4, 10, 2, 32, 700}, {64, 25, 32, 8, 0}}) {
    INFO("G=" << cs.graphs << " H=" << cs.heads << " d=" << cs.d << " big=" << cs.big);
    auto ptr = gx::test::random_offsets(rng, cs.graphs, cs.max_len);
    if (cs.big > 0)
      for (index_t g = cs.graphs / 2 + 1; g <= cs.graphs; ++g) ptr(g) += cs.big;
    index_t const in_graphs = ptr(cs.graphs), n = in_graphs + 2, e = cs.heads * cs.d;  // 2 rows outside
    auto q = gx::test::random_normal<float, 2>(rng, {n, e});
    auto k = gx::test::random_normal<float, 2>(rng, {n, e});
    auto v = gx::test::random_normal<float, 2>(rng, {n, e});
    auto out = same_for_1_and_2_threads([&] {
      auto y = gx::Tensor<float, 2>::filled({n, e}, 99.0f);
      tb::graph_attention(policy, q.data(), k.data(), v.data(), ptr.data(), cs.graphs, n, e, cs.heads, y.data());
      return y;
    });
    auto ref = gx::Tensor<double, 2>::filled({n, e}, 99.0);
    gx::ops::reference::graph_attention<double>(gx::test::convert<double>(q.cview()),
                                                gx::test::convert<double>(k.cview()),
                                                gx::test::convert<double>(v.cview()), ptr, cs.heads, ref.view());
    GRAPHTX_REQUIRE_CLOSE(out.cview(), ref.cview(), (Tolerance{1e-5, 1e-5}));
  }
}
