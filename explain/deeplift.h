// DeepLift with the rescale rule (Shrikumar et al. 2017; Captum's DeepLift): contributions of x - b to
// F(x) - F(b), propagated with the multipliers (relu(x) - relu(r)) / (x - r) at every ReLU instead of its
// derivative (r: the ReLU's input at the baseline), Captum's rule for max pooling, and the ordinary chain rule
// through linear layers. For a network of linear layers (linear, convolution, average pooling), ReLUs and max
// pooling the attributions sum exactly to F(x) - F(b) (summation-to-delta); smooth activations (softplus, tanh, ...)
// keep their gradient here, so there the sum is only approximate and `delta` says by how much.
#pragma once

#include "explain/attribution.h"

namespace mxai::explain {

struct DeepLiftResult {
  Tensor attributions;  // (N,C,H,W) or (N,D): (x - b) ⊙ multipliers
  Tensor delta;         // (N): sum(attributions) - (F(x) - F(b)), Captum's convergence delta
};

// input (N,C,H,W) or (N,D); baseline of the input's shape, one example's shape ((C,H,W) or (1,C,H,W)), or
// undefined for zeros (Captum's default). Inputs and baselines run through the model as one (2N,...) batch, which
// is how each ReLU finds its reference activation (autodiff/backward_rule.h).
DeepLiftResult deeplift(const Model& model, const Tensor& input, const Tensor& baseline = Tensor(),
                        const Targets& target = {});

}  // namespace mxai::explain
