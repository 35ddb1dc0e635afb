#include "nn/model_file.h"

#include <charconv>
#include <cmath>
#include <exception>

namespace mxai::nn {

void save_module(const Module& module, const std::string& path, const Metadata& metadata) {
  save_safetensors(path, module.state_dict(), metadata, module.state_dtypes());
}

void check_finite(const SafetensorsContents& contents, const std::string& path) {
  for (const auto& [name, t] : contents.tensors) {
    const real* p = t.data();
    const int64_t n = t.numel();
    for (int64_t i = 0; i < n; ++i) {
      if (std::isfinite(p[i])) continue;
      int64_t bad = 0;
      for (int64_t j = i; j < n; ++j) bad += !std::isfinite(p[j]);
      const std::string value = std::isnan(p[i]) ? "NaN" : p[i] > 0 ? "+Inf" : "-Inf";
      throw Error("cannot load '" + path + "': tensor '" + name + "' " + shape_str(t.shape()) + " holds " + value +
                  " at flat index " + std::to_string(i) + " (" + std::to_string(bad) + " of its " +
                  std::to_string(n) + " values are not finite)");
    }
  }
}

Metadata load_module(Module& module, const std::string& path, bool strict) {
  SafetensorsContents contents = load_safetensors(path);
  check_finite(contents, path);
  try {
    module.load_state_dict(contents.tensors, strict, contents.dtypes);
  } catch (const Error& e) {
    throw Error("cannot load '" + path + "': " + e.what());
  }
  return contents.metadata;
}

int64_t metadata_integer(const Metadata& metadata, const std::string& key, const std::string& path,
                         const std::string& kind, const std::string& saved_by, int64_t min, int64_t max) {
  auto it = metadata.find(key);
  if (it == metadata.end())
    throw Error("'" + path + "' is not an mxai " + kind + " file: its metadata has no '" + key + "' (saved by `" +
                saved_by + "`?)");
  const std::string& text = it->second;
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    throw Error("'" + path + "': metadata '" + key + "' is not an integer: '" + text + "'");
  if (value < min || value > max)
    throw Error("'" + path + "': metadata '" + key + "' must be in [" + std::to_string(min) + ", " +
                std::to_string(max) + "], got " + text);
  return value;
}

}  // namespace mxai::nn
