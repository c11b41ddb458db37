// Thread safety: a loaded model is const and shared; forward() allocates everything it needs per
// call. Eight std::threads run forwards of ONE model on eight different batches at the same time,
// several rounds each, and every result must be bitwise the single-threaded one. The sanitizer
// script (.ci/sanitize) runs this file under ThreadSanitizer, with OpenMP's own threads inside each
// forward visible to it (clang's libomp with the Archer tool).

#include <catch2/catch.hpp>

#include <cstring>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include <graphtx/graphtx.hpp>

namespace {

namespace gx = graphtx;

constexpr gx::GraphTransformerConfig seed_shaped{.in = 9, .hidden = 32, .heads = 8, .num_conv_layers = 10};
constexpr gx::GraphTransformerConfig seed_shaped_textbook{
    .in = 9, .hidden = 32, .heads = 8, .num_conv_layers = 10, .attention = gx::nn::attention_algorithm::textbook};

constexpr int thread_count = 8;
constexpr int rounds = 3;

template <class Model>
std::vector<std::byte> state_bytes(Model const& m) {
  gx::io::StateDictWriter sd;
  m.save(sd);
  return sd.to_bytes();
}

template <gx::GraphTransformerConfig Cfg>
void check_shared_model() {
  using Model = gx::GraphTransformer<Cfg>;
  Model const model = Model::random(21);
  auto const before = state_bytes(model);

  std::vector<gx::graph::Batch<gx::host>> batches;
  std::vector<gx::Tensor<float, 2>> expected;
  for (int k = 0; k < thread_count; ++k) {
    batches.push_back(gx::graph::generate_molecule_batch(24 + 8 * k, 100 + static_cast<std::uint64_t>(k)));
    expected.push_back(model.forward(batches.back()));  // single-threaded reference, one at a time
  }

  std::vector<std::string> failures(thread_count);
  std::latch start(thread_count);
  std::vector<std::thread> threads;
  for (int k = 0; k < thread_count; ++k) {
    threads.emplace_back([&, k] {
      auto const& batch = batches[static_cast<std::size_t>(k)];
      auto const& want = expected[static_cast<std::size_t>(k)];
      start.arrive_and_wait();  // all eight forwards overlap
      for (int r = 0; r < rounds; ++r) {
        auto const y = model.forward(batch);
        if (y.extents() != want.extents() || std::memcmp(y.data(), want.data(), y.size_bytes()) != 0) {
          failures[static_cast<std::size_t>(k)] += "round " + std::to_string(r) + " differs; ";
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int k = 0; k < thread_count; ++k) {
    INFO("thread " << k);
    CHECK(failures[static_cast<std::size_t>(k)].empty());
  }
  REQUIRE(state_bytes(model) == before);  // forward never wrote into the shared model
}

}  // namespace

TEST_CASE("eight threads share one const model and each gets the single-threaded result bitwise",
          "[reliability][threads]") {
  SECTION("folded attention (the seed model's algorithm)") { check_shared_model<seed_shaped>(); }
  SECTION("textbook attention") { check_shared_model<seed_shaped_textbook>(); }
}

TEST_CASE("eight threads read batches and tensors from one shared SafetensorsFile", "[reliability][threads]") {
  gx::io::SafetensorsWriter w;
  auto const source = gx::graph::generate_molecule_batch(40, 7);
  auto const ei = gx::graph::to_edge_index(gx::graph::to_coo(source.csr));
  gx::Tensor<std::int64_t, 1> ids({source.num_nodes()});
  for (gx::index_t i = 0; i < ids.size(); ++i) ids(i) = source.batch(i);
  w.add<float, 2>("x", source.x.cview());
  w.add<std::int64_t, 2>("edge_index", ei.cview());
  w.add<std::int64_t, 1>("batch", ids.cview());
  auto const file = gx::io::SafetensorsFile::from_bytes(w.to_bytes(), "shared.safetensors");
  auto const reference = gx::io::read_batch(file);

  std::vector<int> ok(thread_count, 0);
  std::latch start(thread_count);
  std::vector<std::thread> threads;
  for (int k = 0; k < thread_count; ++k) {
    threads.emplace_back([&, k] {
      start.arrive_and_wait();
      for (int r = 0; r < rounds; ++r) {
        auto const b = gx::io::read_batch(file);
        bool same = b.num_graphs == reference.num_graphs &&
                    std::memcmp(b.x.data(), reference.x.data(), b.x.size_bytes()) == 0 &&
                    std::memcmp(b.csr.sources.data(), reference.csr.sources.data(), b.csr.sources.size_bytes()) == 0 &&
                    std::memcmp(b.ptr.data(), reference.ptr.data(), b.ptr.size_bytes()) == 0;
        ok[static_cast<std::size_t>(k)] += same ? 1 : 0;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int k = 0; k < thread_count; ++k) REQUIRE(ok[static_cast<std::size_t>(k)] == rounds);
}
