// The gradient of the target logit with respect to the input (Simonyan et al.; Captum's Saliency).
#pragma once

#include "explain/attribution.h"

namespace mxai::explain {

class Saliency : public GradientAttribution {
 public:
  using GradientAttribution::GradientAttribution;

  // input (N,C,H,W) or (N,D) -> d logit_target / d input, same shape. Signed unless `abs`; note that Captum's
  // default is abs=True, while the manifold paper uses the signed gradient, which is the default here.
  Tensor attribute(const Tensor& input, const Targets& target, bool abs) const;
  Tensor attribute(const Tensor& input, const Targets& target = {}) const override;
};

}  // namespace mxai::explain
