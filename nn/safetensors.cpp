#include "nn/safetensors.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "autodiff/file_io.h"
#include "nn/json.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors.cpp copies tensor bytes directly and assumes a little-endian host"
#endif

namespace mxai::nn {

namespace {

constexpr const char* kMetadataKey = "__metadata__";

template <class T>
void append_as(std::string& out, const Tensor& t) {
  const size_t start = out.size();
  out.resize(start + sizeof(T) * static_cast<size_t>(t.numel()));
  const real* p = t.data();
  for (int64_t i = 0; i < t.numel(); ++i) {
    T v;
    if constexpr (std::is_integral_v<T>) v = static_cast<T>(std::llround(p[i]));
    else v = static_cast<T>(p[i]);
    std::memcpy(&out[start + sizeof(T) * static_cast<size_t>(i)], &v, sizeof(T));
  }
}

float half_to_float(uint16_t h) {
  const uint32_t sign = (h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1F;
  uint32_t mantissa = h & 0x3FFu;
  uint32_t bits;
  if (exponent == 0x1F) {
    bits = sign | 0x7F800000u | (mantissa << 13);  // inf or NaN
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {  // subnormal half: renormalise
    int shift = 0;
    while (!(mantissa & 0x400u)) {
      mantissa <<= 1;
      ++shift;
    }
    bits = sign | (static_cast<uint32_t>(113 - shift) << 23) | ((mantissa & 0x3FFu) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float bf16_to_float(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

template <class T>
T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

real read_element(DType dtype, const char* p) {
  switch (dtype) {
    case DType::F64: return static_cast<real>(load<double>(p));
    case DType::F32: return static_cast<real>(load<float>(p));
    case DType::F16: return static_cast<real>(half_to_float(load<uint16_t>(p)));
    case DType::BF16: return static_cast<real>(bf16_to_float(load<uint16_t>(p)));
    case DType::I64: return static_cast<real>(load<int64_t>(p));
    case DType::I32: return static_cast<real>(load<int32_t>(p));
    case DType::I16: return static_cast<real>(load<int16_t>(p));
    case DType::I8: return static_cast<real>(load<int8_t>(p));
    case DType::U8: return static_cast<real>(load<uint8_t>(p));
    case DType::BOOL: return load<uint8_t>(p) ? real(1) : real(0);
  }
  return 0;
}

std::string shape_json(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace

std::string encode_safetensors(const TensorMap& tensors, const Metadata& metadata,
                               const std::map<std::string, DType>& dtypes) {
  std::string header = "{", data;
  if (!metadata.empty()) {
    header += json::quote(kMetadataKey) + ":{";
    bool first = true;
    for (const auto& [key, value] : metadata) {
      header += (first ? "" : ",") + json::quote(key) + ":" + json::quote(value);
      first = false;
    }
    header += "}";
  }
  for (const auto& [name, t] : tensors) {  // std::map: name order
    if (name.empty() || name == kMetadataKey)
      throw Error("safetensors: invalid tensor name '" + name + "'");
    if (!t.defined()) throw Error("safetensors: tensor '" + name + "' is undefined");
    const auto given = dtypes.find(name);
    const DType dtype = given == dtypes.end() ? DType::F32 : given->second;
    const size_t begin = data.size();
    switch (dtype) {
      case DType::F32: append_as<float>(data, t); break;
      case DType::F64: append_as<double>(data, t); break;
      case DType::I64: append_as<int64_t>(data, t); break;
      case DType::I32: append_as<int32_t>(data, t); break;
      default:
        throw Error(std::string("safetensors: writing dtype ") + dtype_name(dtype) + " (tensor '" + name +
                    "') is not supported; use F32, F64, I64 or I32");
    }
    header += std::string(header.size() > 1 ? "," : "") + json::quote(name) + ":{\"dtype\":\"" + dtype_name(dtype) +
              "\",\"shape\":" + shape_json(t.shape()) + ",\"data_offsets\":[" + std::to_string(begin) + "," +
              std::to_string(data.size()) + "]}";
  }
  header += "}";
  // Padding the header to 8 bytes keeps the data aligned for readers that map the file.
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  const uint64_t n = header.size();
  std::memcpy(&out[0], &n, 8);
  out += header;
  out += data;
  return out;
}

SafetensorsContents decode_safetensors(const std::string& bytes, const std::string& source) {
  const auto fail = [&](const std::string& what) -> Error {
    return Error("safetensors file '" + source + "': " + what);
  };
  if (bytes.size() < 8)
    throw fail("file is " + std::to_string(bytes.size()) + " bytes, shorter than the 8-byte header length");
  const uint64_t header_size = load<uint64_t>(bytes.data());
  if (header_size > bytes.size() - 8)
    throw fail("header length " + std::to_string(header_size) + " exceeds the file size (" +
               std::to_string(bytes.size()) + " bytes)");
  json::Value header;
  try {
    header = json::parse(bytes.substr(8, header_size));
  } catch (const Error& e) {
    throw fail(std::string("header is not valid JSON: ") + e.what());
  }
  if (header.kind != json::Value::Kind::Object)
    throw fail(std::string("header must be a JSON object, got ") + header.kind_name());

  const char* data = bytes.data() + 8 + header_size;
  const uint64_t data_size = bytes.size() - 8 - header_size;
  SafetensorsContents out;
  for (const auto& [name, entry] : header.members) {
    if (name == kMetadataKey) {
      if (entry.kind != json::Value::Kind::Object) throw fail("__metadata__ must be an object");
      for (const auto& [key, value] : entry.members) {
        if (value.kind != json::Value::Kind::String)
          throw fail("__metadata__ value of '" + key + "' must be a string, got " + value.kind_name());
        out.metadata[key] = value.string;
      }
      continue;
    }
    const std::string what = "tensor '" + name + "'";
    if (out.tensors.count(name)) throw fail(what + " appears twice in the header");
    if (entry.kind != json::Value::Kind::Object) throw fail(what + ": entry must be an object");
    const json::Value* dtype_v = entry.find("dtype");
    const json::Value* shape_v = entry.find("shape");
    const json::Value* offsets_v = entry.find("data_offsets");
    if (!dtype_v || dtype_v->kind != json::Value::Kind::String) throw fail(what + ": missing or non-string dtype");
    DType dtype;
    if (!parse_dtype(dtype_v->string, dtype)) throw fail(what + " has unknown dtype '" + dtype_v->string + "'");
    if (!shape_v || shape_v->kind != json::Value::Kind::Array) throw fail(what + ": missing or non-array shape");
    Shape shape;
    uint64_t numel = 1;
    for (const json::Value& d : shape_v->items) {
      if (d.kind != json::Value::Kind::Number || !d.is_integer || d.integer < 0)
        throw fail(what + ": shape entries must be non-negative integers");
      shape.push_back(d.integer);
      // Any tensor larger than the file is rejected below; stopping here keeps the product from overflowing.
      if (d.integer != 0 && numel > std::numeric_limits<uint64_t>::max() / 16 / static_cast<uint64_t>(d.integer))
        throw fail(what + ": shape " + shape_str(shape) + " is too large");
      numel *= static_cast<uint64_t>(d.integer);
    }
    if (!offsets_v || offsets_v->kind != json::Value::Kind::Array || offsets_v->items.size() != 2)
      throw fail(what + ": data_offsets must be an array [begin, end]");
    for (const json::Value& o : offsets_v->items)
      if (o.kind != json::Value::Kind::Number || !o.is_integer || o.integer < 0)
        throw fail(what + ": data_offsets must be non-negative integers");
    const uint64_t begin = static_cast<uint64_t>(offsets_v->items[0].integer);
    const uint64_t end = static_cast<uint64_t>(offsets_v->items[1].integer);
    const std::string offsets_text = "[" + std::to_string(begin) + ", " + std::to_string(end) + "]";
    if (begin > end || end > data_size)
      throw fail(what + ": data_offsets " + offsets_text + " out of range (the data section has " +
                 std::to_string(data_size) + " bytes)");
    const uint64_t element = static_cast<uint64_t>(dtype_size(dtype));
    if (end - begin != numel * element)
      throw fail(what + ": data_offsets " + offsets_text + " span " + std::to_string(end - begin) +
                 " bytes but shape " + shape_str(shape) + " of " + dtype_name(dtype) + " needs " +
                 std::to_string(numel * element));
    Tensor t = Tensor::empty(shape);
    real* p = t.data();
    for (uint64_t i = 0; i < numel; ++i) p[i] = read_element(dtype, data + begin + i * element);
    out.tensors[name] = t;
    out.dtypes[name] = dtype;
  }
  return out;
}

void save_safetensors(const std::string& path, const TensorMap& tensors, const Metadata& metadata,
                      const std::map<std::string, DType>& dtypes) {
  std::string bytes;
  try {
    bytes = encode_safetensors(tensors, metadata, dtypes);
  } catch (const Error& e) {
    throw Error("cannot save '" + path + "': " + e.what());
  }
  write_file_atomic(path, bytes);
}

SafetensorsContents load_safetensors(const std::string& path) { return decode_safetensors(read_file(path), path); }

}  // namespace mxai::nn
