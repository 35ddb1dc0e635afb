// Tangentially Aligned Integrated Gradients: the objective and the per-point base-point ascent (float32).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/taig.h"
#include "explain/tangent_alignment.h"
#include "unit/test_explain_models.h"
#include "unit/test_taig_helpers.h"

using namespace mxai;
using namespace mxai::explain;

namespace {

double max_abs_diff(const Tensor& a, const Tensor& b) {
  double m = 0;
  for (int64_t j = 0; j < a.numel(); ++j) m = std::max(m, std::abs(static_cast<double>(a.data()[j]) - b.data()[j]));
  return m;
}

double max_abs(const Tensor& a) {
  double m = 0;
  for (int64_t j = 0; j < a.numel(); ++j) m = std::max(m, std::abs(static_cast<double>(a.data()[j])));
  return m;
}

}  // namespace

TEST_CASE("taig: on a linear model the base-point x - diag(w)^-1 v with v tangent gives IG = v and mu = 1", "[taig]") {
  const int64_t n = 3, d = 20, k = 4, target = 1;
  const mxai_test::LinearModel lin(d, 3, 11);
  const Tensor x = mxai_test::uniform_batch({n, d}, 12);
  const Tensor basis = mxai_taig_test::random_orthonormal_basis(n, d, k, 13);
  Generator gen(14);
  const Tensor r = randn({n, k}, gen);
  Tensor alpha = Tensor::empty({n, d}), v = Tensor::empty({n, d});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t p = 0; p < d; ++p) {
      double vp = 0;
      for (int64_t j = 0; j < k; ++j) vp += basis.data()[(i * d + p) * k + j] * r.data()[i * k + j];
      v.data()[i * d + p] = static_cast<real>(vp);
      alpha.data()[i * d + p] = static_cast<real>(x.data()[i * d + p] - vp / lin.weight.at({target, p}));
    }
  for (bool piecewise : {false, true}) {
    const TaigObjective obj = taig_objective(lin.model(), x, alpha, basis, {target}, 8, Quadrature::GaussLegendre,
                                             piecewise);
    for (double mu : obj.mu) CHECK(mu == Approx(1.0).margin(1e-5));
    CHECK(max_abs_diff(obj.attributions, v) < 1e-4);
    // mu = 1 is a maximum: the gradient vanishes (up to float rounding against |c| ~ 1/||IG||).
    CHECK(max_abs(obj.gradient) < 1e-3);
    if (!piecewise) CHECK(max_abs(obj.hessian_term) == 0);  // an affine F has no Hessian
  }
  // From the zero base-point a linear model's mu is ||U^T (x ⊙ w)|| / ||x ⊙ w||: typically far from 1.
  const TaigObjective zero = taig_objective(lin.model(), x, Tensor::zeros({n, d}), basis, {target});
  const std::vector<double> reference =
      tangent_fraction(x * reshape(narrow(lin.weight, 0, target, 1), {1, d}), basis);
  for (int64_t i = 0; i < n; ++i) CHECK(zero.mu[static_cast<size_t>(i)] == Approx(reference[static_cast<size_t>(i)]).epsilon(1e-5));
}

TEST_CASE("taig: the ReLU fast path equals the full double-backward path on a piecewise-linear conv net", "[taig]") {
  const mxai_taig_test::SmallConvNet net(3, 21, /*smooth=*/false);
  const Tensor x = mxai_test::uniform_batch({4, 1, 6, 6}, 22);
  const Tensor alpha = mxai_test::uniform_batch({4, 1, 6, 6}, 23, 0, 0.3);
  const Tensor basis = mxai_taig_test::random_orthonormal_basis(4, 36, 5, 24);
  const TaigObjective full = taig_objective(net.model(), x, alpha, basis, {}, 12, Quadrature::GaussLegendre, false);
  const TaigObjective fast = taig_objective(net.model(), x, alpha, basis, {}, 12, Quadrature::GaussLegendre, true);
  REQUIRE(full.hessian_term.defined());
  CHECK_FALSE(fast.hessian_term.defined());
  CHECK(max_abs(full.hessian_term) == 0);  // ReLU and max-pool have zero second derivative: exactly, not nearly
  CHECK(max_abs_diff(full.gradient, fast.gradient) == 0);
  for (size_t i = 0; i < full.mu.size(); ++i) CHECK(full.mu[i] == fast.mu[i]);
  CHECK(max_abs(fast.gradient) > 0);

  // The same holds for the whole ascent.
  TaigOptions o;
  o.iterations = 15;
  o.n_steps = 8;
  o.final_n_steps = 8;
  o.piecewise_linear = false;
  const TaigResult slow_run = optimal_baseline(net.model(), x, basis, {}, Tensor(), o);
  o.piecewise_linear = true;
  const TaigResult fast_run = optimal_baseline(net.model(), x, basis, {}, Tensor(), o);
  CHECK(max_abs_diff(slow_run.baseline, fast_run.baseline) == 0);
  CHECK(slow_run.iterations == fast_run.iterations);
}

