#pragma once
/// \file
/// \brief Element types, named as safetensors names them (the wire format graphtx reads).

#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

namespace graphtx {

/// Every dtype safetensors defines, in its own enum order. graphtx computes in f32 (f64 in the
/// reference path) and indexes with i32/i64; the rest can be read and reported but not used.
enum class dtype : std::uint8_t {
  boolean, f4, f6_e2m3, f6_e3m2, u8, i8, f8_e5m2, f8_e4m3, f8_e8m0, f8_e4m3fnuz, f8_e5m2fnuz,
  i16, u16, f16, bf16, i32, u32, f32, c64, f64, i64, u64
};

/// Size of one element in bits (F4 and F6 are sub-byte).
constexpr int dtype_bits(dtype t) {
  switch (t) {
    case dtype::f4: return 4;
    case dtype::f6_e2m3:
    case dtype::f6_e3m2: return 6;
    case dtype::boolean:
    case dtype::u8:
    case dtype::i8:
    case dtype::f8_e5m2:
    case dtype::f8_e4m3:
    case dtype::f8_e8m0:
    case dtype::f8_e4m3fnuz:
    case dtype::f8_e5m2fnuz: return 8;
    case dtype::i16:
    case dtype::u16:
    case dtype::f16:
    case dtype::bf16: return 16;
    case dtype::i32:
    case dtype::u32:
    case dtype::f32: return 32;
    case dtype::c64:
    case dtype::f64:
    case dtype::i64:
    case dtype::u64: return 64;
  }
  return 0;
}

/// The safetensors spelling ("F32", "I64", "BOOL", ...).
constexpr std::string_view dtype_name(dtype t) {
  switch (t) {
    case dtype::boolean: return "BOOL";
    case dtype::f4: return "F4";
    case dtype::f6_e2m3: return "F6_E2M3";
    case dtype::f6_e3m2: return "F6_E3M2";
    case dtype::u8: return "U8";
    case dtype::i8: return "I8";
    case dtype::f8_e5m2: return "F8_E5M2";
    case dtype::f8_e4m3: return "F8_E4M3";
    case dtype::f8_e8m0: return "F8_E8M0";
    case dtype::f8_e4m3fnuz: return "F8_E4M3FNUZ";
    case dtype::f8_e5m2fnuz: return "F8_E5M2FNUZ";
    case dtype::i16: return "I16";
    case dtype::u16: return "U16";
    case dtype::f16: return "F16";
    case dtype::bf16: return "BF16";
    case dtype::i32: return "I32";
    case dtype::u32: return "U32";
    case dtype::f32: return "F32";
    case dtype::c64: return "C64";
    case dtype::f64: return "F64";
    case dtype::i64: return "I64";
    case dtype::u64: return "U64";
  }
  return "?";
}

/// Exact match of a safetensors dtype string; nullopt for anything else (no case folding).
constexpr std::optional<dtype> dtype_from_name(std::string_view s) {
  for (int i = 0; i <= static_cast<int>(dtype::u64); ++i) {
    auto t = static_cast<dtype>(i);
    if (dtype_name(t) == s) return t;
  }
  return std::nullopt;
}

/// The dtype of a C++ element type, for the types graphtx computes with.
template <class T>
struct dtype_of;
template <> struct dtype_of<float> { static constexpr dtype value = dtype::f32; };
template <> struct dtype_of<double> { static constexpr dtype value = dtype::f64; };
template <> struct dtype_of<std::int32_t> { static constexpr dtype value = dtype::i32; };
template <> struct dtype_of<std::int64_t> { static constexpr dtype value = dtype::i64; };
template <> struct dtype_of<std::uint8_t> { static constexpr dtype value = dtype::u8; };
template <> struct dtype_of<std::int8_t> { static constexpr dtype value = dtype::i8; };
template <class T>
inline constexpr dtype dtype_of_v = dtype_of<std::remove_cv_t<T>>::value;

}  // namespace graphtx
