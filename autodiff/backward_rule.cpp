#include "autodiff/backward_rule.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "autodiff/ops.h"

namespace mxai {

namespace {

thread_local BackwardRule g_rule = BackwardRule::Gradient;

// x (...) -> 1[x > 0], a constant of x's shape.
Tensor positive_mask(const Tensor& x) {
  Tensor mask = Tensor::empty(x.shape());
  for (int64_t i = 0; i < x.numel(); ++i) mask.data()[i] = x.data()[i] > 0 ? real(1) : real(0);
  return mask;
}

// x (2N,...) -> (2N,...): (relu(x_i) - relu(r_i)) / (x_i - r_i) for each pair (row i, row N + i), on both rows.
Tensor rescale_multipliers(const Tensor& x) {
  if (x.dim() < 1 || x.size(0) % 2 != 0)
    throw Error("DeepLift's rescale rule needs a batch of inputs followed by as many references, got " +
                shape_str(x.shape()));
  Tensor multiplier = Tensor::empty(x.shape());
  const int64_t half = x.numel() / 2;
  const real* input = x.data();
  const real* reference = input + half;
  for (int64_t i = 0; i < half; ++i) {
    const double dx = static_cast<double>(input[i]) - reference[i];
    const double dy = std::max<double>(input[i], 0) - std::max<double>(reference[i], 0);
    // Captum's threshold: below it the secant is numerically meaningless and the derivative is its limit.
    const double m = std::abs(dx) < 1e-10 ? (input[i] > 0 ? 1.0 : 0.0) : dy / dx;
    multiplier.data()[i] = multiplier.data()[half + i] = static_cast<real>(m);
  }
  return multiplier;
}

}  // namespace

BackwardRule backward_rule() { return g_rule; }
BackwardRuleGuard::BackwardRuleGuard(BackwardRule rule) : previous_(g_rule) { g_rule = rule; }
BackwardRuleGuard::~BackwardRuleGuard() { g_rule = previous_; }

BackwardFn relu_rule_backward(BackwardRule rule) {
  switch (rule) {
    case BackwardRule::GuidedBackprop:
      return [](const BackwardArgs& c) {
        return std::vector<Tensor>{mul(relu(c.gout), positive_mask(c.inputs[0]))};
      };
    case BackwardRule::DeepLiftRescale:
      return [](const BackwardArgs& c) {
        return std::vector<Tensor>{mul(c.gout, rescale_multipliers(c.inputs[0]))};
      };
    case BackwardRule::Gradient:
      break;
  }
  return [](const BackwardArgs& c) { return std::vector<Tensor>{mul(c.gout, positive_mask(c.inputs[0]))}; };
}

}  // namespace mxai
