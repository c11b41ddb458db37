#pragma once
/// \file
/// \brief The attention algorithms a benchmark is registered for: every value of
/// nn::attention_algorithm that this graphtx has, so that a new algorithm is one more line here
/// and every layer and model benchmark picks it up.

#include <graphtx/nn/config.hpp>

namespace graphtx::bench {

/// True when the enum has a `folded` value. Checked on a template parameter so that a graphtx
/// whose enum lacks it still compiles (the branch using it is then discarded).
template <class Algorithm>
concept has_folded_attention = requires { Algorithm::folded; };

/// Calls `fn.template operator()<A>("name")` for each explicit attention algorithm (not
/// `automatic`, which resolves to one of them): textbook, then folded where it exists.
template <class Algorithm = nn::attention_algorithm, class Fn>
void for_each_attention_algorithm(Fn&& fn) {
  fn.template operator()<Algorithm::textbook>("textbook");
  if constexpr (has_folded_attention<Algorithm>) fn.template operator()<Algorithm::folded>("folded");
}

}  // namespace graphtx::bench

namespace graphtx::bench {

/// The algorithm a conv configuration runs, `automatic` resolved: "folded" or "textbook".
template <class ConvConfig>
constexpr char const* resolved_algorithm(ConvConfig const& conv) {
  if constexpr (requires { conv.uses_folded(); }) {
    return conv.uses_folded() ? "folded" : "textbook";
  } else {
    return "textbook";
  }
}

}  // namespace graphtx::bench
