#include "nn/model_file.h"

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

}  // namespace mxai::nn
