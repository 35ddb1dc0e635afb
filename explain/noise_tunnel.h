// NoiseTunnel (Captum): an attribution method averaged over noisy copies of the input, x + N(0, stdev^2 I).
//   SmoothGrad   (Smilkov et al.):  mean_s A(x + e_s)
//   SmoothGradSq:                   mean_s A(x + e_s)^2
//   VarGrad      (Adebayo et al.):  mean_s A(x + e_s)^2 - (mean_s A(x + e_s))^2  (population variance)
// stdev is absolute, in the input's units (the papers use 0.02 or 0.2 on [0,1] pixels), not a fraction of the
// input's range.
#pragma once

#include <cstdint>

#include "autodiff/random.h"
#include "explain/attribution.h"

namespace mxai::explain {

enum class NoiseTunnelType { SmoothGrad, SmoothGradSq, VarGrad };

class NoiseTunnel {
 public:
  // Any attribution method, e.g. [&](const Tensor& x, const Targets& t) { return ig.attribute(x, t); }.
  explicit NoiseTunnel(AttributionFn method);
  // Wraps the method's default attribute(); the method must outlive the NoiseTunnel.
  explicit NoiseTunnel(const GradientAttribution& method);

  // input (N,C,H,W) or (N,D) -> (N,C,H,W) or (N,D). All noisy copies explain the same class per example: the
  // target, or the class predicted at the clean input (so `method` needs a model; with an AttributionFn and no
  // target, the method's own default applies to each noisy copy). The n_samples * N noisy rows are passed to the
  // method in calls of `samples_batch_size` samples (each call gets samples_batch_size * N rows; 0: all at once).
  // The noise is drawn from `gen` sample by sample in one fixed order, so the batching does not change the result
  // and the same seed gives the same attributions.
  Tensor attribute(const Tensor& input, const Targets& target, NoiseTunnelType type, int n_samples, real stdev,
                   Generator& gen, int64_t samples_batch_size = 0) const;

 private:
  AttributionFn method_;
  const Model* model_ = nullptr;  // to resolve the predicted class once, at the clean input
};

}  // namespace mxai::explain
