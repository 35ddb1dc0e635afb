// Tangentially Aligned Integrated Gradients (Simpson et al. 2025; TAIG spec sections 2.4 and 3.2): the per-point
// IG base-point alpha that maximises the tangential alignment mu_x(IG(x; alpha)) = ||U^T IG|| / ||IG||, found by
// projected gradient ascent with the exact gradient of taig_objective.h, and the IG explanation at it.
//
// The ascent runs on a small active set of points at once (their path points share one forward/backward; the
// objective is a sum of per-point terms, so the batched gradient is each point's own gradient), and every point has
// its own optimizer state, step size, best iterate and stopping rule: a finished point leaves the set and the next
// waiting point takes its place. docs/taig.md explains the choices and the degenerate solution alpha -> x.
#pragma once

#include <functional>
#include <vector>

#include "explain/attribution.h"
#include "explain/quadrature.h"
#include "explain/taig_objective.h"

namespace mxai::explain {

enum class TaigOptimizer {
  Adam,  // on -mu, per point (default): insensitive to the scale of F, which differs a lot between points
  SGD,   // alpha += lr * d mu / d alpha
};

struct TaigOptions {
  // The quadrature during the ascent: a few path points keep every step cheap (on LeNet/MNIST the best mu with 8
  // points and the final mu with 50 agree to 0.001, docs/taig.md); the returned attributions use final_n_steps
  // points of the same rule.
  int n_steps = 8;
  Quadrature method = Quadrature::GaussLegendre;
  int final_n_steps = 50;

  TaigOptimizer optimizer = TaigOptimizer::Adam;
  int iterations = 100;       // ascent steps per point at most (fall-backs included)
  double lr = 0.1;            // in input units per step for Adam (pixels in [0,1]); measured in docs/taig.md
  double beta1 = 0.9, beta2 = 0.999, adam_eps = 1e-12;  // Adam; eps far below typical |d mu / d alpha|

  // The admissible box [lo, hi]^d for alpha (the valid pixel range), enforced by clipping after every step.
  double lo = 0, hi = 1;
  // Optional lower bound r on ||x - alpha||_2, enforced after the box by pushing alpha radially away from x (and
  // clipping again, a few rounds): keeps the ascent away from the degenerate alpha -> x. 0: no bound.
  double min_distance = 0;

  // Stop a point when its best mu reaches target_mu, or when mu has not improved by more than min_improvement
  // for `patience` steps and no fall-back is left. A fall-back restarts from the best iterate with the step size
  // multiplied by fallback_factor and fresh optimizer state.
  double target_mu = 0.95;
  int patience = 15;
  double min_improvement = 1e-4;
  int max_fallbacks = 2;
  double fallback_factor = 0.3;

  // Skip the Hessian term of the gradient: exact for piecewise-linear networks (ReLU, max-pool, linear layers,
  // explaining a logit), whose Hessian vanishes almost everywhere; wrong for smooth ones (softplus, softmax).
  bool piecewise_linear = false;
  // Active points per batch: each ascent step evaluates points_per_batch * n_steps path points at once.
  int64_t points_per_batch = 16;
  // Keep every point's mu after each evaluation (TaigResult::trace), to tune lr and iterations.
  bool record_trace = false;
};

struct TaigResult {
  Tensor baseline;      // (N,C,H,W) the best base-point found for each point
  Tensor attributions;  // (N,C,H,W) IG(x; baseline) with final_n_steps path points
  // Per point (N):
  std::vector<double> mu;                // mu_x of `attributions` (final_n_steps)
  std::vector<double> initial_mu;        // mu_x at the start base-point, with the ascent's n_steps
  std::vector<double> ascent_mu;         // the best mu_x during the ascent, with n_steps
  std::vector<double> distance;          // ||x - baseline||_2
  std::vector<double> output_gap;        // F(x) - F(baseline)
  std::vector<double> completeness_gap;  // sum(attributions) - (F(x) - F(baseline))
  std::vector<int> iterations;           // ascent steps taken
  std::vector<int> fallbacks;            // step-size reductions used
  std::vector<int> reached_target;       // 1 where the best mu reached target_mu
  // With record_trace: per point, mu (n_steps rule) at the start and after every step, in order.
  std::vector<std::vector<double>> trace;
};

// Called after each point finishes: (points finished, N).
using TaigProgress = std::function<void(int64_t done, int64_t total)>;

// input x (N,C,H,W) or (N,D); basis U (N,D,k') orthonormal (zero columns allowed), D = C*H*W; target: empty for
// the predicted class at x, which every base-point then explains; start alpha_0 (N,...) or one example's shape
// ((C,H,W) or (1,C,H,W)), or undefined for the zero base-point. The start is clipped into the box. Deterministic:
// no randomness, and each point's trajectory does not depend on the others.
TaigResult optimal_baseline(const Model& model, const Tensor& input, const Tensor& basis, const Targets& target = {},
                            const Tensor& start = Tensor(), const TaigOptions& options = {},
                            const TaigProgress& progress = nullptr);

// x (D), alpha (D) -> alpha clipped into [lo, hi]^D and then pushed to ||x - alpha|| >= min_distance (when > 0),
// the constraint set of the ascent. In place. If alpha = x there is no direction to push along: `fallback`
// (D, or null) gives one (alpha := fallback's direction from x), else the direction to the farthest box corner.
void project_taig_constraints(const real* x, real* alpha, int64_t d, double lo, double hi, double min_distance,
                              const real* fallback = nullptr);

}  // namespace mxai::explain
