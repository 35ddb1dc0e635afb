// Shared by the datasets tests: a self-deleting temp folder and writers of small files in the real formats.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace mxai_test {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = std::filesystem::temp_directory_path() / ("mxai_datasets_test_" + std::to_string(::getpid()) + "_" +
                                                      std::to_string(counter++) + "_" + std::to_string(ticks));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  // Removing first: ext4 flushes a file truncated by rewriting to disk on close, which made tests that rewrite
  // one file many times wait on the disk.
  std::error_code ec;
  std::filesystem::remove(path, ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Through zlib's gz* API, as a gzip tool would write it.
inline void write_gzip(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(file);
}

inline std::string read_file_for_test(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void append_be32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

// IDX images (magic 2051): n images of h x w, pixel(i, y, x) = (i * 31 + y * 7 + x) % 256 unless given.
inline std::string idx_images_bytes(uint32_t n, uint32_t h, uint32_t w, std::vector<uint8_t> pixels = {}) {
  std::string out;
  append_be32(out, 2051);
  append_be32(out, n);
  append_be32(out, h);
  append_be32(out, w);
  if (pixels.empty())
    for (uint32_t i = 0; i < n; ++i)
      for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) pixels.push_back(static_cast<uint8_t>((i * 31 + y * 7 + x) % 256));
  out.append(reinterpret_cast<const char*>(pixels.data()), pixels.size());
  return out;
}

inline std::string idx_labels_bytes(const std::vector<uint8_t>& labels) {
  std::string out;
  append_be32(out, 2049);
  append_be32(out, static_cast<uint32_t>(labels.size()));
  out.append(reinterpret_cast<const char*>(labels.data()), labels.size());
  return out;
}

}  // namespace mxai_test
