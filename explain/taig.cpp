#include "explain/taig.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/baselines.h"
#include "explain/integrated_gradients.h"
#include "explain/tangent_alignment.h"
#include "explain/target.h"

namespace mxai::explain {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_options(const TaigOptions& o) {
  const auto fail = [](const std::string& what) { throw Error("optimal_baseline: " + what); };
  if (o.n_steps < 1 || o.final_n_steps < 1) fail("n_steps and final_n_steps must be >= 1");
  if (o.iterations < 0) fail("iterations must be >= 0");
  if (!(o.lr > 0)) fail("lr must be > 0");
  if (!(o.lo < o.hi)) fail("the box needs lo < hi");
  if (o.min_distance < 0) fail("min_distance must be >= 0");
  if (o.patience < 1) fail("patience must be >= 1");
  if (o.max_fallbacks < 0 || !(o.fallback_factor > 0 && o.fallback_factor < 1))
    fail("need max_fallbacks >= 0 and 0 < fallback_factor < 1");
  if (o.points_per_batch < 1) fail("points_per_batch must be >= 1");
  if (!(o.beta1 >= 0 && o.beta1 < 1 && o.beta2 >= 0 && o.beta2 < 1)) fail("Adam betas must be in [0, 1)");
}

double distance(const real* x, const real* alpha, int64_t d) {
  double s = 0;
  for (int64_t p = 0; p < d; ++p) s += (static_cast<double>(x[p]) - alpha[p]) * (static_cast<double>(x[p]) - alpha[p]);
  return std::sqrt(s);
}

void clip(real* alpha, int64_t d, double lo, double hi) {
  for (int64_t p = 0; p < d; ++p) alpha[p] = static_cast<real>(std::min(hi, std::max(lo, static_cast<double>(alpha[p]))));
}

// One point's ascent: where it is, the best it has seen, and its own optimizer.
struct PointState {
  int64_t index = 0;
  std::vector<real> alpha, best_alpha, best_grad, start;
  std::vector<double> m, v;  // Adam moments
  int adam_t = 0;
  double lr = 0;
  double best_mu = -std::numeric_limits<double>::infinity();
  double reference_mu = -std::numeric_limits<double>::infinity();  // the last mu that counted as progress
  double initial_mu = kNaN;
  int since_progress = 0, steps = 0, fallbacks = 0;
  bool evaluated = false;
  std::vector<double> trace;
};

void reset_optimizer(PointState& s) {
  std::fill(s.m.begin(), s.m.end(), 0.0);
  std::fill(s.v.begin(), s.v.end(), 0.0);
  s.adam_t = 0;
}

void ascent_step(PointState& s, const real* grad, const real* x, int64_t d, const TaigOptions& o) {
  if (o.optimizer == TaigOptimizer::SGD) {
    for (int64_t p = 0; p < d; ++p) s.alpha[static_cast<size_t>(p)] += static_cast<real>(s.lr * grad[p]);
  } else {
    ++s.adam_t;
    const double c1 = 1 - std::pow(o.beta1, s.adam_t), c2 = 1 - std::pow(o.beta2, s.adam_t);
    for (int64_t p = 0; p < d; ++p) {
      const size_t q = static_cast<size_t>(p);
      s.m[q] = o.beta1 * s.m[q] + (1 - o.beta1) * grad[p];
      s.v[q] = o.beta2 * s.v[q] + (1 - o.beta2) * static_cast<double>(grad[p]) * grad[p];
      s.alpha[q] += static_cast<real>(s.lr * (s.m[q] / c1) / (std::sqrt(s.v[q] / c2) + o.adam_eps));
    }
  }
  project_taig_constraints(x, s.alpha.data(), d, o.lo, o.hi, o.min_distance, s.start.data());
  ++s.steps;
}

// Takes in one evaluation of the objective at s.alpha; returns true when the point is finished, else moves it.
bool advance(PointState& s, double mu, const real* grad, const real* x, int64_t d, const TaigOptions& o) {
  if (!s.evaluated) s.initial_mu = mu;
  s.evaluated = true;
  const bool valid = std::isfinite(mu);
  if (valid && mu > s.best_mu) {
    s.best_mu = mu;
    s.best_alpha = s.alpha;
    s.best_grad.assign(grad, grad + d);
  }
  if (valid && mu > s.reference_mu + o.min_improvement) {
    s.reference_mu = mu;
    s.since_progress = 0;
  } else {
    ++s.since_progress;
  }
  if (s.best_mu >= o.target_mu || s.steps >= o.iterations) return true;
  if (s.since_progress >= o.patience) {
    if (s.fallbacks >= o.max_fallbacks || s.best_grad.empty()) return true;
    // Stalled: the step size is too large for this point's landscape. Go back to the best iterate, whose gradient
    // is known, and continue with a smaller step and fresh moments.
    ++s.fallbacks;
    s.lr *= o.fallback_factor;
    s.alpha = s.best_alpha;
    reset_optimizer(s);
    s.since_progress = 0;
    s.reference_mu = s.best_mu;
    ascent_step(s, s.best_grad.data(), x, d, o);
    return false;
  }
  ascent_step(s, grad, x, d, o);
  return false;
}


}  // namespace

