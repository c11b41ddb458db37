// Tests of the safetensors reader and writer (include/graphtx/io/safetensors.hpp).
//
// Byte-level expectations come from the reference implementation's own unit tests
// (safetensors/src/tensor.rs: test_serialization, test_serialization_fp4, test_invalid_info,
// test_validation_overflow, test_metadata_incomplete_buffer, test_json_attack, test_header_*,
// whitespace tests) and from headers computed by hand. Every comparison here is exact: the reader
// copies bytes and the conversions are single static_casts, so no test has a tolerance.
//
// The hostile cases marked `committed` are also the fuzzer's seed corpus in
// tests/data/hostile/safetensors/. After changing one, regenerate the files with
//   GRAPHTX_WRITE_HOSTILE_CORPUS=1 ./graphtx_tests "[io][safetensors]"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <graphtx/io/safetensors.hpp>

#include "support/random.hpp"

namespace {

namespace gx = graphtx;
namespace fs = std::filesystem;
using namespace std::string_literals;  // "..."s keeps embedded NUL bytes
using Catch::Contains;
using gx::io::SafetensorsFile;
using gx::io::SafetensorsWriter;

std::vector<std::byte> to_bytes(std::string_view s) {
  std::vector<std::byte> out(s.size());
  if (!s.empty()) std::memcpy(out.data(), s.data(), s.size());
  return out;
}

std::string to_string(std::vector<std::byte> const& b) {
  return std::string(reinterpret_cast<char const*>(b.data()), b.size());
}

/// The 8-byte little-endian length prefix.
std::string prefix(std::uint64_t n) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  return s;
}

/// A file with header `json` (length prefix computed from it) followed by `data`.
std::vector<std::byte> file_with(std::string const& json, std::string const& data = "") {
  return to_bytes(prefix(json.size()) + json + data);
}

std::string zeros(std::size_t n) { return std::string(n, '\0'); }

fs::path scratch_dir() {
  fs::path dir = fs::temp_directory_path() / "graphtx_safetensors_test";
  fs::create_directories(dir);
  return dir;
}

