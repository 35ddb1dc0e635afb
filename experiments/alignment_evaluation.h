// Scoring explanations against the tangent space of the data manifold: the measurement at the centre of
// `mxai reproduce` and `mxai explain`, and the example figures that go with it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "experiments/attribution_methods.h"
#include "datasets/image_write.h"
#include "experiments/results.h"
#include "explain/attribution.h"

namespace mxai::experiments {

struct ExplainedPoints {
  explain::Targets targets;              // the class explained at each point (the prediction)
  std::map<std::string, Tensor> attributions;  // key -> (N,C,H,W)
  std::map<std::string, std::vector<double>> fractions;  // key -> N tangent fractions (when a basis is given)
};

// model: eval-mode logits; images (N,C,H,W); basis (N,D,k') or undefined (no fractions) -> attributions of every
// key for the predicted class, and their tangent fractions. Progress over methods unless quiet. context: what
// gradcam, guided_gradcam and latent_ig need (attribute_methods).
ExplainedPoints explain_points(const explain::Model& model, const Tensor& images, const Tensor& basis,
                               const std::vector<std::string>& keys, const MethodSettings& settings, bool quiet,
                               const MethodContext& context = {});
// The same for given targets (one class per point) instead of the predicted ones.
ExplainedPoints explain_points(const explain::Model& model, const Tensor& images, const Tensor& basis,
                               const explain::Targets& targets, const std::vector<std::string>& keys,
                               const MethodSettings& settings, bool quiet, const MethodContext& context = {});

// The first n points of `points` (all when n >= N): targets, attributions and fractions.
ExplainedPoints first_points(const ExplainedPoints& points, int64_t n);

// The scores of `keys` (in that order) as a report section.
std::vector<MethodScores> method_scores(const ExplainedPoints& points, const std::vector<std::string>& keys);

// A PNG of `rows` example points: per row the image, then each method's attribution as a signed heat map (each
// map on its own symmetric range), then -- when basis is given -- the first method's tangent projection and
// orthogonal part on that method's range. images (N,C,H,W) with C = 1 or 3; basis (N,D,k') or undefined.
// Returns the PNG's size (0 x 0 when there are no rows and nothing is written).
ImageSize write_example_figure(const std::string& path, const Tensor& images, const ExplainedPoints& points,
                          const std::vector<std::string>& keys, const Tensor& basis,
                          const std::vector<int64_t>& rows);

}  // namespace mxai::experiments
