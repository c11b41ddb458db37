// DeepSpeed's number formatting, checked against what Python prints for the same values
// (str(round(v, 2)), '{:.2%}', repr(float)) and against the seed model's own report.

#include <catch2/catch.hpp>

#include <graphtx/profile/format.hpp>

namespace fmt = graphtx::profile::format;

TEST_CASE("py_float is Python's repr of a float", "[profile][format]") {
  CHECK(fmt::py_float(0.0) == "0.0");
  CHECK(fmt::py_float(-0.0) == "-0.0");
  CHECK(fmt::py_float(530.0) == "530.0");
  CHECK(fmt::py_float(7.67) == "7.67");
  CHECK(fmt::py_float(0.1) == "0.1");
  CHECK(fmt::py_float(1e-05) == "1e-05");
  CHECK(fmt::py_float(0.0001) == "0.0001");
  CHECK(fmt::py_float(5e-07) == "5e-07");
  CHECK(fmt::py_float(9.5367431640625e-07) == "9.5367431640625e-07");
  CHECK(fmt::py_float(123.456789) == "123.456789");
  CHECK(fmt::py_float(1e16) == "1e+16");
  CHECK(fmt::py_float(1234567890123456.0) == "1234567890123456.0");
  CHECK(fmt::py_float(2.5e+20) == "2.5e+20");
  // float32 values as the decimal the user typed: torch's eps=1e-05, Dropout(p=0.1).
  CHECK(fmt::py_float(1e-5f) == "1e-05");
  CHECK(fmt::py_float(0.1f) == "0.1");
}

TEST_CASE("py_round is str(round(x, 2)): correctly rounded, ties to even, trailing zeros dropped", "[profile][format]") {
  CHECK(fmt::py_round(530.004) == "530.0");
  CHECK(fmt::py_round(163.8) == "163.8");
  CHECK(fmt::py_round(7.66906) == "7.67");
  CHECK(fmt::py_round(411.819233792) == "411.82");
  CHECK(fmt::py_round(0.125) == "0.12");   // exact tie: to even
  CHECK(fmt::py_round(0.375) == "0.38");   // exact tie: to even
  CHECK(fmt::py_round(2.675) == "2.67");   // 2.675 is 2.67499999... in binary
  CHECK(fmt::py_round(1.005) == "1.0");    // 1.00499999...
  CHECK(fmt::py_round(99.999) == "100.0");
}

TEST_CASE("percentages are '{:.2%}'", "[profile][format]") {
  CHECK(fmt::percent(1.0) == "100.00%");
  CHECK(fmt::percent(0.0) == "0.00%");
  CHECK(fmt::percent(64'066'560.0 / 64'071'937.0) == "99.99%");
  CHECK(fmt::percent(5'120.0 / 64'071'937.0) == "0.01%");
  CHECK(fmt::percent(0.00049341) == "0.05%");
}

TEST_CASE("params, MACs and flops totals pick their unit by integer division", "[profile][format]") {
  CHECK(fmt::params_to_string(64'071'937) == "64.07 M");
  CHECK(fmt::params_to_string(5'120) == "5.12 k");
  CHECK(fmt::params_to_string(1'000'000) == "1.0 M");
  CHECK(fmt::params_to_string(999'999) == "1000.0 k");
  CHECK(fmt::params_to_string(512) == "512");
  CHECK(fmt::params_to_string(0) == "0");

  CHECK(fmt::macs_to_string(411'819'233'792) == "411.82 GMACs");
  CHECK(fmt::macs_to_string(131'072) == "131.07 KMACs");
  CHECK(fmt::macs_to_string(2'500'000) == "2.5 MMACs");
  CHECK(fmt::macs_to_string(999) == "999 MACs");
  CHECK(fmt::macs_to_string(0) == "0 MACs");

  CHECK(fmt::num_to_string(823'739'421'184) == "823.74 G");
  CHECK(fmt::num_to_string(18'355'200) == "18.36 M");
  CHECK(fmt::num_to_string(2'048) == "2.05 K");
  CHECK(fmt::num_to_string(40) == "40");
}

TEST_CASE("FLOPS rates and durations", "[profile][format]") {
  CHECK(fmt::flops_to_string(823'739'421'184.0 / 0.10741) == "7.67 TFLOPS");
  CHECK(fmt::flops_to_string(9'177'600.0 / 71.75897e-6) == "127.89 GFLOPS");
  CHECK(fmt::flops_to_string(262'144.0 / 72.96e-6) == "3.59 GFLOPS");
  CHECK(fmt::flops_to_string(2.5e6) == "2.5 MFLOPS");
  CHECK(fmt::flops_to_string(1234.5) == "1.23 KFLOPS");
  CHECK(fmt::flops_to_string(523.25) == "523.25 FLOPS");
  CHECK(fmt::flops_to_string(0.0) == "0.0 FLOPS");

  CHECK(fmt::duration_to_string(0.10741) == "107.41 ms");
  CHECK(fmt::duration_to_string(530.0042e-6) == "530.0 us");
  CHECK(fmt::duration_to_string(1.5) == "1.5 s");
  CHECK(fmt::duration_to_string(1.0) == "1000.0 ms");  // DeepSpeed tests "> 1" strictly
  CHECK(fmt::duration_to_string(5e-07) == "5e-07");    // at or below 1 us: the seconds' repr
  CHECK(fmt::duration_to_string(0.0, false) == "0");   // never measured: Python's int 0
  CHECK(fmt::duration_to_string(0.0, true) == "0.0");  // measured as zero: a float
}
