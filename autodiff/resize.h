// Image resizing, composed from the differentiable ops of ops.h (not a primitive: it has no backward of its own).
#pragma once

#include "autodiff/tensor.h"

namespace mxai {

// x (N,C,H,W) -> (N,C,out_h,out_w), bilinear as PyTorch's F.interpolate(mode="bilinear", align_corners=False)
// with an explicit size: output pixel o samples the input at (o + 0.5) * in / out - 0.5, clamped below at 0.
// Differentiable to any order.
Tensor upsample_bilinear2d(const Tensor& x, int64_t out_h, int64_t out_w);

}  // namespace mxai
