// Faithfulness metrics of every method's attributions: the numbers `mxai explain` writes beside the attributions
// and `mxai reproduce` puts in a table per data set.
#pragma once

#include <string>
#include <vector>

#include "experiments/alignment_evaluation.h"
#include "experiments/attribution_methods.h"
#include "experiments/results.h"

namespace mxai::experiments {

struct FaithfulnessSettings {
  int infidelity_samples = 10;        // Captum's default
  double infidelity_stdev = 0.003;    // Gaussian perturbations, Captum's infidelity example
  int sensitivity_samples = 10;       // Captum's default
  double sensitivity_radius = 0.02;   // Captum's default
  int curve_steps = 10;               // deletion / insertion fractions 0, 0.1, ..., 1
  // Max sensitivity re-explains sensitivity_samples perturbed copies of each point, so for the costly methods it
  // costs more than the attributions themselves: it is scored on the first sensitivity_points points only
  // (negative: all), the cheap metrics on all.
  int64_t sensitivity_points = -1;
};

// model: eval-mode logits; images (N,C,H,W) and points (targets and attributions of `keys` at the same N images,
// explained with settings and context) -> one score set per key, in the order of keys: N values of each metric but
// max sensitivity, which has min(N, sensitivity_points) and re-explains each perturbed input with the same method,
// settings and targets. Deterministic given settings.seed. Progress over methods unless quiet.
std::vector<FaithfulnessScores> faithfulness_scores(const explain::Model& model, const Tensor& images,
                                                    const ExplainedPoints& points,
                                                    const std::vector<std::string>& keys,
                                                    const MethodSettings& settings, const MethodContext& context,
                                                    const FaithfulnessSettings& faithfulness, bool quiet);

}  // namespace mxai::experiments
