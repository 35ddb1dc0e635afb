#include "apps/report/reference_counterpart.h"

#include "explain/summary_statistics.h"

namespace mxai::apps::report {

std::optional<double> counterpart(const Dataset& dataset, const Reference& reference) {
  if (reference.method_key == "random") return dataset.random_exact;
  if (reference.method_key.empty()) return std::nullopt;
  for (const Model& model : dataset.models) {
    if (model.key != reference.model_key) continue;
    for (const MethodScores& method : model.methods)
      if (method.key == reference.method_key) return explain::summarize(method.fractions).mean;
  }
  return std::nullopt;
}

}  // namespace mxai::apps::report
