#include "explain/taig_objective.h"

#include <cmath>
#include <limits>
#include <string>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/target.h"

namespace mxai::explain {

namespace {

void check_shapes(const Tensor& input, const Tensor& baseline, const Tensor& basis) {
  if (!input.defined() || input.dim() < 2)
    throw Error("taig: expected an input batch (N,...), got " +
                (input.defined() ? shape_str(input.shape()) : std::string("undefined")));
  if (!baseline.defined() || baseline.shape() != input.shape())
    throw Error("taig: the base-point must have the input's shape " + shape_str(input.shape()) + ", got " +
                (baseline.defined() ? shape_str(baseline.shape()) : std::string("undefined")));
  const int64_t n = input.size(0);
  if (!basis.defined() || basis.dim() != 3 || basis.size(0) != n || basis.size(1) * n != input.numel())
    throw Error("taig: the basis must be (N,D,k') with N = " + std::to_string(n) + " and D = C*H*W, got " +
                (basis.defined() ? shape_str(basis.shape()) : std::string("undefined")) + " for input " +
                shape_str(input.shape()));
}

// The path points of all examples as one batch, step-major (row s*N + i is example i at node s, Captum's order).
Tensor path_points(const Tensor& input, const Tensor& baseline, const QuadratureRule& rule) {
  const int64_t n = input.size(0), d = input.numel() / n, m = static_cast<int64_t>(rule.alphas.size());
  Shape shape = input.shape();
  shape[0] = m * n;
  Tensor points = Tensor::empty(shape);
  const real *x = input.data(), *b = baseline.data();
  for (int64_t s = 0; s < m; ++s) {
    const real a = static_cast<real>(rule.alphas[static_cast<size_t>(s)]);
    real* dst = points.data() + s * n * d;
    for (int64_t j = 0; j < n * d; ++j) dst[j] = b[j] + a * (x[j] - b[j]);
  }
  return points;
}

}  // namespace

TaigObjective taig_objective(const Model& model, const Tensor& input, const Tensor& baseline, const Tensor& basis,
                             const Targets& target, int n_steps, Quadrature method, bool piecewise_linear) {
  check_shapes(input, baseline, basis);
  const QuadratureRule rule = quadrature_rule(method, n_steps);
  const int64_t n = input.size(0), d = input.numel() / n, k = basis.size(2), m = n_steps;
  const Targets targets = resolve_targets(model, input, target);
  const Targets row_targets = tile_targets(targets, m);

  // Path gradients g (m*N, ...). The general path keeps their graph for the Hessian-vector products below.
  GradModeGuard recording(true);
  Tensor points = path_points(input, baseline, rule);
  Tensor g;
  if (piecewise_linear) {
    g = target_gradient(model, points, row_targets);
  } else {
    points.requires_grad_();
    const Tensor logits = model(points);
    if (logits.dim() != 2 || logits.size(0) != points.size(0))
      throw Error("taig: the model maps " + shape_str(points.shape()) + " to " + shape_str(logits.shape()) +
                  ", expected logits (" + std::to_string(points.size(0)) + ",K)");
    const Tensor selected = select_target_logits(logits, row_targets);
    g = selected.requires_grad() ? grad({sum(selected)}, {points}, {}, /*create_graph=*/true)[0]
                                 : Tensor::zeros(points.shape());
  }

  TaigObjective out;
  out.mu.assign(static_cast<size_t>(n), std::numeric_limits<double>::quiet_NaN());
  out.gradient = Tensor::empty(input.shape());
  out.attributions = Tensor::empty(input.shape());
  out.path_gradient = Tensor::empty(input.shape());
  // The cotangent of the Hessian term per path row, w_s (1 - a_s) (delta ⊙ c): built only when needed.
  Tensor cotangent = piecewise_linear || !g.requires_grad() ? Tensor() : Tensor::empty(points.shape());
  const real *x = input.data(), *b = baseline.data(), *gd = g.data();

#pragma omp parallel for if (n * d * (m + k) > (1 << 16))
  for (int64_t i = 0; i < n; ++i) {
    std::vector<double> gbar(static_cast<size_t>(d), 0.0), ig(static_cast<size_t>(d)), coef(static_cast<size_t>(k), 0.0);
    for (int64_t s = 0; s < m; ++s) {
      const double w = rule.weights[static_cast<size_t>(s)];
      const real* gs = gd + (s * n + i) * d;
      for (int64_t p = 0; p < d; ++p) gbar[static_cast<size_t>(p)] += w * gs[p];
    }
    const real* u = basis.data() + i * d * k;
    double norm_sq = 0;
    for (int64_t p = 0; p < d; ++p) {
      const double v = (static_cast<double>(x[i * d + p]) - b[i * d + p]) * gbar[static_cast<size_t>(p)];
      ig[static_cast<size_t>(p)] = v;
      norm_sq += v * v;
      for (int64_t j = 0; j < k; ++j) coef[static_cast<size_t>(j)] += u[p * k + j] * v;
    }
    double tangent_sq = 0;
    for (double c : coef) tangent_sq += c * c;
    const double norm = std::sqrt(norm_sq), tangent = std::sqrt(tangent_sq);
    const double mu = norm > 0 ? tangent / norm : std::numeric_limits<double>::quiet_NaN();
    out.mu[static_cast<size_t>(i)] = mu;

    // c = d mu / d IG. At IG = 0 mu is undefined, and at U^T IG = 0 it is not differentiable (a cone point):
    // there the tangential part of c is dropped, which is the minimum-norm subgradient's choice.
    real* grad_i = out.gradient.data() + i * d;
    for (int64_t p = 0; p < d; ++p) {
      const double ig_p = ig[static_cast<size_t>(p)];
      double c = 0;
      if (norm > 0) {
        double projected = 0;
        if (tangent > 0)
          for (int64_t j = 0; j < k; ++j) projected += u[p * k + j] * coef[static_cast<size_t>(j)];
        c = ((tangent > 0 ? projected / tangent : 0.0) - mu * ig_p / norm) / norm;
      }
      const double delta = static_cast<double>(x[i * d + p]) - b[i * d + p];
      grad_i[p] = static_cast<real>(-gbar[static_cast<size_t>(p)] * c);
      out.attributions.data()[i * d + p] = static_cast<real>(ig_p);
      out.path_gradient.data()[i * d + p] = static_cast<real>(gbar[static_cast<size_t>(p)]);
      if (cotangent.defined())
        for (int64_t s = 0; s < m; ++s)
          cotangent.data()[(s * n + i) * d + p] = static_cast<real>(
              rule.weights[static_cast<size_t>(s)] * (1 - rule.alphas[static_cast<size_t>(s)]) * delta * c);
    }
  }

  if (cotangent.defined()) {
    // One double backward: d<g, cotangent>/d points = H(p_r) cotangent_r per row; alpha moves every path point
    // by (1 - a_s) dalpha, which the cotangent already carries.
    const Tensor hv = grad({g}, {points}, {cotangent})[0];
    out.hessian_term = Tensor::zeros(input.shape());
    real* h = out.hessian_term.data();
    for (int64_t s = 0; s < m; ++s) {
      const real* hs = hv.data() + s * n * d;
      for (int64_t j = 0; j < n * d; ++j) h[j] += hs[j];
    }
    real* grad_all = out.gradient.data();
    for (int64_t j = 0; j < n * d; ++j) grad_all[j] += h[j];
  } else if (!piecewise_linear) {
    out.hessian_term = Tensor::zeros(input.shape());  // the gradient does not depend on the input: F is affine
  }
  return out;
}

}  // namespace mxai::explain
