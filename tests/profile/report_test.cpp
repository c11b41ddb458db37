// DeepSpeed's legacy report, byte for byte: the seed model's counts with the latencies of the
// seed's own report (ryienh/gnn-dataflow platform/A100/models/graphTransformer_deepspeed.txt, an
// A100 run of PyG) must print that report exactly.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <graphtx/models/graph_transformer.hpp>
#include <graphtx/profile/counts.hpp>
#include <graphtx/profile/report.hpp>

namespace gx = graphtx;
namespace prof = graphtx::profile;

namespace {

// The seed's report as DeepSpeed 0.7.7 prints it. The file in gnn-dataflow lost the leading blank
// line and the closing rule (the print went to another stream); both are printed by the code.
constexpr char const* seed_report = R"(
-------------------------- DeepSpeed Flops Profiler --------------------------
Profile Summary at step 5:
Notations:
data parallel size (dp_size), model parallel size(mp_size),
number of parameters (params), number of multiply-accumulate operations(MACs),
number of floating-point operations (flops), floating-point operations per second (FLOPS),
fwd latency (forward propagation latency), bwd latency (backward propagation latency),
step (weights update latency), iter latency (sum of fwd, bwd and step latency)

params per gpu:                                               64.07 M 
params of model = params per GPU * mp_size:                   64.07 M 
fwd MACs per GPU:                                             411.82 GMACs
fwd flops per GPU:                                            823.74 G
fwd flops of model = fwd flops per GPU * mp_size:             823.74 G
fwd latency:                                                  107.41 ms
fwd FLOPS per GPU = fwd flops per GPU / fwd latency:          7.67 TFLOPS

----------------------------- Aggregated Profile per GPU -----------------------------
Top 1 modules in terms of params, MACs or fwd latency at different model depths:
depth 0:
    params      - {'GraphTransformer': '64.07 M'}
    MACs        - {'GraphTransformer': '411.82 GMACs'}
    fwd latency - {'GraphTransformer': '107.41 ms'}
depth 1:
    params      - {'ModuleList': '64.07 M'}
    MACs        - {'ModuleList': '411.82 GMACs'}
    fwd latency - {'ModuleList': '105.64 ms'}
depth 2:
    params      - {'TransformerConv': '64.07 M'}
    MACs        - {'TransformerConv': '411.82 GMACs'}
    fwd latency - {'TransformerConv': '105.11 ms'}

------------------------------ Detailed Profile per GPU ------------------------------
Each module profile is listed after its name in the following order: 
params, percentage of total params, MACs, percentage of total MACs, fwd latency, percentage of total fwd latency, fwd FLOPS

Note: 1. A module can have torch.nn.module or torch.nn.functional to compute logits (e.g. CrossEntropyLoss). They are not counted as submodules, thus not to be printed out. However they make up the difference between a parent's MACs (or latency) and the sum of its submodules'.
2. Number of floating-point operations is a theoretical estimation, thus FLOPS computed using that could be larger than the maximum system throughput.
3. The fwd latency listed in the top module's profile is directly captured at the module forward function in PyTorch, thus it's less than the fwd latency shown above which is captured in DeepSpeed.

GraphTransformer(
  64.07 M, 100.00% Params, 411.82 GMACs, 100.00% MACs, 107.41 ms, 100.00% latency, 7.67 TFLOPS, 
  (convs): ModuleList(
    64.07 M, 99.99% Params, 411.82 GMACs, 100.00% MACs, 105.11 ms, 97.86% latency, 7.84 TFLOPS, 
    (0): TransformerConv(9, 256, heads=32)
    (1): TransformerConv(256, 256, heads=32)
    (2): TransformerConv(256, 256, heads=32)
    (3): TransformerConv(256, 256, heads=32)
    (4): TransformerConv(256, 256, heads=32)
    (5): TransformerConv(256, 256, heads=32)
    (6): TransformerConv(256, 256, heads=32)
    (7): TransformerConv(256, 256, heads=32)
    (8): TransformerConv(256, 256, heads=32)
    (9): TransformerConv(256, 256, heads=32)
    (10): TransformerConv(256, 256, heads=32)
  )
  (lns): ModuleList(
    5.12 k, 0.01% Params, 0 MACs, 0.00% MACs, 530.0 us, 0.49% latency, 155.84 GFLOPS, 
    (0): LayerNorm(512, 0.00% Params, 0 MACs, 0.00% MACs, 71.76 us, 0.07% latency, 127.89 GFLOPS, (256,), eps=1e-05, elementwise_affine=True)
    (1): LayerNorm(512, 0.00% Params, 0 MACs, 0.00% MACs, 57.46 us, 0.05% latency, 159.72 GFLOPS, (256,), eps=1e-05, elementwise_affine=True)
    (2): LayerNorm(512, 0.00% Params, 0 MACs, 0.00% MACs, 58.41 us, 0.05% latency, 157.12 GFLOPS, (256,), eps=1e-05, elementwise_affine=True)
    (3): LayerNorm(512, 0.00% Params, 0 MACs, 0.00% MACs, 59.13 us, 0.06% latency, 155.22 GFLOPS, (256,), eps=1e-05, elementwise_affine=True)
    (4): LayerNorm(512, 0.00% Params, 0 MACs, 0.00% MACs, 56.51 us, 0.05% latency, 162.42 GFLOPS, (256,), eps=1e-05, elementwise_affine=True)
    (5): LayerNorm(512, 0.00% Params, 0 MACs, 0.00% MACs, 58.17 us, 0.05% latency, 157.76 GFLOPS, (256,), eps=1e-05, elementwise_affine=True)
    (6): LayerNorm(512, 0.00% Params, 0 MACs, 0.00% MACs, 56.98 us, 0.05% latency, 161.06 GFLOPS, (256,), eps=1e-05, elementwise_affine=True)
    (7): LayerNorm(512, 0.00% Params, 0 MACs, 0.00% MACs, 55.55 us, 0.05% latency, 165.21 GFLOPS, (256,), eps=1e-05, elementwise_affine=True)
    (8): LayerNorm(512, 0.00% Params, 0 MACs, 0.00% MACs, 56.03 us, 0.05% latency, 163.8 GFLOPS, (256,), eps=1e-05, elementwise_affine=True)
    (9): LayerNorm(512, 0.00% Params, 0 MACs, 0.00% MACs, 0, 0.00% latency, 0.0 FLOPS, (256,), eps=1e-05, elementwise_affine=True)
  )
  (conv_dropout): Dropout(0, 0.00% Params, 0 MACs, 0.00% MACs, 216.72 us, 0.20% latency, 0.0 FLOPS, p=0.0, inplace=False)
  (ReLU): ReLU(0, 0.00% Params, 0 MACs, 0.00% MACs, 430.11 us, 0.40% latency, 42.68 GFLOPS, )
  (post_mp): Sequential(
    257, 0.00% Params, 131.07 KMACs, 0.00% MACs, 109.67 us, 0.10% latency, 2.39 GFLOPS, 
    (0): Linear(257, 0.00% Params, 131.07 KMACs, 0.00% MACs, 72.96 us, 0.07% latency, 3.59 GFLOPS, in_features=256, out_features=1, bias=True)
  )
)
------------------------------------------------------------------------------
)";

