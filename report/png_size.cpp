#include "report/png_size.h"

#include <cstring>
#include <fstream>

namespace mxai::report {

std::optional<std::pair<int, int>> png_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char header[24];
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return std::nullopt;
  // Signature, then the IHDR chunk whose first fields are the big-endian width and height.
  static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (std::memcmp(header, signature, 8) != 0 || std::memcmp(header + 12, "IHDR", 4) != 0) return std::nullopt;
  auto be32 = [&](int at) {
    return static_cast<long>(header[at]) << 24 | header[at + 1] << 16 | header[at + 2] << 8 | header[at + 3];
  };
  const long width = be32(16), height = be32(20);
  if (width <= 0 || height <= 0 || width > 1 << 20 || height > 1 << 20) return std::nullopt;
  return std::make_pair(static_cast<int>(width), static_cast<int>(height));
}

}  // namespace mxai::report
