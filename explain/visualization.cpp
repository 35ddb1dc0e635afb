#include "explain/visualization.h"

#include <algorithm>
#include <cmath>

namespace mxai::explain {

Tensor attribution_heatmap(const Tensor& attribution, real limit) {
  if (!attribution.defined() || !(attribution.dim() == 2 || (attribution.dim() == 3 && attribution.size(0) == 1)))
    throw Error("attribution_heatmap: expected an attribution (H,W) or (1,H,W), got " +
                (attribution.defined() ? shape_str(attribution.shape()) : std::string("an undefined tensor")));
  const int64_t h = attribution.size(-2), w = attribution.size(-1), plane = h * w;
  const real* src = attribution.data();
  double range = static_cast<double>(limit);
  if (!(range > 0)) {
    range = 0;
    for (int64_t i = 0; i < plane; ++i)
      if (std::isfinite(src[i])) range = std::max(range, std::fabs(static_cast<double>(src[i])));
  }
  Tensor rgb = Tensor::empty({3, h, w});
  real* red = rgb.data();
  real* green = red + plane;
  real* blue = green + plane;
  for (int64_t i = 0; i < plane; ++i) {
    double t = range > 0 && std::isfinite(src[i]) ? static_cast<double>(src[i]) / range : 0.0;
    t = std::clamp(t, -1.0, 1.0);
    // Fading the two other channels keeps the hue pure and the lightness falling with |t|.
    const real fade = static_cast<real>(1.0 - std::fabs(t));
    red[i] = t >= 0 ? real(1) : fade;
    green[i] = fade;
    blue[i] = t <= 0 ? real(1) : fade;
  }
  return rgb;
}

}  // namespace mxai::explain
