#include "explain/deeplift.h"

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/backward_rule.h"
#include "explain/baselines.h"
#include "explain/target.h"

namespace mxai::explain {

DeepLiftResult deeplift(const Model& model, const Tensor& input, const Tensor& baseline, const Targets& target) {
  if (input.dim() < 2) throw Error("deeplift: expected a batch (N,...), got " + shape_str(input.shape()));
  const int64_t n = input.size(0);
  const Targets targets = resolve_targets(model, input, target);
  const Tensor base = baseline.defined() ? tensor_baseline(input, baseline) : zero_baseline(input);

  GradModeGuard recording(true);
  BackwardRuleGuard rescale(BackwardRule::DeepLiftRescale);
  Tensor pair = concat({input.detach(), base}, 0).requires_grad_();  // rows: inputs, then their references
  const Tensor logits = model(pair);
  if (logits.dim() != 2 || logits.size(0) != 2 * n)
    throw Error("deeplift: the model maps " + shape_str(pair.shape()) + " to " + shape_str(logits.shape()) +
                ", expected logits (" + std::to_string(2 * n) + ",K)");
  const Tensor selected = select_target_logits(logits, tile_targets(targets, 2));
  // Only the inputs' logits are differentiated: the reference rows carry no gradient of their own, and each ReLU
  // hands its input rows the multiplier of their pair.
  const Tensor multipliers = selected.requires_grad()
                                 ? narrow(grad({sum(narrow(selected, 0, 0, n))}, {pair})[0], 0, 0, n)
                                 : Tensor::zeros(input.shape());  // the model ignores its input

  NoGradGuard no_grad;
  DeepLiftResult result;
  result.attributions = mul(sub(input, base), multipliers);
  result.delta = sub(sum(reshape(result.attributions, {n, -1}), {1}),
                     sub(narrow(selected, 0, 0, n), narrow(selected, 0, n, n)));
  return result;
}

}  // namespace mxai::explain
