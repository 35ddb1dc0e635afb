// Input times gradient (Shrikumar et al.; Captum's InputXGradient): x ⊙ d logit_target / dx.
#pragma once

#include "explain/attribution.h"

namespace mxai::explain {

class InputXGradient : public GradientAttribution {
 public:
  using GradientAttribution::GradientAttribution;

  // input (N,C,H,W) or (N,D) -> input ⊙ gradient, same shape.
  Tensor attribute(const Tensor& input, const Targets& target = {}) const override;
};

}  // namespace mxai::explain
