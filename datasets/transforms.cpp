#include "datasets/transforms.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace mxai {

namespace {

// Views a (C,H,W) image as a batch of one so both ranks share one implementation.
Shape as_batch_shape(const Tensor& images, const char* op) {
  if (!images.defined()) throw Error(std::string(op) + ": images tensor is undefined");
  if (images.dim() == 4) return images.shape();
  if (images.dim() == 3) return {1, images.size(0), images.size(1), images.size(2)};
  throw Error(std::string(op) + ": expected images (N,C,H,W) or (C,H,W), got " + shape_str(images.shape()));
}

Shape with_spatial(const Tensor& images, int64_t out_h, int64_t out_w) {
  Shape shape = images.shape();
  shape[shape.size() - 2] = out_h;
  shape[shape.size() - 1] = out_w;
  return shape;
}

// One axis of a bilinear resample: output i reads lo[i] and hi[i] with weights (1 - frac[i], frac[i]).
struct AxisTaps {
  std::vector<int64_t> lo, hi;
  std::vector<double> frac;
};

AxisTaps bilinear_taps(int64_t in, int64_t out) {
  AxisTaps taps;
  taps.lo.resize(static_cast<size_t>(out));
  taps.hi.resize(static_cast<size_t>(out));
  taps.frac.resize(static_cast<size_t>(out));
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  for (int64_t i = 0; i < out; ++i) {
    const double src = std::max(0.0, (static_cast<double>(i) + 0.5) * scale - 0.5);
    const int64_t lo = std::min(static_cast<int64_t>(src), in - 1);
    const size_t k = static_cast<size_t>(i);
    taps.lo[k] = lo;
    taps.hi[k] = std::min(lo + 1, in - 1);
    taps.frac[k] = src - static_cast<double>(lo);
  }
  return taps;
}

}  // namespace

Tensor resize_bilinear(const Tensor& images, int64_t out_h, int64_t out_w) {
  const Shape shape = as_batch_shape(images, "resize_bilinear");
  if (out_h < 1 || out_w < 1)
    throw Error("resize_bilinear: output size must be positive, got " + std::to_string(out_h) + "x" +
                std::to_string(out_w));
  const int64_t planes = shape[0] * shape[1], in_h = shape[2], in_w = shape[3];
  if (in_h < 1 || in_w < 1) throw Error("resize_bilinear: input has an empty image " + shape_str(images.shape()));
  Tensor out = Tensor::empty(with_spatial(images, out_h, out_w));
  if (in_h == out_h && in_w == out_w) {
    std::copy(images.data(), images.data() + images.numel(), out.data());
    return out;
  }
  const AxisTaps rows = bilinear_taps(in_h, out_h);
  const AxisTaps cols = bilinear_taps(in_w, out_w);
  const real* src = images.data();
  real* dst = out.data();
#pragma omp parallel for schedule(static) if (planes > 64)
  for (int64_t p = 0; p < planes; ++p) {
    const real* in_plane = src + p * in_h * in_w;
    real* out_plane = dst + p * out_h * out_w;
    for (int64_t y = 0; y < out_h; ++y) {
      const size_t ky = static_cast<size_t>(y);
      const real* row_lo = in_plane + rows.lo[ky] * in_w;
      const real* row_hi = in_plane + rows.hi[ky] * in_w;
      const double fy = rows.frac[ky];
      for (int64_t x = 0; x < out_w; ++x) {
        const size_t kx = static_cast<size_t>(x);
        const double fx = cols.frac[kx];
        const int64_t x0 = cols.lo[kx], x1 = cols.hi[kx];
        const double top = (1.0 - fx) * row_lo[x0] + fx * row_lo[x1];
        const double bottom = (1.0 - fx) * row_hi[x0] + fx * row_hi[x1];
        out_plane[y * out_w + x] = static_cast<real>((1.0 - fy) * top + fy * bottom);
      }
    }
  }
  return out;
}

Tensor center_pad_crop(const Tensor& images, int64_t out_h, int64_t out_w, real fill) {
  const Shape shape = as_batch_shape(images, "center_pad_crop");
  if (out_h < 1 || out_w < 1)
    throw Error("center_pad_crop: output size must be positive, got " + std::to_string(out_h) + "x" +
                std::to_string(out_w));
  const int64_t planes = shape[0] * shape[1], in_h = shape[2], in_w = shape[3];
  Tensor out = Tensor::full(with_spatial(images, out_h, out_w), fill);
  // Offset of the input's origin on the output canvas; negative when cropping.
  const int64_t dy = out_h >= in_h ? (out_h - in_h) / 2 : -((in_h - out_h) / 2);
  const int64_t dx = out_w >= in_w ? (out_w - in_w) / 2 : -((in_w - out_w) / 2);
  const int64_t y_begin = std::max<int64_t>(0, dy), y_end = std::min(out_h, in_h + dy);
  const int64_t x_begin = std::max<int64_t>(0, dx), x_end = std::min(out_w, in_w + dx);
  const real* src = images.data();
  real* dst = out.data();
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t y = y_begin; y < y_end; ++y) {
      const real* in_row = src + (p * in_h + (y - dy)) * in_w;
      real* out_row = dst + (p * out_h + y) * out_w;
      std::copy(in_row + (x_begin - dx), in_row + (x_end - dx), out_row + x_begin);
    }
  return out;
}

const char* size_mode_name(SizeMode mode) { return mode == SizeMode::Resize ? "resize" : "pad-crop"; }

Dataset fit_images(const Dataset& data, int64_t size, SizeMode mode) {
  if (size < 1) throw Error("fit_images: size must be positive, got " + std::to_string(size));
  if (data.height() == size && data.width() == size) return data;
  Dataset out = data;
  out.images =
      mode == SizeMode::Resize ? resize_bilinear(data.images, size, size) : center_pad_crop(data.images, size, size);
  return out;
}

}  // namespace mxai
