#include "experiments/taig_comparison.h"

#include "experiments/progress.h"
#include "explain/target.h"

namespace mxai::experiments {

TaigComparison compare_taig(const explain::Model& model, const Tensor& images, const Tensor& basis,
                            const ExplainedPoints* known, const MethodSettings& settings,
                            const explain::TaigOptions& options, const std::string& what, bool quiet) {
  const explain::Targets targets = known ? known->targets : explain::resolve_targets(model, images, {});
  std::vector<std::string> missing;
  for (const auto* keys : {&taig_baseline_keys(), &taig_reference_keys()})
    for (const auto& key : *keys)
      if (!known || !known->attributions.count(key)) missing.push_back(key);

  TaigComparison out;
  out.points = explain_points(model, images, basis, targets, missing, settings, quiet);
  if (known)
    for (const auto* keys : {&taig_baseline_keys(), &taig_reference_keys()})
      for (const auto& key : *keys)
        if (known->attributions.count(key)) {
          out.points.attributions[key] = known->attributions.at(key);
          out.points.fractions[key] = known->fractions.at(key);
        }

  Progress progress("optimising base-points" + (what.empty() ? "" : " on " + what), images.shape()[0], quiet);
  out.optimised = explain::optimal_baseline(model, images, basis, targets, Tensor(), options,
                                            [&](int64_t done, int64_t) { progress.update(done); });
  progress.finish();
  out.points.attributions["ig_optimal"] = out.optimised.attributions;
  out.points.fractions["ig_optimal"] = out.optimised.mu;
  return out;
}

}  // namespace mxai::experiments