void write_file(fs::path const& path, std::vector<std::byte> const& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

std::vector<std::byte> read_file(fs::path const& path) {
  std::ifstream in(path, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return to_bytes(s);
}

fs::path hostile_dir() { return fs::path(GRAPHTX_TEST_DATA_DIR) / "hostile" / "safetensors"; }

/// The io_error message of from_bytes(bytes), or "" when it parsed. Any other exception escapes
/// and fails the test.
std::string error_of(std::vector<std::byte> bytes, std::string const& source = "<memory>") {
  try {
    (void)SafetensorsFile::from_bytes(std::move(bytes), source);
  } catch (gx::io_error const& e) {
    return e.what();
  }
  return "";
}

/// One malformed input, the fragments its message must contain, and whether it belongs to the
/// committed corpus (then `name` is its file name there, after the rule it breaks).
struct HostileCase {
  std::string name;
  std::vector<std::byte> bytes;
  std::vector<std::string> fragments;
  bool committed = false;
};

// A valid entry body: I32 [2, 2] is 16 bytes.
std::string const i32_2x2 = R"({"dtype":"I32","shape":[2,2],"data_offsets":[0,16]})";
std::string const f32_4 = R"({"dtype":"F32","shape":[4],"data_offsets":[0,16]})";

std::vector<HostileCase> hostile_cases() {
  std::vector<HostileCase> c;
  auto add = [&](std::string name, std::vector<std::byte> bytes, std::vector<std::string> fragments,
                 bool committed = false) {
    c.push_back(HostileCase{std::move(name), std::move(bytes), std::move(fragments), committed});
  };
  std::string const d16 = zeros(16);

  // ---- 1. HeaderTooSmall
  add("header_too_small", to_bytes("abc"), {"file is 3 bytes", "HeaderTooSmall"}, true);
  add("empty_file", {}, {"file is 0 bytes", "HeaderTooSmall"});
  add("seven_bytes", to_bytes(zeros(7)), {"file is 7 bytes", "HeaderTooSmall"});

  // ---- 2. HeaderTooLarge (> 100 MB), the second is the reference's test_header_too_large vector
  add("header_too_large", to_bytes(prefix(100'000'001) + "{}"), {"N = 100000001", "100000000", "HeaderTooLarge"},
      true);
  add("header_too_large_reference",
      to_bytes("<\x00\x00\x00\x00\xff\xff\xff"s + R"({"test":)" + i32_2x2 + "}" + d16), {"HeaderTooLarge"});
  add("header_length_u64_max", to_bytes(prefix(~0ull) + "{}"), {"N = 18446744073709551615", "HeaderTooLarge"});

  // ---- 3. InvalidHeaderLength: N fits the limit but runs past the file
  add("header_length_past_end", to_bytes(prefix(1000) + "{}" + zeros(10)),
      {"N = 1000", "file size 20", "InvalidHeaderLength"}, true);
  add("header_length_reference", to_bytes("<\x00\x00\x00\x00\x00\x00\x00"s), {"InvalidHeaderLength"});

  // ---- 4. InvalidHeader: not UTF-8
  add("header_not_utf8", to_bytes("\x01\x00\x00\x00\x00\x00\x00\x00\xff"s), {"not valid UTF-8", "0xff", "InvalidHeader"},
      true);
  add("utf8_overlong", file_with("{\"\xc0\xaf\":1}"), {"not valid UTF-8", "0xc0", "header offset 2"});
  add("utf8_surrogate", file_with("{\"\xed\xa0\x80\":1}"), {"not valid UTF-8", "0xed"});
  add("utf8_cut_short", file_with("{\"\xe2\x82\":1}"), {"not valid UTF-8", "0xe2"});
  add("utf8_above_max", file_with("{\"\xf4\x90\x80\x80\":1}"), {"not valid UTF-8", "0xf4"});

  // ---- 5. InvalidHeaderDeserialization: not JSON, or the wrong JSON
  add("header_not_json", to_bytes("\x01\x00\x00\x00\x00\x00\x00\x00{"s), {"not valid JSON", "InvalidHeaderDeserialization"});
  add("header_trailing_garbage", file_with("{} x"), {"not valid JSON"});
  add("header_with_nul_byte", file_with("{}\0"s), {"not valid JSON", "raw NUL byte at header offset 2"});
  add("header_nul_then_junk", file_with("{}\0{\"junk\": 1}"s), {"raw NUL byte at header offset 2"});
  add("header_json_comment", file_with("/* c */ {}"), {"not valid JSON"});
  add("header_bom", file_with("\xef\xbb\xbf{}"), {"byte-order mark", "InvalidHeaderDeserialization"});
  add("header_json_array", file_with("[]"), {"header is a JSON array", "expected a JSON object"});
  add("header_json_number", file_with("5"), {"header is a JSON number", "expected an object"});
  add("header_json_string", file_with("\"x\""), {"header is a JSON string"});
  add("dtype_unknown", file_with(R"({"a":{"dtype":"F33","shape":[4],"data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "unknown dtype \"F33\"", "BF16"}, true);
  add("dtype_lowercase", file_with(R"({"a":{"dtype":"f32","shape":[4],"data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "unknown dtype \"f32\"", "case-sensitive", "did you mean \"F32\""});
  add("dtype_not_string", file_with(R"({"a":{"dtype":32,"shape":[4],"data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "dtype is a JSON number"});
  add("field_missing_dtype", file_with(R"({"a":{"shape":[4],"data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "no \"dtype\" field"});
  add("field_missing_shape", file_with(R"({"a":{"dtype":"F32","data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "no \"shape\" field"});
  add("field_missing_data_offsets", file_with(R"({"a":{"dtype":"F32","shape":[4]}})", d16),
      {"tensor \"a\"", "no \"data_offsets\" field"});
  add("field_unknown", file_with(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16],"strides":[1]}})", d16),
      {"tensor \"a\"", "unknown field \"strides\"", "strict"});
  add("entry_not_object", file_with(R"({"a":5})"), {"tensor \"a\"", "entry is a JSON number"});
  add("offset_negative", file_with(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[-1,16]}})", d16),
      {"tensor \"a\"", "data_offsets begin is -1", "negative"});
  add("offset_float", file_with(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16.0]}})", d16),
      {"tensor \"a\"", "data_offsets end is 16.0", "not an integer"});
  add("offset_string", file_with(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":["0",16]}})", d16),
      {"tensor \"a\"", "data_offsets begin is \"0\"", "JSON string"});
  add("offsets_three", file_with(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16,16]}})", d16),
      {"tensor \"a\"", "expected [begin, end]"});
  add("offsets_not_array", file_with(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":16}})", d16),
      {"tensor \"a\"", "expected [begin, end]"});
  add("shape_float", file_with(R"({"a":{"dtype":"F32","shape":[2.0,2],"data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "shape entry 0 is 2.0", "expected a non-negative integer"});
  add("shape_exponent", file_with(R"({"a":{"dtype":"F32","shape":[4e0],"data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "shape entry 0", "not an integer"});
  add("shape_negative", file_with(R"({"a":{"dtype":"F32","shape":[2,-2],"data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "shape entry 1 is -2", "negative"});
  add("shape_minus_zero", file_with(R"({"a":{"dtype":"F32","shape":[-0],"data_offsets":[0,0]}})"),
      {"tensor \"a\"", "shape entry 0 is", "minus sign"});
  add("shape_string", file_with(R"({"a":{"dtype":"F32","shape":["4"],"data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "shape entry 0 is \"4\"", "JSON string"});
  add("shape_above_u64", file_with(R"({"a":{"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "shape entry 0", "does not fit in 64 bits"});
  add("shape_not_array", file_with(R"({"a":{"dtype":"F32","shape":4,"data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "shape is a JSON number"});
  add("shape_nested", file_with(R"({"a":{"dtype":"F32","shape":[[4]],"data_offsets":[0,16]}})", d16),
      {"nests JSON containers 4 deep", "\"a\" > \"shape\""});
  add("duplicate_tensor_name", file_with(R"({"a":)" + f32_4 + R"(,"a":)" + f32_4 + "}", d16),
      {"duplicate key \"a\"", "duplicate tensor names"}, true);
  add("duplicate_field", file_with(R"({"a":{"dtype":"F32","dtype":"I32","shape":[4],"data_offsets":[0,16]}})", d16),
      {"tensor \"a\"", "duplicate field \"dtype\""}, true);
  add("duplicate_metadata", file_with(R"({"__metadata__":{"k":"1","k":"2"}})"), {"__metadata__", "key \"k\" twice"});
  add("duplicate_metadata_block", file_with(R"({"__metadata__":{},"__metadata__":{}})"),
      {"duplicate key \"__metadata__\""});
  add("name_with_nul", file_with(R"({"a\u0000b":)" + f32_4 + "}", d16),
      {"tensor \"a\\u0000b\"", "NUL byte"});
  add("metadata_not_string", file_with(R"({"__metadata__":{"k":1}})"),
      {"__metadata__ key \"k\"", "JSON number value", "expected a string"});
  add("metadata_not_object", file_with(R"({"__metadata__":"k"})"), {"__metadata__ is a JSON string"});
  add("metadata_null", file_with(R"({"__metadata__":null})"), {"__metadata__ is a JSON null"});

  // ---- 6. InvalidOffset: contiguity from 0, no gaps, no overlaps, end >= begin
  add("offsets_gap",
      file_with(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                R"("b":{"dtype":"F32","shape":[4],"data_offsets":[20,36]}})",
                zeros(36)),
      {"tensor \"b\"", "data_offsets [20, 36]", "gap of 4 bytes", "\"a\" ends at 16", "InvalidOffset"}, true);
  add("offsets_overlap",
      file_with(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                R"("b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})",
                zeros(24)),
      {"tensor \"b\"", "data_offsets [8, 24]", "overlap of 8 bytes", "InvalidOffset"}, true);
  add("offsets_first_not_zero", file_with(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[4,20]}})", zeros(20)),
      {"tensor \"a\"", "first tensor must start at 0", "InvalidOffset"});
  add("offsets_end_before_begin",
      file_with(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                R"("b":{"dtype":"F32","shape":[0],"data_offsets":[16,8]}})",
                zeros(16)),
      {"tensor \"b\"", "data_offsets [16, 8]", "end before they begin", "InvalidOffset"});
  {
    // The reference's test_json_attack: ten tensors all claiming bytes [0, 16].
    std::string json = "{";
    for (int i = 0; i < 10; ++i) json += (i ? ","s : ""s) + "\"weight_" + std::to_string(i) + "\":" + i32_2x2;
    json += "}";
    add("json_attack_same_offsets", file_with(json, d16),
        {"tensor \"weight_1\"", "overlap of 16 bytes", "InvalidOffset"});
  }

  // ---- 6b. ValidationOverflow (both reference vectors), MisalignedSlice, TensorInvalidInfo
  add("shape_product_overflow",
      file_with(R"({"test":{"dtype":"I32","shape":[2,18446744073709551614],"data_offsets":[0,16]}})", d16),
      {"tensor \"test\"", "shape [2, 18446744073709551614] of I32", "ValidationOverflow"}, true);
  add("shape_bits_overflow",
      file_with(R"({"test":{"dtype":"I32","shape":[2,9223372036854775807],"data_offsets":[0,16]}})", d16),
      {"tensor \"test\"", "ValidationOverflow"});
  add("misaligned_f4", file_with(R"({"a":{"dtype":"F4","shape":[1,3],"data_offsets":[0,2]}})", zeros(2)),
      {"tensor \"a\"", "12 bits", "not a whole number of bytes", "MisalignedSlice"});
  add("size_mismatch", file_with(R"({"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0, 4]}})", zeros(4)),
      {"tensor \"test\"", "data_offsets [0, 4] hold 4 bytes but shape [2, 2] of I32 needs 16", "TensorInvalidInfo"},
      true);
  add("extent_above_int64", file_with(R"({"a":{"dtype":"F32","shape":[0,9223372036854775808],"data_offsets":[0,0]}})"),
      {"tensor \"a\"", "extent 9223372036854775808 in dim 1", "signed 64-bit index"});

  // ---- 7. MetadataIncompleteBuffer (the reference's vectors: polyglot tail, 2 bytes missing)
  add("trailing_bytes", file_with(R"({"test":)" + i32_2x2 + "}", d16 + "extra_bogus_data_for_polyglot_file"),
      {"34 trailing bytes", "the file has 118", "MetadataIncompleteBuffer"}, true);
  add("truncated", file_with(R"({"test":)" + i32_2x2 + "}", zeros(14)),
      {"2 bytes are missing", "MetadataIncompleteBuffer"});
  add("empty_header_with_data", file_with("{}", zeros(8)), {"8 trailing bytes", "MetadataIncompleteBuffer"});
  return c;
}

