// Guided Backpropagation (Springenberg et al.; Captum's GuidedBackprop): the gradient of the target logit with every
// ReLU's backward replaced by relu(g) * 1[x > 0], so only positive signals flow back through positive units. Other
// layers (max pooling, convolutions, ...) keep their ordinary backward, as in Captum.
#pragma once

#include "explain/attribution.h"

namespace mxai::explain {

// input (N,C,H,W) or (N,D) -> (N,C,H,W) or (N,D). Every relu op the model runs is guided (autodiff/backward_rule.h);
// other activations are left as they are.
Tensor guided_backprop(const Model& model, const Tensor& input, const Targets& target = {});

}  // namespace mxai::explain
