#pragma once
/// \file
/// \brief The safetensors header: length prefix checks, UTF-8 and JSON parsing, schema and offset
/// validation. Internal to <graphtx/io/safetensors.hpp>; users never name anything here.
///
/// The checks reproduce the reference reader (safetensors `SafeTensors::read_metadata` and
/// `Metadata::validate`, crate 0.8) in its order, and add graphtx's stricter rules (FORMATS.md §2):
///
///   1. file shorter than 8 bytes                                   HeaderTooSmall
///   2. N > max header bytes (100,000,000)                          HeaderTooLarge
///   3. 8 + N > file size                                           InvalidHeaderLength
///   4. header bytes not UTF-8                                      InvalidHeader
///   5. not JSON / wrong shape                                      InvalidHeaderDeserialization
///        graphtx adds: duplicate keys at any level, a leading byte-order mark, NUL in a tensor name,
///        unknown fields in an entry, `__metadata__` other than an object of strings
///   6. per entry, in data_offsets order:
///        begin != previous end (first: 0), or end < begin           InvalidOffset
///        prod(shape) * bits overflows 64 bits                       ValidationOverflow
///        bits not a multiple of 8                                   MisalignedSlice
///        end - begin != bytes of shape x dtype                      TensorInvalidInfo
///        graphtx adds: every extent fits a signed 64-bit index_t
///   7. 8 + N + last end != file size (trailing or missing bytes)   MetadataIncompleteBuffer
///
/// Every message starts with the source name, names the tensor when there is one, and ends with the
/// reference's error name in parentheses (or "graphtx rule" for graphtx's own checks).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <graphtx/core/dtype.hpp>
#include <graphtx/core/error.hpp>

namespace graphtx::io::detail {

using graphtx::detail::cat;
using graphtx::detail::shape_string;

/// Length of the little-endian u64 that starts every file.
inline constexpr std::uint64_t header_prefix_bytes = 8;

/// Writes `s` as a double-quoted string with control bytes escaped and very long strings cut, so
/// that a hostile name can neither garble nor flood an error message.
inline std::string quote_name(std::string_view s) {
  constexpr std::size_t max_shown = 120;
  std::string out = "\"";
  char const* hex = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size() && i < max_shown; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  if (s.size() > max_shown) out += cat("... (", s.size(), " bytes)");
  return out;
}

/// Offset of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
/// above U+10FFFF, the same set Rust's `str::from_utf8` accepts), or nullopt when `s` is valid.
inline std::optional<std::size_t> find_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  std::size_t const n = s.size();
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < n) {
    unsigned char const c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c == 0xe0) {
      len = 3, lo = 0xa0;  // no overlong 3-byte forms
    } else if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) {
      len = 3;
    } else if (c == 0xed) {
      len = 3, hi = 0x9f;  // no UTF-16 surrogates U+D800..U+DFFF
    } else if (c == 0xf0) {
      len = 4, lo = 0x90;  // no overlong 4-byte forms
    } else if (c >= 0xf1 && c <= 0xf3) {
      len = 4;
    } else if (c == 0xf4) {
      len = 4, hi = 0x8f;  // nothing above U+10FFFF
    } else {
      return i;  // 0x80..0xc1 (continuation or overlong lead) and 0xf5..0xff
    }
    if (i + len > n) return i;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return i;
    }
    i += len;
  }
  return std::nullopt;
}

/// "BOOL, F4, ..., U64": every dtype name, for messages about an unknown one.
inline std::string all_dtype_names() {
  std::string out;
  for (int i = 0; i <= static_cast<int>(dtype::u64); ++i) {
    if (i != 0) out += ", ";
    out += dtype_name(static_cast<dtype>(i));
  }
  return out;
}

