#include "explain/guided_backprop.h"

#include "autodiff/backward_rule.h"
#include "explain/target.h"

namespace mxai::explain {

Tensor guided_backprop(const Model& model, const Tensor& input, const Targets& target) {
  const Targets targets = resolve_targets(model, input, target);  // the plain model's prediction
  BackwardRuleGuard guided(BackwardRule::GuidedBackprop);
  return target_gradient(model, input, targets);
}

}  // namespace mxai::explain
