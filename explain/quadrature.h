// Quadrature rules on [0, 1] for the path integral of Integrated Gradients, with Captum's definitions
// (captum.attr._utils.approximation_methods), so attributions match Captum's for the same n_steps and method.
#pragma once

#include <string>
#include <vector>

#include "autodiff/tensor.h"  // mxai::Error

namespace mxai::explain {

enum class Quadrature {
  GaussLegendre,     // Captum "gausslegendre" (its default): exact for polynomials of degree 2n-1
  RiemannLeft,       // alphas k/n, k = 0..n-1, weights 1/n: exact for constants
  RiemannRight,      // alphas k/n, k = 1..n, weights 1/n: exact for constants
  RiemannMiddle,     // alphas (k + 0.5)/n, weights 1/n: exact for degree 1
  RiemannTrapezoid,  // alphas linspace(0, 1, n), weights 1/(n-1), halved at both ends; n >= 2; exact for degree 1
};

// Nodes in increasing order and their weights; the weights sum to 1.
struct QuadratureRule {
  std::vector<double> alphas;
  std::vector<double> weights;
};

// The n-point rule on [0, 1]. Throws mxai::Error for n < 1 (n < 2 for the trapezoid).
QuadratureRule quadrature_rule(Quadrature method, int n);

// Gauss-Legendre nodes and weights on [-1, 1] (increasing nodes; weights sum to 2), by Newton's method on the
// three-term Legendre recurrence. quadrature_rule maps them to [0, 1] by alpha = (1 + t)/2, w = w_t/2.
QuadratureRule gauss_legendre_unit_interval(int n);  // on [0, 1]
QuadratureRule gauss_legendre_symmetric(int n);      // on [-1, 1]

// Captum's names: "gausslegendre", "riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid".
Quadrature parse_quadrature(const std::string& name);
std::string quadrature_name(Quadrature method);

}  // namespace mxai::explain
