// GradientSHAP (Lundberg & Lee; Captum's GradientShap): expected gradients with noise. For each of n_samples
// draws per example: a baseline b picked uniformly from a distribution of baselines, the input with Gaussian noise
// x~ = x + N(0, stdev^2 I), and a point alpha ~ U(0,1) on the segment from b to x~; the attribution is the mean of
// dF/dx(b + alpha (x~ - b)) ⊙ (x~ - b) over the draws, an estimate of IG averaged over the baselines.
#pragma once

#include <cstdint>

#include "autodiff/random.h"
#include "explain/attribution.h"

namespace mxai::explain {

struct GradientShapSettings {
  int n_samples = 5;  // Captum's default
  real stdev = 0;     // Captum's default; absolute, in input units
  // Rows per forward/backward pass (0: all n_samples * N at once); does not change the result.
  int64_t internal_batch_size = 0;
};

struct GradientShapResult {
  Tensor attributions;  // (N,...) the input's shape
  // (n_samples * N), row s*N + i for sample s of example i (Captum's order): sum of that draw's attribution
  // minus (F(x~) - F(b)), how far the one-point estimate is from completeness along its own segment.
  Tensor delta;
};

// input (N,C,H,W) or (N,D); baselines (B,...) with one example's shape per row, the distribution the baselines
// are drawn from (the manifold paper: B = 20 draws of N(0, I), `randn({20, C, H, W}, gen)`). All draws come from
// `gen` in a fixed order (for each sample, for each example: baseline index, alpha, then the noise), so the
// batching does not change the result.
GradientShapResult gradient_shap(const Model& model, const Tensor& input, const Tensor& baselines, Generator& gen,
                                 const Targets& target = {}, const GradientShapSettings& settings = {});

}  // namespace mxai::explain
