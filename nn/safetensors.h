// Reading and writing the safetensors format (https://github.com/huggingface/safetensors), the file format of
// mxai models and the one PyTorch's ecosystem reads: an 8-byte little-endian header length N, N bytes of JSON
// {"__metadata__": {string: string}, "name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}
// padded with spaces to a multiple of 8, then the raw little-endian tensor data, offsets counted from the end
// of the header. Tensors are laid out in name order.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "autodiff/tensor.h"
#include "nn/dtype.h"

namespace mxai::nn {

using TensorMap = std::map<std::string, Tensor>;
using Metadata = std::map<std::string, std::string>;

struct SafetensorsContents {
  TensorMap tensors;                      // converted to `real`
  std::map<std::string, DType> dtypes;    // each tensor's dtype in the file
  Metadata metadata;
};

// The file's bytes. Tensors are stored as F32 unless `dtypes` names another dtype for them (F64, I64 and I32 can
// be written; integer dtypes round to the nearest integer).
std::string encode_safetensors(const TensorMap& tensors, const Metadata& metadata = {},
                               const std::map<std::string, DType>& dtypes = {});
// Parses bytes read from `source` (named in every error). Reads F64, F32, F16, BF16 and the integer and BOOL
// dtypes. As strict as the reference implementation: throws mxai::Error (naming the file, the tensor, and what was
// expected against what was found) for a truncated file, a header length beyond the file or above 100,000,000
// bytes, a header that is not UTF-8 JSON beginning with '{', a duplicate key, an unknown dtype, a shape whose
// element count or byte size overflows int64, data_offsets out of range or not matching shape * dtype size, and
// tensors that overlap, leave gaps, or do not cover the data section exactly (no trailing bytes).
SafetensorsContents decode_safetensors(const std::string& bytes, const std::string& source);

// Written atomically (write_file_atomic), so a failed save never leaves a half-written model.
void save_safetensors(const std::string& path, const TensorMap& tensors, const Metadata& metadata = {},
                      const std::map<std::string, DType>& dtypes = {});
SafetensorsContents load_safetensors(const std::string& path);

// The metadata of the safetensors file at `path`, read from its header alone (no tensor data is read), so a caller
// can tell a file's kind without loading it. Empty when the file is missing, unreadable or does not begin with a
// valid safetensors header; a file this accepts may still fail load_safetensors (its tensors are not checked).
std::optional<Metadata> peek_safetensors_metadata(const std::string& path);

}  // namespace mxai::nn
