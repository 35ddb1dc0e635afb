// The attribution-method registry and the TAIG comparison of experiments/ on a linear model, where every method
// has a closed form: the gradient of logit c is W[c], IG from the zero base-point is x ⊙ W[c].
#include <catch2/catch.hpp>

#include <algorithm>

#include "autodiff/ops.h"
#include "experiments/attribution_methods.h"
#include "experiments/taig_comparison.h"
#include "test_explain_models.h"

using namespace mxai;
using namespace mxai::experiments;
using Catch::Matchers::Contains;

namespace {

bool contains(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

void check_close(const Tensor& a, const Tensor& b, double tolerance) {
  REQUIRE(a.shape() == b.shape());
  for (int64_t i = 0; i < a.numel(); ++i) CHECK(a.data()[i] == Approx(b.data()[i]).margin(tolerance));
}

}  // namespace

TEST_CASE("every registered method key is known, and every list is part of the registry", "[experiments]") {
  const auto& all = attribution_method_keys();
  for (const auto* list : {&manifold_method_keys(), &taig_baseline_keys(), &taig_reference_keys()})
    for (const auto& key : *list) {
      CHECK(contains(all, key));
      CHECK_NOTHROW(check_attribution_method(key));
    }
  CHECK(all.size() == manifold_method_keys().size() + taig_baseline_keys().size());
  CHECK_THROWS_WITH(check_attribution_method("lime"), Contains("unknown attribution method 'lime'") &&
                                                          Contains("integrated_gradients_path"));
  for (const auto& key : all)
    CHECK(uses_zero_base_point_path(key) ==
          (key == "integrated_gradients" || key == "integrated_gradients_path" || key == "ig_zero"));
}

TEST_CASE("methods that share the zero base-point's path integral agree with each other and the closed form",
          "[experiments]") {
  const mxai_test::LinearModel linear(12, 3, 7);
  Generator gen(8);
  const Tensor x = rand({5, 1, 3, 4}, gen);
  const explain::Targets targets = {0, 1, 2, 0, 1};
  MethodSettings settings;
  const auto a = attribute_methods({"gradient", "integrated_gradients", "integrated_gradients_path", "ig_zero"},
                                   linear.model(), x, targets, settings);
  REQUIRE(a.size() == 4);
  Tensor w_rows = Tensor::empty({5, 1, 3, 4});
  for (int64_t i = 0; i < 5; ++i)
    for (int64_t j = 0; j < 12; ++j) w_rows.data()[i * 12 + j] = linear.weight.data()[targets[i] * 12 + j];
  check_close(a.at("gradient"), w_rows, 1e-5);
  check_close(a.at("integrated_gradients_path"), w_rows, 1e-4);  // the path-averaged gradient of a linear model
  check_close(a.at("integrated_gradients"), mul(x, w_rows), 1e-4);
  check_close(a.at("ig_zero"), a.at("integrated_gradients"), 0);
}

TEST_CASE("compare_taig explains every TAIG key and reuses the methods it is given", "[experiments]") {
  const mxai_test::LinearModel linear(16, 3, 9);
  Generator gen(10);
  const Tensor x = rand({3, 1, 4, 4}, gen);
  // A 2-dimensional tangent space per point: the first two pixel axes.
  Tensor basis = Tensor::zeros({3, 16, 2});
  for (int64_t i = 0; i < 3; ++i) basis.data()[i * 32 + 0] = basis.data()[i * 32 + 3] = 1;
  MethodSettings settings;
  settings.smoothgrad_samples = 4;
  explain::TaigOptions options;
  options.iterations = 3;
  options.piecewise_linear = true;

  const TaigComparison fresh =
      compare_taig(linear.model(), x, basis, nullptr, settings, options, "", /*quiet=*/true);
  for (const auto* list : {&taig_baseline_keys(), &taig_reference_keys()})
    for (const auto& key : *list) {
      REQUIRE(fresh.points.attributions.count(key) == 1);
      CHECK(fresh.points.attributions.at(key).shape() == x.shape());
      CHECK(fresh.points.fractions.at(key).size() == 3);
    }
  CHECK(fresh.points.fractions.at("ig_optimal") == fresh.optimised.mu);
  CHECK(fresh.optimised.baseline.shape() == x.shape());

  // Given an explanation of the same points, its gradient methods are taken as they are (here a marker tensor
  // that no method would compute), and its targets are the ones explained.
  ExplainedPoints known = first_points(fresh.points, 3);
  known.attributions["gradient"] = Tensor::full(x.shape(), 42);
  known.fractions["gradient"] = {0.5, 0.5, 0.5};
  const TaigComparison reused = compare_taig(linear.model(), x, basis, &known, settings, options, "", true);
  CHECK(reused.points.attributions.at("gradient").data()[0] == 42);
  CHECK(reused.points.fractions.at("gradient") == std::vector<double>{0.5, 0.5, 0.5});
  CHECK(reused.points.targets == fresh.points.targets);
  check_close(reused.points.attributions.at("ig_zero"), fresh.points.attributions.at("ig_zero"), 0);

  const ExplainedPoints two = first_points(fresh.points, 2);
  CHECK(two.targets.size() == 2);
  CHECK(two.attributions.at("ig_zero").shape() == Shape{2, 1, 4, 4});
  CHECK(two.fractions.at("smoothgrad").size() == 2);
}