struct Sample {
  gx::Tensor<float, 2> f32;         // [3, 4]
  gx::Tensor<double, 3> f64;        // [2, 2, 2]
  gx::Tensor<std::int64_t, 2> i64;  // [2, 5]
  gx::Tensor<std::int32_t, 1> i32;  // [7]
  gx::Tensor<std::uint8_t, 2> u8;   // [3, 1]
  gx::Tensor<std::int8_t, 1> i8;    // [5]
  gx::Tensor<float, 2> empty_rows;  // [0, 3]
  gx::Tensor<std::int64_t, 2> empty_cols;  // [2, 0]
};

Sample make_sample() {
  gx::test::rng_t rng(20240607);
  Sample s;
  s.f32 = gx::test::random_normal<float, 2>(rng, {3, 4});
  s.f64 = gx::test::random_normal<double, 3>(rng, {2, 2, 2});
  s.i64 = gx::Tensor<std::int64_t, 2>({2, 5});
  for (gx::index_t i = 0; i < 10; ++i) s.i64.data()[i] = (i % 2 ? -1 : 1) * (std::int64_t{1} << (3 * i + 20));
  s.i32 = gx::Tensor<std::int32_t, 1>({7});
  for (gx::index_t i = 0; i < 7; ++i) s.i32(i) = static_cast<std::int32_t>(i * 1000003 - 3);
  s.u8 = gx::Tensor<std::uint8_t, 2>::from({3, 1}, {0, 128, 255});
  s.i8 = gx::Tensor<std::int8_t, 1>::from({5}, {-128, -1, 0, 1, 127});
  s.empty_rows = gx::Tensor<float, 2>({0, 3});
  s.empty_cols = gx::Tensor<std::int64_t, 2>({2, 0});
  return s;
}

