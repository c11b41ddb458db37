#pragma once
/// \file
/// \brief Reading and writing safetensors files (huggingface/safetensors), the wire format of
/// graphtx: `safetensors.torch.save_file(model.state_dict(), path)` on the PyG side.
///
/// Layout: u64 little-endian N, N bytes of UTF-8 JSON, then the data section. The reader applies
/// every check of the reference reader in its order plus graphtx's stricter rules (duplicate keys,
/// unknown entry fields, NUL in names, strict integers); see io/detail/safetensors_header.hpp for
/// the full list. Any failure is an `io_error` whose message starts with the source (path or
/// "<memory>"), names the tensor and the broken rule.
///
/// **Example**:
/// \code
/// auto file = graphtx::io::SafetensorsFile::open("model.safetensors");
/// auto w = file.read<float, 2>("convs.0.lin_query.weight");       // [H*C, F_in]
/// auto ei = file.read_index<2>("edge_index");                       // [2, E], I64 or I32 on disk
///
/// graphtx::io::SafetensorsWriter out;
/// out.add<float, 2>("y", y.cview());                               // [G, 1]
/// out.set_metadata("format", "pt");
/// out.write("pred.safetensors");
/// \endcode

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include <graphtx/core/config.hpp>
#include <graphtx/core/dtype.hpp>
#include <graphtx/core/error.hpp>
#include <graphtx/core/finite.hpp>
#include <graphtx/core/space.hpp>
#include <graphtx/core/tensor.hpp>
#include <graphtx/io/detail/safetensors_header.hpp>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#define GRAPHTX_SAFETENSORS_PREAD 1
#endif

namespace graphtx::io {

static_assert(std::endian::native == std::endian::little,
              "graphtx::io safetensors: the format stores little-endian data and graphtx copies it with "
              "memcpy; big-endian hosts are not supported");

/// Bounds applied before anything is allocated from a file's contents.
struct ReadLimits {
  /// Largest accepted header length N (the reference's MAX_HEADER_SIZE).
  std::uint64_t max_header_bytes = 100'000'000;
  /// Largest accepted file (or byte buffer) in total.
  std::uint64_t max_file_bytes = (1ull << 40);
  /// Why max_file_bytes is what it is, appended to the too-large error when not empty (a caller
  /// that knows what the file should hold, such as GraphTransformer::load, says so here).
  std::string max_file_reason;
};

/// One tensor of a file: name, dtype, extents and its byte range within the data section.
struct TensorInfo {
  std::string name;
  graphtx::dtype type = graphtx::dtype::f32;
  std::vector<index_t> shape;  // empty for a rank-0 scalar
  std::uint64_t begin = 0, end = 0;

