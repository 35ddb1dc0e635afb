// Which backward the explanation-relevant nonlinearities record. Gradient-based explanation methods that "modify
// the backward pass" change only what ReLU (Guided Backprop, DeepLift) and max pooling (DeepLift) send back;
// everything else stays the plain gradient.
//
// Why a thread-local rule the ops consult, scoped by a guard, rather than a model-level "explain mode" in
// nn::ReLU: models here are composed at run time and many call the relu op directly (LeNet, the test models, any
// std::function model), so a switch in one layer class would silently miss them. The op is the one place every
// ReLU passes through. The rule is read when the op runs forward and captured in its node, so a backward pass
// applies the rule that was in force when the graph was recorded, whatever scope the pass itself runs in. The
// engine (graph.cpp) knows nothing about rules, and with the default rule the ops record exactly what they always
// did.
#pragma once

#include "autodiff/graph.h"

namespace mxai {

enum class BackwardRule {
  // g * 1[x > 0]: the derivative.
  Gradient,
  // relu(g) * 1[x > 0] (Springenberg et al.; Captum's GuidedBackprop): only positive gradients, only where the
  // input was positive.
  GuidedBackprop,
  // DeepLift's rescale rule (Shrikumar et al.; Captum's DeepLift). The batch must be the N inputs followed by their
  // N references, (2N,...): row i's reference is row N + i. relu: g * (relu(x) - relu(r)) / (x - r), the
  // derivative where |x - r| < 1e-10, both rows of a pair getting the pair's multiplier. max_pool2d: see ops_pool.cpp;
  // only the input rows get a gradient there. Guided backprop leaves max pooling alone.
  DeepLiftRescale,
};

BackwardRule backward_rule();  // the calling thread's rule; Gradient unless a guard is alive

// Sets the calling thread's rule in its scope and restores the previous one when it closes.
class BackwardRuleGuard {
 public:
  explicit BackwardRuleGuard(BackwardRule rule);
  ~BackwardRuleGuard();
  BackwardRuleGuard(const BackwardRuleGuard&) = delete;
  BackwardRuleGuard& operator=(const BackwardRuleGuard&) = delete;

 private:
  BackwardRule previous_;
};

// The backward closure relu records under a rule other than Gradient. Each rule is linear in the incoming
// gradient and built from differentiable ops, so it can be differentiated again; the masks and multipliers are
// constants, as in Captum.
BackwardFn relu_rule_backward(BackwardRule rule);

}  // namespace mxai