SafetensorsWriter writer_for(Sample const& s) {
  SafetensorsWriter w;
  w.add<float, 2>("layer.weight", s.f32.cview());
  w.add<double, 3>("double_cube", s.f64.cview());
  w.add<std::int64_t, 2>("edge_index", s.i64.cview());
  w.add<std::int32_t, 1>("ids", s.i32.cview());
  w.add<std::uint8_t, 2>("mask", s.u8.cview());
  w.add<std::int8_t, 1>("small", s.i8.cview());
  w.add<float, 2>("empty_rows", s.empty_rows.cview());
  w.add<std::int64_t, 2>("empty_cols", s.empty_cols.cview());
  w.add_scalar<float>("temperature", 0.25f);
  w.add_scalar<std::int64_t>("step", -42);
  w.set_metadata("format", "pt");
  w.set_metadata("note", "quote \" backslash \\ newline \n tab \t ctl \x01 utf8 \xc3\xa9");
  return w;
}

template <class T, int Rank>
void require_same(gx::Tensor<T, Rank> const& got, gx::Tensor<T, Rank> const& want) {
  REQUIRE(got.extents() == want.extents());
  REQUIRE(got.to_vector() == want.to_vector());
}

void check_sample(SafetensorsFile const& f, Sample const& s) {
  REQUIRE(f.tensors().size() == 10);
  require_same(f.read<float, 2>("layer.weight"), s.f32);
  require_same(f.read<double, 3>("double_cube"), s.f64);
  require_same(f.read<std::int64_t, 2>("edge_index"), s.i64);
  require_same(f.read<std::int32_t, 1>("ids"), s.i32);
  require_same(f.read<std::uint8_t, 2>("mask"), s.u8);
  require_same(f.read<std::int8_t, 1>("small"), s.i8);
  require_same(f.read<float, 2>("empty_rows"), s.empty_rows);
  require_same(f.read<std::int64_t, 2>("empty_cols"), s.empty_cols);
  REQUIRE(f.read_scalar<float>("temperature") == 0.25f);
  REQUIRE(f.read_scalar<std::int64_t>("step") == -42);

  auto const& empty = f.info("empty_rows");
  REQUIRE(empty.begin == empty.end);
  REQUIRE(empty.numel() == 0);
  REQUIRE(empty.shape == std::vector<gx::index_t>{0, 3});
  auto const& scalar = f.info("temperature");
  REQUIRE(scalar.shape.empty());
  REQUIRE(scalar.numel() == 1);
  REQUIRE(scalar.type == gx::dtype::f32);
  REQUIRE(scalar.byte_size() == 4);

  REQUIRE(f.metadata().size() == 2);
  REQUIRE(f.metadata().at("format") == "pt");
  REQUIRE(f.metadata().at("note") == "quote \" backslash \\ newline \n tab \t ctl \x01 utf8 \xc3\xa9");

  // tensors() is in data_offsets order and contiguous from 0.
  std::uint64_t at = 0;
  for (auto const& t : f.tensors()) {
    REQUIRE(t.begin == at);
    at = t.end;
    REQUIRE(f.raw(t).size() == t.byte_size());
  }
}

}  // namespace

// ---- round trips ---------------------------------------------------------------------------------

TEST_CASE("safetensors writer output reads back exactly for every dtype, rank, empty tensor and scalar",
          "[io][safetensors]") {
  Sample const s = make_sample();
  SafetensorsWriter const w = writer_for(s);
  auto bytes = w.to_bytes();
  SECTION("from bytes") {
    auto f = SafetensorsFile::from_bytes(bytes);
    REQUIRE(f.source() == "<memory>");
    check_sample(f, s);
  }
  SECTION("through a file on disk, write() and open()") {
    fs::path const path = scratch_dir() / "round_trip.safetensors";
    w.write(path);
    REQUIRE(read_file(path) == bytes);  // write() and to_bytes() agree byte for byte
    auto f = SafetensorsFile::open(path);
    REQUIRE(f.source() == path.string());
    check_sample(f, s);
  }
}

