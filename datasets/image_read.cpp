#include "datasets/image_read.h"

#include <algorithm>
#include <cstddef>
#include <climits>
#include <cstdint>
#include <memory>

#include "autodiff/file_io.h"

#include <stb_image.h>  // the implementation is in stb_impl.cpp

namespace mxai {

namespace {

// stb_image (Debian's 2022-09 snapshot) trusts a JPEG Huffman table's 16 code counts: a table (DHT) defining more
// than 256 codes overruns its fixed 256-entry arrays (found by fuzz/ target `image`). We find every DHT the way
// stb's marker loop reaches them -- segments skipped by their length, entropy-coded data scanned for the next
// marker -- and refuse such a table before stb sees it.
void check_jpeg_huffman_tables(const std::string& bytes, const std::string& source) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  // stb takes any run of 0xFF before the start-of-image marker D8 as fill bytes; anything else is not a JPEG.
  size_t pos = 0;
  while (pos < n && b[pos] == 0xFF) ++pos;
  if (pos == 0 || pos >= n || b[pos] != 0xD8) return;
  ++pos;
  while (pos + 1 < n) {
    const unsigned char marker = b[pos + 1];
    // Not at a marker (entropy-coded data), a fill byte, a stuffed zero, or a marker without a length.
    if (b[pos] != 0xFF || marker == 0xFF) {
      ++pos;
      continue;
    }
    if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9)) {
      pos += 2;
      continue;
    }
    if (pos + 4 > n) return;
    const size_t length = (size_t{b[pos + 2]} << 8) | b[pos + 3];
    if (marker == 0xC4) {
      // stb reads tables while the segment has bytes left, even a last one cut short, and reads 0 past the end.
      for (size_t table = pos + 4; table < pos + 2 + length;) {
        size_t codes = 0;
        for (size_t i = 1; i <= 16 && table + i < n; ++i) codes += b[table + i];
        if (codes > 256)
          throw Error("cannot decode image '" + source + "': its JPEG Huffman table at byte " + std::to_string(table) +
                      " defines " + std::to_string(codes) + " codes, at most 256 are possible (corrupt JPEG)");
        table += 17 + codes;
      }
    }
    pos += 2 + std::max<size_t>(length, 2);
  }
}

// stb sizes its buffer for PNG image data by the chunk lengths the file claims, before reading them: a 112-byte
// file claiming a 1.8 GB IDAT chunk made it allocate that much and spend seconds on it (fuzz/ target `image`).
// No valid PNG has a chunk longer than the rest of the file, so such a file is refused first.
void check_png_chunk_lengths(const std::string& bytes, const std::string& source) {
  static const char kSignature[] = "\x89PNG\r\n\x1a\n";
  if (bytes.compare(0, 8, kSignature, 8) != 0) return;
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  for (size_t pos = 8; pos + 8 <= bytes.size();) {
    const uint64_t length = (uint64_t{b[pos]} << 24) | (uint64_t{b[pos + 1]} << 16) | (uint64_t{b[pos + 2]} << 8) | b[pos + 3];
    // What follows the chunk's type. Only the data must be there: stb checks no CRC, and a PNG cut inside its
    // final CRC has always decoded (test_datasets_robustness).
    const uint64_t left = bytes.size() - pos - 8;
    if (length > left)
      throw Error("cannot decode image '" + source + "': its PNG chunk '" + bytes.substr(pos + 4, 4) + "' at byte " +
                  std::to_string(pos) + " claims " + std::to_string(length) + " bytes, but only " +
                  std::to_string(left) + " follow (truncated or corrupt PNG)");
    if (bytes.compare(pos + 4, 4, "IEND") == 0) return;
    pos += 12 + static_cast<size_t>(length);
  }
}

}  // namespace

Tensor decode_image(const std::string& bytes, int64_t channels, const std::string& source) {
  if (channels < 1 || channels > 4)
    throw Error("cannot decode image '" + source + "': requested " + std::to_string(channels) +
                " channels, expected 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA)");
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    throw Error("cannot decode image '" + source + "': " + std::to_string(bytes.size()) + " bytes is too large");
  check_jpeg_huffman_tables(bytes, source);
  check_png_chunk_lengths(bytes, source);
  int width = 0, height = 0, file_channels = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()), &width,
                            &height, &file_channels, static_cast<int>(channels)),
      stbi_image_free);
  if (!pixels) {
    const char* reason = stbi_failure_reason();
    throw Error("cannot decode image '" + source + "': " + (reason ? reason : "unknown stb_image failure"));
  }
  const int64_t h = height, w = width, c = channels;
  Tensor image = Tensor::empty({c, h, w});
  real* dst = image.data();
  const stbi_uc* src = pixels.get();
  // stb gives interleaved (H,W,C); we store planar (C,H,W).
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x)
      for (int64_t k = 0; k < c; ++k)
        dst[(k * h + y) * w + x] = static_cast<real>(src[(y * w + x) * c + k]) / real(255);
  return image;
}

Tensor read_image(const std::string& path, int64_t channels) { return decode_image(read_file(path), channels, path); }

}  // namespace mxai
