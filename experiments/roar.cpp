#include "experiments/roar.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "experiments/alignment_evaluation.h"
#include "experiments/progress.h"

namespace mxai::experiments {

Tensor remove_top_fraction(const Tensor& images, const Tensor& importance, double fraction) {
  if (images.shape() != importance.shape())
    throw Error("remove_top_fraction: importance " + shape_str(importance.shape()) + " for images " +
                shape_str(images.shape()));
  if (!(fraction >= 0 && fraction <= 1))
    throw Error("remove_top_fraction: the fraction must be in [0, 1], got " + std::to_string(fraction));
  Tensor out = images.clone();
  const Tensor& rank_by = importance;
  const int64_t n = images.shape()[0];
  const int64_t d = n == 0 ? 0 : images.numel() / n;
  const int64_t removed = static_cast<int64_t>(std::llround(fraction * static_cast<double>(d)));
  std::vector<int64_t> order(static_cast<size_t>(d));
  for (int64_t i = 0; i < n; ++i) {
    const real* score = rank_by.data() + i * d;
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + removed, order.end(), [score](int64_t a, int64_t b) {
      return score[a] > score[b] || (score[a] == score[b] && a < b);
    });
    real* pixels = out.data() + i * d;
    for (int64_t r = 0; r < removed; ++r) pixels[order[static_cast<size_t>(r)]] = 0;
  }
  return out;
}

Tensor tangent_mass(const Tensor& basis, const Shape& shape) {
  return reshape(sum(mul(basis, basis), {2}, /*keepdim=*/false), shape);
}

std::vector<RoarRanking> roar_rankings(const explain::Model& model, const std::vector<std::string>& keys,
                                       const Tensor& train_images, const Tensor& test_images,
                                       const Tensor& train_basis, const Tensor& test_basis,
                                       const MethodSettings& settings, const MethodContext& train_context,
                                       const MethodContext& test_context, bool quiet) {
  std::vector<RoarRanking> out;
  if (!keys.empty()) {
    const ExplainedPoints train = explain_points(model, train_images, Tensor(), keys, settings, quiet, train_context);
    const ExplainedPoints test = explain_points(model, test_images, Tensor(), keys, settings, quiet, test_context);
    for (const auto& key : keys)
      out.push_back({key, attribution_method_label(key), abs(train.attributions.at(key)),
                     abs(test.attributions.at(key))});
  }
  Generator gen(settings.seed * 0x9E3779B97F4A7C15ull + 0x40a2);
  Tensor random_train = rand(train_images.shape(), gen);
  Tensor random_test = rand(test_images.shape(), gen);
  out.push_back({"random", "random order", random_train, random_test});
  if (train_basis.defined() && test_basis.defined())
    out.push_back({"tangent_mass", "tangent space (per-pixel mass)", tangent_mass(train_basis, train_images.shape()),
                   tangent_mass(test_basis, test_images.shape())});
  return out;
}

void check_roar_fractions(const std::vector<double>& fractions) {
  if (fractions.empty() || fractions.front() != 0)
    throw Error("ROAR: the fractions must start at 0 (the accuracy with nothing removed)");
  for (size_t i = 1; i < fractions.size(); ++i)
    if (!(fractions[i] > fractions[i - 1] && fractions[i] <= 1))
      throw Error("ROAR: the fractions must increase within [0, 1], got " + std::to_string(fractions[i - 1]) +
                  " then " + std::to_string(fractions[i]));
}

RoarResults run_roar(const Dataset& train, const Dataset& test, const std::vector<RoarRanking>& rankings,
                     const RoarSettings& settings) {
  check_roar_fractions(settings.fractions);
  for (const auto& r : rankings)
    if (r.train_importance.shape() != train.images.shape() || r.test_importance.shape() != test.images.shape())
      throw Error("run_roar: the importance maps of '" + r.key + "' do not have the images' shapes (train " +
                  shape_str(train.images.shape()) + ", test " + shape_str(test.images.shape()) + ")");
  RoarResults results;
  results.fractions = settings.fractions;
  const int64_t retrainings = 1 + static_cast<int64_t>((settings.fractions.size() - 1) * rankings.size());
  Progress progress("ROAR: " + std::to_string(retrainings) + " LeNets", retrainings, settings.quiet);
  int64_t done = 0;
  TrainClassifierOptions training = settings.training;
  training.quiet = true;
  auto retrain = [&](const Dataset& modified_train, const Dataset& modified_test, const std::string& what) {
    training.what = "ROAR retraining (" + what + ")";
    const TrainedClassifier model = train_classifier(modified_train, training);
    const double accuracy = classification_accuracy(*model.model, modified_test, true);
    progress.update(++done, what);
    return accuracy;
  };
  const double intact = retrain(train, test, "nothing removed");
  for (const auto& ranking : rankings) {
    RoarCurve curve{ranking.key, ranking.label, {intact}};
    for (size_t f = 1; f < settings.fractions.size(); ++f) {
      Dataset modified_train = train, modified_test = test;
      modified_train.images = remove_top_fraction(train.images, ranking.train_importance, settings.fractions[f]);
      modified_test.images = remove_top_fraction(test.images, ranking.test_importance, settings.fractions[f]);
      char what[96];
      std::snprintf(what, sizeof what, "%s, %.0f%% removed", ranking.key.c_str(), 100 * settings.fractions[f]);
      curve.accuracy.push_back(retrain(modified_train, modified_test, what));
    }
    results.curves.push_back(std::move(curve));
  }
  progress.finish();
  results.settings = {{"architecture", settings.training.arch},
                      {"training", training_summary(settings.training)},
                      {"training / test images", std::to_string(train.size()) + " / " + std::to_string(test.size())},
                      {"removed pixels", "set to 0, ranked by |attribution| per image"}};
  return results;
}

}  // namespace mxai::experiments
