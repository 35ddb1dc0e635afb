#include "explain/target.h"

#include <memory>
#include <string>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

namespace mxai::explain {

namespace {

// One entry per example: `target` as given, or its single entry repeated. Classes are checked against the logits
// where they are used (select_target_logits).
Targets expand_targets(const Targets& target, int64_t n) {
  if (static_cast<int64_t>(target.size()) != n && target.size() != 1)
    throw Error(std::to_string(target.size()) + " targets for a batch of " + std::to_string(n) +
                " examples (give one per example, one for all, or none for the predicted class)");
  return target.size() == 1 ? Targets(static_cast<size_t>(n), target[0]) : target;
}

void check_classes(const Targets& targets, int64_t classes) {
  for (int64_t c : targets)
    if (c < 0 || c >= classes)
      throw Error("target class " + std::to_string(c) + " out of range for " + std::to_string(classes) + " logits");
}

}  // namespace

Targets resolve_targets(const Tensor& logits, const Targets& target) {
  if (logits.dim() != 2) throw Error("the model must return logits (N,K), got " + shape_str(logits.shape()));
  if (target.empty()) return argmax(logits, 1);
  Targets resolved = expand_targets(target, logits.size(0));
  check_classes(resolved, logits.size(1));
  return resolved;
}

Targets resolve_targets(const Model& model, const Tensor& input, const Targets& target) {
  if (!target.empty()) return expand_targets(target, input.size(0));  // no forward pass needed
  NoGradGuard no_grad;
  return resolve_targets(model(input.detach()), target);
}

Tensor select_target_logits(const Tensor& logits, const Targets& targets) {
  if (logits.dim() != 2) throw Error("the model must return logits (N,K), got " + shape_str(logits.shape()));
  const int64_t n = logits.size(0), classes = logits.size(1);
  if (static_cast<int64_t>(targets.size()) != n)
    throw Error(std::to_string(targets.size()) + " targets for logits " + shape_str(logits.shape()));
  check_classes(targets, classes);
  auto index = std::make_shared<std::vector<int64_t>>(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) (*index)[static_cast<size_t>(i)] = i * classes + targets[static_cast<size_t>(i)];
  return gather_flat(logits, index, {n});
}

Tensor target_gradient(const Model& model, const Tensor& input, const Targets& targets) {
  GradModeGuard recording(true);
  Tensor x = input.detach().requires_grad_();  // a new handle: the caller's tensor is untouched
  const Tensor logits = model(x);
  if (logits.dim() != 2 || logits.size(0) != input.size(0))
    throw Error("the model maps input " + shape_str(input.shape()) + " to " + shape_str(logits.shape()) +
                ", expected logits (" + std::to_string(input.size(0)) + ",K)");
  const Tensor selected = select_target_logits(logits, resolve_targets(logits, targets));
  if (!selected.requires_grad()) return Tensor::zeros(input.shape());  // the model ignores its input
  return grad({sum(selected)}, {x})[0];
}

Targets tile_targets(const Targets& targets, int64_t times) {
  Targets tiled;
  tiled.reserve(targets.size() * static_cast<size_t>(times));
  for (int64_t s = 0; s < times; ++s) tiled.insert(tiled.end(), targets.begin(), targets.end());
  return tiled;
}

std::vector<double> target_logit_values(const Model& model, const Tensor& points, const Targets& targets,
                                        int64_t chunk) {
  NoGradGuard no_grad;
  const int64_t rows = points.size(0);
  std::vector<double> values(static_cast<size_t>(rows));
  for (int64_t start = 0; start < rows; start += chunk) {
    const int64_t count = std::min(chunk, rows - start);
    const Targets part(targets.begin() + start, targets.begin() + start + count);
    const Tensor selected = select_target_logits(model(narrow(points, 0, start, count)), part);
    for (int64_t j = 0; j < count; ++j) values[static_cast<size_t>(start + j)] = selected.data()[j];
  }
  return values;
}

Tensor completeness_delta(const std::vector<double>& sums, const std::vector<double>& endpoint_logits) {
  const size_t rows = sums.size();
  if (endpoint_logits.size() != 2 * rows)
    throw Error("completeness delta: " + std::to_string(endpoint_logits.size()) + " endpoint values for " +
                std::to_string(rows) + " attributions");
  Tensor delta = Tensor::empty({static_cast<int64_t>(rows)});
  for (size_t r = 0; r < rows; ++r)
    delta.data()[r] = static_cast<real>(sums[r] - (endpoint_logits[r] - endpoint_logits[rows + r]));
  return delta;
}

}  // namespace mxai::explain
