#include "explain/deletion_insertion.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/target.h"

namespace mxai::explain {

namespace {

// Rows (rows,...) -> the target's score per row.
std::vector<double> scores(const Model& model, const Tensor& rows, const Targets& targets, CurveScore score) {
  NoGradGuard no_grad;
  Tensor logits = model(rows);
  if (score == CurveScore::Probability) logits = softmax(logits, 1);
  const Tensor selected = select_target_logits(logits, targets);
  return std::vector<double>(selected.data(), selected.data() + selected.numel());
}

double trapezoid(const std::vector<double>& x, const std::vector<double>& y) {
  double area = 0;
  for (size_t i = 1; i < x.size(); ++i) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
  return area;
}

}  // namespace

DeletionInsertionCurves deletion_insertion(const Model& model, const Tensor& input, const Tensor& attributions,
                                           const Targets& target, const DeletionInsertionSettings& settings) {
  if (input.dim() < 2 || attributions.shape() != input.shape())
    throw Error("deletion/insertion: attributions " + shape_str(attributions.shape()) + " for input " +
                shape_str(input.shape()));
  if (settings.steps < 1) throw Error("deletion/insertion: steps must be >= 1");
  const int64_t n = input.size(0), features = input.numel() / n, points = settings.steps + 1;
  const Targets targets = resolve_targets(model, input, target);

  DeletionInsertionCurves curves;
  for (int s = 0; s < points; ++s) curves.fractions.push_back(static_cast<double>(s) / settings.steps);
  // One batch per example: the deleted images at every fraction, then the inserted ones.
  Shape batch_shape = input.shape();
  batch_shape[0] = 2 * points;
  for (int64_t i = 0; i < n; ++i) {
    const real* x = input.data() + i * features;
    const real* a = attributions.data() + i * features;
    std::vector<int64_t> ranking(static_cast<size_t>(features));
    std::iota(ranking.begin(), ranking.end(), 0);
    std::stable_sort(ranking.begin(), ranking.end(), [a](int64_t p, int64_t q) { return a[p] > a[q]; });
    Tensor batch = Tensor::empty(batch_shape);
    for (int64_t s = 0; s < points; ++s) {
      real* deleted = batch.data() + s * features;
      real* inserted = batch.data() + (points + s) * features;
      std::copy(x, x + features, deleted);
      std::fill(inserted, inserted + features, settings.baseline);
      const auto top = static_cast<int64_t>(std::llround(curves.fractions[static_cast<size_t>(s)] * features));
      for (int64_t r = 0; r < top; ++r) {
        const int64_t f = ranking[static_cast<size_t>(r)];
        deleted[f] = settings.baseline;
        inserted[f] = x[f];
      }
    }
    const std::vector<double> values =
        scores(model, batch, Targets(static_cast<size_t>(2 * points), targets[static_cast<size_t>(i)]), settings.score);
    curves.deletion.emplace_back(values.begin(), values.begin() + points);
    curves.insertion.emplace_back(values.begin() + points, values.end());
    curves.deletion_auc.push_back(trapezoid(curves.fractions, curves.deletion.back()));
    curves.insertion_auc.push_back(trapezoid(curves.fractions, curves.insertion.back()));
  }
  return curves;
}

}  // namespace mxai::explain