/// Reads the u64 length prefix and applies checks 1-3. `prefix` holds the first min(8, file size)
/// bytes; `file_size` is the whole file. Returns N. Nothing is allocated from N before this passes.
inline std::uint64_t check_header_length(std::span<std::byte const> prefix, std::uint64_t file_size,
                                         std::string const& src, std::uint64_t max_header_bytes) {
  if (file_size < header_prefix_bytes || prefix.size() < header_prefix_bytes) {
    throw io_error(cat(src, ": file is ", file_size,
                       " bytes, shorter than the 8-byte header length that starts every safetensors file "
                       "(HeaderTooSmall)"));
  }
  std::uint64_t n = 0;
  for (int b = 7; b >= 0; --b) n = (n << 8) | std::to_integer<std::uint64_t>(prefix[static_cast<std::size_t>(b)]);
  if (n > max_header_bytes) {
    throw io_error(cat(src, ": header length N = ", n, " bytes exceeds the limit of ", max_header_bytes,
                       " bytes (HeaderTooLarge)"));
  }
  // N <= max_header_bytes, so 8 + N cannot overflow unless the limit itself is absurd: check anyway.
  if (n > std::numeric_limits<std::uint64_t>::max() - header_prefix_bytes || header_prefix_bytes + n > file_size) {
    throw io_error(cat(src, ": header length N = ", n, " bytes runs past the end of the file (8 + N = ",
                       header_prefix_bytes + n, " > file size ", file_size, ") (InvalidHeaderLength)"));
  }
  return n;
}

/// One header entry after parsing, before it becomes a public TensorInfo. Extents stay u64 here
/// because the reference computes with usize and its overflow check must see the full value.
struct HeaderEntry {
  std::string name;
  dtype type = dtype::f32;
  std::vector<std::uint64_t> shape;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

/// The validated header: entries sorted by data_offsets, the metadata map, and the byte length of
/// the data section (the last entry's end; 0 without entries).
struct Header {
  std::vector<HeaderEntry> entries;
  std::map<std::string, std::string> metadata;
  std::uint64_t data_bytes = 0;
};

/// Tracks JSON containers during parsing to reject duplicate keys (which nlohmann, like serde,
/// would otherwise resolve silently) and nesting deeper than the format needs.
class DuplicateKeyGuard {
 public:
  explicit DuplicateKeyGuard(std::string const& src) : src_(&src) {}

  bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using ev = nlohmann::json::parse_event_t;
    switch (event) {
      case ev::object_start:
      case ev::array_start: {
        // Deepest legal value: {"name": {"shape": [d0, ...]}}, three containers.
        if (frames_.size() >= 3) {
          throw io_error(cat(*src_, ": header nests JSON containers ", frames_.size() + 1,
                             " deep; a safetensors header needs at most 3 (", where(), ") "
                             "(InvalidHeaderDeserialization)"));
        }
        if (frames_.empty() && event == ev::array_start) {
          throw io_error(cat(*src_, ": header is a JSON array, expected a JSON object mapping tensor names to "
                                    "entries (InvalidHeaderDeserialization)"));
        }
        frames_.push_back(Frame{event == ev::object_start, {}, {}});
        break;
      }
      case ev::object_end:
      case ev::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
      case ev::key: {
        Frame& top = frames_.back();
        std::string key = parsed.get<std::string>();
        if (!top.keys.insert(key).second) {
          if (frames_.size() == 1) {
            throw io_error(cat(*src_, ": duplicate key ", quote_name(key),
                               " in the header (the format forbids duplicate tensor names) (graphtx rule)"));
          }
          std::string const& parent = frames_[frames_.size() - 2].last_key;
          if (parent == "__metadata__") {
            throw io_error(cat(*src_, ": __metadata__ has the key ", quote_name(key), " twice (graphtx rule)"));
          }
          throw io_error(cat(*src_, ": tensor ", quote_name(parent), ": duplicate field ", quote_name(key),
                             " in its entry (graphtx rule)"));
        }
        top.last_key = std::move(key);
        break;
      }
      case ev::value:
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_object;
    std::set<std::string> keys;
    std::string last_key;
  };
  std::string where() const {
    std::string path;
    for (auto const& f : frames_) {
      if (f.is_object && !f.last_key.empty()) path += (path.empty() ? "" : " > ") + quote_name(f.last_key);
    }
    return path.empty() ? std::string("at the top level") : "under " + path;
  }

