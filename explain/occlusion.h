// Occlusion (Zeiler & Fergus; Captum's Occlusion): slide a window over the image, replace the pixels under it by a
// baseline, and credit each pixel with the drop F(x) - F(x occluded), averaged over all windows that cover it.
#pragma once

#include <cstdint>

#include "explain/attribution.h"

namespace mxai::explain {

// Captum has no default window; these suit 28-64 pixel images. Every window spans all channels (Captum's
// sliding_window_shapes = (C, window_h, window_w)). Windows start at multiples of the stride, as many as it takes to
// reach the far edge (the last one cut at the border), as Captum places them.
struct OcclusionSettings {
  int64_t window_h = 4, window_w = 4;
  int64_t stride_h = 2, stride_w = 2;
  real baseline = 0;  // Captum's default
  // Occluded copies evaluated per forward pass (0: all windows of all examples at once).
  int64_t internal_batch_size = 256;
};

// input (N,C,H,W) -> (N,C,H,W).
Tensor occlusion(const Model& model, const Tensor& input, const Targets& target = {},
                 const OcclusionSettings& settings = {});

}  // namespace mxai::explain