void project_taig_constraints(const real* x, real* alpha, int64_t d, double lo, double hi, double min_distance,
                              const real* fallback) {
  clip(alpha, d, lo, hi);
  if (!(min_distance > 0)) return;
  // Pushing radially and clipping alternately: each push restores the distance along the free coordinates, each
  // clip takes some back; a few rounds settle unless the box cannot hold the ball's complement at all.
  for (int round = 0; round < 32; ++round) {
    const double dist = distance(x, alpha, d);
    if (dist >= min_distance * (1 - 1e-6)) return;
    if (dist == 0) {
      const bool use_fallback = fallback != nullptr && distance(x, fallback, d) > 0;
      for (int64_t p = 0; p < d; ++p) {
        const double far = x[p] < (lo + hi) / 2 ? hi : lo;
        alpha[p] = static_cast<real>(use_fallback ? fallback[p] : far);
      }
    } else {
      const double scale = min_distance / dist;
      for (int64_t p = 0; p < d; ++p) alpha[p] = static_cast<real>(x[p] + scale * (static_cast<double>(alpha[p]) - x[p]));
    }
    clip(alpha, d, lo, hi);
  }
}

TaigResult optimal_baseline(const Model& model, const Tensor& input, const Tensor& basis, const Targets& target,
                            const Tensor& start, const TaigOptions& o, const TaigProgress& progress) {
  check_options(o);
  if (!input.defined() || input.dim() < 2)
    throw Error("optimal_baseline: expected an input batch (N,...), got " +
                (input.defined() ? shape_str(input.shape()) : std::string("undefined")));
  const int64_t n = input.size(0), d = input.numel() / std::max<int64_t>(n, 1);
  if (!basis.defined() || basis.dim() != 3 || basis.size(0) != n || basis.size(1) != d)
    throw Error("optimal_baseline: the basis must be (N,D,k') = (" + std::to_string(n) + "," + std::to_string(d) +
                ",k'), got " + (basis.defined() ? shape_str(basis.shape()) : std::string("undefined")));
  const int64_t k = basis.size(2);
  const Targets targets = resolve_targets(model, input, target);
  const Tensor x_all = input.detach();
  const Tensor start_all = start.defined() ? tensor_baseline(x_all, start) : zero_baseline(x_all);

  std::vector<PointState> states(static_cast<size_t>(n));
  std::vector<size_t> active;
  int64_t next = 0, finished = 0;
  Shape batch_shape = input.shape();
  while (next < n || !active.empty()) {
    while (static_cast<int64_t>(active.size()) < o.points_per_batch && next < n) {
      PointState& s = states[static_cast<size_t>(next)];
      s.index = next;
      const real* src = start_all.data() + next * d;
      s.start.assign(src, src + d);
      s.alpha = s.start;
      project_taig_constraints(x_all.data() + next * d, s.alpha.data(), d, o.lo, o.hi, o.min_distance);
      s.best_alpha = s.alpha;
      s.m.assign(static_cast<size_t>(d), 0.0);
      s.v.assign(static_cast<size_t>(d), 0.0);
      s.lr = o.lr;
      active.push_back(static_cast<size_t>(next++));
    }
    // The active points as one batch.
    const int64_t a = static_cast<int64_t>(active.size());
    batch_shape[0] = a;
    Tensor xb = Tensor::empty(batch_shape), ab = Tensor::empty(batch_shape), ub = Tensor::empty({a, d, k});
    Targets tb(static_cast<size_t>(a));
    for (int64_t j = 0; j < a; ++j) {
      const PointState& s = states[active[static_cast<size_t>(j)]];
      std::copy(x_all.data() + s.index * d, x_all.data() + (s.index + 1) * d, xb.data() + j * d);
      std::copy(s.alpha.begin(), s.alpha.end(), ab.data() + j * d);
      std::copy(basis.data() + s.index * d * k, basis.data() + (s.index + 1) * d * k, ub.data() + j * d * k);
      tb[static_cast<size_t>(j)] = targets[static_cast<size_t>(s.index)];
    }
    const TaigObjective obj = taig_objective(model, xb, ab, ub, tb, o.n_steps, o.method, o.piecewise_linear);

    std::vector<size_t> still_active;
    for (int64_t j = 0; j < a; ++j) {
      PointState& s = states[active[static_cast<size_t>(j)]];
      if (o.record_trace) s.trace.push_back(obj.mu[static_cast<size_t>(j)]);
      const bool done = advance(s, obj.mu[static_cast<size_t>(j)], obj.gradient.data() + j * d,
                                x_all.data() + s.index * d, d, o);
      if (!done) {
        still_active.push_back(active[static_cast<size_t>(j)]);
        continue;
      }
      s.m.clear(), s.v.clear(), s.m.shrink_to_fit(), s.v.shrink_to_fit(), s.best_grad.clear();
      ++finished;
      if (progress) progress(finished, n);
    }
    active.swap(still_active);
  }

  TaigResult result;
  result.baseline = Tensor::empty(input.shape());
  for (int64_t i = 0; i < n; ++i) {
    const PointState& s = states[static_cast<size_t>(i)];
    std::copy(s.best_alpha.begin(), s.best_alpha.end(), result.baseline.data() + i * d);
    result.initial_mu.push_back(s.initial_mu);
    result.ascent_mu.push_back(std::isfinite(s.best_mu) ? s.best_mu : kNaN);
    result.iterations.push_back(s.steps);
    result.fallbacks.push_back(s.fallbacks);
    result.reached_target.push_back(s.best_mu >= o.target_mu ? 1 : 0);
    result.distance.push_back(distance(x_all.data() + i * d, result.baseline.data() + i * d, d));
    if (o.record_trace) result.trace.push_back(s.trace);
  }

  // The explanation at the optimum, with the full quadrature, and what shows whether it is degenerate.
  const int64_t chunk = o.points_per_batch * o.final_n_steps;
  const IntegratedGradientsResult ig = IntegratedGradients(model).attribute(
      x_all, result.baseline, targets, o.final_n_steps, o.method, chunk);
  result.attributions = ig.attributions;
  result.mu = tangent_fraction(ig.attributions, basis);
  const std::vector<double> f =
      target_logit_values(model, concat({x_all, result.baseline}, 0), tile_targets(targets, 2), std::max<int64_t>(chunk, 1));
  for (int64_t i = 0; i < n; ++i) {
    result.output_gap.push_back(f[static_cast<size_t>(i)] - f[static_cast<size_t>(n + i)]);
    result.completeness_gap.push_back(ig.delta.data()[i]);
  }
  return result;
}

}  // namespace mxai::explain