  std::string const* src_;
  std::vector<Frame> frames_;
};

/// A JSON value as an unsigned 64-bit integer, or a named io_error. Only what the JSON text wrote as
/// a non-negative integer literal passes: floats (2.0, 1e3), negatives (including -0), strings and
/// integers above 2^64 - 1 (which nlohmann stores as floats) are rejected, as serde's usize is.
inline std::uint64_t json_u64(nlohmann::json const& v, std::string const& src, std::string const& name,
                              char const* what) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  std::string kind = v.is_number_integer() ? (v.get<std::int64_t>() < 0 ? "a negative integer" : "written with a minus sign")
                     : v.is_number_float() ? "not an integer (or does not fit in 64 bits)"
                                           : std::string("a JSON ") + v.type_name();
  throw io_error(cat(src, ": tensor ", quote_name(name), ": ", what, " is ", v.dump().substr(0, 60), ", ", kind,
                     "; expected a non-negative integer (InvalidHeaderDeserialization)"));
}

/// Turns one `"name": {...}` pair into a HeaderEntry, with every graphtx schema rule.
inline HeaderEntry parse_entry(std::string const& name, nlohmann::json const& v, std::string const& src) {
  auto fail = [&](auto const&... what) -> io_error {
    return io_error(cat(src, ": tensor ", quote_name(name), ": ", what..., " (InvalidHeaderDeserialization)"));
  };
  // The reference accepts any string as a name; a NUL byte lets "a\0b" pass for "a" in C string
  // APIs (safetensors#748), so graphtx refuses it.
  if (name.find('\0') != std::string::npos) {
    throw io_error(cat(src, ": tensor ", quote_name(name), ": name contains a NUL byte (graphtx rule)"));
  }
  if (!v.is_object()) {
    throw fail("entry is a JSON ", v.type_name(), ", expected an object {\"dtype\", \"shape\", \"data_offsets\"}");
  }
  for (auto const& [field, value] : v.items()) {
    // Strict on purpose: serde ignores unknown fields, but a misspelt "data_offset" or an extra
    // "strides" means the writer and graphtx disagree about the data, so it is an error here.
    if (field != "dtype" && field != "shape" && field != "data_offsets") {
      throw io_error(cat(src, ": tensor ", quote_name(name), ": unknown field ", quote_name(field),
                         " in its entry; allowed: dtype, shape, data_offsets (graphtx rule: strict schema)"));
    }
  }
  for (char const* field : {"dtype", "shape", "data_offsets"}) {
    if (!v.contains(field)) throw fail("entry has no \"", field, "\" field");
  }
  HeaderEntry e;
  e.name = name;
  auto const& jt = v.at("dtype");
  if (!jt.is_string()) throw fail("dtype is a JSON ", jt.type_name(), ", expected a string such as \"F32\"");
  auto const& ts = jt.get_ref<std::string const&>();
  auto t = dtype_from_name(ts);
  if (!t) {
    std::string upper = ts;
    for (auto& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    std::string hint = (upper != ts && dtype_from_name(upper)) ? cat(" (dtype names are case-sensitive: did you mean ",
                                                                      quote_name(upper), "?)")
                                                               : std::string();
    throw fail("unknown dtype ", quote_name(ts), hint, "; known: ", all_dtype_names());
  }
  e.type = *t;
  auto const& js = v.at("shape");
  if (!js.is_array()) throw fail("shape is a JSON ", js.type_name(), ", expected an array of extents");
  e.shape.reserve(js.size());
  for (std::size_t d = 0; d < js.size(); ++d) {
    e.shape.push_back(json_u64(js[d], src, name, cat("shape entry ", d).c_str()));
  }
  auto const& jo = v.at("data_offsets");
  if (!jo.is_array() || jo.size() != 2) {
    throw fail("data_offsets is ", jo.dump().substr(0, 60), ", expected [begin, end] (two integers)");
  }
  e.begin = json_u64(jo[0], src, name, "data_offsets begin");
  e.end = json_u64(jo[1], src, name, "data_offsets end");
  return e;
}

/// Checks 4-7 on the header text (bytes 8 .. 8+N). `file_size` is the length of the whole file.
inline Header parse_header(std::string_view text, std::uint64_t file_size, std::string const& src) {
  // 4. UTF-8.
  if (auto bad = find_invalid_utf8(text)) {
    throw io_error(cat(src, ": header is not valid UTF-8 (byte 0x", std::hex,
                       static_cast<int>(static_cast<unsigned char>(text[*bad])), std::dec, " at header offset ",
                       *bad, ") (InvalidHeader)"));
  }
  // 5. JSON. serde_json refuses a byte-order mark but nlohmann skips one, so refuse it first.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    throw io_error(cat(src, ": header starts with a UTF-8 byte-order mark, which JSON (and the reference "
                            "reader) does not allow (InvalidHeaderDeserialization)"));
  }
  // nlohmann stops at a NUL byte as if the input ended there ("{}\0junk" would pass); JSON never
  // allows a raw NUL, and serde rejects it, so refuse it before parsing.
  if (auto z = text.find('\0'); z != std::string_view::npos) {
    throw io_error(cat(src, ": header is not valid JSON: raw NUL byte at header offset ", z,
                       " (InvalidHeaderDeserialization)"));
  }
  nlohmann::json root;
  try {
    // Iterator input: the parser sees exactly N bytes (a NUL inside is a syntax error, not an end).
    // Whitespace before and after the object is JSON whitespace and is accepted, as the reference
    // does on purpose (writers may pad the header).
    root = nlohmann::json::parse(text.begin(), text.end(), DuplicateKeyGuard(src), /*allow_exceptions=*/true,
                                 /*ignore_comments=*/false);
  } catch (nlohmann::json::exception const& e) {
    throw io_error(cat(src, ": header is not valid JSON: ", e.what(), " (InvalidHeaderDeserialization)"));
  }
  if (!root.is_object()) {
    throw io_error(cat(src, ": header is a JSON ", root.type_name(),
                       ", expected an object mapping tensor names to entries (InvalidHeaderDeserialization)"));
  }

  Header h;
  h.entries.reserve(root.size());
  for (auto const& [key, value] : root.items()) {
    if (key == "__metadata__") {
      // Stricter than serde's Option<HashMap<String, String>>: null is refused too.
      if (!value.is_object()) {
        throw io_error(cat(src, ": __metadata__ is a JSON ", value.type_name(),
                           ", expected an object of string values (InvalidHeaderDeserialization)"));
      }
      for (auto const& [mk, mv] : value.items()) {
        if (!mv.is_string()) {
          throw io_error(cat(src, ": __metadata__ key ", quote_name(mk), " has a JSON ", mv.type_name(),
                             " value, expected a string (InvalidHeaderDeserialization)"));
        }
        h.metadata.emplace(mk, mv.get<std::string>());
      }
      continue;
    }
    h.entries.push_back(parse_entry(key, value, src));
  }
  root = nullptr;  // the DOM can be as large as the header: free it before validating

  // 6. Contiguity, overflow, alignment and size, per entry in data_offsets order (the reference sorts
  // by the (begin, end) pair; equal pairs fall back to name order here, deterministic).
  std::stable_sort(h.entries.begin(), h.entries.end(), [](HeaderEntry const& a, HeaderEntry const& b) {
    return std::pair(a.begin, a.end) < std::pair(b.begin, b.end);
  });
  std::uint64_t start = 0;
  HeaderEntry const* previous = nullptr;
  for (auto const& e : h.entries) {
    std::string const offsets = cat("data_offsets [", e.begin, ", ", e.end, "]");
    if (e.end < e.begin) {
      throw io_error(cat(src, ": tensor ", quote_name(e.name), ": ", offsets, " end before they begin (InvalidOffset)"));
    }
    if (e.begin != start) {
      std::string after = previous ? cat("the previous tensor ", quote_name(previous->name), " ends at ", start)
                                   : std::string("the first tensor must start at 0");
      std::string what = e.begin > start ? cat("a gap of ", e.begin - start, " bytes")
                                         : cat("an overlap of ", start - e.begin, " bytes");
      throw io_error(cat(src, ": tensor ", quote_name(e.name), ": ", offsets, " leave ", what, ": ", after,
                         "; tensors must be contiguous (InvalidOffset)"));
    }
    start = e.end;

    std::uint64_t elements = 1;
    bool overflow = false;
    for (auto d : e.shape) {
      if (d != 0 && elements > std::numeric_limits<std::uint64_t>::max() / d) overflow = true;
      elements *= d;  // wraps only when overflow is already set
      if (overflow) break;
    }
    auto const bits_per = static_cast<std::uint64_t>(dtype_bits(e.type));
    if (!overflow && elements > std::numeric_limits<std::uint64_t>::max() / bits_per) overflow = true;
    if (overflow) {
      throw io_error(cat(src, ": tensor ", quote_name(e.name), ": shape ", shape_string(e.shape), " of ",
                         dtype_name(e.type), " has more elements x bits than fit in 64 bits (ValidationOverflow)"));
    }
    std::uint64_t const bits = elements * bits_per;
    if (bits % 8 != 0) {
      throw io_error(cat(src, ": tensor ", quote_name(e.name), ": shape ", shape_string(e.shape), " of ",
                         dtype_name(e.type), " is ", bits, " bits, not a whole number of bytes (MisalignedSlice)"));
    }
    if (e.end - e.begin != bits / 8) {
      throw io_error(cat(src, ": tensor ", quote_name(e.name), ": ", offsets, " hold ", e.end - e.begin,
                         " bytes but shape ", shape_string(e.shape), " of ", dtype_name(e.type), " needs ",
                         bits / 8, " (TensorInvalidInfo)"));
    }
    // Zero-element tensors may carry huge extents that pass the checks above; graphtx indexes with
    // int64, so every extent must fit one.
    for (std::size_t d = 0; d < e.shape.size(); ++d) {
      if (e.shape[d] > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        throw io_error(cat(src, ": tensor ", quote_name(e.name), ": shape ", shape_string(e.shape), " has extent ",
                           e.shape[d], " in dim ", d, ", more than a signed 64-bit index holds (graphtx rule)"));
      }
    }
    previous = &e;
  }
  h.data_bytes = start;

  // 7. The data section must end exactly at the end of the file: no truncation, and no trailing
  // bytes (the reference's guard against polyglot files).
  std::uint64_t const header_end = header_prefix_bytes + text.size();
  std::uint64_t const available = file_size - header_end;  // check_header_length made this >= 0
  if (h.data_bytes != available) {
    std::string what = h.data_bytes > available ? cat(h.data_bytes - available, " bytes are missing (truncated)")
                                                : cat(available - h.data_bytes, " trailing bytes follow the data");
    throw io_error(cat(src, ": header (8 + N = ", header_end, " bytes) plus the tensor data (", h.data_bytes,
                       " bytes, the last data_offsets end) need ", header_end, " + ", h.data_bytes,
                       " bytes, but the file has ", file_size, ": ", what, " (MetadataIncompleteBuffer)"));
  }
  return h;
}

}  // namespace graphtx::io::detail
