// PNG output through stb_image_write. Files are written atomically (write_file_atomic), so a figure on disk is
// always complete.
#pragma once

#include <cstdint>
#include <string>

#include "autodiff/tensor.h"

namespace mxai {

// PNG bytes of an image (C,H,W) with C in {1,2,3,4} (grey, grey+alpha, RGB, RGBA), or (H,W) grey.
// Values are clamped to [0,1] (NaN -> 0) and rounded to bytes.
std::string encode_png(const Tensor& image);

// encode_png + write_file_atomic. image (C,H,W) or (H,W) in [0,1].
void write_png(const std::string& path, const Tensor& image);

// Tiles images (N,C,H,W) into one image (C, rows*(H+padding)+padding, cols*(W+padding)+padding), with
// cols = min(columns, N), rows = ceil(N/cols), row-major, `padding` pixels of pad_value around every tile
// (the layout of torchvision's make_grid). Unused tiles of the last row are pad_value.
Tensor make_grid(const Tensor& images, int64_t columns = 8, int64_t padding = 2, real pad_value = 1);

struct ImageSize {
  int64_t width = 0, height = 0;  // pixels
};

// make_grid + write_png. images (N,C,H,W) in [0,1]. Returns the size of the PNG it wrote, so a caller that shows
// it (the report's HTML) need not read it back.
ImageSize write_png_grid(const std::string& path, const Tensor& images, int64_t columns = 8, int64_t padding = 2,
                         real pad_value = 1);

}  // namespace mxai