TEST_CASE("safetensors writer orders tensors by dtype alignment then name and aligns every tensor",
          "[io][safetensors]") {
  Sample const s = make_sample();
  auto bytes = writer_for(s).to_bytes();
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | std::to_integer<std::uint64_t>(bytes[static_cast<std::size_t>(i)]);
  REQUIRE(n % 8 == 0);
  auto f = SafetensorsFile::from_bytes(bytes);
  std::vector<std::string> names;
  for (auto const& t : f.tensors()) {
    names.push_back(t.name);
    // Absolute file offset is a multiple of the element size, as the reference writer guarantees.
    REQUIRE((8 + n + t.begin) % static_cast<std::uint64_t>(gx::dtype_bits(t.type) / 8) == 0);
  }
  // I64 > F64 > F32 > I32 > I8 > U8 in the reference Dtype order (descending), then by name.
  REQUIRE(names == std::vector<std::string>{"edge_index", "empty_cols", "step", "double_cube", "empty_rows",
                                            "layer.weight", "temperature", "ids", "small", "mask"});
}

TEST_CASE("safetensors writer matches the reference writer byte for byte", "[io][safetensors]") {
  SECTION("the reference's test_serialization vector: F32 [1, 2, 3], no padding needed") {
    auto x = gx::Tensor<float, 3>::from({1, 2, 3}, {0.f, 1.f, 2.f, 3.f, 4.f, 5.f});
    SafetensorsWriter w;
    w.add<float, 3>("attn.0", x.cview());
    std::vector<int> const expected = {
        64,  0,   0,   0,   0,   0,  0,   0,   123, 34,  97,  116, 116, 110, 46,  48,  34,  58,  123, 34,  100,
        116, 121, 112, 101, 34,  58, 34,  70,  51,  50,  34,  44,  34,  115, 104, 97,  112, 101, 34,  58,  91,
        49,  44,  50,  44,  51,  93, 44,  34,  100, 97,  116, 97,  95,  111, 102, 102, 115, 101, 116, 115, 34,
        58,  91,  48,  44,  50,  52, 93,  125, 125, 0,   0,   0,   0,   0,   0,   128, 63,  0,   0,   0,   64,
        0,   0,   64,  64,  0,   0,  128, 64,  0,   0,   160, 64};
    auto bytes = w.to_bytes();
    REQUIRE(bytes.size() == expected.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      INFO("byte " << i);
      REQUIRE(std::to_integer<int>(bytes[i]) == expected[i]);
    }
  }
  SECTION("the reference's test_serialization_fp4 vector: F4 [1, 2], header padded with 4 spaces") {
    SafetensorsWriter w;
    std::byte const data[1] = {std::byte{0}};
    w.add_raw("attn.0", gx::dtype::f4, {1, 2}, data);
    std::string const expected =
        prefix(64) + R"({"attn.0":{"dtype":"F4","shape":[1,2],"data_offsets":[0,1]}})" + "    " + zeros(1);
    REQUIRE(to_string(w.to_bytes()) == expected);
    auto f = SafetensorsFile::from_bytes(w.to_bytes());
    REQUIRE(f.info("attn.0").type == gx::dtype::f4);
    REQUIRE(f.info("attn.0").numel() == 2);
  }
  SECTION("hand-computed: metadata first, F64 before I32, 139-byte header padded to 144") {
    auto a = gx::Tensor<double, 1>::from({1}, {1.0});
    auto b = gx::Tensor<std::int32_t, 1>::from({2}, {7, -1});
    SafetensorsWriter w;
    w.add<std::int32_t, 1>("b", b.cview());  // added first, written second: F64 sorts before I32
    w.add<double, 1>("a", a.cview());
    w.set_metadata("format", "pt");
    std::string const header = R"({"__metadata__":{"format":"pt"},)"
                               R"("a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},)"
                               R"("b":{"dtype":"I32","shape":[2],"data_offsets":[8,16]}})";
    REQUIRE(header.size() == 139);
    std::string const data = "\x00\x00\x00\x00\x00\x00\xf0\x3f"s   // 1.0 as f64 little-endian
                             "\x07\x00\x00\x00\xff\xff\xff\xff"s;  // 7, -1 as i32
    REQUIRE(to_string(w.to_bytes()) == prefix(144) + header + "     " + data);
  }
}

// ---- accepted inputs -----------------------------------------------------------------------------

