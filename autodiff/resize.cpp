// Bilinear resizing is separable and linear: y = A_h x A_w^T for each plane, with A the (out, in) interpolation
// matrix of each axis. Written as two matrix products, it needs no backward of its own and can be differentiated
// to any order (the interpolation weights are constants). The dense A costs out * in per axis, tiny next to images.
#include "autodiff/resize.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "autodiff/ops.h"

namespace mxai {

namespace {

// (out, in): row o holds the two weights of output pixel o, PyTorch's area_pixel_compute_source_index with
// align_corners=False. At the last input pixel both weights land on it.
Tensor interpolation_matrix(int64_t in, int64_t out) {
  Tensor a = Tensor::zeros({out, in});
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  for (int64_t o = 0; o < out; ++o) {
    const double source = std::max(0.0, (static_cast<double>(o) + 0.5) * scale - 0.5);
    const int64_t i0 = static_cast<int64_t>(source);
    const int64_t i1 = i0 < in - 1 ? i0 + 1 : i0;
    const double lambda = source - static_cast<double>(i0);
    a.data()[o * in + i0] += static_cast<real>(1 - lambda);
    a.data()[o * in + i1] += static_cast<real>(lambda);
  }
  return a;
}

}  // namespace

Tensor upsample_bilinear2d(const Tensor& x, int64_t out_h, int64_t out_w) {
  if (x.dim() != 4) throw Error("upsample_bilinear2d: expected (N,C,H,W), got " + shape_str(x.shape()));
  if (out_h < 1 || out_w < 1)
    throw Error("upsample_bilinear2d: output size " + std::to_string(out_h) + "x" + std::to_string(out_w));
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  const Tensor along_w = interpolation_matrix(w, out_w), along_h = interpolation_matrix(h, out_h);
  // Along W: (N*C*H, W) (OW, W)^T -> (N*C*H, OW). Along H, on the transposed planes: (N*C*OW, H) (OH, H)^T.
  const Tensor rows = reshape(matmul(reshape(x, {n * c * h, w}), along_w, false, true), {n * c, h, out_w});
  const Tensor columns = reshape(transpose(rows, 1, 2), {n * c * out_w, h});
  const Tensor both = reshape(matmul(columns, along_h, false, true), {n * c, out_w, out_h});
  return reshape(transpose(both, 1, 2), {n, c, out_h, out_w});
}

}  // namespace mxai
