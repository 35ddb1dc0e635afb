#include "datasets/image_read.h"

#include <climits>
#include <memory>

#include "autodiff/file_io.h"

#include <stb_image.h>  // the implementation is in stb_impl.cpp

namespace mxai {

Tensor decode_image(const std::string& bytes, int64_t channels, const std::string& source) {
  if (channels < 1 || channels > 4)
    throw Error("cannot decode image '" + source + "': requested " + std::to_string(channels) +
                " channels, expected 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA)");
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    throw Error("cannot decode image '" + source + "': " + std::to_string(bytes.size()) + " bytes is too large");
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
