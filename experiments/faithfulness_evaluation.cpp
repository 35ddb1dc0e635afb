#include "experiments/faithfulness_evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "autodiff/ops.h"
#include "experiments/progress.h"
#include "explain/deletion_insertion.h"
#include "explain/faithfulness.h"

namespace mxai::experiments {

namespace {

// A stream per method that does not depend on which other methods are scored: FNV-1a of the key, mixed with the seed.
uint64_t method_seed(uint64_t seed, const std::string& key) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ull;
  return h ^ (seed * 0x9E3779B97F4A7C15ull);
}

}  // namespace

std::vector<FaithfulnessScores> faithfulness_scores(const explain::Model& model, const Tensor& images,
                                                    const ExplainedPoints& points,
                                                    const std::vector<std::string>& keys,
                                                    const MethodSettings& settings, const MethodContext& context,
                                                    const FaithfulnessSettings& faithfulness, bool quiet) {
  const int64_t n = images.shape()[0];
  if (static_cast<int64_t>(points.targets.size()) != n)
    throw Error("faithfulness_scores: " + std::to_string(points.targets.size()) + " targets for " +
                std::to_string(n) + " images");
  std::vector<FaithfulnessScores> out;
  Progress progress("faithfulness of " + std::to_string(keys.size()) + " methods on " + std::to_string(n) + " points",
                    static_cast<int64_t>(keys.size()), quiet);
  for (const auto& key : keys) {
    auto found = points.attributions.find(key);
    if (found == points.attributions.end()) throw Error("faithfulness_scores: no attributions of '" + key + "'");
    const Tensor& a = found->second;
    if (a.shape() != images.shape())
      throw Error("faithfulness_scores: attributions of '" + key + "' have " + std::to_string(a.shape()[0]) +
                  " rows for " + std::to_string(n) + " images");
    FaithfulnessScores scores;
    scores.key = key;
    scores.label = attribution_method_label(key);
    Generator gen(method_seed(settings.seed, key));

    explain::InfidelitySettings infidelity;
    infidelity.n_perturb_samples = faithfulness.infidelity_samples;
    scores.infidelity = explain::infidelity(model, explain::gaussian_perturbation(static_cast<real>(faithfulness.infidelity_stdev)),
                                            images, a, gen, points.targets, infidelity);

    const int64_t m = faithfulness.sensitivity_points < 0 ? n : std::min(n, faithfulness.sensitivity_points);
    if (key == "latent_ig") {
      // Its attributions are a function of the code, which a pixel perturbation does not move.
      scores.sensitivity_max.assign(static_cast<size_t>(m), std::numeric_limits<double>::quiet_NaN());
    } else if (m > 0) {
      const explain::Targets first_targets(points.targets.begin(), points.targets.begin() + m);
      MethodContext first_context = context;  // the codes of the points scored
      if (first_context.latents.defined()) first_context.latents = narrow(first_context.latents, 0, 0, m);
      explain::SensitivitySettings sensitivity;
      sensitivity.n_perturb_samples = faithfulness.sensitivity_samples;
      sensitivity.perturb_radius = static_cast<real>(faithfulness.sensitivity_radius);
      const explain::AttributionFn explain_fn = [&](const Tensor& input, const explain::Targets& target) {
        return attribute_methods({key}, model, input, target, settings, first_context).at(key);
      };
      scores.sensitivity_max =
          explain::sensitivity_max(explain_fn, narrow(images, 0, 0, m), gen, first_targets, sensitivity);
    }

    explain::DeletionInsertionSettings curves;
    curves.steps = faithfulness.curve_steps;
    const explain::DeletionInsertionCurves c = explain::deletion_insertion(model, images, a, points.targets, curves);
    scores.deletion_auc = c.deletion_auc;
    scores.insertion_auc = c.insertion_auc;
    out.push_back(std::move(scores));
    progress.update(static_cast<int64_t>(out.size()), key);
  }
  progress.finish();
  return out;
}

}  // namespace mxai::experiments
