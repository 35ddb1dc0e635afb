#include "nn/model_file.h"

#include <exception>

namespace mxai::nn {

void save_module(const Module& module, const std::string& path, const Metadata& metadata) {
  save_safetensors(path, module.state_dict(), metadata, module.state_dtypes());
}

Metadata load_module(Module& module, const std::string& path, bool strict) {
  SafetensorsContents contents = load_safetensors(path);
  try {
    module.load_state_dict(contents.tensors, strict, contents.dtypes);
  } catch (const Error& e) {
    throw Error("cannot load '" + path + "': " + e.what());
  }
  return contents.metadata;
}

int64_t metadata_integer(const Metadata& metadata, const std::string& key, const std::string& path,
                         const std::string& kind, const std::string& saved_by) {
  auto it = metadata.find(key);
  if (it == metadata.end())
    throw Error("'" + path + "' is not an mxai " + kind + " file: its metadata has no '" + key + "' (saved by `" +
                saved_by + "`?)");
  try {
    return std::stoll(it->second);
  } catch (const std::exception&) {
    throw Error("'" + path + "': metadata '" + key + "' is not an integer: '" + it->second + "'");
  }
}

}  // namespace mxai::nn
