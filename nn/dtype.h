// The element types a stored tensor can have. In memory every Tensor holds `real`; the dtype only says how its
// values are laid out in a model file, so that integer buffers (BatchNorm's num_batches_tracked) round-trip to
// PyTorch as int64 and half-precision files can be read.
#pragma once

#include <cstdint>
#include <string>

namespace mxai::nn {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

const char* dtype_name(DType dtype);           // the safetensors spelling: "F32", "I64", ...
bool parse_dtype(const std::string& name, DType& out);  // false for an unknown name
int64_t dtype_size(DType dtype);               // bytes per element
bool dtype_is_floating(DType dtype);

}  // namespace mxai::nn