TEST_CASE("safetensors reader accepts the reference's valid edge cases", "[io][safetensors]") {
  SECTION("JSON whitespace after the object (test_whitespace_padded_header)") {
    auto f = SafetensorsFile::from_bytes(to_bytes("\x06\x00\x00\x00\x00\x00\x00\x00{}\x0D\x20\x09\x0A"s));
    REQUIRE(f.tensors().empty());
    REQUIRE(f.metadata().empty());
  }
  SECTION("JSON whitespace before the object (test_whitespace_leading_padded_header)") {
    auto f = SafetensorsFile::from_bytes(to_bytes("\x06\x00\x00\x00\x00\x00\x00\x00\x09\x0A{}\x0D\x20"s));
    REQUIRE(f.tensors().empty());
  }
  SECTION("leading whitespace before a real entry") {
    auto f = SafetensorsFile::from_bytes(file_with("  \n\t{\"a\":" + f32_4 + "}", zeros(16)));
    REQUIRE(f.contains("a"));
  }
  SECTION("a zero-sized tensor with nothing after the header (test_zero_sized_tensor)") {
    auto f = SafetensorsFile::from_bytes(file_with(R"({"test":{"dtype":"I32","shape":[2,0],"data_offsets":[0, 0]}})"));
    auto t = f.read<std::int32_t, 2>("test");
    REQUIRE(t.extent(0) == 2);
    REQUIRE(t.extent(1) == 0);
    REQUIRE(f.raw(f.info("test")).empty());
  }
  SECTION("entries written out of offset order, a data section not aligned, the empty name") {
    // Header of odd length: the data section starts at an odd file offset, so the F32 values are
    // unaligned and must be copied, not reinterpreted.
    std::string json = R"({"z":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                       R"("":{"dtype":"U8","shape":[1],"data_offsets":[8,9]}} )";
    if (json.size() % 2 == 0) json += " ";
    float const v[2] = {1.5f, -2.25f};
    std::string data(reinterpret_cast<char const*>(v), 8);
    data += "\x05";
    auto f = SafetensorsFile::from_bytes(file_with(json, data));
    REQUIRE(f.tensors()[0].name == "z");
    REQUIRE(f.tensors()[1].name.empty());
    REQUIRE(f.read<float, 1>("z").to_vector() == std::vector<float>{1.5f, -2.25f});
    REQUIRE(f.read<std::uint8_t, 1>("").to_vector() == std::vector<std::uint8_t>{5});
  }
  SECTION("every dtype name of the format") {
    for (int i = 0; i <= static_cast<int>(gx::dtype::u64); ++i) {
      auto t = static_cast<gx::dtype>(i);
      // Two elements keeps the sub-byte F4 whole (8 bits); F6 needs four (24 bits).
      int const count = gx::dtype_bits(t) == 6 ? 4 : 2;
      auto bytes = static_cast<std::size_t>(count * gx::dtype_bits(t) / 8);
      std::string json = "{\"t\":{\"dtype\":\"" + std::string(gx::dtype_name(t)) + "\",\"shape\":[" +
                         std::to_string(count) + "],\"data_offsets\":[0," + std::to_string(bytes) + "]}}";
      INFO(json);
      auto f = SafetensorsFile::from_bytes(file_with(json, zeros(bytes)));
      REQUIRE(f.info("t").type == t);
    }
  }
}

// ---- hostile inputs ------------------------------------------------------------------------------

TEST_CASE("safetensors reader rejects every malformed input with an io_error naming source, tensor and rule",
          "[io][safetensors]") {
  for (auto const& hc : hostile_cases()) {
    DYNAMIC_SECTION(hc.name) {
      std::string const msg = error_of(hc.bytes, "hostile/" + hc.name + ".safetensors");
      INFO("message: " << msg);
      REQUIRE(!msg.empty());  // it must not parse
      REQUIRE(msg.rfind("hostile/" + hc.name + ".safetensors: ", 0) == 0);  // starts with the source
      for (auto const& frag : hc.fragments) REQUIRE_THAT(msg, Contains(frag));
    }
  }
}

