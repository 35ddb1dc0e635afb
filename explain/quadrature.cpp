#include "explain/quadrature.h"

#include <cmath>

#include "autodiff/tensor.h"

namespace mxai::explain {

QuadratureRule gauss_legendre_symmetric(int n) {
  if (n < 1) throw Error("Gauss-Legendre quadrature needs n >= 1, got " + std::to_string(n));
  QuadratureRule rule;
  rule.alphas.assign(static_cast<size_t>(n), 0.0);
  rule.weights.assign(static_cast<size_t>(n), 0.0);
  // The roots are symmetric about 0: find the positive half (and 0 for odd n) and mirror it.
  for (int i = 0; i < (n + 1) / 2; ++i) {
    // Tricomi's approximation of the i-th largest root: Newton converges from it in a handful of steps.
    double t = std::cos(M_PI * (i + 0.75) / (n + 0.5));
    double derivative = 0;
    for (int iteration = 0; iteration < 100; ++iteration) {
      double p_prev = 1, p = t;  // P_0, P_1
      for (int j = 2; j <= n; ++j) {
        const double p_next = ((2.0 * j - 1.0) * t * p - (j - 1.0) * p_prev) / j;
        p_prev = p;
        p = p_next;
      }
      derivative = n * (t * p - p_prev) / (t * t - 1.0);
      const double step = p / derivative;
      t -= step;
      if (std::abs(step) < 1e-15) break;
    }
    // Recompute P_n'(t) at the converged root for the weight.
    double p_prev = 1, p = t;
    for (int j = 2; j <= n; ++j) {
      const double p_next = ((2.0 * j - 1.0) * t * p - (j - 1.0) * p_prev) / j;
      p_prev = p;
      p = p_next;
    }
    derivative = n * (t * p - p_prev) / (t * t - 1.0);
    const double weight = 2.0 / ((1.0 - t * t) * derivative * derivative);
    const size_t hi = static_cast<size_t>(n - 1 - i), lo = static_cast<size_t>(i);
    rule.alphas[hi] = t;
    rule.alphas[lo] = -t;
    rule.weights[hi] = rule.weights[lo] = weight;
  }
  if (n % 2 == 1) rule.alphas[static_cast<size_t>(n / 2)] = 0.0;  // exactly, not 1e-17
  return rule;
}

QuadratureRule gauss_legendre_unit_interval(int n) {
  QuadratureRule rule = gauss_legendre_symmetric(n);
  for (double& a : rule.alphas) a = 0.5 * (1.0 + a);
  for (double& w : rule.weights) w *= 0.5;
  return rule;
}

QuadratureRule quadrature_rule(Quadrature method, int n) {
  if (n < 1) throw Error("quadrature needs n_steps >= 1, got " + std::to_string(n));
  if (method == Quadrature::GaussLegendre) return gauss_legendre_unit_interval(n);
  QuadratureRule rule;
  rule.alphas.resize(static_cast<size_t>(n));
  rule.weights.assign(static_cast<size_t>(n), 1.0 / n);
  for (int k = 0; k < n; ++k) {
    double& alpha = rule.alphas[static_cast<size_t>(k)];
    switch (method) {
      case Quadrature::RiemannLeft: alpha = static_cast<double>(k) / n; break;
      case Quadrature::RiemannRight: alpha = static_cast<double>(k + 1) / n; break;
      case Quadrature::RiemannMiddle: alpha = (k + 0.5) / n; break;
      case Quadrature::RiemannTrapezoid:
        if (n < 2) throw Error("the trapezoid rule needs n_steps >= 2, got " + std::to_string(n));
        alpha = static_cast<double>(k) / (n - 1);
        rule.weights[static_cast<size_t>(k)] = (k == 0 || k == n - 1) ? 0.5 / (n - 1) : 1.0 / (n - 1);
        break;
      case Quadrature::GaussLegendre: break;
    }
  }
  return rule;
}

Quadrature parse_quadrature(const std::string& name) {
  if (name == "gausslegendre" || name == "gauss_legendre") return Quadrature::GaussLegendre;
  if (name == "riemann_left") return Quadrature::RiemannLeft;
  if (name == "riemann_right") return Quadrature::RiemannRight;
  if (name == "riemann_middle") return Quadrature::RiemannMiddle;
  if (name == "riemann_trapezoid") return Quadrature::RiemannTrapezoid;
  throw Error("unknown quadrature '" + name +
              "' (gausslegendre, riemann_left, riemann_right, riemann_middle, riemann_trapezoid)");
}

std::string quadrature_name(Quadrature method) {
  switch (method) {
    case Quadrature::GaussLegendre: return "gausslegendre";
    case Quadrature::RiemannLeft: return "riemann_left";
    case Quadrature::RiemannRight: return "riemann_right";
    case Quadrature::RiemannMiddle: return "riemann_middle";
    case Quadrature::RiemannTrapezoid: return "riemann_trapezoid";
  }
  return "?";
}

}  // namespace mxai::explain
