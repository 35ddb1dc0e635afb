#include "report/paper_references.h"

#include "explain/summary_statistics.h"

namespace mxai::report {

const std::vector<Reference>& paper_references(const std::string& dataset_key) {
  static const std::vector<Reference> mnist32 = {
      {"mean gradient fraction, standard LeNet (test error 1.0%)", 0.3118,
       "Bordt et al., public code, mnist-32-figures notebook, 10,000 points", "standard", "gradient"},
      {"mean gradient fraction, l2-robust LeNet (test error 2.2%)", 0.6754, "same notebook (eps in {1,4,8})",
       "adversarial", "gradient"},
      {"mean fraction of random Gaussian vectors", 0.0962, "same notebook", "", "random"},
  };
  static const std::vector<Reference> none;
  return dataset_key == "mnist32" ? mnist32 : none;
}

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