TEST_CASE("safetensors reader applies the reference's checks in the reference's order", "[io][safetensors]") {
  // Each input breaks two rules; the message must name the one the reference checks first.
  SECTION("too large beats past the end") {
    REQUIRE_THAT(error_of(to_bytes(prefix(200'000'000))), Contains("HeaderTooLarge"));
  }
  SECTION("not UTF-8 beats not JSON") {
    REQUIRE_THAT(error_of(file_with("{\xff")), Contains("InvalidHeader)"));
  }
  SECTION("a gap beats trailing bytes") {
    auto bytes = file_with(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", zeros(100));
    REQUIRE_THAT(error_of(bytes), Contains("InvalidOffset"));
  }
  SECTION("overflow beats the size check, which beats truncation") {
    auto overflow = file_with(R"({"a":{"dtype":"I64","shape":[4294967296,4294967296],"data_offsets":[0,8]}})");
    REQUIRE_THAT(error_of(overflow), Contains("ValidationOverflow"));
    auto size = file_with(R"({"a":{"dtype":"I64","shape":[2],"data_offsets":[0,8]}})");
    REQUIRE_THAT(error_of(size), Contains("TensorInvalidInfo"));
  }
  SECTION("misaligned beats the size check") {
    auto bytes = file_with(R"({"a":{"dtype":"F6_E2M3","shape":[3],"data_offsets":[0,3]}})", zeros(3));
    REQUIRE_THAT(error_of(bytes), Contains("MisalignedSlice"));
  }
}

TEST_CASE("safetensors reader enforces ReadLimits before reading the data", "[io][safetensors]") {
  auto bytes = file_with("{\"a\":" + f32_4 + "}", zeros(16));
  SECTION("max_file_bytes, in memory and on disk") {
    gx::io::ReadLimits limits;
    limits.max_file_bytes = 32;
    REQUIRE_THROWS_WITH(SafetensorsFile::from_bytes(bytes, "big", limits),
                        Contains("big: file is 79 bytes") && Contains("max_file_bytes (32)"));
    fs::path const path = scratch_dir() / "limits.safetensors";
    write_file(path, bytes);
    REQUIRE_THROWS_WITH(SafetensorsFile::open(path, limits), Contains(path.string()) && Contains("max_file_bytes"));
  }
  SECTION("max_header_bytes") {
    gx::io::ReadLimits limits;
    limits.max_header_bytes = 16;
    REQUIRE_THROWS_WITH(SafetensorsFile::from_bytes(bytes, "<memory>", limits),
                        Contains("N = 55") && Contains("limit of 16") && Contains("HeaderTooLarge"));
  }
}

TEST_CASE("safetensors open reports missing, unreadable and non-regular paths", "[io][safetensors]") {
  fs::path const missing = scratch_dir() / "does_not_exist.safetensors";
  fs::remove(missing);
  REQUIRE_THROWS_AS(SafetensorsFile::open(missing), gx::io_error);
  REQUIRE_THROWS_WITH(SafetensorsFile::open(missing), Contains(missing.string()) && Contains("cannot open"));
  REQUIRE_THROWS_WITH(SafetensorsFile::open(scratch_dir()), Contains("not a regular file"));
  // A truncated file on disk fails the same way as in memory, before its data is read.
  fs::path const truncated = scratch_dir() / "truncated.safetensors";
  write_file(truncated, file_with("{\"a\":" + f32_4 + "}", zeros(10)));
  REQUIRE_THROWS_WITH(SafetensorsFile::open(truncated),
                      Contains(truncated.string()) && Contains("6 bytes are missing"));
}

TEST_CASE("safetensors hostile corpus files all fail with io_error, never a crash", "[io][safetensors]") {
  auto const cases = hostile_cases();
  fs::path const dir = hostile_dir();
  if (std::getenv("GRAPHTX_WRITE_HOSTILE_CORPUS") != nullptr) {
    fs::create_directories(dir);
    for (auto const& hc : cases) {
      if (hc.committed) write_file(dir / (hc.name + ".safetensors"), hc.bytes);
    }
  }
  // Every committed case is on disk with the generator's exact bytes.
  int committed = 0;
  for (auto const& hc : cases) {
    if (!hc.committed) continue;
    ++committed;
    fs::path const path = dir / (hc.name + ".safetensors");
    INFO(path.string());
    REQUIRE(fs::exists(path));
    REQUIRE(read_file(path) == hc.bytes);
  }
  REQUIRE(committed >= 8);
  // Every file in the folder (including crash reproducers added later) fails cleanly, both ways.
  int seen = 0;
  for (auto const& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".safetensors") continue;
    ++seen;
    INFO(entry.path().string());
    REQUIRE_THROWS_WITH(SafetensorsFile::open(entry.path()), Contains(entry.path().string() + ": "));
    REQUIRE_THROWS_AS(SafetensorsFile::from_bytes(read_file(entry.path())), gx::io_error);
  }
  REQUIRE(seen >= committed);
}

TEST_CASE("safetensors reader survives random corruption of a valid file", "[io][safetensors]") {
  // Flip, insert, delete and truncate bytes of a valid file; every result must either parse or throw
  // io_error (never another exception, never a crash under ASan). Seeded: failures reproduce.
  auto const valid = writer_for(make_sample()).to_bytes();
  gx::test::rng_t rng(7);
  int parsed = 0, rejected = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    auto bytes = valid;
    int const edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits && !bytes.empty(); ++k) {
      std::size_t const at = rng() % bytes.size();
      switch (rng() % 5) {
        case 0: bytes[at] ^= static_cast<std::byte>(1u << (rng() % 8)); break;
        case 1: bytes[at] = static_cast<std::byte>(" {}[],:\"0123456789-.eE\\u"[rng() % 25]); break;
        case 2: bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::byte>(rng() % 256)); break;
        case 3: bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at)); break;
        default: bytes.resize(at); break;
      }
    }
    try {
      auto f = SafetensorsFile::from_bytes(std::move(bytes));
      for (auto const& t : f.tensors()) (void)f.raw(t);
      ++parsed;
    } catch (gx::io_error const&) {
      ++rejected;
    }
  }
  // Both outcomes occur (edits inside tensor data keep the file valid), so the loop tests something.
  REQUIRE(parsed > 0);
  REQUIRE(rejected > 1000);
}

// ---- typed reads ---------------------------------------------------------------------------------