TEST_CASE("taig: the ascent raises mu on a smooth toy problem and stays in the box", "[taig]") {
  const int64_t n = 6, d = 16, k = 3;
  const mxai_test::SoftplusMlp mlp(d, 12, 3, 31, 2);
  const Tensor x = mxai_test::uniform_batch({n, d}, 32, 0.2, 0.8);
  const Tensor basis = mxai_taig_test::random_orthonormal_basis(n, d, k, 33);
  TaigOptions o;
  o.iterations = 150;
  o.lr = 0.03;
  o.lo = 0.1;
  o.hi = 0.9;
  o.n_steps = 8;
  o.final_n_steps = 32;
  o.target_mu = 0.99;
  o.points_per_batch = 4;  // two rounds of admission: exercises the refilling of the active set
  int64_t calls = 0, last_done = 0;
  const TaigResult r = optimal_baseline(mlp.model(), x, basis, {}, Tensor(), o, [&](int64_t done, int64_t total) {
    ++calls;
    CHECK(done == last_done + 1);
    CHECK(total == n);
    last_done = done;
  });
  CHECK(calls == n);
  REQUIRE(r.mu.size() == static_cast<size_t>(n));
  double initial = 0, final_mu = 0;
  for (int64_t i = 0; i < n; ++i) {
    const size_t s = static_cast<size_t>(i);
    CHECK(r.ascent_mu[s] >= r.initial_mu[s]);
    CHECK(r.iterations[s] >= 1);
    initial += r.initial_mu[s] / n;
    final_mu += r.mu[s] / n;
    // The reported numbers are consistent: the completeness gap is the IG sum minus the output gap.
    double sum = 0;
    for (int64_t p = 0; p < d; ++p) sum += r.attributions.data()[i * d + p];
    CHECK(r.completeness_gap[s] == Approx(sum - r.output_gap[s]).margin(1e-4));
    CHECK(std::abs(r.completeness_gap[s]) < 0.05 * std::max(1.0, std::abs(r.output_gap[s])));
    CHECK(r.distance[s] > 0.1);
  }
  CHECK(final_mu > initial + 0.3);  // from about sqrt(3/16) = 0.43
  CHECK(final_mu > 0.9);
  for (int64_t j = 0; j < r.baseline.numel(); ++j) {
    CHECK(r.baseline.data()[j] >= real(0.1));
    CHECK(r.baseline.data()[j] <= real(0.9));
  }
}

TEST_CASE("taig: the returned base-point is the best iterate, and a stalled point falls back, then stops", "[taig]") {
  const int64_t n = 3, d = 16, k = 3;
  const mxai_test::SoftplusMlp mlp(d, 12, 3, 41, 2);
  const Tensor x = mxai_test::uniform_batch({n, d}, 42, 0.2, 0.8);
  const Tensor basis = mxai_taig_test::random_orthonormal_basis(n, d, k, 43);

  SECTION("best iterate: a wild SGD step size overshoots, yet the best point seen is returned") {
    TaigOptions o;
    o.optimizer = TaigOptimizer::SGD;
    o.lr = 50;
    o.iterations = 25;
    o.n_steps = 8;
    o.final_n_steps = 8;  // the same rule as the ascent, so the final mu is the ascent's best mu
    o.target_mu = 2;      // never reached
    const TaigResult r = optimal_baseline(mlp.model(), x, basis, {}, Tensor(), o);
    const TaigObjective at_best = taig_objective(mlp.model(), x, r.baseline, basis, {}, 8);
    for (int64_t i = 0; i < n; ++i) {
      const size_t s = static_cast<size_t>(i);
      CHECK(r.ascent_mu[s] >= r.initial_mu[s]);
      CHECK(at_best.mu[s] == Approx(r.ascent_mu[s]).margin(1e-5));
      CHECK(r.mu[s] == Approx(r.ascent_mu[s]).margin(1e-5));
    }
  }
  SECTION("no progress: patience, then max_fallbacks restarts with a smaller step, then a stop") {
    TaigOptions o;
    o.optimizer = TaigOptimizer::SGD;
    o.lr = 1e-12;  // alpha does not move, so mu never improves
    o.iterations = 1000;
    o.patience = 4;
    o.max_fallbacks = 2;
    o.n_steps = 4;
    o.final_n_steps = 4;
    const TaigResult r = optimal_baseline(mlp.model(), x, basis, {}, Tensor(), o);
    for (int64_t i = 0; i < n; ++i) {
      CHECK(r.iterations[static_cast<size_t>(i)] == 12);  // (1 + max_fallbacks) * patience
      CHECK(r.fallbacks[static_cast<size_t>(i)] == 2);
      CHECK(r.reached_target[static_cast<size_t>(i)] == 0);
    }
  }
  SECTION("early stop at the target mu") {
    TaigOptions o;
    o.n_steps = 8;
    o.iterations = 500;
    const TaigResult start = optimal_baseline(mlp.model(), x, basis, {}, Tensor(), [] {
      TaigOptions z;
      z.iterations = 0;
      z.n_steps = 8;
      return z;
    }());
    double lowest = 1;
    for (double mu : start.initial_mu) lowest = std::min(lowest, mu);
    o.target_mu = std::min(0.99, lowest + 0.02);
    const TaigResult r = optimal_baseline(mlp.model(), x, basis, {}, Tensor(), o);
    for (int64_t i = 0; i < n; ++i) {
      const size_t s = static_cast<size_t>(i);
      CHECK(start.iterations[s] == 0);
      CHECK(r.reached_target[s] == 1);
      CHECK(r.ascent_mu[s] >= o.target_mu);
      CHECK(r.iterations[s] < 100);
    }
  }
}

