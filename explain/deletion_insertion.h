// Deletion and insertion curves (Petsiuk et al., RISE 2018): rank the input's entries by attribution, most
// positive first; deletion sets the top fraction of them to the baseline and watches the target's score fall,
// insertion starts from the baseline and restores the top fraction from the input and watches it rise. A faithful
// attribution gives a low deletion AUC and a high insertion AUC.
#pragma once

#include <vector>

#include "explain/attribution.h"

namespace mxai::explain {

enum class CurveScore {
  Probability,  // softmax probability of the target class (RISE), bounded, so AUCs compare across images
  Logit,        // the target logit, what the attribution methods explain
};

struct DeletionInsertionSettings {
  int steps = 10;     // fractions 0, 1/steps, ..., 1
  real baseline = 0;  // the value of a removed entry
  CurveScore score = CurveScore::Probability;
};

struct DeletionInsertionCurves {
  std::vector<double> fractions;               // steps + 1 values from 0 to 1
  std::vector<std::vector<double>> deletion;   // [example][fraction index], the score after removing that fraction
  std::vector<std::vector<double>> insertion;  // [example][fraction index], after inserting that fraction
  std::vector<double> deletion_auc, insertion_auc;  // per example, trapezoid rule over the fractions in [0, 1]
};

// input (N,...), attributions (N,...) of the same shape -> the curves. The top fraction f is the first
// round(f * D) entries of the ranking (ties broken by index); target: empty for the class predicted at the input.
DeletionInsertionCurves deletion_insertion(const Model& model, const Tensor& input, const Tensor& attributions,
                                           const Targets& target = {}, const DeletionInsertionSettings& settings = {});

}  // namespace mxai::explain
