#include "explain/input_x_gradient.h"

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/target.h"

namespace mxai::explain {

Tensor InputXGradient::attribute(const Tensor& input, const Targets& target) const {
  const Tensor gradient = target_gradient(model_, input, resolve_targets(model_, input, target));
  NoGradGuard no_grad;
  return mul(input.detach(), gradient);
}

}  // namespace mxai::explain
