// DeepLift's rescale rule: exact on linear models, by hand on one hidden unit, complete on ReLU networks.
#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/ops.h"
#include "explain/deeplift.h"
#include "explain/target.h"
#include "nn/lenet.h"
#include "unit/test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;

namespace {

// A ReLU network with convolutions and average pooling, all layers DeepLift's rescale rule is exact for:
// (N,2,6,6) -> conv 3x3 (4) relu -> avg_pool 2 -> conv 2x2 (3) relu -> linear (5).
Model relu_conv_net(uint64_t seed) {
  Generator gen(seed);
  const Tensor c1 = randn({4, 2, 3, 3}, gen) * real(0.5), d1 = randn({4}, gen) * real(0.3);
  const Tensor c2 = randn({3, 4, 2, 2}, gen) * real(0.5), d2 = randn({3}, gen) * real(0.3);
  const Tensor w = randn({5, 3}, gen), b = randn({5}, gen);
  return [=](const Tensor& x) {
    Tensor h = avg_pool2d(relu(conv2d(x, c1, d1)), 2);
    h = relu(conv2d(h, c2, d2));
    return linear(flatten(h), w, b);
  };
}

}  // namespace

TEST_CASE("DeepLift of a linear model is gradient times input", "[explain][deeplift]") {
  const mxai_test::LinearModel linear_model(12, 4, 1);
  const Tensor x = mxai_test::uniform_batch({3, 3, 2, 2}, 2, -1, 1);
  const DeepLiftResult r = deeplift(linear_model.model(), x, Tensor(), {0, 3, 2});
  const int64_t targets[] = {0, 3, 2};
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t f = 0; f < 12; ++f)
      CHECK(r.attributions.data()[i * 12 + f] ==
            Approx(linear_model.weight.at({targets[i], f}) * x.data()[i * 12 + f]).margin(1e-6));
  for (int64_t i = 0; i < 3; ++i) CHECK(std::abs(r.delta.data()[i]) < 1e-5);
}

TEST_CASE("DeepLift's rescale multiplier on one hidden unit, by hand", "[explain][deeplift]") {
  // F(x) = 3 relu(2 x - 1). At x = 2 (pre-activation 3) against the baseline 0 (pre-activation -1):
  // multiplier (relu(3) - relu(-1)) / (3 - (-1)) = 3/4, so the attribution is (2 - 0) * 2 * 3/4 * 3 = 9 = F(2) - F(0),
  // where gradient times input would give 2 * 6 = 12.
  const Model model = [](const Tensor& x) { return relu(x * real(2) - real(1)) * real(3); };
  const DeepLiftResult r = deeplift(model, Tensor::from({1, 1}, {2}), Tensor(), {0});
  CHECK(r.attributions.item() == Approx(9.0));
  CHECK(r.delta.item() == Approx(0.0).margin(1e-6));
  // Against the baseline 1 (pre-activation 1, same side): the multiplier is the derivative, 1.
  const DeepLiftResult same_side = deeplift(model, Tensor::from({1, 1}, {2}), Tensor::from({1}, {1}), {0});
  CHECK(same_side.attributions.item() == Approx(6.0));
}

TEST_CASE("DeepLift sums to F(x) - F(b) on ReLU networks", "[explain][deeplift]") {
  const Model model = relu_conv_net(5);
  const Tensor x = mxai_test::uniform_batch({4, 2, 6, 6}, 6);
  for (const Tensor& baseline : {Tensor(), mxai_test::uniform_batch({2, 6, 6}, 7), mxai_test::uniform_batch({4, 2, 6, 6}, 8)}) {
    const DeepLiftResult r = deeplift(model, x, baseline);
    const Targets targets = resolve_targets(model, x, {});
    const Tensor b = baseline.defined() ? baseline : Tensor::zeros({2, 6, 6});
    for (int64_t i = 0; i < 4; ++i) {
      const double fx = target_logit_values(model, narrow(x, 0, i, 1), {targets[i]}, 1)[0];
      const double fb = target_logit_values(model, b.dim() == 4 ? narrow(b, 0, i, 1) : reshape(b, {1, 2, 6, 6}),
                                            {targets[i]}, 1)[0];
      double total = 0;
      for (int64_t f = 0; f < 72; ++f) total += r.attributions.data()[i * 72 + f];
      CHECK(total == Approx(fx - fb).margin(1e-4));
      CHECK(std::abs(r.delta.data()[i]) < 1e-4 * (1 + std::abs(fx - fb)));
    }
  }
}

