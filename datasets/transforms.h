// Image geometry transforms on whole tensors. Both accept a batch (N,C,H,W) or a single image (C,H,W) and
// return a new tensor of the same rank.
#pragma once

#include <cstdint>

#include "datasets/dataset.h"

namespace mxai {

// Bilinear resampling with the semantics of torch F.interpolate(mode="bilinear", align_corners=False,
// antialias=False): output pixel i samples the input at (i + 0.5) * in/out - 0.5, clamped at the borders.
// (N,C,H,W) -> (N,C,out_h,out_w), or (C,H,W) -> (C,out_h,out_w).
Tensor resize_bilinear(const Tensor& images, int64_t out_h, int64_t out_w);

// Centres the image in an out_h x out_w canvas: pads with `fill` where the canvas is larger, crops where it
// is smaller. The extra (or removed) rows split as floor(d/2) before and the rest after, like torchvision's
// CenterCrop padding. (N,C,H,W) -> (N,C,out_h,out_w), or (C,H,W) -> (C,out_h,out_w).
Tensor center_pad_crop(const Tensor& images, int64_t out_h, int64_t out_w, real fill = 0);

// How a loader brings images to a requested size. The papers this toolkit reproduces resize MNIST 28 -> 32
// with a bilinear Resize(32), so Resize is what every loader uses unless told otherwise.
enum class SizeMode { Resize, PadCrop };

const char* size_mode_name(SizeMode mode);  // "resize" / "pad-crop"

// The data set with images brought to size x size (square); unchanged if already that size.
// images (N,C,H,W) -> (N,C,size,size).
Dataset fit_images(const Dataset& data, int64_t size, SizeMode mode);

}  // namespace mxai