  /// Number of elements: the product of the extents, 1 for a rank-0 scalar, 0 for an empty tensor.
  index_t numel() const {
    index_t n = 1;
    for (auto d : shape) n *= d;  // cannot overflow: the reader checked prod(shape) * bits fits 64 bits
    return n;
  }
  /// Bytes in the data section (end - begin).
  std::uint64_t byte_size() const { return end - begin; }
  int rank() const { return static_cast<int>(shape.size()); }
};

namespace detail {

/// "read<float, 2>": names the call in dtype and rank messages.
template <class T>
std::string_view cpp_type_name() {
  if constexpr (std::is_same_v<T, float>) return "float";
  else if constexpr (std::is_same_v<T, double>) return "double";
  else if constexpr (std::is_same_v<T, std::int32_t>) return "int32_t";
  else if constexpr (std::is_same_v<T, std::int64_t>) return "int64_t";
  else if constexpr (std::is_same_v<T, std::uint8_t>) return "uint8_t";
  else if constexpr (std::is_same_v<T, std::int8_t>) return "int8_t";
  else return "T";
}

/// Appends `s` as a JSON string the way serde_json writes it (the reference writer): `"` and `\`
/// escaped, control bytes as \b \t \n \f \r or \u00xx, everything else (UTF-8, DEL, '/') verbatim.
inline void append_json_string(std::string& out, std::string_view s) {
  char const* hex = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace detail

namespace detail {

#if defined(GRAPHTX_SAFETENSORS_PREAD)
/// The open file behind SafetensorsFile::open: its data section stays on disk and each read()
/// copies one tensor from it with pread, straight into the tensor's memory. Shared by copies of
/// the SafetensorsFile (pread does not move a file offset, so concurrent reads are safe).
struct FileData {
  int fd = -1;
  std::uint64_t data_start = 0;  // file offset of the data section (8 + N)
  std::uint64_t data_bytes = 0;
  std::once_flag whole_once;     // raw() reads the whole data section once, on first use
  std::vector<std::byte> whole;

  FileData() = default;
  FileData(FileData const&) = delete;
  FileData& operator=(FileData const&) = delete;
  ~FileData() {
    if (fd >= 0) ::close(fd);
  }

  /// Reads `bytes` bytes at `offset` of the data section into dst; false if the file ended first.
  /// `got` receives the bytes read.
  bool read(std::uint64_t offset, void* dst, std::uint64_t bytes, std::uint64_t& got) const {
    got = 0;
    auto* out = static_cast<unsigned char*>(dst);
    while (got < bytes) {
      std::uint64_t const want = std::min<std::uint64_t>(bytes - got, std::uint64_t{1} << 30);
      ssize_t const r = ::pread(fd, out + got, static_cast<std::size_t>(want), static_cast<off_t>(data_start + offset + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      got += static_cast<std::uint64_t>(r);
    }
    return true;
  }
};
#endif

}  // namespace detail

/// A parsed, fully validated safetensors file. Construction validates everything (the header,
/// every tensor's byte range against the file size); afterwards only lookups, typed reads (dtype
/// and rank checked) and, for a file opened from a path, a file that changed on disk since can
/// fail. open() keeps the file open and reads each tensor when asked (POSIX pread), so the data
/// section is never copied into memory as a whole unless raw() asks for its bytes; from_bytes()
/// holds its buffer.
class SafetensorsFile {
 public:
  /// Reads and validates `path`. Throws io_error when the file is missing or unreadable, larger
  /// than `limits.max_file_bytes`, or breaks any format rule. The header is validated against the
  /// file size before the data section is allocated or read.
  static SafetensorsFile open(std::filesystem::path const& path, ReadLimits limits = {}) {
    std::string const src = path.string();
    std::error_code ec;
    auto const status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
      throw io_error(detail::cat(src, ": cannot open: ", ec ? ec.message() : std::string("no such file")));
    }
    if (!std::filesystem::is_regular_file(status)) {
      throw io_error(detail::cat(src, ": cannot open: not a regular file"));
    }
    auto fail_read = [&](char const* what, std::uint64_t got, std::uint64_t bytes) {
      throw io_error(detail::cat(src, ": read failed in the ", what, " (got ", got, " of ", bytes,
                                 " bytes; did the file change while it was read?)"));
    };
#if defined(GRAPHTX_SAFETENSORS_PREAD)
    // The data section stays in the file: read() copies each tensor from it (pread) into the
    // tensor's own memory, so loading a 256 MB model touches 256 MB once instead of reading the
    // file into a buffer first and copying every tensor out of it.
    auto data = std::make_shared<io::detail::FileData>();
    data->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (data->fd < 0) {
      throw io_error(detail::cat(src, ": cannot open for reading: ", std::generic_category().message(errno)));
    }
    struct ::stat st {};
    if (::fstat(data->fd, &st) != 0) {
      throw io_error(detail::cat(src, ": cannot read the file size: ", std::generic_category().message(errno)));
    }
    if (!S_ISREG(st.st_mode)) throw io_error(detail::cat(src, ": cannot open: not a regular file"));
    auto const file_size = static_cast<std::uint64_t>(st.st_size);
    check_file_size(file_size, src, limits);
    auto read_exact = [&](void* dst, std::uint64_t at, std::uint64_t bytes, char const* what) {
      std::uint64_t got = 0;
      if (bytes != 0 && !data->read(at, dst, bytes, got)) fail_read(what, got, bytes);
    };
#else
    std::uint64_t const file_size = std::filesystem::file_size(path, ec);
    if (ec) throw io_error(detail::cat(src, ": cannot read the file size: ", ec.message()));
    check_file_size(file_size, src, limits);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw io_error(detail::cat(src, ": cannot open for reading"));
    auto read_exact = [&](void* dst, std::uint64_t /*at: sequential*/, std::uint64_t bytes, char const* what) {
      if (bytes == 0) return;
      in.read(static_cast<char*>(dst), static_cast<std::streamsize>(bytes));
      if (static_cast<std::uint64_t>(in.gcount()) != bytes) fail_read(what, static_cast<std::uint64_t>(in.gcount()), bytes);
    };
#endif

    std::byte prefix[8] = {};
    std::size_t const prefix_len = file_size < 8 ? static_cast<std::size_t>(file_size) : 8;
    read_exact(prefix, 0, prefix_len, "header length");
    std::uint64_t const n = io::detail::check_header_length(std::span<std::byte const>(prefix, prefix_len), file_size,
                                                            src, limits.max_header_bytes);
    std::string text(static_cast<std::size_t>(n), '\0');  // n <= limit and 8 + n <= file size
    read_exact(text.data(), 8, n, "header");
    io::detail::Header header = io::detail::parse_header(text, file_size, src);
    text = std::string();

    SafetensorsFile f;
    f.source_ = src;
#if defined(GRAPHTX_SAFETENSORS_PREAD)
    data->data_start = 8 + n;
    data->data_bytes = header.data_bytes;  // == file size - 8 - N, checked
    f.file_ = std::move(data);
#else
    f.storage_.resize(static_cast<std::size_t>(header.data_bytes));  // == file size - 8 - N, checked
    read_exact(f.storage_.data(), 8 + n, header.data_bytes, "data section");
#endif
    f.data_offset_ = 0;
    f.adopt(std::move(header));
    return f;
  }

  /// Validates a whole file already in memory; `source` names it in error messages.
  static SafetensorsFile from_bytes(std::vector<std::byte> bytes, std::string source = "<memory>",
                                    ReadLimits limits = {}) {
    check_file_size(bytes.size(), source, limits);
    std::size_t const prefix_len = std::min<std::size_t>(bytes.size(), 8);
    std::uint64_t const n = io::detail::check_header_length(std::span<std::byte const>(bytes.data(), prefix_len),
                                                            bytes.size(), source, limits.max_header_bytes);
    std::string_view text(reinterpret_cast<char const*>(bytes.data()) + 8, static_cast<std::size_t>(n));
    io::detail::Header header = io::detail::parse_header(text, bytes.size(), source);
    SafetensorsFile f;
    f.source_ = std::move(source);
    f.storage_ = std::move(bytes);
    f.data_offset_ = static_cast<std::size_t>(8 + n);
    f.adopt(std::move(header));
    return f;
  }

  /// The path (as given to open) or the source name given to from_bytes.
  std::string const& source() const { return source_; }

  /// Every tensor, in data_offsets order.
  std::vector<TensorInfo> const& tensors() const { return tensors_; }

  /// The tensor called `name`, or nullptr.
  TensorInfo const* find(std::string_view name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
  }
  bool contains(std::string_view name) const { return find(name) != nullptr; }

  /// The tensor called `name`; io_error listing a few available names when there is none.
  TensorInfo const& info(std::string_view name) const {
    if (auto const* t = find(name)) return *t;
    std::string list;
    std::size_t shown = 0;
    for (auto const& [n, i] : index_) {
      if (shown == 6) break;
      list += (shown++ ? ", " : "") + io::detail::quote_name(n);
    }
    if (index_.size() > shown) list += detail::cat(", ... (", index_.size() - shown, " more)");
    throw io_error(detail::cat(source_, ": no tensor named ", io::detail::quote_name(name), " (the file has ",
                               index_.size(), " tensor(s)", index_.empty() ? "" : ": ", list, ")"));
  }

  /// The `__metadata__` map (empty when the file has none).
  std::map<std::string, std::string> const& metadata() const { return metadata_; }

  /// The raw little-endian bytes of `t`, which must come from this file's tensors(). The span may
  /// be unaligned for its dtype: copy out with memcpy.
  std::span<std::byte const> raw(TensorInfo const& t) const {
    auto const* mine = find(t.name);
    if (mine == nullptr || mine->begin != t.begin || mine->end != t.end) {
      throw io_error(detail::cat(source_, ": raw: tensor ", io::detail::quote_name(t.name),
                                 " with data_offsets [", t.begin, ", ", t.end, "] does not belong to this file"));
    }
    return data_section().subspan(static_cast<std::size_t>(t.begin), static_cast<std::size_t>(t.end - t.begin));
  }

  /// The tensor `name` as a host Tensor<T, Rank>. The dtype must be exactly T's (F32 for float,
  /// I64 for int64_t, ...) and the rank exactly Rank; otherwise io_error naming the source, the
  /// tensor and expected vs actual. Rank-0 scalars are not read here (a TensorView needs Rank >= 1):
  /// read<T, 1> of a scalar is an io_error that points to read_scalar.
  template <class T, int Rank>
  Tensor<T, Rank, host> read(std::string_view name) const {
    static_assert(Rank >= 1, "SafetensorsFile::read: Rank must be at least 1; use read_scalar<T>() for shape []");
    TensorInfo const& t = info(name);
    std::string const call = detail::cat("read<", detail::cpp_type_name<T>(), ", ", Rank, ">");
    if (t.type != dtype_of_v<T>) {
      throw io_error(detail::cat(source_, ": tensor ", io::detail::quote_name(t.name), " has dtype ", dtype_name(t.type),
                                 ", but ", call, " expects ", dtype_name(dtype_of_v<T>)));
    }
    auto extents = checked_extents<Rank>(t, call);
    Tensor<T, Rank, host> out(extents);
    fetch(t, out.data());
    return out;
  }

  /// A rank-0 tensor (shape []) of dtype exactly T.
  template <class T>
  T read_scalar(std::string_view name) const {
    TensorInfo const& t = info(name);
    if (t.type != dtype_of_v<T>) {
      throw io_error(detail::cat(source_, ": tensor ", io::detail::quote_name(t.name), " has dtype ", dtype_name(t.type),
                                 ", but read_scalar<", detail::cpp_type_name<T>(), "> expects ",
                                 dtype_name(dtype_of_v<T>)));
    }
    if (!t.shape.empty()) {
      throw io_error(detail::cat(source_, ": tensor ", io::detail::quote_name(t.name), " has shape ",
                                 detail::shape_string(t.shape), " (rank ", t.rank(),
                                 "), but read_scalar expects a rank-0 scalar (shape [])"));
    }
    T value{};
    fetch(t, &value);  // dtype T and rank 0: exactly sizeof(T) bytes
    return value;
  }

  /// A float tensor from F32 (copied), F64 (rounded to float) or integer I64/I32 (converted:
  /// OGB stores categorical node features as int64). Other dtypes are an io_error.
  template <int Rank>
  Tensor<float, Rank, host> read_float(std::string_view name) const {
    static_assert(Rank >= 1, "SafetensorsFile::read_float: Rank must be at least 1");
    TensorInfo const& t = info(name);
    std::string const call = detail::cat("read_float<", Rank, ">");
    switch (t.type) {
      case dtype::f32: return read<float, Rank>(name);
      case dtype::f64: return convert<double, float, Rank>(t, call);
      case dtype::i64: return convert<std::int64_t, float, Rank>(t, call);
      case dtype::i32: return convert<std::int32_t, float, Rank>(t, call);
      default:
        throw io_error(detail::cat(source_, ": tensor ", io::detail::quote_name(t.name), " has dtype ",
                                   dtype_name(t.type), ", but ", call, " accepts F32, F64, I64 or I32"));
    }
  }

  /// An int64 tensor from I64 (copied) or I32 (widened). Other dtypes are an io_error.
  template <int Rank>
  Tensor<std::int64_t, Rank, host> read_index(std::string_view name) const {
    static_assert(Rank >= 1, "SafetensorsFile::read_index: Rank must be at least 1");
    TensorInfo const& t = info(name);
    std::string const call = detail::cat("read_index<", Rank, ">");
    switch (t.type) {
      case dtype::i64: return read<std::int64_t, Rank>(name);
      case dtype::i32: return convert<std::int32_t, std::int64_t, Rank>(t, call);
      default:
        throw io_error(detail::cat(source_, ": tensor ", io::detail::quote_name(t.name), " has dtype ",
                                   dtype_name(t.type), ", but ", call, " accepts I64 or I32"));
    }
  }

 private:
  SafetensorsFile() = default;

  static void check_file_size(std::uint64_t size, std::string const& src, ReadLimits const& limits) {
    if (size > limits.max_file_bytes) {
      throw io_error(detail::cat(src, ": file is ", size, " bytes, more than ReadLimits::max_file_bytes (",
                                 limits.max_file_bytes, ")",
                                 limits.max_file_reason.empty() ? "" : ": ", limits.max_file_reason));
    }
  }

  void adopt(io::detail::Header&& h) {
    tensors_.reserve(h.entries.size());
    for (auto& e : h.entries) {
      TensorInfo t;
      t.name = std::move(e.name);
      t.type = e.type;
      t.shape.assign(e.shape.begin(), e.shape.end());  // every extent <= INT64_MAX, checked
      t.begin = e.begin;
      t.end = e.end;
      index_.emplace(t.name, tensors_.size());
      tensors_.push_back(std::move(t));
    }
    metadata_ = std::move(h.metadata);
  }

  template <int Rank>
  extents_t<Rank> checked_extents(TensorInfo const& t, std::string const& call) const {
    if (t.rank() != Rank) {
      std::string hint = t.shape.empty() ? " (a rank-0 scalar: use read_scalar)" : "";
      throw io_error(detail::cat(source_, ": tensor ", io::detail::quote_name(t.name), " has shape ",
                                 detail::shape_string(t.shape), " (rank ", t.rank(), "), but ", call,
                                 " expects rank ", Rank, hint));
    }
    extents_t<Rank> e{};
    for (int d = 0; d < Rank; ++d) e[static_cast<std::size_t>(d)] = t.shape[static_cast<std::size_t>(d)];
    return e;
  }

  /// Element-wise conversion from the on-disk type From (read unaligned) to To.
  template <class From, class To, int Rank>
  Tensor<To, Rank, host> convert(TensorInfo const& t, std::string const& call) const {
    auto extents = checked_extents<Rank>(t, call);
    Tensor<To, Rank, host> out(extents);
    std::vector<std::byte> bytes(static_cast<std::size_t>(t.byte_size()));
    fetch(t, bytes.data());
    To* dst = out.data();
    index_t const n = t.numel();
    for (index_t i = 0; i < n; ++i) {
      From v;
      std::memcpy(&v, bytes.data() + static_cast<std::size_t>(i) * sizeof(From), sizeof(From));
      dst[i] = static_cast<To>(v);
    }
    return out;
  }

  /// The whole data section in memory: storage_ (from_bytes, or open without pread), or for an
  /// open file its data section read once into file_->whole on first use (raw() callers only).
  std::span<std::byte const> data_section() const {
#if defined(GRAPHTX_SAFETENSORS_PREAD)
    if (file_) {
      io::detail::FileData& d = *file_;
      std::call_once(d.whole_once, [&] {
        std::vector<std::byte> whole(static_cast<std::size_t>(d.data_bytes));
        std::uint64_t got = 0;
        if (d.data_bytes != 0 && !d.read(0, whole.data(), d.data_bytes, got)) {
          throw io_error(detail::cat(source_, ": read failed in the data section (got ", got, " of ", d.data_bytes,
                                     " bytes; did the file change while it was read?)"));
        }
        d.whole = std::move(whole);
      });
      return std::span<std::byte const>(d.whole);
    }
#endif
    return std::span<std::byte const>(storage_).subspan(data_offset_);
  }

  /// Copies the bytes of `t` (one of tensors()) to dst: from the file with pread, or from memory.
  void fetch(TensorInfo const& t, void* dst) const {
    std::uint64_t const bytes = t.byte_size();
    if (bytes == 0) return;
#if defined(GRAPHTX_SAFETENSORS_PREAD)
    if (file_) {  // always from the file: whole may be filled by another thread at this moment
      std::uint64_t got = 0;
      if (!file_->read(t.begin, dst, bytes, got)) {
        throw io_error(detail::cat(source_, ": read failed in tensor ", io::detail::quote_name(t.name), " (got ", got,
                                   " of ", bytes, " bytes; did the file change while it was read?)"));
      }
      return;
    }
#endif
    std::memcpy(dst, data_section().data() + t.begin, static_cast<std::size_t>(bytes));
  }

  std::string source_;
#if defined(GRAPHTX_SAFETENSORS_PREAD)
  std::shared_ptr<io::detail::FileData> file_;  // open(): the file, whose data section stays on disk
#endif
  std::vector<std::byte> storage_;  // from_bytes: the whole file (open without pread: its data section)
  std::size_t data_offset_ = 0;     // where the data section starts in storage_
  std::vector<TensorInfo> tensors_;
  std::map<std::string, std::size_t, std::less<>> index_;  // name -> position in tensors_
  std::map<std::string, std::string> metadata_;
};

/// Builds a safetensors file the way the reference writer does: tensors sorted by dtype (largest
/// alignment first, the reference's descending Dtype order), then by name; header compact JSON
/// with `__metadata__` first, padded with spaces to a multiple of 8 so that every tensor is aligned
/// to its element size. `add` copies the bytes, so the source tensor may go away afterwards.
class SafetensorsWriter {
 public:
  /// Adds a tensor. io_error on a duplicate name, a NUL byte or invalid UTF-8 in the name, or the
  /// reserved name "__metadata__".
  template <class T, int Rank>
  void add(std::string name, TensorView<T const, Rank, host> t) {
    std::vector<index_t> shape(static_cast<std::size_t>(Rank));
    for (int d = 0; d < Rank; ++d) shape[static_cast<std::size_t>(d)] = t.extent(d);
    add_raw(std::move(name), dtype_of_v<T>, std::move(shape),
            std::span<std::byte const>(reinterpret_cast<std::byte const*>(t.data()), t.size_bytes()));
  }

  /// Adds a rank-0 scalar (shape []).
  template <class T>
  void add_scalar(std::string name, T value) {
    add_raw(std::move(name), dtype_of_v<T>, {},
            std::span<std::byte const>(reinterpret_cast<std::byte const*>(&value), sizeof(T)));
  }

  /// Adds a tensor of any dtype from raw little-endian bytes; their count must equal the bytes of
  /// `shape` x `type` (sub-byte dtypes: a whole number of bytes).
  void add_raw(std::string name, dtype type, std::vector<index_t> shape, std::span<std::byte const> bytes) {
    check_string("SafetensorsWriter::add: tensor name", name);
    if (name.find('\0') != std::string::npos) {
      throw io_error(detail::cat("SafetensorsWriter::add: tensor name ", io::detail::quote_name(name),
                                 " contains a NUL byte"));
    }
    if (name == "__metadata__") {
      throw io_error("SafetensorsWriter::add: \"__metadata__\" is reserved for the metadata map");
    }
    for (auto const& e : entries_) {
      if (e.name == name) {
        throw io_error(detail::cat("SafetensorsWriter::add: duplicate tensor name ", io::detail::quote_name(name)));
      }
    }
    std::uint64_t elements = 1;
    for (auto d : shape) {
      if (d < 0) {
        throw io_error(detail::cat("SafetensorsWriter::add: tensor ", io::detail::quote_name(name), " has shape ",
                                   detail::shape_string(shape), " with a negative extent"));
      }
      elements *= static_cast<std::uint64_t>(d);  // d >= 0 and the bytes exist, checked below
    }
    std::uint64_t const bits = elements * static_cast<std::uint64_t>(dtype_bits(type));
    if (bits % 8 != 0 || bits / 8 != bytes.size()) {
      throw io_error(detail::cat("SafetensorsWriter::add: tensor ", io::detail::quote_name(name), " has shape ",
                                 detail::shape_string(shape), " of ", dtype_name(type), " (", bits, " bits) but ",
                                 bytes.size(), " bytes were given"));
    }
    entries_.push_back(Entry{std::move(name), type, std::move(shape),
                             std::vector<std::byte>(bytes.begin(), bytes.end())});
  }

  /// Sets (or replaces) one `__metadata__` entry.
  void set_metadata(std::string key, std::string value) {
    check_string("SafetensorsWriter::set_metadata: key", key);
    check_string("SafetensorsWriter::set_metadata: value", value);
    metadata_[std::move(key)] = std::move(value);
  }

  /// The complete file as bytes.
  std::vector<std::byte> to_bytes() const {
    auto order = sorted();
    std::string header = header_text(order);
    std::uint64_t total = 8 + header.size();
    for (auto const* e : order) total += e->bytes.size();
    std::vector<std::byte> out;
    out.reserve(static_cast<std::size_t>(total));
    append_prefix(out, header.size());
    auto const* h = reinterpret_cast<std::byte const*>(header.data());
    out.insert(out.end(), h, h + header.size());
    for (auto const* e : order) out.insert(out.end(), e->bytes.begin(), e->bytes.end());
    return out;
  }

  /// Writes the file to `path` (replacing it). io_error naming the path on failure.
  void write(std::filesystem::path const& path) const {
    auto order = sorted();
    std::string header = header_text(order);
    std::vector<std::byte> prefix;
    append_prefix(prefix, header.size());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw io_error(detail::cat(path.string(), ": cannot open for writing"));
    out.write(reinterpret_cast<char const*>(prefix.data()), static_cast<std::streamsize>(prefix.size()));
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (auto const* e : order) {
      out.write(reinterpret_cast<char const*>(e->bytes.data()), static_cast<std::streamsize>(e->bytes.size()));
    }
    out.flush();
    if (!out) throw io_error(detail::cat(path.string(), ": write failed (disk full or no permission?)"));
  }

 private:
  struct Entry {
    std::string name;
    dtype type;
    std::vector<index_t> shape;
    std::vector<std::byte> bytes;
  };

  static void check_string(char const* what, std::string const& s) {
    if (auto bad = io::detail::find_invalid_utf8(s)) {
      throw io_error(detail::cat(what, " ", io::detail::quote_name(s), " is not valid UTF-8 (at byte ", *bad, ")"));
    }
  }

  std::vector<Entry const*> sorted() const {
    std::vector<Entry const*> order;
    order.reserve(entries_.size());
    for (auto const& e : entries_) order.push_back(&e);
    std::sort(order.begin(), order.end(), [](Entry const* a, Entry const* b) {
      if (a->type != b->type) return a->type > b->type;  // descending dtype = descending alignment
      return a->name < b->name;                          // bytewise, as Rust's String ordering
    });
    return order;
  }

  std::string header_text(std::vector<Entry const*> const& order) const {
    std::string h = "{";
    bool first = true;
    if (!metadata_.empty()) {
      h += "\"__metadata__\":{";
      for (auto const& [k, v] : metadata_) {
        if (!first) h += ',';
        first = false;
        detail::append_json_string(h, k);
        h += ':';
        detail::append_json_string(h, v);
      }
      h += '}';
    }
    std::uint64_t offset = 0;
    for (auto const* e : order) {
      if (h.size() > 1) h += ',';
      detail::append_json_string(h, e->name);
      h += ":{\"dtype\":";
      detail::append_json_string(h, dtype_name(e->type));
      h += ",\"shape\":[";
      for (std::size_t d = 0; d < e->shape.size(); ++d) h += detail::cat(d ? "," : "", e->shape[d]);
      h += detail::cat("],\"data_offsets\":[", offset, ",", offset + e->bytes.size(), "]}");
      offset += e->bytes.size();
    }
    h += '}';
    h.resize((h.size() + 7) / 8 * 8, ' ');  // data section starts 8-aligned
    if (h.size() > ReadLimits{}.max_header_bytes) {
      throw io_error(detail::cat("SafetensorsWriter: header would be ", h.size(), " bytes, more than the ",
                                 ReadLimits{}.max_header_bytes, " readers accept"));
    }
    return h;
  }

  static void append_prefix(std::vector<std::byte>& out, std::uint64_t n) {
    for (int b = 0; b < 8; ++b) out.push_back(static_cast<std::byte>((n >> (8 * b)) & 0xff));
  }

  std::vector<Entry> entries_;
  std::map<std::string, std::string> metadata_;
};

/// Throws value_error at the first NaN or Inf in any floating-point tensor of `file` (F64, F32,
/// F16, BF16; the F8/F6/F4 formats are not inspected), in the file's data order, naming the
/// source, the tensor and the position: "model.safetensors: tensor \"lns.3.weight\": element 17 is
/// nan". Reads the raw bytes (no conversion, no allocation). For weights, before a load.
inline void check_finite(SafetensorsFile const& file) {
  for (auto const& t : file.tensors()) {
    auto bytes = file.raw(t);
    index_t const n = t.numel();
    auto fail = [&](index_t i, bool nan, bool negative) {
      throw value_error(detail::cat(file.source(), ": tensor ", io::detail::quote_name(t.name), ": ",
                                    graphtx::detail::position_string(t.shape, i), " is ",
                                    nan ? "nan" : (negative ? "-inf" : "inf"), " (", dtype_name(t.type), ", shape ",
                                    detail::shape_string(t.shape), "; the first non-finite value of the file)"));
    };
    auto scan = [&](auto tag, auto exponent_mask, auto mantissa_mask, auto sign_mask) {
      using U = decltype(tag);
      for (index_t i = 0; i < n; ++i) {
        U v;
        std::memcpy(&v, bytes.data() + static_cast<std::size_t>(i) * sizeof(U), sizeof(U));
        if ((v & exponent_mask) == exponent_mask) fail(i, (v & mantissa_mask) != 0, (v & sign_mask) != 0);
      }
    };
    switch (t.type) {
      case dtype::f64:
        scan(std::uint64_t{}, std::uint64_t{0x7ff0000000000000}, std::uint64_t{0x000fffffffffffff},
             std::uint64_t{1} << 63);
        break;
      case dtype::f32: scan(std::uint32_t{}, std::uint32_t{0x7f800000}, std::uint32_t{0x007fffff}, std::uint32_t{1} << 31); break;
      case dtype::f16:
        scan(std::uint16_t{}, std::uint16_t{0x7c00}, std::uint16_t{0x03ff}, std::uint16_t{0x8000});
        break;
      case dtype::bf16:
        scan(std::uint16_t{}, std::uint16_t{0x7f80}, std::uint16_t{0x007f}, std::uint16_t{0x8000});
        break;
      default: break;
    }
  }
}

}  // namespace graphtx::io
