#include "explain/saliency.h"

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/target.h"

namespace mxai::explain {

Tensor Saliency::attribute(const Tensor& input, const Targets& target, bool abs) const {
  const Tensor gradient = target_gradient(model_, input, resolve_targets(model_, input, target));
  if (!abs) return gradient;
  NoGradGuard no_grad;
  return mxai::abs(gradient);
}

Tensor Saliency::attribute(const Tensor& input, const Targets& target) const { return attribute(input, target, false); }

}  // namespace mxai::explain
