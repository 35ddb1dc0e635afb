// The objective of Tangentially Aligned Integrated Gradients (TAIG spec sections 2.4 and 3.2): the tangential
// alignment of the IG explanation as a function of the base-point alpha,
//   mu(alpha) = ||U^T IG(x; alpha)|| / ||IG(x; alpha)||,   IG = (x - alpha) ⊙ gbar(alpha),
//   gbar(alpha) = sum_k w_k dF/dx(alpha + a_k (x - alpha))     (the quadrature rule's nodes a_k, weights w_k),
// and its exact gradient with respect to alpha for that rule. With c = d mu / d IG = (P IG / ||P IG|| - mu IG /
// ||IG||) / ||IG|| (P = U U^T) and delta = x - alpha,
//   d mu / d alpha = -(gbar ⊙ c) + sum_k w_k (1 - a_k) H(alpha + a_k delta) (delta ⊙ c),
// where H is the Hessian of F; the second term (the "Hessian term") is computed by double backward through the
// engine (create_graph), one Hessian-vector product per path point, all path points of all examples in one
// batch. docs/taig.md derives it.
#pragma once

#include <vector>

#include "explain/attribution.h"
#include "explain/quadrature.h"

namespace mxai::explain {

struct TaigObjective {
  std::vector<double> mu;  // (N) mu_x(IG(x; alpha)); NaN where IG = 0 (e.g. alpha = x)
  Tensor gradient;         // (N,C,H,W) d mu / d alpha, exact for the rule; zero where mu is NaN
  // (N,C,H,W) sum_k w_k (1 - a_k) H(p_k)(delta ⊙ c), already included in `gradient`. Undefined when the caller
  // declared the model piecewise linear (then it is zero almost everywhere and is not computed).
  Tensor hessian_term;
  Tensor attributions;     // (N,C,H,W) IG(x; alpha) with the rule (the multiplied, standard IG)
  Tensor path_gradient;    // (N,C,H,W) gbar
};

// input x (N,C,H,W) or (N,D); baseline alpha of the input's shape; basis U (N,D,k') with orthonormal (or zero)
// columns, D = C*H*W; target as in attribution.h (empty: the predicted class at x). n_steps * N path points are
// evaluated in one forward/backward. piecewise_linear = true skips the Hessian term: exact for networks whose
// explained logit is piecewise linear in the input (ReLU / max-pool / linear layers, no softmax), whose Hessian is
// zero almost everywhere, and it saves the create_graph backward and the second backward pass.
TaigObjective taig_objective(const Model& model, const Tensor& input, const Tensor& baseline, const Tensor& basis,
                             const Targets& target = {}, int n_steps = 16,
                             Quadrature method = Quadrature::GaussLegendre, bool piecewise_linear = false);

}  // namespace mxai::explain
