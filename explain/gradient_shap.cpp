#include "explain/gradient_shap.h"

#include <algorithm>
#include <string>
#include <vector>

#include "autodiff/ops.h"
#include "explain/target.h"

namespace mxai::explain {

namespace {

Shape with_rows(Shape shape, int64_t rows) {
  shape[0] = rows;
  return shape;
}

}  // namespace

GradientShapResult gradient_shap(const Model& model, const Tensor& input, const Tensor& baselines, Generator& gen,
                                 const Targets& target, const GradientShapSettings& settings) {
  if (input.dim() < 2) throw Error("gradient shap: expected a batch (N,...), got " + shape_str(input.shape()));
  const Shape example_shape(input.shape().begin() + 1, input.shape().end());
  if (!baselines.defined() || baselines.dim() != input.dim() ||
      !std::equal(example_shape.begin(), example_shape.end(), baselines.shape().begin() + 1) || baselines.size(0) < 1)
    throw Error("gradient shap: baselines must be (B," + shape_str(example_shape).substr(1) + " for input " +
                shape_str(input.shape()) + ", got " + (baselines.defined() ? shape_str(baselines.shape()) : "none"));
  if (settings.n_samples < 1 || settings.stdev < 0 || settings.internal_batch_size < 0)
    throw Error("gradient shap: need n_samples >= 1, stdev >= 0 and internal_batch_size >= 0");

  const int64_t n = input.size(0), features = input.numel() / n, rows = settings.n_samples * n;
  const Targets targets = resolve_targets(model, input, target);
  // The draws, row s*N + i: the noisy input x~, its baseline b and the point between them.
  Tensor noisy = Tensor::empty(with_rows(input.shape(), rows)), base = Tensor::empty(noisy.shape()),
         point = Tensor::empty(noisy.shape());
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t example = r % n;
    const real* b = baselines.data() + static_cast<int64_t>(gen.below(static_cast<uint64_t>(baselines.size(0)))) * features;
    const real alpha = static_cast<real>(gen.uniform());
    const real* x = input.data() + example * features;
    real* xr = noisy.data() + r * features;
    real* br = base.data() + r * features;
    real* pr = point.data() + r * features;
    for (int64_t f = 0; f < features; ++f) {
      xr[f] = settings.stdev > 0 ? x[f] + settings.stdev * static_cast<real>(gen.normal()) : x[f];
      br[f] = b[f];
      pr[f] = b[f] + alpha * (xr[f] - b[f]);
    }
  }

  const Targets row_targets = tile_targets(targets, settings.n_samples);
  const int64_t chunk = settings.internal_batch_size > 0 ? settings.internal_batch_size : rows;
  std::vector<double> mean_attribution(static_cast<size_t>(n * features), 0.0), draw_sum(static_cast<size_t>(rows), 0.0);
  for (int64_t start = 0; start < rows; start += chunk) {
    const int64_t count = std::min(chunk, rows - start);
    const Targets part(row_targets.begin() + start, row_targets.begin() + start + count);
    const Tensor gradient = target_gradient(model, narrow(point, 0, start, count), part);
    for (int64_t j = 0; j < count; ++j) {
      const int64_t r = start + j, example = r % n;
      const real* g = gradient.data() + j * features;
      const real* xr = noisy.data() + r * features;
      const real* br = base.data() + r * features;
      double* acc = mean_attribution.data() + example * features;
      for (int64_t f = 0; f < features; ++f) {
        const double a = static_cast<double>(g[f]) * (static_cast<double>(xr[f]) - br[f]);
        acc[f] += a / settings.n_samples;
        draw_sum[static_cast<size_t>(r)] += a;
      }
    }
  }

  GradientShapResult result;
  result.attributions = Tensor::empty(input.shape());
  for (int64_t idx = 0; idx < n * features; ++idx)
    result.attributions.data()[idx] = static_cast<real>(mean_attribution[static_cast<size_t>(idx)]);
  const Tensor endpoints = concat({noisy, base}, 0);
  const std::vector<double> logits = target_logit_values(model, endpoints, tile_targets(row_targets, 2), chunk);
  result.delta = completeness_delta(draw_sum, logits);
  return result;
}

}  // namespace mxai::explain
