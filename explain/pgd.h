// l2 projected gradient ascent on the cross-entropy (Madry et al.): adversarial examples within an l2 ball of
// radius eps around each input, for the l2-robust training of spec section 2.5 and for robustness checks.
#pragma once

#include <cstdint>
#include <vector>

#include "autodiff/random.h"
#include "explain/attribution.h"

namespace mxai::explain {

enum class PgdNorms {
  // Every norm per example: each example gets its own normalised step and its own eps ball. Random start: uniform
  // in the ball (Gaussian direction, radius eps * U^(1/D)).
  PerExample,
  // The reference notebook's quirk (mnist-32-adv-robuts.ipynb): the gradient normalisation and the projection use
  // the norm of the WHOLE batch tensor, so the batch as a whole lies in one eps ball (per-example perturbations are
  // about eps / sqrt(N)). Random start: all-positive U[0,1) noise rescaled to whole-batch norm eps/2.
  WholeBatchReference,
};

// x (N,C,H,W) or (N,D) in [clamp_lo, clamp_hi], labels (N entries) -> adversarial x' of x's shape with
// ||x'_i - x_i|| <= eps (per example, or for the whole batch in the reference mode) and x' in [clamp_lo, clamp_hi].
// Each of `steps` iterations: g = d CE(model(x + delta), labels) / d delta, delta += step_size * g / ||g||,
// project delta onto the ball, then clamp x + delta into the box (which cannot leave the ball: clamping moves every
// coordinate toward x). A zero gradient gives no step. The model is evaluated as given (the reference attacks a
// model in train mode, dropout active; choosing is the caller's job). gen is used only for the random start.
// Pass -inf/inf as the clamp bounds for no box (the reference does not clamp).
Tensor pgd_l2(const Model& model, const Tensor& x, const std::vector<int64_t>& labels, real eps, real step_size,
              int steps, bool random_start, Generator& gen, real clamp_lo = 0, real clamp_hi = 1,
              PgdNorms norms = PgdNorms::PerExample);

// logits (N,K), labels (N entries) -> scalar -mean_i log_softmax(logits)_{i, label_i}, differentiable. The same
// loss as nn's cross-entropy, kept here so explain does not depend on nn.
Tensor cross_entropy_from_logits(const Tensor& logits, const std::vector<int64_t>& labels);

}  // namespace mxai::explain
