#include "datasets/image_write.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "autodiff/file_io.h"

#include <stb_image_write.h>  // the implementation is in stb_impl.cpp

namespace mxai {

namespace {

void append_bytes(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
}

unsigned char to_byte(real value) {
  if (!(value > 0)) return 0;  // also NaN
  if (value >= 1) return 255;
  return static_cast<unsigned char>(std::lround(static_cast<double>(value) * 255.0));
}

}  // namespace

std::string encode_png(const Tensor& image) {
  if (!image.defined()) throw Error("encode_png: image tensor is undefined");
  if (image.dim() != 2 && image.dim() != 3)
    throw Error("encode_png: expected an image (C,H,W) or (H,W), got " + shape_str(image.shape()));
  const int64_t c = image.dim() == 3 ? image.size(0) : 1;
  const int64_t h = image.size(-2), w = image.size(-1);
  if (c < 1 || c > 4)
    throw Error("encode_png: expected 1, 2, 3 or 4 channels, got " + std::to_string(c) + " in " +
                shape_str(image.shape()));
  if (h < 1 || w < 1 || h > (1 << 24) || w > (1 << 24))
    throw Error("encode_png: cannot encode an image of size " + shape_str(image.shape()));
  std::vector<unsigned char> interleaved(static_cast<size_t>(c * h * w));
  const real* src = image.data();
  for (int64_t k = 0; k < c; ++k)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x)
        interleaved[static_cast<size_t>((y * w + x) * c + k)] = to_byte(src[(k * h + y) * w + x]);
  std::string png;
  const int ok = stbi_write_png_to_func(append_bytes, &png, static_cast<int>(w), static_cast<int>(h),
                                        static_cast<int>(c), interleaved.data(), static_cast<int>(w * c));
  if (!ok || png.empty()) throw Error("encode_png: stb_image_write failed on an image " + shape_str(image.shape()));
  return png;
}

void write_png(const std::string& path, const Tensor& image) {
  std::string png;
  try {
    png = encode_png(image);
  } catch (const Error& e) {
    throw Error("cannot write '" + path + "': " + e.what());
  }
  write_file_atomic(path, png);
}

Tensor make_grid(const Tensor& images, int64_t columns, int64_t padding, real pad_value) {
  if (!images.defined() || images.dim() != 4)
    throw Error("make_grid: expected images (N,C,H,W), got " +
                (images.defined() ? shape_str(images.shape()) : std::string("an undefined tensor")));
  if (columns < 1) throw Error("make_grid: columns must be at least 1, got " + std::to_string(columns));
  if (padding < 0) throw Error("make_grid: padding must be non-negative, got " + std::to_string(padding));
  const int64_t n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
  if (n < 1) throw Error("make_grid: no images to tile " + shape_str(images.shape()));
  const int64_t cols = std::min(columns, n);
  const int64_t rows = (n + cols - 1) / cols;
  const int64_t grid_h = rows * (h + padding) + padding, grid_w = cols * (w + padding) + padding;
  Tensor grid = Tensor::full({c, grid_h, grid_w}, pad_value);
  const real* src = images.data();
  real* dst = grid.data();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t top = (i / cols) * (h + padding) + padding;
    const int64_t left = (i % cols) * (w + padding) + padding;
    for (int64_t k = 0; k < c; ++k)
      for (int64_t y = 0; y < h; ++y) {
        const real* in_row = src + ((i * c + k) * h + y) * w;
        std::copy(in_row, in_row + w, dst + (k * grid_h + top + y) * grid_w + left);
      }
  }
  return grid;
}

ImageSize write_png_grid(const std::string& path, const Tensor& images, int64_t columns, int64_t padding,
                         real pad_value) {
  Tensor grid;
  try {
    grid = make_grid(images, columns, padding, pad_value);
  } catch (const Error& e) {
    throw Error("cannot write '" + path + "': " + e.what());
  }
  write_png(path, grid);
  return {grid.shape()[2], grid.shape()[1]};
}

}  // namespace mxai
