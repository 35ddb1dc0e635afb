#include "explain/integrated_gradients.h"

#include <algorithm>
#include <string>
#include <vector>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/target.h"

namespace mxai::explain {

namespace {

// The baseline as a contiguous (N,...) buffer of the input's shape.
std::vector<real> expand_baseline(const Tensor& input, const Tensor& baseline) {
  const int64_t n = input.size(0), features = input.numel() / std::max<int64_t>(n, 1);
  std::vector<real> expanded(static_cast<size_t>(input.numel()), real(0));
  if (!baseline.defined()) return expanded;
  const Shape example_shape(input.shape().begin() + 1, input.shape().end());
  Shape single = example_shape;
  single.insert(single.begin(), 1);
  const real* src = baseline.data();
  if (baseline.shape() == input.shape()) {
    std::copy(src, src + input.numel(), expanded.begin());
  } else if (baseline.shape() == example_shape || baseline.shape() == single) {
    for (int64_t i = 0; i < n; ++i) std::copy(src, src + features, expanded.begin() + i * features);
  } else {
    throw Error("integrated gradients: baseline of shape " + shape_str(baseline.shape()) + " for input " +
                shape_str(input.shape()) + " (give the input's shape or one example's shape)");
  }
  return expanded;
}


}  // namespace

IntegratedGradientsResult IntegratedGradients::attribute(const Tensor& input, const Tensor& baseline,
                                                         const Targets& target, int n_steps, Quadrature method,
                                                         int64_t internal_batch_size,
                                                         bool multiply_by_inputs) const {
  if (input.dim() < 2) throw Error("integrated gradients: expected a batch (N,...), got " + shape_str(input.shape()));
  if (internal_batch_size < 0)
    throw Error("integrated gradients: internal_batch_size must be >= 0, got " + std::to_string(internal_batch_size));
  const QuadratureRule rule = quadrature_rule(method, n_steps);
  const int64_t n = input.size(0), features = input.numel() / std::max<int64_t>(n, 1);
  const Targets targets = resolve_targets(model_, input, target);
  const std::vector<real> base = expand_baseline(input, baseline);
  const real* x = input.data();

  // Row r of the virtual (n_steps * N, ...) batch of path points is example r % N at step r / N (Captum's order).
  const int64_t total_rows = static_cast<int64_t>(n_steps) * n;
  const int64_t chunk = internal_batch_size > 0 ? internal_batch_size : std::max<int64_t>(total_rows, 1);
  std::vector<double> path_gradient(static_cast<size_t>(n * features), 0.0);  // gbar, accumulated in double
  Shape chunk_shape = input.shape();
  for (int64_t start = 0; start < total_rows; start += chunk) {
    const int64_t rows = std::min(chunk, total_rows - start);
    chunk_shape[0] = rows;
    Tensor points = Tensor::empty(chunk_shape);
    Targets row_targets(static_cast<size_t>(rows));
    for (int64_t j = 0; j < rows; ++j) {
      const int64_t r = start + j, step = r / n, example = r % n;
      const real alpha = static_cast<real>(rule.alphas[static_cast<size_t>(step)]);
      const real* xi = x + example * features;
      const real* bi = base.data() + example * features;
      real* dst = points.data() + j * features;
      for (int64_t f = 0; f < features; ++f) dst[f] = bi[f] + alpha * (xi[f] - bi[f]);
      row_targets[static_cast<size_t>(j)] = targets[static_cast<size_t>(example)];
    }
    const Tensor gradient = target_gradient(model_, points, row_targets);
    const real* g = gradient.data();
    for (int64_t j = 0; j < rows; ++j) {
      const int64_t r = start + j, step = r / n, example = r % n;
      const double weight = rule.weights[static_cast<size_t>(step)];
      double* acc = path_gradient.data() + example * features;
      const real* gj = g + j * features;
      for (int64_t f = 0; f < features; ++f) acc[f] += weight * gj[f];
    }
  }

  IntegratedGradientsResult result;
  result.attributions = Tensor::empty(input.shape());
  real* out = result.attributions.data();
  std::vector<double> attribution_sum(static_cast<size_t>(n), 0.0);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t f = 0; f < features; ++f) {
      const int64_t idx = i * features + f;
      const double multiplied = (static_cast<double>(x[idx]) - base[static_cast<size_t>(idx)]) *
                                path_gradient[static_cast<size_t>(idx)];
      attribution_sum[static_cast<size_t>(i)] += multiplied;
      out[idx] = static_cast<real>(multiply_by_inputs ? multiplied : path_gradient[static_cast<size_t>(idx)]);
    }
  }

  // Completeness: F(x) and F(b), evaluated as one (2N,...) batch, chunked like the path.
  Tensor endpoints = concat({input.detach(), Tensor::from(input.shape(), base)}, 0);
  const std::vector<double> logits = target_logit_values(model_, endpoints, tile_targets(targets, 2), chunk);
  result.delta = completeness_delta(attribution_sum, logits);
  return result;
}

Tensor IntegratedGradients::attribute(const Tensor& input, const Targets& target) const {
  return attribute(input, Tensor(), target).attributions;
}

}  // namespace mxai::explain
