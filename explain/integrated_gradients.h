// Integrated Gradients (Sundararajan et al.; Captum's IntegratedGradients) along the straight line from a
// base-point b to the input x:
//   IG_i(x; b) = (x_i - b_i) * integral_0^1 dF/dx_i(b + a (x - b)) da,   F = logit of the target class,
// the integral approximated by a quadrature rule (quadrature.h).
//
// Usage (compiled and run by the test header_examples:usage):
// ```cpp
// #include "autodiff/ops.h"
// using namespace mxai;
// const Tensor w = Tensor::from({2, 1}, {2, -1});
// const explain::Model model = [w](const Tensor& x) { return matmul(x, w); };  // (N,2) -> logits (N,1)
// explain::IntegratedGradients ig(model);
// auto r = ig.attribute(Tensor::from({1, 2}, {3, 1}), Tensor(), /*target=*/{0});  // zero base-point
// // A linear model's IG is exactly x * w = (6, -1), and delta = sum(IG) - (F(x) - F(0)) = 0.
// assert(std::abs(r.attributions.at({0, 0}) - 6) < 1e-5 && std::abs(r.delta.item()) < 1e-5);
// ```
#pragma once

#include "explain/attribution.h"
#include "explain/quadrature.h"

namespace mxai::explain {

struct IntegratedGradientsResult {
  Tensor attributions;  // (N,C,H,W) or (N,D), the input's shape
  // (N): sum(attributions of the standard, multiplied IG) - (F(x) - F(b)), the completeness error of the
  // quadrature. With multiply_by_inputs=false the returned attributions are the path-averaged gradient, whose sum
  // has no completeness property; the delta is then still that of the multiplied IG, sum((x - b) ⊙ gbar) -
  // (F(x) - F(b)), i.e. how well the same quadrature integrated the same path (Captum instead returns a meaningless
  // sum(gbar) - (F(x) - F(b)) there).
  Tensor delta;
};

class IntegratedGradients : public GradientAttribution {
 public:
  using GradientAttribution::GradientAttribution;

  // input (N,C,H,W) or (N,D); baseline of the input's shape, or one example's shape ((C,H,W) or (1,C,H,W)) used
  // for every example, or undefined (Tensor()) for zeros. The n_steps * N path points of all examples are
  // evaluated in chunks of `internal_batch_size` rows (0: all in one batch); the chunking does not change the
  // result. multiply_by_inputs=false returns the path-averaged gradient gbar = sum_k w_k dF/dx(b + a_k (x - b))
  // without the (x - b) factor, as the manifold paper's MNIST code does.
  IntegratedGradientsResult attribute(const Tensor& input, const Tensor& baseline, const Targets& target = {},
                                      int n_steps = 50, Quadrature method = Quadrature::GaussLegendre,
                                      int64_t internal_batch_size = 0, bool multiply_by_inputs = true) const;

  // Zero baseline, 50 Gauss-Legendre steps, multiplied by the input: Captum's defaults.
  Tensor attribute(const Tensor& input, const Targets& target = {}) const override;
};

}  // namespace mxai::explain