TEST_CASE("safetensors typed reads check dtype and rank and name both sides", "[io][safetensors]") {
  Sample const s = make_sample();
  auto f = SafetensorsFile::from_bytes(writer_for(s).to_bytes(), "model.safetensors");
  SECTION("read<float, 2> of an I64 tensor names both dtypes") {
    REQUIRE_THROWS_AS((f.read<float, 2>("edge_index")), gx::io_error);
    REQUIRE_THROWS_WITH((f.read<float, 2>("edge_index")),
                        Contains("model.safetensors: tensor \"edge_index\" has dtype I64") &&
                            Contains("read<float, 2> expects F32"));
  }
  SECTION("rank mismatch names both ranks and the shape") {
    REQUIRE_THROWS_WITH((f.read<float, 1>("layer.weight")),
                        Contains("tensor \"layer.weight\" has shape [3, 4] (rank 2)") && Contains("expects rank 1"));
    REQUIRE_THROWS_WITH((f.read<double, 2>("double_cube")), Contains("(rank 3)") && Contains("expects rank 2"));
  }
  SECTION("a rank-0 scalar is read with read_scalar, not read<T, 1>") {
    REQUIRE_THROWS_WITH((f.read<float, 1>("temperature")),
                        Contains("shape [] (rank 0)") && Contains("use read_scalar"));
    REQUIRE_THROWS_WITH(f.read_scalar<float>("layer.weight"), Contains("expects a rank-0 scalar"));
    REQUIRE_THROWS_WITH(f.read_scalar<double>("temperature"), Contains("has dtype F32") && Contains("expects F64"));
  }
  SECTION("read_float converts I64, I32 and F64, and refuses other dtypes") {
    auto a = f.read_float<2>("edge_index");  // I64 -> float
    REQUIRE(a.extents() == s.i64.extents());
    for (gx::index_t i = 0; i < a.size(); ++i) REQUIRE(a.data()[i] == static_cast<float>(s.i64.data()[i]));
    auto b = f.read_float<1>("ids");  // I32 -> float
    for (gx::index_t i = 0; i < b.size(); ++i) REQUIRE(b.data()[i] == static_cast<float>(s.i32.data()[i]));
    auto c = f.read_float<3>("double_cube");  // F64 -> float, rounded once
    for (gx::index_t i = 0; i < c.size(); ++i) REQUIRE(c.data()[i] == static_cast<float>(s.f64.data()[i]));
    require_same(f.read_float<2>("layer.weight"), s.f32);
    REQUIRE(f.read_float<2>("empty_cols").size() == 0);
    REQUIRE_THROWS_WITH(f.read_float<2>("mask"),
                        Contains("tensor \"mask\" has dtype U8") && Contains("read_float<2> accepts F32, F64, I64 or I32"));
    REQUIRE_THROWS_WITH(f.read_float<1>("edge_index"), Contains("expects rank 1"));
  }
  SECTION("read_index widens I32 and refuses floats") {
    auto a = f.read_index<1>("ids");
    for (gx::index_t i = 0; i < a.size(); ++i) REQUIRE(a(i) == static_cast<std::int64_t>(s.i32(i)));
    require_same(f.read_index<2>("edge_index"), s.i64);
    REQUIRE_THROWS_WITH(f.read_index<2>("layer.weight"),
                        Contains("has dtype F32") && Contains("read_index<2> accepts I64 or I32"));
  }
  SECTION("a missing name lists some of the names there are") {
    REQUIRE_FALSE(f.contains("nope"));
    REQUIRE(f.find("nope") == nullptr);
    REQUIRE_THROWS_WITH(f.info("nope"), Contains("model.safetensors: no tensor named \"nope\"") &&
                                            Contains("10 tensor(s)") && Contains("\"double_cube\""));
    REQUIRE_THROWS_WITH((f.read<float, 2>("nope")), Contains("no tensor named \"nope\""));
  }
  SECTION("raw refuses a TensorInfo from another file") {
    gx::io::TensorInfo other;
    other.name = "layer.weight";
    other.begin = 0;
    other.end = 1'000'000;
    REQUIRE_THROWS_WITH(f.raw(other), Contains("does not belong to this file"));
  }
}

// ---- writer errors -------------------------------------------------------------------------------

TEST_CASE("safetensors writer refuses names and data the reader would reject", "[io][safetensors]") {
  auto x = gx::Tensor<float, 1>::from({2}, {1.f, 2.f});
  SafetensorsWriter w;
  w.add<float, 1>("x", x.cview());
  REQUIRE_THROWS_WITH((w.add<float, 1>("x", x.cview())), Contains("duplicate tensor name \"x\""));
  REQUIRE_THROWS_WITH((w.add<float, 1>("a\0b"s, x.cview())), Contains("\"a\\u0000b\"") && Contains("NUL byte"));
  REQUIRE_THROWS_WITH((w.add<float, 1>("__metadata__", x.cview())), Contains("reserved"));
  REQUIRE_THROWS_WITH((w.add<float, 1>("bad\xff", x.cview())), Contains("not valid UTF-8"));
  REQUIRE_THROWS_WITH(w.set_metadata("k", "\xc0\xaf"), Contains("set_metadata: value") && Contains("not valid UTF-8"));
  std::byte const three[3] = {};
  REQUIRE_THROWS_WITH(w.add_raw("r", gx::dtype::f32, {1}, three),
                      Contains("tensor \"r\" has shape [1] of F32 (32 bits) but 3 bytes were given"));
  REQUIRE_THROWS_WITH(w.add_raw("f4", gx::dtype::f4, {3}, std::span<std::byte const>(three, 2)),
                      Contains("(12 bits)"));
  REQUIRE_THROWS_WITH(w.add_raw("neg", gx::dtype::u8, {-1}, {}), Contains("negative extent"));
  // The failed adds left the writer usable and unchanged.
  auto f = SafetensorsFile::from_bytes(w.to_bytes());
  REQUIRE(f.tensors().size() == 1);
  fs::path const bad = scratch_dir() / "no_such_dir" / "out.safetensors";
  REQUIRE_THROWS_WITH(w.write(bad), Contains(bad.string()) && Contains("cannot open for writing"));
}