TEST_CASE("taig: the lower bound on ||x - alpha|| holds even when the ascent starts at x", "[taig]") {
  const int64_t n = 4, d = 16, k = 3;
  const mxai_test::SoftplusMlp mlp(d, 12, 3, 51, 2);
  const Tensor x = mxai_test::uniform_batch({n, d}, 52, 0.3, 0.7);
  const Tensor basis = mxai_taig_test::random_orthonormal_basis(n, d, k, 53);
  TaigOptions o;
  o.min_distance = 1.0;  // the farthest corner of [0,1]^16 is at least 0.3 * 4 = 1.2 away
  o.iterations = 60;
  o.n_steps = 8;
  o.final_n_steps = 8;
  const TaigResult r = optimal_baseline(mlp.model(), x, basis, {}, x, o);  // the degenerate start alpha = x
  for (int64_t i = 0; i < n; ++i) {
    CHECK(r.distance[static_cast<size_t>(i)] >= 1.0 - 1e-4);
    CHECK(std::isfinite(r.mu[static_cast<size_t>(i)]));
  }
  for (int64_t j = 0; j < r.baseline.numel(); ++j) {
    CHECK(r.baseline.data()[j] >= 0);
    CHECK(r.baseline.data()[j] <= 1);
  }
  // The projection alone: a point inside the ball goes to its sphere, along the same direction.
  std::vector<real> xs(4, real(0.5)), alpha{real(0.6), real(0.5), real(0.5), real(0.5)};
  project_taig_constraints(xs.data(), alpha.data(), 4, 0, 1, 0.3);
  CHECK(alpha[0] == Approx(0.8).margin(1e-6));
  CHECK(alpha[1] == Approx(0.5).margin(1e-6));
}

TEST_CASE("taig: deterministic, and each point's result does not depend on the batch it was in", "[taig]") {
  const int64_t n = 5, d = 16, k = 3;
  const mxai_test::SoftplusMlp mlp(d, 12, 3, 61, 2);
  const Tensor x = mxai_test::uniform_batch({n, d}, 62, 0.2, 0.8);
  const Tensor basis = mxai_taig_test::random_orthonormal_basis(n, d, k, 63);
  TaigOptions o;
  o.iterations = 20;
  o.n_steps = 8;
  o.final_n_steps = 16;
  const TaigResult a = optimal_baseline(mlp.model(), x, basis, {}, Tensor(), o);
  const TaigResult b = optimal_baseline(mlp.model(), x, basis, {}, Tensor(), o);
  CHECK(max_abs_diff(a.baseline, b.baseline) == 0);
  CHECK(a.mu == b.mu);
  o.points_per_batch = 2;
  const TaigResult c = optimal_baseline(mlp.model(), x, basis, {}, Tensor(), o);
  CHECK(max_abs_diff(a.baseline, c.baseline) < 1e-3);
  for (size_t i = 0; i < a.mu.size(); ++i) CHECK(a.mu[i] == Approx(c.mu[i]).margin(1e-3));
}
