// The attribution-method registry and the TAIG comparison of experiments/ on a linear model, where every method
// has a closed form: the gradient of logit c is W[c], IG from the zero base-point is x ⊙ W[c].
#include <catch2/catch.hpp>

#include <algorithm>

#include "autodiff/ops.h"
#include "experiments/attribution_methods.h"
#include "experiments/faithfulness_evaluation.h"
#include "experiments/taig_comparison.h"
#include "explain/deeplift.h"
#include "explain/gradcam.h"
#include "explain/gradient_shap.h"
#include "explain/guided_backprop.h"
#include "explain/latent_ig.h"
#include "explain/occlusion.h"
#include "nn/classifiers.h"
#include "nn/lenet.h"
#include "test_explain_models.h"
#include "test_torch_oracle.h"

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
  for (const auto& key : further_method_keys()) CHECK(contains(all, key));
  CHECK(all.size() == manifold_method_keys().size() + taig_baseline_keys().size() + further_method_keys().size());
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

TEST_CASE("the further methods through the registry equal the explain/ functions with the registry's settings",
          "[experiments]") {
  Generator init(3);
  auto lenet = std::make_shared<nn::LeNet>(1, 10, 10, 4, init);
  lenet->eval();
  const explain::Model model = [lenet](const Tensor& x) { return lenet->forward(x); };
  Generator gen(4);
  const Tensor x = rand({3, 1, 10, 10}, gen);
  const explain::Targets targets = {0, 3, 1};
  const mxai_test::LinearDecoder linear_decoder{randn({100, 2}, gen) * real(0.1), rand({100}, gen)};
  const explain::Decoder decoder = [flat = linear_decoder.decoder()](const Tensor& z) {
    return reshape(flat(z), {z.size(0), 1, 10, 10});
  };
  MethodContext context;
  context.split = layer_split(lenet, "conv1");
  context.decoder = decoder;
  context.latents = randn({3, 2}, gen);
  MethodSettings settings;
  settings.seed = 5;
  settings.occlusion_window = 3;
  settings.occlusion_stride = 1;
  const auto a = attribute_methods(further_method_keys(), model, x, targets, settings, context);
  REQUIRE(a.size() == further_method_keys().size());
  for (const auto& [key, t] : a) CHECK(t.shape() == x.shape());

  const explain::LayerSplit conv1 = layer_split(lenet, "conv1");
  check_close(a.at("gradcam"), explain::gradcam(conv1, x, targets), 1e-6);
  check_close(a.at("guided_gradcam"), explain::guided_gradcam(conv1, x, targets), 1e-6);
  check_close(a.at("guided_backprop"), explain::guided_backprop(model, x, targets), 1e-6);
  check_close(a.at("deeplift"), explain::deeplift(model, x, Tensor(), targets).attributions, 1e-6);
  explain::OcclusionSettings window;
  window.window_h = window.window_w = 3;
  window.stride_h = window.stride_w = 1;
  check_close(a.at("occlusion"), explain::occlusion(model, x, targets, window), 1e-6);
  check_close(a.at("latent_ig"),
              explain::latent_integrated_gradients(model, decoder, context.latents, Tensor(), targets)
                  .attributions,
              1e-6);
  // GradientSHAP draws its 20 N(0, I) baselines and its samples from one stream per chunk of points.
  const auto shap = attribute_methods({"gradient_shap"}, model, x, targets, settings, context).at("gradient_shap");
  check_close(a.at("gradient_shap"), shap, 0);
  settings.seed = 6;
  const auto other = attribute_methods({"gradient_shap"}, model, x, targets, settings, context).at("gradient_shap");
  CHECK(mxai_test::max_abs_difference(other, shap) > 0);

  // conv1 and conv2 are different layers: their Grad-CAM maps differ.
  context.split = layer_split(lenet, "conv2");
  const auto at_conv2 = attribute_methods({"gradcam"}, model, x, targets, settings, context).at("gradcam");
  CHECK(mxai_test::max_abs_difference(at_conv2, a.at("gradcam")) > 1e-6);
}

