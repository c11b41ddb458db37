#pragma once
/// \file
/// \brief DeepSpeed's flops-profiler counting rules (docs/pyg_semantics.md, DeepSpeed flops profiler: counting), one function per torch
/// operation that DeepSpeed patches and that the PyG model calls.
///
/// DeepSpeed counts by monkey-patching `torch.nn.functional`: each patched call adds (flops, MACs)
/// to the innermost module whose forward is running. The seed model reaches only three of them:
///
/// | torch call       | MACs                        | flops                          |
/// |------------------|-----------------------------|--------------------------------|
/// | `F.linear`       | input.numel() x out_features | 2 x MACs (the bias is ignored) |
/// | `F.layer_norm`   | 0                           | 5 x numel (4 without affine)   |
/// | `F.relu`         | 0                           | numel                          |
///
/// Everything else the model does counts 0: `F.dropout` is not patched, and the operators `*`,
/// `+`, `/`, `.sum`, `.mean`, `.exp`, `index_select`, `scatter_add_`, torch_scatter and PyG's
/// `softmax` are not either. So every edge-wise op of a TransformerConv (gathers, logits, softmax,
/// weighted sum, scatter) contributes nothing and the totals do not depend on E, unless the conv
/// has edge features: `lin_edge` is an `F.linear` over E rows.

#include <cstdint>

#include <graphtx/core/config.hpp>

namespace graphtx::profile {

/// What one call adds to the module that runs it. Python ints in DeepSpeed; int64 here (the seed
/// forward is 8.2e11 flops, far from 9.2e18).
struct Counts {
  std::int64_t macs = 0;
  std::int64_t flops = 0;

  constexpr Counts& operator+=(Counts const& o) {
    macs += o.macs;
    flops += o.flops;
    return *this;
  }
  friend constexpr Counts operator+(Counts a, Counts const& b) { return a += b; }
  friend constexpr Counts operator*(std::int64_t k, Counts const& c) { return {k * c.macs, k * c.flops}; }
  friend constexpr bool operator==(Counts const&, Counts const&) = default;
};

/// `F.linear(x, W, b)` with x [rows, in] and W [out, in]: rows x in x out MACs, twice that in flops.
constexpr Counts linear_counts(index_t rows, index_t in, index_t out) {
  std::int64_t const macs = std::int64_t{rows} * in * out;
  return {macs, 2 * macs};
}

/// `F.layer_norm` over `numel` elements: 5 flops per element with affine weights, 4 without.
constexpr Counts layer_norm_counts(index_t numel, bool affine = true) { return {0, numel * (affine ? 5 : 4)}; }

/// `F.relu` over `numel` elements: one flop each.
constexpr Counts relu_counts(index_t numel) { return {0, numel}; }

/// `F.dropout`: not patched by DeepSpeed, so nothing.
constexpr Counts dropout_counts() { return {}; }

}  // namespace graphtx::profile
