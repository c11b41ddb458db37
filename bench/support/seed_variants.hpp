#pragma once
/// \file
/// \brief The seed-model variants the model benchmarks run, one list for bench_seed_model and
/// bench_seed_model_files: the seed configuration with every conv on one attention algorithm (each
/// one support/algorithms.hpp lists), then folded without the single-edge shortcut.

#include <graphtx/models/graph_transformer.hpp>

#include "support/algorithms.hpp"

namespace graphtx::bench {

/// The seed configuration with every conv running attention algorithm A.
template <nn::attention_algorithm A, bool SingleEdgeShortcut = true>
constexpr GraphTransformerConfig seed_with() {
  GraphTransformerConfig c = seed_config;
  c.attention = A;
  c.single_edge_shortcut = SingleEdgeShortcut;
  return c;
}

/// Calls `fn.template operator()<Config>("name")` for each variant: "textbook", "folded" (with
/// the single-edge shortcut, the default), "folded_no_shortcut".
template <class Fn>
void for_each_seed_variant(Fn&& fn) {
  for_each_attention_algorithm(
      [&]<nn::attention_algorithm A>(char const* name) { fn.template operator()<seed_with<A>()>(name); });
  if constexpr (has_folded_attention<nn::attention_algorithm>) {
    fn.template operator()<seed_with<nn::attention_algorithm::folded, false>()>("folded_no_shortcut");
  }
}

}  // namespace graphtx::bench