TEST_CASE("methods missing their context fail naming the key; Grad-CAM names the layers a model allows",
          "[experiments]") {
  const mxai_test::LinearModel linear(16, 3, 9);
  const Tensor x = Tensor::ones({2, 1, 4, 4});
  const MethodContext none;
  CHECK_FALSE(method_applies("gradcam", none));
  CHECK_FALSE(method_applies("latent_ig", none));
  CHECK(method_applies("occlusion", none));
  CHECK_THROWS_WITH(attribute_methods({"gradcam"}, linear.model(), x, {0, 1}, MethodSettings{}, none),
                    Contains("gradcam needs a model with a convolution layer"));
  CHECK_THROWS_WITH(attribute_methods({"guided_gradcam"}, linear.model(), x, {0, 1}, MethodSettings{}, none),
                    Contains("guided_gradcam needs"));
  CHECK_THROWS_WITH(attribute_methods({"latent_ig"}, linear.model(), x, {0, 1}, MethodSettings{}, none),
                    Contains("latent_ig needs a decoder"));
  Generator init(1);
  auto lenet = std::make_shared<nn::LeNet>(1, 8, 8, 3, init);
  CHECK(gradcam_layers(*lenet) == std::vector<std::string>{"conv1", "conv2"});
  CHECK_THROWS_WITH(layer_split(lenet, "fc2"), Contains("cannot cut a LeNet at layer 'fc2'") &&
                                                   Contains("conv1, conv2"));
  auto vgg = nn::make_classifier("vgg", 1, 32, 32, 10, 1);
  CHECK(gradcam_layers(*vgg).empty());
  CHECK_THROWS_WITH(layer_split(vgg, "conv2"), Contains("(layers it allows: none)"));
}

TEST_CASE("faithfulness of a linear model: the gradient is exact (infidelity 0) and constant (sensitivity 0)",
          "[experiments]") {
  const mxai_test::LinearModel linear(16, 3, 11);
  Generator gen(12);
  const Tensor x = rand({4, 1, 4, 4}, gen);
  MethodSettings settings;
  const std::vector<std::string> keys = {"gradient", "input_x_gradient", "occlusion"};
  const ExplainedPoints points = explain_points(linear.model(), x, Tensor(), keys, settings, /*quiet=*/true);
  const auto scores = faithfulness_scores(linear.model(), x, points, keys, settings, {}, {}, true);
  REQUIRE(scores.size() == 3);
  for (const auto& s : scores) {
    CHECK(s.infidelity.size() == 4);
    CHECK(s.sensitivity_max.size() == 4);
    CHECK(s.deletion_auc.size() == 4);
    CHECK(s.insertion_auc.size() == 4);
  }
  // F(x) - F(x - I) = W_c · I exactly, so the gradient's infidelity vanishes and x ⊙ W_c's does not.
  for (int i = 0; i < 4; ++i) {
    CHECK(scores[0].infidelity[i] < 1e-10);
    CHECK(scores[1].infidelity[i] > 1e-8);
    CHECK(scores[0].sensitivity_max[i] == Approx(0).margin(1e-6));
    CHECK(scores[1].sensitivity_max[i] > 1e-4);
  }
  // Max sensitivity on the first 2 points only; the other metrics on all 4, unchanged. The context's codes (one
  // per point, for latent_ig) are cut to the points scored.
  FaithfulnessSettings fewer;
  fewer.sensitivity_points = 2;
  MethodContext with_codes;
  with_codes.decoder = [](const Tensor& z) { return reshape(z, {z.size(0), 1, 4, 4}); };
  with_codes.latents = rand({4, 16}, gen);
  const auto partial = faithfulness_scores(linear.model(), x, points, keys, settings, with_codes, fewer, true);
  CHECK(partial[1].sensitivity_max.size() == 2);
  CHECK(partial[1].infidelity == scores[1].infidelity);
  CHECK(partial[1].deletion_auc == scores[1].deletion_auc);
  // Same seed, same numbers.
  const auto again = faithfulness_scores(linear.model(), x, points, keys, settings, {}, {}, true);
  CHECK(again[2].infidelity == scores[2].infidelity);
  CHECK(again[2].sensitivity_max == scores[2].sensitivity_max);
}
