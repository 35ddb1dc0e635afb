// The explained scalar: the logit of the target class of each example, and its gradient with respect to the input.
#pragma once

#include "explain/attribution.h"

namespace mxai::explain {

// The class each example is explained for: `target` checked against logits (N,K) (one entry per example, or one
// entry for all), or the argmax of each row when `target` is empty. Throws mxai::Error on a bad count or class.
Targets resolve_targets(const Tensor& logits, const Targets& target);

// The predicted class when `target` is empty (one forward pass without a graph); otherwise `target` expanded to
// one entry per example, its classes checked later against the logits. input (N,...) -> N classes.
Targets resolve_targets(const Model& model, const Tensor& input, const Targets& target);

// logits (N,K), targets (N entries, already resolved) -> (N), differentiable. Throws on a class outside [0,K).
Tensor select_target_logits(const Tensor& logits, const Targets& targets);

// d logit_{target_i}(input_i) / d input_i for every example: input (N,C,H,W) or (N,D) -> same shape, no graph.
// Records a graph even inside a NoGradGuard. Relies on the examples not interacting inside the model.
Tensor target_gradient(const Model& model, const Tensor& input, const Targets& targets);

// Repeats every entry of resolved targets `times` times in the block order of a batch built by stacking `times`
// copies of the input: the result has times * N entries, entry s*N + i = targets[i].
Targets tile_targets(const Targets& targets, int64_t times);

// F = the target logit at each row of `points` (rows, ...), evaluated without a graph in chunks of `chunk` rows:
// rows double values. What completeness checks compare the attributions' sums with.
std::vector<double> target_logit_values(const Model& model, const Tensor& points, const Targets& targets,
                                        int64_t chunk);

// The completeness gap of path attributions: sums (R), one per attribution, and endpoint_logits (2R), F at each
// path's end followed by F at each path's start -> (R) sums[r] - (F(end_r) - F(start_r)).
Tensor completeness_delta(const std::vector<double>& sums, const std::vector<double>& endpoint_logits);

}  // namespace mxai::explain
