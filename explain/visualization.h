// Signed attribution maps as pictures: negative blue, zero white, positive red. Beside the methods, as Captum keeps
// its visualisation with its attribution methods: the PNG itself is written by datasets/image_write.h.
#pragma once

#include "autodiff/tensor.h"

namespace mxai::explain {

// Maps an attribution (H,W), or (1,H,W), to an RGB image (3,H,W) in [0,1] on a symmetric range [-limit, limit]:
// -limit is pure blue (0,0,1), 0 white, +limit pure red (1,0,0), linear in between, values beyond clamped.
// limit <= 0 uses max |attribution| (an all-zero map is all white). The range is symmetric so that white always
// means "no effect" and the two colours are comparable.
Tensor attribution_heatmap(const Tensor& attribution, real limit = 0);

}  // namespace mxai::explain
