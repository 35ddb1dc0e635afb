#include "report/reference_counterpart.h"

#include "explain/summary_statistics.h"

namespace mxai::report {

std::optional<double> counterpart(const DatasetResults& dataset, const Reference& reference) {
  if (reference.method_key == "random") return dataset.random_exact;
  if (reference.method_key.empty()) return std::nullopt;
  for (const ModelResults& model : dataset.models) {
    if (model.key != reference.model_key) continue;
    for (const MethodScores& method : model.methods)
      if (method.key == reference.method_key) return explain::summarize(method.fractions).mean;
  }
  return std::nullopt;
}

}  // namespace mxai::report
