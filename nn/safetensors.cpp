#include "nn/safetensors.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <type_traits>
#include <vector>

#include "autodiff/file_io.h"
#include "autodiff/json.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors.cpp copies tensor bytes directly and assumes a little-endian host"
#endif

namespace mxai::nn {

namespace {

constexpr const char* kMetadataKey = "__metadata__";
// The reference implementation's limit on the header length (MAX_HEADER_SIZE).
constexpr uint64_t kMaxHeaderSize = 100'000'000;

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

// The offset of the first byte of `s` that is not part of well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or npos.
size_t utf8_error_at(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;         // overlong
      else if (c == 0xED) hi = 0x9F;    // UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;         // overlong
      else if (c == 0xF4) hi = 0x8F;    // above U+10FFFF
    } else {
      return i;
    }
    if (n - i < len || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string::npos;
}

std::string byte_hex(char c) {
  static const char* hex = "0123456789abcdef";
  const auto b = static_cast<unsigned char>(c);
  return std::string("0x") + hex[b >> 4] + hex[b & 0xF];
}

// `s` quoted for an error message, with control characters and every byte of a string that is not valid UTF-8
// written as \xNN.
std::string escaped(const std::string& s) {
  static const char* hex = "0123456789abcdef";
  const bool utf8 = utf8_error_at(s) == std::string::npos;
  std::string out = "'";
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F || (b >= 0x80 && !utf8)) {
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 0xF];
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string offsets_str(uint64_t begin, uint64_t end) {
  return "[" + std::to_string(begin) + ", " + std::to_string(end) + "]";
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
  if (header_size > kMaxHeaderSize)  // checked first, as the reference does
    throw fail("header length " + std::to_string(header_size) + " exceeds the format's limit of " +
               std::to_string(kMaxHeaderSize) + " bytes" +
               (header_size > bytes.size() - 8 ? " (and exceeds the file size, " + std::to_string(bytes.size()) +
                                                     " bytes)"
                                               : std::string()));
  if (header_size > bytes.size() - 8)
    throw fail("header length " + std::to_string(header_size) + " exceeds the file size (" +
               std::to_string(bytes.size()) + " bytes)");
  const std::string header_text = bytes.substr(8, header_size);
  json::Value header;
  try {
    header = json::parse(header_text);
  } catch (const Error& e) {
    throw fail(std::string("header is not valid JSON: ") + e.what());
  }
  if (header.kind != json::Value::Kind::Object)
    throw fail(std::string("header must be a JSON object, got ") + header.kind_name());
  if (header_text[0] != '{')  // the reference reader allows padding after the object, nothing before it
    throw fail("header must begin with '{', it begins with byte " + byte_hex(header_text[0]));

  const uint64_t data_size = bytes.size() - 8 - header_size;
  SafetensorsContents out;
  struct Entry {
    std::string name;
    DType dtype;
    Shape shape;
    uint64_t begin, end;
  };
  std::vector<Entry> entries;
  std::set<std::string> names;
  bool seen_metadata = false;
  for (const auto& [name, entry] : header.members) {
    if (name == kMetadataKey) {
      if (seen_metadata) throw fail("__metadata__ appears twice in the header");
      seen_metadata = true;
      if (entry.kind != json::Value::Kind::Object) throw fail("__metadata__ must be an object");
      for (const auto& [key, value] : entry.members) {
        if (utf8_error_at(key) != std::string::npos)
          throw fail("__metadata__ key " + escaped(key) + " is not valid UTF-8");
        if (value.kind != json::Value::Kind::String)
          throw fail("__metadata__ value of '" + key + "' must be a string, got " + value.kind_name());
        if (utf8_error_at(value.string) != std::string::npos)
          throw fail("__metadata__ value of '" + key + "' is not valid UTF-8: " + escaped(value.string));
        if (!out.metadata.emplace(key, value.string).second)
          throw fail("__metadata__ key '" + key + "' appears twice in the header");
      }
      continue;
    }
    if (utf8_error_at(name) != std::string::npos)
      throw fail("tensor name " + escaped(name) + " is not valid UTF-8");
    const std::string what = "tensor '" + name + "'";
    if (!names.insert(name).second) throw fail(what + " appears twice in the header");
    if (entry.kind != json::Value::Kind::Object) throw fail(what + ": entry must be an object");
    std::set<std::string> fields;
    for (const auto& member : entry.members)
      if (!fields.insert(member.first).second)
        throw fail(what + ": field " + escaped(member.first) + " appears twice");
    const json::Value* dtype_v = entry.find("dtype");
    const json::Value* shape_v = entry.find("shape");
    const json::Value* offsets_v = entry.find("data_offsets");
    if (!dtype_v || dtype_v->kind != json::Value::Kind::String) throw fail(what + ": missing or non-string dtype");
    Entry e;
    e.name = name;
    if (!parse_dtype(dtype_v->string, e.dtype)) throw fail(what + " has unknown dtype " + escaped(dtype_v->string));
    if (!shape_v || shape_v->kind != json::Value::Kind::Array) throw fail(what + ": missing or non-array shape");
    // The element count must fit int64 (the reference checks it in usize) -- also with zero-size dimensions left
    // out, so that no stride of the tensor can overflow either.
    for (const json::Value& d : shape_v->items) {
      if (d.kind != json::Value::Kind::Number || !d.is_integer || d.integer < 0)
        throw fail(what + ": shape entries must be non-negative integers that fit int64");
      e.shape.push_back(d.integer);
    }
    int64_t nonzero_product = 1;
    bool has_zero = false;
    for (const int64_t d : e.shape) {
      if (d == 0) has_zero = true;
      else if (__builtin_mul_overflow(nonzero_product, d, &nonzero_product))
        throw fail(what + ": shape " + shape_str(e.shape) + " is too large: its element count overflows int64");
    }
    const int64_t numel = has_zero ? 0 : nonzero_product;
    const int64_t element = dtype_size(e.dtype);
    int64_t nbytes = 0;
    if (__builtin_mul_overflow(numel, element, &nbytes))
      throw fail(what + ": shape " + shape_str(e.shape) + " of " + dtype_name(e.dtype) +
                 " is too large: its byte size overflows int64");
    if (!offsets_v || offsets_v->kind != json::Value::Kind::Array || offsets_v->items.size() != 2)
      throw fail(what + ": data_offsets must be an array [begin, end]");
    for (const json::Value& o : offsets_v->items)
      if (o.kind != json::Value::Kind::Number || !o.is_integer || o.integer < 0)
        throw fail(what + ": data_offsets must be non-negative integers");
    e.begin = static_cast<uint64_t>(offsets_v->items[0].integer);
    e.end = static_cast<uint64_t>(offsets_v->items[1].integer);
    const std::string offsets_text = offsets_str(e.begin, e.end);
    if (e.begin > e.end || e.end > data_size)
      throw fail(what + ": data_offsets " + offsets_text + " out of range (the data section has " +
                 std::to_string(data_size) + " bytes)");
    if (e.end - e.begin != static_cast<uint64_t>(nbytes))
      throw fail(what + ": data_offsets " + offsets_text + " span " + std::to_string(e.end - e.begin) +
                 " bytes but shape " + shape_str(e.shape) + " of " + dtype_name(e.dtype) + " needs " +
                 std::to_string(nbytes));
    entries.push_back(std::move(e));
  }
  // Whatever a string may hold, the header as a whole must be UTF-8 (the reference reads it as a Rust str).
  const size_t bad_byte = utf8_error_at(header_text);
  if (bad_byte != std::string::npos)
    throw fail("header is not valid UTF-8 at byte " + std::to_string(8 + bad_byte) + " of the file");

  // Like the reference: in offset order, each tensor starts where the previous one ended, the first at 0, and
  // the last ends where the file ends -- no overlap, no gap, no trailing bytes.
  std::vector<const Entry*> by_offset;
  for (const Entry& e : entries) by_offset.push_back(&e);
  std::stable_sort(by_offset.begin(), by_offset.end(), [](const Entry* a, const Entry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  uint64_t covered = 0;
  const Entry* previous = nullptr;
  for (const Entry* e : by_offset) {
    const std::string what = "tensor '" + e->name + "': data_offsets " + offsets_str(e->begin, e->end);
    if (e->begin < covered)
      throw fail(what + " overlap tensor '" + previous->name + "' " + offsets_str(previous->begin, previous->end) +
                 " (expected it to begin at " + std::to_string(covered) + ")");
    if (e->begin > covered)
      throw fail(what + " leave a gap: bytes [" + std::to_string(covered) + ", " + std::to_string(e->begin) +
                 ") of the data section belong to no tensor (expected it to begin at " + std::to_string(covered) +
                 (previous ? ", where tensor '" + previous->name + "' ends)" : ")"));
    covered = e->end;
    previous = e;
  }
  if (covered != data_size)
    throw fail("the data section has " + std::to_string(data_size) + " bytes but the tensors cover " +
               std::to_string(covered) + ": " + std::to_string(data_size - covered) +
               " trailing bytes after " + (previous ? "tensor '" + previous->name + "'" : "the header") +
               " belong to no tensor");

  const char* data = bytes.data() + 8 + header_size;
  for (const Entry& e : entries) {
    Tensor t = Tensor::empty(e.shape);
    real* p = t.data();
    const int64_t element = dtype_size(e.dtype);
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = read_element(e.dtype, data + e.begin + i * element);
    out.tensors[e.name] = t;
    out.dtypes[e.name] = e.dtype;
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

std::optional<Metadata> peek_safetensors_metadata(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char size_bytes[8];
  if (!in.read(size_bytes, 8)) return std::nullopt;
  const uint64_t header_size = load<uint64_t>(size_bytes);
  if (header_size > kMaxHeaderSize) return std::nullopt;
  std::string header_text(static_cast<size_t>(header_size), '\0');
  if (!in.read(header_text.data(), static_cast<std::streamsize>(header_size)) || header_text.empty() ||
      header_text[0] != '{')
    return std::nullopt;
  json::Value header;
  try {
    header = json::parse(header_text);
  } catch (const Error&) {
    return std::nullopt;
  }
  Metadata metadata;
  if (const json::Value* m = header.find(kMetadataKey)) {
    if (m->kind != json::Value::Kind::Object) return std::nullopt;
    for (const auto& [key, value] : m->members) {
      if (value.kind != json::Value::Kind::String) return std::nullopt;
      metadata[key] = value.string;
    }
  }
  return metadata;
}

}  // namespace mxai::nn