// The seed's counts (G = 512, N = 7170) with the A100 run's times. The report gives each time to
// 0.01 us only; these values round to it and also reproduce every printed FLOPS figure.
prof::Module seed_profile_with_a100_times() {
  prof::Module m = gx::GraphTransformer<gx::seed_config>::counts({.nodes = 7170, .edges = 14'762, .graphs = 512});
  auto set = [&](std::string const& path, double seconds, std::int64_t calls) {
    prof::Module& mod = m.at(path);
    mod.duration = seconds;
    mod.calls = calls;
  };
  set("", 107.41e-3, 1);
  for (int i = 0; i < 10; ++i) set("convs." + std::to_string(i), 10.511e-3, 1);
  std::vector<double> const ln_us{71.75897, 57.45886, 58.40965, 59.12658, 56.50709,
                                  58.17499, 56.98426, 55.55279, 56.03101};
  for (int i = 0; i < 9; ++i) set("lns." + std::to_string(i), ln_us[static_cast<std::size_t>(i)] * 1e-6, 1);
  set("conv_dropout", 216.72e-6, 10);
  set("ReLU", 430.11e-6, 10);
  set("post_mp", 109.67e-6, 1);
  set("post_mp.0", 72.96e-6, 1);
  return m;
}

std::vector<std::string> lines(std::string const& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t p = s.find('\n'); p != std::string::npos; p = s.find('\n', start)) {
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
  out.push_back(s.substr(start));
  return out;
}

}  // namespace

TEST_CASE("the seed's counts with the seed's latencies print the seed's DeepSpeed report exactly", "[profile][report][seed]") {
  std::string const got = prof::report(seed_profile_with_a100_times(), {.step = 5});
  auto const want_lines = lines(seed_report);
  auto const got_lines = lines(got);
  for (std::size_t i = 0; i < std::min(want_lines.size(), got_lines.size()); ++i) {
    INFO("line " << i + 1);
    REQUIRE(got_lines[i] == want_lines[i]);
  }
  REQUIRE(got_lines.size() == want_lines.size());
  REQUIRE(got == seed_report);
}

TEST_CASE("report layout: sections, summary columns, module lines", "[profile][report]") {
  auto const tree = gx::GraphTransformer<gx::seed_config>::counts({.nodes = 7170, .edges = 14'762, .graphs = 512});
  std::string const r = prof::report(tree);
  CHECK_THAT(r, Catch::StartsWith("\n-------------------------- DeepSpeed Flops Profiler --------------------------\n"
                                  "Profile Summary at step 1:\n"));
  CHECK_THAT(r, Catch::Contains("\n\n----------------------------- Aggregated Profile per GPU -----------------------------\n"
                                "Top 1 modules in terms of params, MACs or fwd latency at different model depths:\n"
                                "depth 0:\n"));
  CHECK_THAT(r, Catch::Contains("\n\n------------------------------ Detailed Profile per GPU ------------------------------\n"));
  CHECK_THAT(r, Catch::EndsWith(")\n------------------------------------------------------------------------------\n"));
  // '{:<60}  {:<8}': the label padded to 60, two spaces, the value padded to 8.
  CHECK_THAT(r, Catch::Contains("\nparams per gpu:" + std::string(47, ' ') + "64.07 M \n"));
  CHECK_THAT(r, Catch::Contains("\nfwd MACs per GPU:" + std::string(45, ' ') + "411.82 GMACs\n"));
  CHECK_THAT(r, Catch::Contains("\nfwd flops per GPU:" + std::string(44, ' ') + "823.74 G\n"));
  // Nothing ran: every latency is DeepSpeed's int 0.
  CHECK_THAT(r, Catch::Contains("\nfwd latency:" + std::string(50, ' ') + "0       \n"));
  CHECK_THAT(r, Catch::Contains("    fwd latency - {'GraphTransformer': '0'}\n"));
  // The aggregated profile stops above the innermost depth (the convs' Linears).
  CHECK_THAT(r, Catch::Contains("depth 2:\n"));
  CHECK_THAT(r, !Catch::Contains("depth 3:"));
  CHECK_THAT(r, Catch::Contains("\n    (0): Linear(257, 0.00% Params, 131.07 KMACs, 0.00% MACs, 0, 0.00% latency, 0.0 FLOPS, "
                                "in_features=256, out_features=1, bias=True)\n"));
}

TEST_CASE("report options: depth, top modules, no tree", "[profile][report]") {
  auto tree = gx::GraphTransformer<gx::seed_config>::counts({.nodes = 7170, .graphs = 512});
  std::string const r = prof::report(tree, {.module_depth = 2, .top_modules = 3, .detailed = false});
  CHECK_THAT(r, Catch::Contains("Top 3 modules in terms of params"));
  CHECK_THAT(r, Catch::Contains("depth 1:\n    params      - {'ModuleList': '64.07 M', 'Sequential': '257', 'Dropout': '0'}\n"));
  CHECK_THAT(r, Catch::Contains("    MACs        - {'ModuleList': '411.82 GMACs', 'Sequential': '131.07 KMACs', 'Dropout': '0 MACs'}\n"));
  CHECK_THAT(r, !Catch::Contains("depth 2:"));
  CHECK_THAT(r, !Catch::Contains("Detailed Profile per GPU"));
  CHECK_THAT(r, Catch::EndsWith("'0'}\n------------------------------------------------------------------------------\n"));
}
