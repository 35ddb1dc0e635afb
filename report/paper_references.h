// The papers' own numbers, shown beside ours in index.html and results.json: the report's knowledge, not the
// pipeline's (experiments/ measures; it does not know what the papers reported).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/report.h"

namespace mxai::report {

// A number from the papers.
struct Reference {
  std::string what;    // "mean gradient fraction, standard LeNet (test error 1.0%)"
  double value = 0;
  std::string source;  // "Bordt et al., public code, mnist-32-figures notebook, 10,000 points"
  // Which of our numbers this one corresponds to, so the report can put them side by side: the mean fraction of
  // model `model_key`, method `method_key`; method_key "random" means the exact random expectation. Left empty,
  // the reference is shown without a counterpart.
  std::string model_key;
  std::string method_key;
};

// The papers' numbers for the data set with results.json key `dataset_key` ("mnist32"); empty for a data set
// the papers give no number for.
const std::vector<Reference>& paper_references(const std::string& dataset_key);

// Our number beside a paper's: empty when the reference names no counterpart or names one this run did not
// produce.
std::optional<double> counterpart(const DatasetResults& dataset, const Reference& reference);

}  // namespace mxai::report
