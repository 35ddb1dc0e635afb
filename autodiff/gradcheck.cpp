#include "autodiff/gradcheck.h"

#include <cmath>
#include <sstream>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

namespace mxai {

namespace {

struct NanFillScope {
  bool previous = debug_nan_fill();
  NanFillScope() { set_debug_nan_fill(true); }
  ~NanFillScope() { set_debug_nan_fill(previous); }
};

std::vector<Tensor> fresh_leaves(const std::vector<Tensor>& inputs) {
  std::vector<Tensor> xs;
  for (const Tensor& x : inputs) xs.push_back(x.clone().requires_grad_());
  return xs;
}

double inner(const Tensor& a, const Tensor& b) {
  double s = 0;
  for (int64_t i = 0; i < a.numel(); ++i) s += static_cast<double>(a.data()[i]) * b.data()[i];
  return s;
}

// Compares one analytic entry with its numeric estimate; records the first failure.
void compare(GradcheckReport& report, const GradcheckOptions& o, const std::string& what, size_t input, int64_t index,
             double analytic, double numeric) {
  const double err = std::abs(analytic - numeric);
  const bool bad = !(err <= o.atol + o.rtol * std::abs(numeric));  // also catches NaN
  if (std::isnan(err) || err > report.max_abs_error) report.max_abs_error = std::isnan(err) ? INFINITY : err;
  if (bad && report.ok) {
    std::ostringstream os;
    os << what << ": input " << input << " entry " << index << ": analytic " << analytic << " vs numeric " << numeric;
    report.ok = false;
    report.detail = os.str();
  }
}

// <u, f(xs)> evaluated without recording a graph.
double projected(const TensorFunction& f, const std::vector<Tensor>& xs, const Tensor& u) {
  NoGradGuard no_grad;
  return inner(f(xs), u);
}

}  // namespace

GradcheckReport check_gradient(const TensorFunction& f, const std::vector<Tensor>& inputs, const GradcheckOptions& o) {
  NanFillScope nan_fill;
  GradcheckReport report;
  Generator gen(o.seed);
  std::vector<Tensor> xs = fresh_leaves(inputs);
  const Tensor y = f(xs);
  const Tensor u = randn(y.shape(), gen);
  const std::vector<Tensor> analytic = grad({y}, xs, {u});
  for (size_t i = 0; i < xs.size(); ++i) {
    real* p = xs[i].data();
    for (int64_t k = 0; k < xs[i].numel(); ++k) {
      const real saved = p[k];
      p[k] = saved + static_cast<real>(o.eps);
      const double plus = projected(f, xs, u);
      p[k] = saved - static_cast<real>(o.eps);
      const double minus = projected(f, xs, u);
      p[k] = saved;
      compare(report, o, "gradient", i, k, analytic[i].data()[k], (plus - minus) / (2 * o.eps));
    }
  }
  return report;
}

GradcheckReport check_jacobian(const TensorFunction& f, const std::vector<Tensor>& inputs, const GradcheckOptions& o) {
  NanFillScope nan_fill;
  GradcheckReport report;
  std::vector<Tensor> xs = fresh_leaves(inputs);
  const Tensor y = f(xs);
  const int64_t m = y.numel();
  // Analytic rows: one backward per output entry, keeping the graph.
  std::vector<std::vector<Tensor>> rows;
  for (int64_t j = 0; j < m; ++j) {
    Tensor e = Tensor::zeros(y.shape());
    e.data()[j] = 1;
    rows.push_back(grad({y}, xs, {e}, /*create_graph=*/false, /*retain_graph=*/true));
  }
  // Numeric columns: perturb one input entry, difference the whole output.
  for (size_t i = 0; i < xs.size(); ++i) {
    real* p = xs[i].data();
    for (int64_t k = 0; k < xs[i].numel(); ++k) {
      const real saved = p[k];
      Tensor plus, minus;
      {
        NoGradGuard no_grad;
        // Clone: a view op (reshape, identity narrow, ...) returns the input's own storage, which the next
        // perturbation would overwrite.
        p[k] = saved + static_cast<real>(o.eps);
        plus = f(xs).clone();
        p[k] = saved - static_cast<real>(o.eps);
        minus = f(xs).clone();
        p[k] = saved;
      }
      for (int64_t j = 0; j < m; ++j) {
        const double numeric = (static_cast<double>(plus.data()[j]) - minus.data()[j]) / (2 * o.eps);
        compare(report, o, "jacobian row " + std::to_string(j), i, k, rows[j][i].data()[k], numeric);
      }
    }
  }
  return report;
}

GradcheckReport check_second_order(const TensorFunction& f, const std::vector<Tensor>& inputs,
                                   const GradcheckOptions& o) {
  NanFillScope nan_fill;
  GradcheckReport report;
  Generator gen(o.seed + 1);
  std::vector<Tensor> xs = fresh_leaves(inputs);
  const Tensor y = f(xs);
  const Tensor u = randn(y.shape(), gen);
  std::vector<Tensor> vs;
  for (const Tensor& x : xs) vs.push_back(randn(x.shape(), gen));

  // Analytic Hessian-vector product by double backward.
  const std::vector<Tensor> g = grad({y}, xs, {u}, /*create_graph=*/true);
  Tensor s = Tensor::scalar(0);
  for (size_t i = 0; i < xs.size(); ++i) s = s + sum(g[i] * vs[i]);
  std::vector<Tensor> hvp;
  if (s.requires_grad()) hvp = grad({s}, xs);
  else
    for (const Tensor& x : xs) hvp.push_back(Tensor::zeros(x.shape()));

  // Numeric: central differences of the first-order gradient along v.
  auto gradient_at = [&](double step) {
    std::vector<Tensor> shifted;
    for (size_t i = 0; i < xs.size(); ++i) shifted.push_back((xs[i].detach() + vs[i] * static_cast<real>(step)).requires_grad_());
    return grad({f(shifted)}, shifted, {u});
  };
  const std::vector<Tensor> plus = gradient_at(o.eps), minus = gradient_at(-o.eps);
  for (size_t i = 0; i < xs.size(); ++i)
    for (int64_t k = 0; k < xs[i].numel(); ++k) {
      const double numeric = (static_cast<double>(plus[i].data()[k]) - minus[i].data()[k]) / (2 * o.eps);
      compare(report, o, "hessian-vector product", i, k, hvp[i].data()[k], numeric);
    }
  return report;
}

GradcheckReport check_accumulation(const TensorFunction& f, const std::vector<Tensor>& inputs,
                                   const GradcheckOptions& o) {
  NanFillScope nan_fill;
  GradcheckReport report;
  Generator gen(o.seed + 2);
  std::vector<Tensor> xs = fresh_leaves(inputs);
  const Tensor y = f(xs);
  const Tensor u = randn(y.shape(), gen);
  const std::vector<Tensor> expected = grad({y}, xs, {u}, false, /*retain_graph=*/true);
  std::vector<Tensor> prefill;
  for (Tensor& x : xs) {
    prefill.push_back(randn(x.shape(), gen));
    x.set_grad(prefill.back().clone());
  }
  y.backward(u, /*retain_graph=*/true);
  y.backward(u);
  for (size_t i = 0; i < xs.size(); ++i) {
    const Tensor got = xs[i].grad();
    for (int64_t k = 0; k < xs[i].numel(); ++k) {
      const double want = static_cast<double>(prefill[i].data()[k]) + 2.0 * expected[i].data()[k];
      compare(report, o, "accumulated .grad (prefill + 2 backward passes)", i, k, got.data()[k], want);
    }
  }
  return report;
}

GradcheckReport check_all(const TensorFunction& f, const std::vector<Tensor>& inputs, const GradcheckOptions& o,
                          int64_t jacobian_max) {
  GradcheckReport r = check_gradient(f, inputs, o);
  if (!r) return r;
  bool small = true;
  for (const Tensor& x : inputs) small = small && x.numel() <= jacobian_max;
  {
    NoGradGuard no_grad;
    small = small && f(inputs).numel() <= jacobian_max;
  }
  if (small && !(r = check_jacobian(f, inputs, o))) return r;
  if (!(r = check_second_order(f, inputs, o))) return r;
  return check_accumulation(f, inputs, o);
}

}  // namespace mxai