TEST_CASE("DeepLift differs from gradient times input where a ReLU changes side", "[explain][deeplift]") {
  // Not a test that passes trivially: the rescale rule must not reduce to the gradient on a real network.
  const Model model = relu_conv_net(9);
  const Tensor x = mxai_test::uniform_batch({2, 2, 6, 6}, 10);
  const DeepLiftResult r = deeplift(model, x);
  const Tensor gradient = target_gradient(model, x, resolve_targets(model, x, {}));
  double difference = 0;
  for (int64_t i = 0; i < x.numel(); ++i)
    difference = std::max(difference, std::abs(double(r.attributions.data()[i]) - x.data()[i] * gradient.data()[i]));
  CHECK(difference > 1e-3);
}

TEST_CASE("DeepLift through a max pool credits both argmaxes, by hand", "[explain][deeplift]") {
  // F = the max of one 2x2 window.
  const Model model = [](const Tensor& x) { return reshape(max_pool2d(x, 2), {x.size(0), 1}); };
  // Input max 5 (entry 1), reference max 4 (entry 0): m = 5 credits 5 - 4 = 1 to entry 1 and 5 - 5 = 0 to entry 0.
  const DeepLiftResult higher = deeplift(model, Tensor::from({1, 1, 2, 2}, {1, 5, 2, 3}),
                                         Tensor::from({1, 2, 2}, {4, 0, 0, 0}), {0});
  CHECK(higher.attributions.to_vector() == std::vector<real>{0, 1, 0, 0});
  // Input max 2 (entry 1), reference max 4 (entry 0): m = 4 credits 4 - 4 = 0 to entry 1 and 2 - 4 = -2 to entry 0,
  // whose input difference is 1 - 4 = -3 (multiplier 2/3); entries 2 and 3 have x = r and get the gradient, 0.
  const DeepLiftResult lower = deeplift(model, Tensor::from({1, 1, 2, 2}, {1, 2, 0, 0}),
                                        Tensor::from({1, 2, 2}, {4, 0, 0, 0}), {0});
  const std::vector<real> attributions = lower.attributions.to_vector();
  CHECK(attributions[0] == Approx(-2.0));
  CHECK(attributions[1] == Approx(0.0).margin(1e-7));
  CHECK(attributions[2] == 0);
  CHECK(attributions[3] == 0);
  CHECK(lower.delta.item() == Approx(0.0).margin(1e-6));
}

TEST_CASE("DeepLift of a ReLU LeNet (max pooling included) sums to F(x) - F(b)", "[explain][deeplift][nn]") {
  Generator init(11);
  nn::LeNet lenet(1, 12, 12, 10, init);
  lenet.eval();
  const Model model = [&lenet](const Tensor& x) { return lenet.forward(x); };
  const Tensor x = mxai_test::uniform_batch({3, 1, 12, 12}, 12);
  const DeepLiftResult r = deeplift(model, x, mxai_test::uniform_batch({1, 12, 12}, 13, 0, 0.2f));
  const Targets targets = resolve_targets(model, x, {});
  for (int64_t i = 0; i < 3; ++i) {
    double total = 0;
    for (int64_t f = 0; f < 144; ++f) total += r.attributions.data()[i * 144 + f];
    INFO("example " << i << ": sum " << total << ", delta " << r.delta.data()[i]);
    CHECK(std::abs(r.delta.data()[i]) < 1e-4 * (1 + std::abs(total)));
  }
}

TEST_CASE("DeepLift rejects a model that does not return one row of logits per row", "[explain][deeplift]") {
  const Model drops_rows = [](const Tensor& x) { return narrow(flatten(x), 0, 0, 1); };
  CHECK_THROWS_AS(deeplift(drops_rows, Tensor::ones({2, 3}), Tensor(), {0}), Error);
}
