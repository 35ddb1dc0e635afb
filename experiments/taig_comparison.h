// TAIG beside the standard methods on the same points: IG with the optimised (tangentially aligned) base-point,
// IG with each standard base-point, and the gradient methods. The one computation behind `mxai taig` and the TAIG
// section of `mxai reproduce`.
#pragma once

#include <string>

#include "experiments/alignment_evaluation.h"
#include "explain/taig.h"

namespace mxai::experiments {

struct TaigComparison {
  // taig_baseline_keys(), taig_reference_keys() and "ig_optimal": attributions (N,C,H,W), tangent fractions (N).
  ExplainedPoints points;
  explain::TaigResult optimised;  // the optimised base-points (N,C,H,W) and their per-point diagnostics
};

// model: eval-mode logits; images (N,C,H,W) in [0,1]; basis (N,D,k). known: the same N points already explained
// (explain_points): its targets are explained and the methods it holds are taken from it, not recomputed; null to
// explain the predicted classes from scratch. Progress (under `what`) unless quiet.
TaigComparison compare_taig(const explain::Model& model, const Tensor& images, const Tensor& basis,
                            const ExplainedPoints* known, const MethodSettings& settings,
                            const explain::TaigOptions& options, const std::string& what, bool quiet);

}  // namespace mxai::experiments
