// GradientSHAP: exact on linear models, reproducible from the seed, independent of the batching.
#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/ops.h"
#include "explain/gradient_shap.h"
#include "unit/test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;

TEST_CASE("GradientSHAP of a linear model with one baseline is W ⊙ (x - b), with zero delta",
          "[explain][gradient_shap]") {
  const mxai_test::LinearModel m(8, 3, 1);
  const Tensor x = mxai_test::uniform_batch({2, 2, 2, 2}, 2);
  const Tensor b = mxai_test::uniform_batch({1, 2, 2, 2}, 3);
  Generator gen(4);
  const GradientShapResult r = gradient_shap(m.model(), x, b, gen, {1});
  for (int64_t i = 0; i < x.numel(); ++i)
    CHECK(r.attributions.data()[i] == Approx(m.weight.at({1, i % 8}) * (x.data()[i] - b.data()[i % 8])).margin(1e-5));
  REQUIRE(r.delta.shape() == Shape{10});
  for (int64_t s = 0; s < 10; ++s) CHECK(std::abs(r.delta.data()[s]) < 1e-5);
}

TEST_CASE("GradientSHAP averages over the baselines it draws", "[explain][gradient_shap]") {
  // Linear model: each draw contributes W ⊙ (x - b_k), so the attribution is W ⊙ (x - mean of the drawn b_k).
  // The draws are replayed from the same seed in the documented order: baseline index, then alpha.
  const mxai_test::LinearModel m(6, 2, 5);
  const Tensor x = mxai_test::uniform_batch({3, 6}, 6);
  Generator draw(7);
  const Tensor baselines = randn({20, 6}, draw);
  GradientShapSettings settings;
  settings.n_samples = 4;
  Generator gen(8), replay(8);
  const GradientShapResult r = gradient_shap(m.model(), x, baselines, gen, {0}, settings);
  std::vector<double> baseline_mean(18, 0.0);
  for (int64_t row = 0; row < 12; ++row) {
    const uint64_t k = replay.below(20);
    replay.uniform();
    for (int64_t f = 0; f < 6; ++f) baseline_mean[(row % 3) * 6 + f] += baselines.at({int64_t(k), f}) / 4;
  }
  for (int64_t i = 0; i < 18; ++i)
    CHECK(r.attributions.data()[i] == Approx(m.weight.at({0, i % 6}) * (x.data()[i] - baseline_mean[i])).margin(1e-5));
}

TEST_CASE("GradientSHAP does not depend on the internal batch size", "[explain][gradient_shap]") {
  const mxai_test::SoftplusMlp mlp(12, 8, 3, 9);
  const Tensor x = mxai_test::uniform_batch({3, 3, 2, 2}, 10);
  Generator draw(11);
  const Tensor baselines = randn({5, 3, 2, 2}, draw);
  GradientShapSettings whole;
  whole.stdev = real(0.1);
  GradientShapSettings chunked = whole;
  chunked.internal_batch_size = 4;
  Generator a(12), b(12);
  const GradientShapResult r1 = gradient_shap(mlp.model(), x, baselines, a, {}, whole);
  const GradientShapResult r2 = gradient_shap(mlp.model(), x, baselines, b, {}, chunked);
  for (int64_t i = 0; i < x.numel(); ++i) CHECK(r1.attributions.data()[i] == Approx(r2.attributions.data()[i]).margin(1e-6));
  for (int64_t i = 0; i < 15; ++i) CHECK(r1.delta.data()[i] == Approx(r2.delta.data()[i]).margin(1e-5));
  // A non-trivial model: the one-point estimate is not complete.
  double largest = 0;
  for (int64_t i = 0; i < 15; ++i) largest = std::max(largest, std::abs(double(r1.delta.data()[i])));
  CHECK(largest > 1e-4);
}

TEST_CASE("GradientSHAP rejects baselines of the wrong shape", "[explain][gradient_shap]") {
  const mxai_test::LinearModel m(6, 2, 13);
  Generator gen(1);
  CHECK_THROWS_AS(gradient_shap(m.model(), Tensor::ones({2, 6}), Tensor::ones({3, 5}), gen, {0}), Error);
}
