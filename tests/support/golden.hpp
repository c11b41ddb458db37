#pragma once
// Golden files made by real PyG (tools/make_goldens.py): <case>.weights.safetensors is the module's
// state_dict exactly as safetensors.torch.save_file writes it; <case>.io.safetensors holds inputs,
// outputs (float32 and float64 runs) and the case's configuration as __metadata__.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <graphtx/io/safetensors.hpp>

namespace graphtx::test {

inline std::filesystem::path data_path(std::string const& relative) {
  return std::filesystem::path(GRAPHTX_TEST_DATA_DIR) / relative;
}

struct Golden {
  io::SafetensorsFile weights;
  io::SafetensorsFile io;

  /// Metadata value of the io file; fails the test when the key is absent.
  std::string meta(std::string const& key) const {
    auto const& m = io.metadata();
    auto it = m.find(key);
    INFO("golden " << io.source() << " metadata key " << key);
    REQUIRE(it != m.end());
    return it->second;
  }
  long long meta_int(std::string const& key) const { return std::stoll(meta(key)); }
  bool meta_bool(std::string const& key) const {
    auto v = meta(key);
    return v == "true" || v == "True" || v == "1";
  }
};

/// Opens tests/data/<dir>/<name>.{weights,io}.safetensors.
inline Golden load_golden(std::string const& dir, std::string const& name) {
  return Golden{io::SafetensorsFile::open(data_path(dir + "/" + name + ".weights.safetensors")),
                io::SafetensorsFile::open(data_path(dir + "/" + name + ".io.safetensors"))};
}

}  // namespace graphtx::test
