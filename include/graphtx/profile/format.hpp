#pragma once
/// \file
/// \brief Number formatting of DeepSpeed's legacy flops-profiler report (docs/pyg_semantics.md, DeepSpeed flops profiler: report format), in
/// Python's exact terms: `str(round(v, 2))`, `'{:.2%}'`, `repr(float)`.
///
/// Every number is `str(round(value / unit, 2)) + suffix`, the unit picked by integer division:
///
/// | function            | units                                 | below the smallest unit       |
/// |---------------------|---------------------------------------|-------------------------------|
/// | params_to_string    | " M", " k"                            | the bare integer: `257`       |
/// | macs_to_string      | " GMACs", " MMACs", " KMACs"          | `0 MACs`                      |
/// | num_to_string       | " G", " M", " K"                      | the bare integer              |
/// | flops_to_string     | " TFLOPS", " GFLOPS", " MFLOPS", " KFLOPS" | `repr(x) + " FLOPS"`: `0.0 FLOPS` |
/// | duration_to_string  | " s" (> 1 s), " ms", " us"            | `repr(seconds)`, or `0` when never measured |
///
/// `str(round(v, 2))` is the shortest text of the double nearest the correctly rounded two-decimal
/// value: trailing zeros dropped but one decimal kept (`530.0 us`, `163.8 GFLOPS`, `7.67 TFLOPS`).
/// std::to_chars gives the same correctly rounded digits (ties to even on the exact binary value,
/// as Python's round) and, unlike printf, ignores the C locale.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>

namespace graphtx::profile::format {

namespace detail {

// Python's float repr from the shortest round-trip digits and decimal exponent: fixed notation for
// exponents -4 .. 15, scientific otherwise ("1e-05", "9.5367431640625e-07", "1e+16").
inline std::string python_layout(bool negative, std::string const& digits, int exp10) {
  std::string out = negative ? "-" : "";
  if (exp10 >= -4 && exp10 < 16) {
    if (exp10 < 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-exp10 - 1), '0');
      out += digits;
    } else {
      auto const int_len = static_cast<std::size_t>(exp10) + 1;
      if (digits.size() <= int_len) {
        out += digits;
        out.append(int_len - digits.size(), '0');
        out += ".0";
      } else {
        out += digits.substr(0, int_len);
        out += '.';
        out += digits.substr(int_len);
      }
    }
    return out;
  }
  out += digits[0];
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  int const magnitude = exp10 < 0 ? -exp10 : exp10;  // at least two digits: "e-07", "e+16"
  out += exp10 < 0 ? "e-" : "e+";
  if (magnitude < 10) out += '0';
  out += std::to_string(magnitude);
  return out;
}

// Shortest round-trip digits of x (float or double) in Python's layout.
template <class T>
std::string python_repr(T x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  bool const negative = std::signbit(x);
  if (x == 0) return negative ? "-0.0" : "0.0";
  char buf[64];
  auto const r = std::to_chars(buf, buf + sizeof buf, negative ? -x : x, std::chars_format::scientific);
  std::string const text(buf, r.ptr);  // "d.ddde-07" or "de+16"
  auto const e = text.find('e');
  std::string digits;
  for (std::size_t i = 0; i < e; ++i)
    if (text[i] != '.') digits += text[i];
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  return python_layout(negative, digits, std::stoi(text.substr(e + 1)));
}

}  // namespace detail

/// Python's `repr(x)` / `str(x)` of a float (a double): "0.0", "42.68", "1e-05", "5e-07".
inline std::string py_float(double x) { return detail::python_repr(x); }
/// A float32 value written as Python writes the decimal the user typed: 1e-5f -> "1e-05".
inline std::string py_float(float x) { return detail::python_repr(x); }

/// Python's `str(round(x, ndigits))`.
inline std::string py_round(double x, int ndigits = 2) {
  char buf[400];
  auto const r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, ndigits);
  double rounded = 0.0;
  std::from_chars(buf, r.ptr, rounded);
  return py_float(rounded);
}

/// Python's `'{:.2%}'.format(x)`: x * 100 with two decimals and a percent sign ("99.99%").
inline std::string percent(double x) {
  char buf[400];
  auto const r = std::to_chars(buf, buf + sizeof buf, x * 100.0, std::chars_format::fixed, 2);
  return std::string(buf, r.ptr) + "%";
}

/// "64.07 M", "5.12 k", "257".
inline std::string params_to_string(std::int64_t n) {
  if (n / 1'000'000 > 0) return py_round(static_cast<double>(n) / 1e6) + " M";
  if (n / 1'000 != 0) return py_round(static_cast<double>(n) / 1e3) + " k";
  return std::to_string(n);
}

/// "411.82 GMACs", "131.07 KMACs", "0 MACs".
inline std::string macs_to_string(std::int64_t n) {
  if (n / 1'000'000'000 > 0) return py_round(static_cast<double>(n) / 1e9) + " GMACs";
  if (n / 1'000'000 > 0) return py_round(static_cast<double>(n) / 1e6) + " MMACs";
  if (n / 1'000 > 0) return py_round(static_cast<double>(n) / 1e3) + " KMACs";
  return std::to_string(n) + " MACs";
}

/// "823.74 G" (flops totals).
inline std::string num_to_string(std::int64_t n) {
  if (n / 1'000'000'000 > 0) return py_round(static_cast<double>(n) / 1e9) + " G";
  if (n / 1'000'000 > 0) return py_round(static_cast<double>(n) / 1e6) + " M";
  if (n / 1'000 > 0) return py_round(static_cast<double>(n) / 1e3) + " K";
  return std::to_string(n);
}

/// "7.67 TFLOPS", "127.89 GFLOPS", "0.0 FLOPS" (a rate: flops per second).
inline std::string flops_to_string(double x) {
  if (x >= 1e12) return py_round(x / 1e12) + " TFLOPS";
  if (x >= 1e9) return py_round(x / 1e9) + " GFLOPS";
  if (x >= 1e6) return py_round(x / 1e6) + " MFLOPS";
  if (x >= 1e3) return py_round(x / 1e3) + " KFLOPS";
  return py_float(x) + " FLOPS";
}

/// "107.41 ms", "530.0 us", "1.2 s"; at or below a microsecond Python's repr of the seconds
/// ("5e-07"); "0" for a duration that was never measured (DeepSpeed's int 0).
inline std::string duration_to_string(double seconds, bool measured = true) {
  if (seconds > 1) return py_round(seconds) + " s";
  if (seconds * 1000.0 > 1) return py_round(seconds * 1000.0) + " ms";
  if (seconds * 1000000.0 > 1) return py_round(seconds * 1000000.0) + " us";
  if (!measured && seconds == 0.0) return "0";
  return py_float(seconds);
}

}  // namespace graphtx::profile::format
