// Shared by the safetensors tests (test_nn_safetensors.cpp, test_nn_safetensors_strict.cpp): a private temporary
// directory and builders of raw file bytes, so each test can write exactly the bytes a case needs.
#pragma once

#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "nn/safetensors.h"

namespace mxai_test {

// A fresh path in a private temporary directory, removed with the fixture.
struct SafetensorsTempDir {
  std::string path;
  SafetensorsTempDir() {
    char tmpl[] = "/tmp/mxai_safetensors_test_XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    path = tmpl;
  }
  ~SafetensorsTempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  SafetensorsTempDir(const SafetensorsTempDir&) = delete;
  SafetensorsTempDir& operator=(const SafetensorsTempDir&) = delete;
  std::string file(const std::string& name) const { return path + "/" + name; }
};

inline std::string le64(uint64_t n) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return s;
}

// A file with the given header text and data bytes.
inline std::string file_bytes(const std::string& header, const std::string& data) {
  return le64(header.size()) + header + data;
}

// The decoder's message for `bytes` (as file "model.safetensors"), or "(no error)".
inline std::string decode_error(const std::string& bytes) {
  try {
    mxai::nn::decode_safetensors(bytes, "model.safetensors");
  } catch (const mxai::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace mxai_test
