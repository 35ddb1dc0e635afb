// Which backward relu records. Gradient-based explanation methods that "modify the backward pass" (Guided
// Backprop, DeepLift) change only what ReLU sends back; everything else stays the plain gradient.
//
// Why a thread-local rule the relu op consults, scoped by a guard, rather than a model-level "explain mode" in
// nn::ReLU: models here are composed at run time and many call the relu op directly (LeNet, the test models, any
// std::function model), so a switch in one layer class would silently miss them. The op is the one place every
// ReLU passes through. The rule is read when relu runs forward and captured in its node, so a backward pass
// applies the rule that was in force when the graph was recorded, whatever scope the pass itself runs in. The
// engine (graph.cpp) knows nothing about rules, and with the default rule relu records exactly what it always did.
#pragma once

#include "autodiff/graph.h"

namespace mxai {

enum class ReluBackward {
  // g * 1[x > 0]: the derivative.
  Gradient,
  // relu(g) * 1[x > 0] (Springenberg et al.; Captum's GuidedBackprop): only positive gradients, only where the
  // input was positive.
  GuidedBackprop,
  // DeepLift's rescale rule (Shrikumar et al.; Captum's DeepLift): g * (relu(x) - relu(r)) / (x - r), the gradient
  // where |x - r| < 1e-10. The batch must be the N inputs followed by their N references, (2N,...): row i's
  // reference activation r is row N + i, and both rows get the multiplier of their pair.
  DeepLiftRescale,
};

ReluBackward relu_backward_rule();  // the calling thread's rule; Gradient unless a guard is alive

// Sets the calling thread's rule in its scope and restores the previous one when it closes.
class ReluBackwardGuard {
 public:
  explicit ReluBackwardGuard(ReluBackward rule);
  ~ReluBackwardGuard();
  ReluBackwardGuard(const ReluBackwardGuard&) = delete;
  ReluBackwardGuard& operator=(const ReluBackwardGuard&) = delete;

 private:
  ReluBackward previous_;
};

// The backward closure relu records under a rule other than Gradient. Each rule is linear in the incoming
// gradient and built from differentiable ops, so it can be differentiated again; the masks and multipliers are
// constants, as in Captum.
BackwardFn relu_rule_backward(ReluBackward rule);

}  // namespace mxai
