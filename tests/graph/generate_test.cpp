// graph/generate.hpp: the molecule-like batch generator, above all the seed batch
// generate_molecule_batch(512, seed, 7170) that benchmarks and examples use (docs/seed_model.md,
// The seed batch: G = 512, N = 7170, E about 14,770). All checks are exact counts or structural
// properties.

#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include <graphtx/graph/convert.hpp>
#include <graphtx/graph/generate.hpp>

namespace gx = graphtx;
using gx::graph::node_t;

namespace {

// Structure every generated batch must have: valid CSR, no self-loops, every edge inside one
// molecule, bonds as interleaved pairs (i, j), (j, i), x [N, 9] of OGB-like categories whose
// degree feature equals the atom's actual bond count.
void check_molecule_batch(gx::graph::Batch<> const& b) {
  REQUIRE_NOTHROW(gx::graph::validate(b.csr));
  REQUIRE(b.x.extent(0) == b.num_nodes());
  REQUIRE(b.x.extent(1) == 9);
  REQUIRE(b.ptr.extent(0) == b.num_graphs + 1);
  REQUIRE(b.ptr(b.num_graphs) == b.num_nodes());
  auto coo = gx::graph::to_coo(b.csr);
  REQUIRE(coo.num_edges() % 2 == 0);
  std::set<std::pair<node_t, node_t>> bonds;
  for (gx::index_t k = 0; k < coo.num_edges(); k += 2) {
    node_t const s = coo.src(k), d = coo.dst(k);
    REQUIRE(s != d);                                                   // no self-loops
    REQUIRE(b.batch(s) == b.batch(d));                                 // inside one molecule
    REQUIRE((coo.src(k + 1) == d && coo.dst(k + 1) == s));             // (i, j) then (j, i)
    REQUIRE(bonds.insert({std::min(s, d), std::max(s, d)}).second);    // no bond twice
  }
  auto deg = gx::graph::in_degree(b.csr);
  for (gx::index_t a = 0; a < b.num_nodes(); ++a) {
    REQUIRE(b.x(a, 2) == static_cast<float>(deg(a)));                 // OGB degree feature
    REQUIRE(b.x(a, 0) >= 0.0f);
    REQUIRE(b.x(a, 0) < 119.0f);                                       // atomic number index (119 categories)
    for (int c = 0; c < 9; ++c) REQUIRE(b.x(a, c) == static_cast<float>(static_cast<int>(b.x(a, c))));  // integers
  }
  for (gx::index_t g = 0; g < b.num_graphs; ++g) {
    if (b.ptr(g + 1) - b.ptr(g) == 1) REQUIRE(deg(b.ptr(g)) == 0);    // a single atom has no edges
  }
}

}  // namespace

TEST_CASE("the seed batch has G = 512, N = 7170 exactly and E near 14,770", "[graph][generate]") {
  auto b = gx::graph::generate_molecule_batch(512, 0, 7170);
  REQUIRE(b.num_graphs == 512);
  REQUIRE(b.num_nodes() == 7170);
  REQUIRE(b.num_edges() >= 14400);
  REQUIRE(b.num_edges() <= 15100);
  int singles = 0;
  for (gx::index_t g = 0; g < b.num_graphs; ++g) singles += b.ptr(g + 1) - b.ptr(g) == 1;
  REQUIRE(singles > 0);  // one-atom molecules with no edges are part of the workload
  REQUIRE(singles < 26);  // ... but only a few (about 1%)
  // Rings per molecule: E / 2 bonds = N - G tree bonds + rings; PCQM4Mv2 has about 1.42.
  double const rings = static_cast<double>(b.num_edges() / 2 - (b.num_nodes() - b.num_graphs)) / 512.0;
  REQUIRE(rings > 1.3);
  REQUIRE(rings < 1.55);
  check_molecule_batch(b);
}

TEST_CASE("the generator is deterministic for a seed and differs between seeds", "[graph][generate]") {
  auto b = gx::graph::generate_molecule_batch(512, 0, 7170);
  auto again = gx::graph::generate_molecule_batch(512, 0, 7170);
  REQUIRE(again.x.to_vector() == b.x.to_vector());
  REQUIRE(again.csr.offsets.to_vector() == b.csr.offsets.to_vector());
  REQUIRE(again.csr.sources.to_vector() == b.csr.sources.to_vector());
  REQUIRE(again.csr.edge_ids.to_vector() == b.csr.edge_ids.to_vector());
  REQUIRE(again.ptr.to_vector() == b.ptr.to_vector());
  auto other = gx::graph::generate_molecule_batch(512, 1, 7170);
  REQUIRE(other.num_nodes() == 7170);
  REQUIRE(other.ptr.to_vector() != b.ptr.to_vector());
  REQUIRE(other.x.to_vector() != b.x.to_vector());
}

TEST_CASE("the generator hits other exact sizes and works without one", "[graph][generate]") {
  for (std::uint64_t seed : {2u, 3u, 11u}) {
    INFO("seed " << seed);
    auto small = gx::graph::generate_molecule_batch(10, seed, 100);
    REQUIRE(small.num_graphs == 10);
    REQUIRE(small.num_nodes() == 100);
    check_molecule_batch(small);
    auto all_single = gx::graph::generate_molecule_batch(7, seed, 7);  // every molecule one atom
    REQUIRE(all_single.num_nodes() == 7);
    REQUIRE(all_single.num_edges() == 0);
    auto free_size = gx::graph::generate_molecule_batch(40, seed);
    REQUIRE(free_size.num_graphs == 40);
    for (gx::index_t g = 0; g < 40; ++g) {
      auto const n = free_size.ptr(g + 1) - free_size.ptr(g);
      REQUIRE((n == 1 || (n >= 4 && n <= 24)));
    }
    check_molecule_batch(free_size);
  }
  auto none = gx::graph::generate_molecule_batch(0, 0, 0);
  REQUIRE(none.num_graphs == 0);
  REQUIRE(none.num_nodes() == 0);
}

TEST_CASE("the generator refuses sizes it cannot make", "[graph][generate][errors]") {
  REQUIRE_THROWS_AS(gx::graph::generate_molecule_batch(10, 0, 9), gx::graph_error);
  REQUIRE_THROWS_WITH(gx::graph::generate_molecule_batch(10, 0, 9),
                      "generate_molecule_batch: cannot make 10 molecules of 1..60 atoms with exactly 9 atoms in total");
  REQUIRE_THROWS_WITH(gx::graph::generate_molecule_batch(2, 0, 121), Catch::Contains("exactly 121 atoms"));
  REQUIRE_THROWS_WITH(gx::graph::generate_molecule_batch(-1, 0),
                      "generate_molecule_batch: number of graphs is negative (-1)");
}
