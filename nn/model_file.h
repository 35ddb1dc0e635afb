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
// file. Returns the file's metadata.
Metadata load_module(Module& module, const std::string& path, bool strict = true);

// The integer metadata field `key` of the model file `path`, which should be an mxai `kind` file (e.g. "VAE")
// written by `saved_by` (e.g. "mxai train-vae"). Throws Error naming the file when the field is missing or not an
// integer.
int64_t metadata_integer(const Metadata& metadata, const std::string& key, const std::string& path,
                         const std::string& kind, const std::string& saved_by);

}  // namespace mxai::nn
