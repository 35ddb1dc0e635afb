#include "nn/dtype.h"

namespace mxai::nn {

namespace {

struct DTypeInfo {
  DType dtype;
  const char* name;
  int64_t size;
  bool floating;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::F64, "F64", 8, true},  {DType::F32, "F32", 4, true}, {DType::F16, "F16", 2, true},
    {DType::BF16, "BF16", 2, true}, {DType::I64, "I64", 8, false}, {DType::I32, "I32", 4, false},
    {DType::I16, "I16", 2, false},  {DType::I8, "I8", 1, false},   {DType::U8, "U8", 1, false},
    {DType::BOOL, "BOOL", 1, false},
};

const DTypeInfo& info(DType dtype) {
  for (const DTypeInfo& i : kDTypes)
    if (i.dtype == dtype) return i;
  return kDTypes[1];
}

}  // namespace

const char* dtype_name(DType dtype) { return info(dtype).name; }
int64_t dtype_size(DType dtype) { return info(dtype).size; }
bool dtype_is_floating(DType dtype) { return info(dtype).floating; }

bool parse_dtype(const std::string& name, DType& out) {
  for (const DTypeInfo& i : kDTypes)
    if (name == i.name) {
      out = i.dtype;
      return true;
    }
  return false;
}

}  // namespace mxai::nn
