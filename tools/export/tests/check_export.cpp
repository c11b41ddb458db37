// The exporter tests' C++ side: loads an exported model.safetensors into the exported type
// strictly, runs the batch of check.safetensors and compares y with PyG's (rtol 1e-4, atol 1e-5).
// Built by the tests with  g++ -std=c++20 -I include -I OUT -DGRAPHTX_EXPORT_TYPE=ns::Name.
//     check_export model.safetensors check.safetensors      -> exit 0 (match), 1 (mismatch), 2 (error)
#include "model.hpp"

#include <cmath>
#include <cstdio>
#include <exception>

#include <graphtx/io/graph_file.hpp>
#include <graphtx/io/safetensors.hpp>
#include <graphtx/nn/model.hpp>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s model.safetensors check.safetensors\n", argv[0]);
    return 2;
  }
  try {
    using Model = graphtx::nn::Model<GRAPHTX_EXPORT_TYPE>;
    Model const model = Model::load(argv[1]);
    auto const file = graphtx::io::SafetensorsFile::open(argv[2]);
    auto const batch = graphtx::io::read_batch(file);
    auto const y = model.forward(batch);
    auto const want = file.read_float<2>("y");
    if (y.extent(0) != want.extent(0) || y.extent(1) != want.extent(1)) {
      std::printf("shape [%lld, %lld], PyG [%lld, %lld]\n", (long long)y.extent(0), (long long)y.extent(1),
                  (long long)want.extent(0), (long long)want.extent(1));
      return 1;
    }
    double max_abs = 0, max_rel = 0;
    long long bad = 0;
    for (graphtx::index_t i = 0; i < y.extent(0); ++i)
      for (graphtx::index_t j = 0; j < y.extent(1); ++j) {
        double const a = y(i, j), b = want(i, j), d = std::fabs(a - b);
        if (!(d <= 1e-5 + 1e-4 * std::fabs(b))) ++bad;
        if (d > max_abs) max_abs = d;
        if (b != 0 && d / std::fabs(b) > max_rel) max_rel = d / std::fabs(b);
      }
    std::printf("y [%lld, %lld]: max abs error %.3g, max rel error %.3g, %lld beyond rtol 1e-4 / atol 1e-5\n",
                (long long)y.extent(0), (long long)y.extent(1), max_abs, max_rel, bad);
    return bad == 0 ? 0 : 1;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "check_export: %s\n", e.what());
    return 2;
  }
}
