// Writes the hand-made seed files of the three fuzz targets (a few hundred bytes each, most of them
// hostile) into <out>/{safetensors,graph_file,state_dict}/. The fuzz runs (.ci/fuzz) add
// tests/data's files as further seeds. Built and run by tests/fuzz/CMakeLists.txt.
//
//   graphtx_fuzz_seeds <out-dir>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "targets.hpp"

namespace fs = std::filesystem;
namespace gx = graphtx;
using namespace std::string_literals;

namespace {

fs::path out_root;

void write(std::string const& dir, std::string const& name, std::string const& bytes) {
  fs::create_directories(out_root / dir);
  std::ofstream out(out_root / dir / (name + ".safetensors"), std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}
void write(std::string const& dir, std::string const& name, std::vector<std::byte> const& bytes) {
  write(dir, name, std::string(reinterpret_cast<char const*>(bytes.data()), bytes.size()));
}

std::string prefix(std::uint64_t n) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  return s;
}
/// A file with header `json` and data section `data`.
std::string file(std::string const& json, std::string const& data = "") { return prefix(json.size()) + json + data; }
std::string entry(std::string const& dtype, std::string const& shape, std::uint64_t begin, std::uint64_t end) {
  return "{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + std::to_string(begin) + "," +
         std::to_string(end) + "]}";
}
std::string i64s(std::vector<std::int64_t> const& v) {
  return std::string(reinterpret_cast<char const*>(v.data()), v.size() * sizeof(std::int64_t));
}
std::string f32s(std::vector<float> const& v) {
  return std::string(reinterpret_cast<char const*>(v.data()), v.size() * sizeof(float));
}

void safetensors_seeds() {
  std::string const d = "safetensors";
  std::string const z16(16, '\0');
  // Valid: every dtype family, a scalar, an empty tensor, metadata.
  {
    gx::io::SafetensorsWriter w;
    auto a = gx::Tensor<float, 2>::from({2, 2}, {1, 2, 3, 4});
    auto b = gx::Tensor<std::int64_t, 1>::from({3}, {-1, 0, 1});
    auto c = gx::Tensor<std::int32_t, 2>({0, 5});
    w.add<float, 2>("a", a.cview());
    w.add<std::int64_t, 1>("b", b.cview());
    w.add<std::int32_t, 2>("empty", c.cview());
    w.add_scalar<double>("s", 0.5);
    w.set_metadata("format", "pt");
    write(d, "valid_mixed", w.to_bytes());
  }
  write(d, "valid_empty", file("{}"));
  write(d, "valid_padded", file("  {\"a\":" + entry("U8", "[3]", 0, 3) + "}   ", "xyz"));
  // Hostile, one per rule.
  write(d, "header_length_huge", prefix(std::uint64_t{1} << 63) + "{}");
  write(d, "header_length_u64_max", prefix(~std::uint64_t{0}) + "{}");
  write(d, "header_longer_than_file", prefix(4096) + "{}");
  write(d, "too_short", "\x02\x00\x00"s);
  write(d, "offsets_overlap",
        file("{\"a\":" + entry("F32", "[4]", 0, 16) + ",\"b\":" + entry("F32", "[4]", 8, 24) + "}", std::string(24, '\0')));
  write(d, "offsets_gap",
        file("{\"a\":" + entry("F32", "[4]", 0, 16) + ",\"b\":" + entry("F32", "[4]", 20, 36) + "}", std::string(36, '\0')));
  write(d, "offsets_past_end", file("{\"a\":" + entry("F32", "[4]", 0, 1u << 30) + "}", z16));
  write(d, "offsets_reversed", file("{\"a\":" + entry("F32", "[0]", 16, 0) + "}", z16));
  write(d, "shape_size_mismatch", file("{\"a\":" + entry("F32", "[5]", 0, 16) + "}", z16));
  write(d, "shape_overflow", file("{\"a\":" + entry("F64", "[4294967296,4294967296,4]", 0, 16) + "}", z16));
  write(d, "shape_zero_huge", file("{\"a\":" + entry("F32", "[0,9223372036854775807]", 0, 0) + "}"));
  write(d, "duplicate_names", file("{\"a\":" + entry("F32", "[4]", 0, 16) + ",\"a\":" + entry("F32", "[4]", 0, 16) + "}", z16));
  write(d, "nul_in_name", file("{\"a\\u0000b\":" + entry("F32", "[4]", 0, 16) + "}", z16));
  write(d, "raw_nul_in_header", file("{\"a\0\":1}"s));
  write(d, "unknown_dtype", file("{\"a\":" + entry("F33", "[4]", 0, 16) + "}", z16));
  write(d, "subbyte_dtype", file("{\"a\":" + entry("F4", "[3]", 0, 2) + "}", "\0\0"s));
  write(d, "trailing_bytes", file("{\"a\":" + entry("F32", "[4]", 0, 16) + "}", z16 + "polyglot"));
  write(d, "deep_nesting", file("{\"a\":{\"shape\":[[[[[1]]]]]}}"));
  write(d, "metadata_not_string", file("{\"__metadata__\":{\"k\":[1]}}"));
  write(d, "not_utf8", file("{\"\xff\":1}"));
}

std::string graph_file_of(std::string const& x, std::string const& ei, std::string const& batch = "",
                          std::string const& ea = "") {
  // Each argument: "DTYPE|shape|bytes"; empty = tensor absent. Offsets are laid out in order.
  std::string json = "{", data;
  bool first = true;
  auto add = [&](char const* name, std::string const& spec) {
    if (spec.empty()) return;
    auto p1 = spec.find('|'), p2 = spec.find('|', p1 + 1);
    std::string bytes = spec.substr(p2 + 1);
    json += (first ? "\"" : ",\"") + std::string(name) + "\":" +
            entry(spec.substr(0, p1), spec.substr(p1 + 1, p2 - p1 - 1), data.size(), data.size() + bytes.size());
    first = false;
    data += bytes;
  };
  add("x", x);
  add("edge_index", ei);
  add("batch", batch);
  add("edge_attr", ea);
  return file(json + "}", data);
}

void graph_seeds() {
  std::string const d = "graph_file";
  std::vector<float> xv(5 * 9);
  for (std::size_t i = 0; i < xv.size(); ++i) xv[i] = static_cast<float>(i % 11) / 10.0f;
  std::string const x = "F32|[5,9]|" + f32s(xv);
  std::string const ei = "I64|[2,6]|" + i64s({0, 1, 1, 2, 3, 4, 1, 0, 2, 1, 4, 3});
  std::string const batch = "I64|[5]|" + i64s({0, 0, 0, 1, 1});
  std::string const ea = "F32|[6,2]|" + f32s({1, 0, 0, 1, 1, 1, -1, 0, 0, -1, 2, 2});
  write(d, "valid", graph_file_of(x, ei, batch));
  write(d, "valid_edge_attr", graph_file_of(x, ei, batch, ea));
  write(d, "valid_no_batch", graph_file_of(x, ei));
  write(d, "valid_i32_edges",
        graph_file_of(x, "I32|[2,2]|" + std::string("\0\0\0\0\1\0\0\0\1\0\0\0\0\0\0\0"s)));
  write(d, "valid_empty", graph_file_of("F32|[0,9]|", "I64|[2,0]|", "I64|[0]|"));
  write(d, "edge_negative", graph_file_of(x, "I64|[2,6]|" + i64s({0, 1, -1, 2, 3, 4, 1, 0, 2, 1, 4, 3}), batch));
  write(d, "edge_out_of_range", graph_file_of(x, "I64|[2,6]|" + i64s({0, 1, 1, 2, 3, 4, 1, 0, 2, 1, 4, 5}), batch));
  write(d, "edge_huge", graph_file_of(x, "I64|[2,1]|" + i64s({std::numeric_limits<std::int64_t>::max(), 0}), batch));
  write(d, "edge_index_zero_rows_huge", graph_file_of(x, "I64|[0,1099511627776]|", batch));
  write(d, "batch_not_sorted", graph_file_of(x, ei, "I64|[5]|" + i64s({0, 1, 0, 1, 1})));
  write(d, "batch_short", graph_file_of(x, ei, "I64|[4]|" + i64s({0, 0, 1, 1})));
  write(d, "batch_negative", graph_file_of(x, ei, "I64|[5]|" + i64s({-1, 0, 0, 1, 1})));
  write(d, "batch_huge_id", graph_file_of(x, ei, "I64|[5]|" + i64s({0, 0, 0, 0, 2147483646})));
  write(d, "batch_int64_max_id",
        graph_file_of(x, ei, "I64|[5]|" + i64s({0, 0, 0, 0, std::numeric_limits<std::int64_t>::max()})));
  write(d, "batch_many_empty_graphs", graph_file_of(x, ei, "I64|[5]|" + i64s({0, 0, 0, 0, 1 << 20})));
  write(d, "x_zero_features_huge_rows", graph_file_of("F32|[2147483647,0]|", "I64|[2,0]|"));
  write(d, "x_too_many_rows", graph_file_of("F32|[4294967296,0]|", "I64|[2,0]|"));
  write(d, "x_zero_rows_huge_features", graph_file_of("F32|[0,4611686018427387904]|", "I64|[2,0]|"));
  write(d, "edge_attr_wrong_rows", graph_file_of(x, ei, batch, "F32|[2,2]|" + f32s({1, 2, 3, 4})));
  write(d, "edge_attr_zero_rows_huge", graph_file_of(x, "I64|[2,0]|", batch, "F32|[0,1099511627776]|"));
  write(d, "x_nan", graph_file_of("F32|[1,9]|" + f32s({std::numeric_limits<float>::quiet_NaN(), 0, 0, 0, 0, 0, 0, 0, 0}),
                                  "I64|[2,1]|" + i64s({0, 0})));
}

void state_dict_seeds() {
  std::string const d = "state_dict";
  {
    gx::io::StateDictWriter sd;
    gx::fuzz::reference_model().save(sd);
    write(d, "valid_model", sd.to_bytes());
  }
  {
    gx::io::StateDictWriter sd;
    gx::nn::save_state(gx::fuzz::reference_conv(), sd);
    write(d, "valid_conv", sd.to_bytes());
  }
  // Hostile: the conv's state_dict with one thing wrong each.
  auto conv_with = [&](std::string const& name, auto&& edit) {
    gx::io::SafetensorsWriter w;
    gx::io::StateDictWriter sd;
    gx::nn::save_state(gx::fuzz::reference_conv(), sd);
    auto f = gx::io::SafetensorsFile::from_bytes(sd.to_bytes());
    for (auto const& t : f.tensors()) {
      auto raw = f.raw(t);
      std::vector<std::byte> bytes(raw.begin(), raw.end());
      std::vector<gx::index_t> shape = t.shape;
      std::string tname = t.name;
      gx::dtype type = t.type;
      if (!edit(tname, type, shape, bytes)) continue;
      w.add_raw(tname, type, shape, bytes);
    }
    write(d, name, w.to_bytes());
  };
  conv_with("missing_key", [](std::string& n, auto&, auto&, auto&) { return n != "lin_skip.bias"; });
  conv_with("extra_key", [](std::string& n, auto&, auto&, auto&) {
    if (n == "lin_skip.bias") n = "lin_skip.bias_extra";
    return true;
  });
  conv_with("wrong_shape", [](std::string& n, auto&, std::vector<gx::index_t>& s, auto&) {
    if (n == "lin_key.weight") s = {s[1], s[0]};
    return true;
  });
  conv_with("wrong_dtype", [](std::string& n, gx::dtype& t, auto&, auto&) {
    if (n == "lin_query.bias") t = gx::dtype::i32;
    return true;
  });
  conv_with("nan_weights", [](std::string& n, auto&, auto&, std::vector<std::byte>& b) {
    if (n == "lin_value.weight") {
      float const nan = std::numeric_limits<float>::quiet_NaN();
      std::memcpy(b.data(), &nan, sizeof nan);
    }
    return true;
  });
  conv_with("inf_weights", [](std::string& n, auto&, auto&, std::vector<std::byte>& b) {
    if (n == "lin_query.weight") {
      float const inf = std::numeric_limits<float>::infinity();
      for (std::size_t i = 0; i + sizeof inf <= b.size(); i += sizeof inf) std::memcpy(b.data() + i, &inf, sizeof inf);
    }
    return true;
  });
  conv_with("huge_weights", [](std::string& n, auto&, auto&, std::vector<std::byte>& b) {
    if (n == "lin_key.weight") {
      float const big = 3e38f;
      for (std::size_t i = 0; i + sizeof big <= b.size(); i += sizeof big) std::memcpy(b.data() + i, &big, sizeof big);
    }
    return true;
  });
  write(d, "scalar_weight", file("{\"lin_key.weight\":" + entry("F32", "[]", 0, 4) + "}", f32s({1})));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <out-dir>\n", argv[0]);
    return 2;
  }
  out_root = argv[1];
  safetensors_seeds();
  graph_seeds();
  state_dict_seeds();
  return 0;
}
