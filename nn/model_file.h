// Saving a module's state_dict (parameters and buffers) to a safetensors file and loading it back; the file is
// readable by PyTorch (scripts/torch_interop.py) and PyTorch state dicts saved the same way load here.
#pragma once

#include <cstdint>
#include <string>

#include "nn/module.h"
#include "nn/safetensors.h"

namespace mxai::nn {

void save_module(const Module& module, const std::string& path, const Metadata& metadata = {});
// Loads with Module::load_state_dict (checking names when strict, shapes and dtypes always); errors name the
// file. A tensor holding NaN or Inf is rejected, naming the file, the tensor and the first such value. Returns
// the file's metadata.
Metadata load_module(Module& module, const std::string& path, bool strict = true);

// Throws Error naming `path`, the tensor and the first bad value if any tensor holds NaN or Inf.
void check_finite(const SafetensorsContents& contents, const std::string& path);

// The integer metadata field `key` of the model file `path`, which should be an mxai `kind` file (e.g. "VAE")
// written by `saved_by` (e.g. "mxai train-vae"). The fields read this way are layer and image sizes, so the value
// must lie in [min, max]. Throws Error naming the file when the field is missing, not an integer (the whole
// string), or out of range.
int64_t metadata_integer(const Metadata& metadata, const std::string& key, const std::string& path,
                         const std::string& kind, const std::string& saved_by, int64_t min = 1,
                         int64_t max = int64_t{1} << 20);

}  // namespace mxai::nn
