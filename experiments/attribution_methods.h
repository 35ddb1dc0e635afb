// The attribution methods of the two papers by name, with their settings in one place, so `mxai explain`,
// `mxai taig` and `mxai reproduce` compute exactly the same thing for the same key.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "autodiff/tensor.h"
#include "explain/attribution.h"
#include "explain/quadrature.h"

namespace mxai::experiments {

struct MethodSettings {
  int ig_steps = 50;                                                // Captum's default
  explain::Quadrature ig_rule = explain::Quadrature::GaussLegendre;  // Captum's default
  int smoothgrad_samples = 25;     // Bordt et al. (MNIST) and TAIG
  double smoothgrad_stdev = 0.02;  // absolute, on [0,1] pixels
  double gaussian_sigma = 0.1;     // the Gaussian base-point clip(x + sigma N(0,1), 0, 1)
  int64_t rows_per_batch = 512;    // path points / noisy copies evaluated per forward-backward
  uint64_t seed = 0;               // noise of SmoothGrad and of the uniform / Gaussian base-points
  // x's row 0 is this point of the whole job's points: an MPI rank explaining its share (a multiple of
  // kPointsPerStream) draws the same noise as one process explaining all of them.
  int64_t first_point = 0;
};

// Points share one random stream per block of this many, keyed by the seed and the block's first point.
constexpr int64_t kPointsPerStream = 64;

// Keys, as in results.json:
//   gradient                   d logit / dx (signed)
//   input_x_gradient           x ⊙ gradient
//   integrated_gradients       IG with the zero base-point (the standard, multiplied definition)
//   integrated_gradients_path  the path-averaged gradient without the (x - 0) factor (Bordt et al.'s MNIST code)
//   smoothgrad                 mean gradient over noisy copies
//   ig_zero, ig_uniform, ig_max_distance, ig_gaussian   IG with TAIG's standard base-points
const std::vector<std::string>& attribution_method_keys();
// The methods Bordt et al. score on both data sets, in report order: gradient, input_x_gradient,
// integrated_gradients, integrated_gradients_path, smoothgrad.
const std::vector<std::string>& manifold_method_keys();
// IG with TAIG's standard base-points, in report order: ig_zero, ig_uniform, ig_max_distance, ig_gaussian.
const std::vector<std::string>& taig_baseline_keys();
// The gradient methods TAIG is compared with: gradient, smoothgrad, input_x_gradient.
const std::vector<std::string>& taig_reference_keys();
// True for the keys computed from the one IG path integral from the zero base-point (its average gradient gbar
// and (x - 0) ⊙ gbar): integrated_gradients, integrated_gradients_path, ig_zero.
bool uses_zero_base_point_path(const std::string& key);
// A readable name for a key ("Integrated Gradients (zero base-point)").
std::string attribution_method_label(const std::string& key);
// Throws Error naming the known keys.
void check_attribution_method(const std::string& key);

// model: eval-mode logits; x (N,C,H,W) in [0,1]; targets: one class per example (resolved) -> for each requested
// key, attributions (N,C,H,W). Methods that share work share it (IG and its path variant use one path integral;
// ig_zero is integrated_gradients).
std::map<std::string, Tensor> attribute_methods(const std::vector<std::string>& keys, const explain::Model& model,
                                                const Tensor& x, const explain::Targets& targets,
                                                const MethodSettings& settings);

}  // namespace mxai::experiments
