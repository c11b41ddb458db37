#pragma once
/// \file
/// \brief nn::fixed_string: a string literal usable as a template argument, so that compositions
/// carry PyG's attribute names in their types (`nn::Field<"convs", ...>`).

#include <cstddef>
#include <string>
#include <string_view>

namespace graphtx::nn {

/// A string literal as a structural value: `template <fixed_string Name>` accepts `"convs"`.
template <std::size_t N>
struct fixed_string {
  char value[N]{};  ///< the characters and the terminating '\0'

  constexpr fixed_string(char const (&s)[N]) {  // NOLINT(google-explicit-constructor): `Field<"convs", M>`
    for (std::size_t i = 0; i < N; ++i) value[i] = s[i];
  }
  constexpr std::string_view view() const { return {value, N - 1}; }
  std::string str() const { return std::string(view()); }
  constexpr std::size_t size() const { return N - 1; }
  constexpr bool empty() const { return N == 1; }

  template <std::size_t M>
  constexpr bool operator==(fixed_string<M> const& other) const {
    return view() == other.view();
  }
};

}  // namespace graphtx::nn
