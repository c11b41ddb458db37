// tools/runner.hpp: the runner's command line (what is required, what is refused, with the option
// named) and --check's comparison rule (numpy.allclose per element, NaN matches NaN). The runner
// end to end (NAME_run on PyG goldens, its one-line errors) is tested in tests/runner.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <graphtx/tools/runner.hpp>

namespace gx = graphtx;
namespace tools = graphtx::tools;

namespace {
tools::RunOptions parse(std::vector<std::string> args) {
  std::vector<char const*> argv{"prog"};
  for (auto const& a : args) argv.push_back(a.c_str());
  return tools::parse_options(static_cast<int>(argv.size()), argv.data());
}
}  // namespace

TEST_CASE("runner options: defaults, values, flags and --opt=value", "[tools][runner]") {
  auto o = parse({"--weights", "w.st", "--graph=g.st", "--out", "p.st", "--profile", "--num-graphs", "7",
                  "--max-graph-bytes=1000", "--quiet", "--check-finite", "--repeat", "3"});
  CHECK(o.weights == "w.st");
  CHECK(o.graph == "g.st");
  CHECK(o.out == "p.st");
  CHECK(o.profile);
  CHECK(o.quiet);
  CHECK(o.check_finite);
  CHECK(o.num_graphs == 7);
  CHECK(o.max_graph_bytes == 1000);
  CHECK(o.repeat == 3);
  CHECK(o.device == "host");
  CHECK(o.rtol == 1e-4);
  CHECK(o.atol == 1e-5);
  auto c = parse({"--weights", "w.st", "--check", "c.st", "--rtol", "1e-3", "--atol", "0", "--device", "cuda"});
  CHECK(c.check == "c.st");
  CHECK(c.out.empty());
  CHECK(c.rtol == 1e-3);
  CHECK(c.atol == 0);
  CHECK(c.device == "cuda");
  CHECK(parse({"--help"}).help);
}

TEST_CASE("runner options: bad command lines name the option", "[tools][runner]") {
  auto refused = [](std::vector<std::string> args, std::string const& what) {
    INFO(what);
    CHECK_THROWS_WITH(parse(std::move(args)), Catch::Contains(what));
  };
  refused({"--graph", "g", "--out", "p"}, "--weights is required");
  refused({"--weights", "w"}, "--graph (with --out) or --check is required");
  refused({"--weights", "w", "--graph", "g"}, "--out is required with --graph");
  refused({"--weights", "w", "--graph", "g", "--check", "c"}, "--graph and --check are exclusive");
  refused({"--weights", "w", "--check", "c", "--device", "tpu"}, "--device: \"tpu\" is not host or cuda");
  refused({"--weights", "w", "--check", "c", "--rtol", "abc"}, "--rtol: \"abc\" is not a valid number");
  refused({"--weights", "w", "--check", "c", "--num-graphs", "3x"}, "--num-graphs: \"3x\" is not a valid integer");
  refused({"--weights", "w", "--check", "c", "--atol", "-1"}, "must not be negative");
  refused({"--weights", "w", "--check", "c", "--repeat", "0"}, "--repeat: must be at least 1");
  refused({"--weights", "w", "--check", "c", "--bogus"}, "unknown option \"--bogus\"");
  refused({"--weights"}, "--weights needs a value");
  refused({"--weights", "w", "--check", "c", "--profile=yes"}, "--profile takes no value");
}

TEST_CASE("runner --check: |y - e| <= atol + rtol |e| per element; NaN matches NaN", "[tools][runner]") {
  float const nan = std::numeric_limits<float>::quiet_NaN();
  float const inf = std::numeric_limits<float>::infinity();
  auto y = gx::Tensor<float, 2>::from({2, 3}, {1.0f, -2.0f, 100.0f, nan, inf, 0.0f});
  SECTION("within") {
    auto e = gx::Tensor<float, 2>::from({2, 3}, {1.00005f, -2.0f, 100.009f, nan, inf, 5e-6f});
    auto r = tools::compare<float>(y.cview(), e.cview(), 1e-4, 1e-5);
    CHECK(r.ok());
    CHECK(r.count == 6);
    CHECK(r.max_abs == Approx(0.009).epsilon(1e-3));
    CHECK(r.max_rel == Approx(1.0));  // 5e-6 off an expected 5e-6: within atol, relative error 1
  }
  SECTION("beyond, the worst element named") {
    auto e = gx::Tensor<float, 2>::from({2, 3}, {1.0f, -2.01f, 100.0f, nan, inf, 0.0f});
    auto r = tools::compare<float>(y.cview(), e.cview(), 1e-4, 1e-5);
    CHECK_FALSE(r.ok());
    CHECK(r.failures == 1);
    CHECK(r.worst_row == 0);
    CHECK(r.worst_col == 1);
    CHECK(r.worst_expected == Approx(-2.01));
  }
  SECTION("a NaN or an infinity where PyG has a number fails") {
    auto e = gx::Tensor<float, 2>::from({2, 3}, {1.0f, -2.0f, 100.0f, 1.0f, -inf, 0.0f});
    auto r = tools::compare<float>(y.cview(), e.cview(), 1e-4, 1e-5);
    CHECK(r.failures == 2);
    CHECK(r.worst_row == 1);
  }
}
