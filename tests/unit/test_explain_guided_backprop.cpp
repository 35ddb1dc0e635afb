// Guided backprop and the ReLU backward rules it rests on (autodiff/backward_rule.h).
#include <catch2/catch.hpp>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/backward_rule.h"
#include "explain/guided_backprop.h"
#include "explain/saliency.h"
#include "unit/test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;

namespace {

// logits = W2 relu(W1 x + b1): one hidden ReLU layer, weights given.
Model one_hidden_layer(const Tensor& w1, const Tensor& b1, const Tensor& w2) {
  return [w1, b1, w2](const Tensor& x) { return linear(relu(linear(x, w1, b1)), w2); };
}

}  // namespace

TEST_CASE("guided backprop equals the gradient when every ReLU input and upstream gradient is positive",
          "[explain][guided_backprop]") {
  Generator gen(3);
  const Tensor w1 = rand({5, 4}, gen, 0.1f, 1), b1 = rand({5}, gen, 0.1f, 1), w2 = rand({3, 5}, gen, 0.1f, 1);
  const Tensor x = rand({2, 4}, gen, 0.1f, 1);
  const Model model = one_hidden_layer(w1, b1, w2);
  const Tensor guided = guided_backprop(model, x, {1});
  const Tensor gradient = Saliency(model).attribute(x, {1});
  for (int64_t i = 0; i < x.numel(); ++i) CHECK(guided.data()[i] == Approx(gradient.data()[i]).margin(1e-6));
}

TEST_CASE("guided backprop zeroes negative upstream gradients and inactive units, by hand",
          "[explain][guided_backprop]") {
  // Hidden pre-activations W1 x + b1 = (1, -1, 2) at x = (1, 1): unit 1 is off. Upstream gradients of logit 0 are
  // W2[0] = (2, 5, -3): unit 2's is negative. Guided: only unit 0 passes, d = (2, 0, 0), so W1^T d = 2 W1[0].
  const Tensor w1 = Tensor::from({3, 2}, {1, -1, -1, 0.5f, 1, 1});
  const Tensor b1 = Tensor::from({3}, {1, -0.5f, 0});
  const Tensor w2 = Tensor::from({1, 3}, {2, 5, -3});
  const Tensor x = Tensor::from({1, 2}, {1, 1});
  const Model model = one_hidden_layer(w1, b1, w2);
  const Tensor guided = guided_backprop(model, x, {0});
  CHECK(guided.data()[0] == Approx(2.0));
  CHECK(guided.data()[1] == Approx(-2.0));
  // The plain gradient also counts unit 2: 2 W1[0] - 3 W1[2] = (-1, -5).
  const Tensor gradient = Saliency(model).attribute(x, {0});
  CHECK(gradient.data()[0] == Approx(-1.0));
  CHECK(gradient.data()[1] == Approx(-5.0));
}

TEST_CASE("guided backprop applies relu to the gradient at every ReLU of a deep chain", "[explain][guided_backprop]") {
  // y = relu(3 - relu(x)) at x = 1: both ReLUs are on. The gradient reaching the inner ReLU is -1, which the
  // guided rule drops there, so guided backprop gives 0 where the gradient is -1.
  const Model model = [](const Tensor& x) { return relu(relu(x) * real(-1) + real(3)); };
  const Tensor x = Tensor::from({1, 1}, {1});
  CHECK(guided_backprop(model, x, {0}).item() == Approx(0.0));
  CHECK(Saliency(model).attribute(x, {0}).item() == Approx(-1.0));
}

TEST_CASE("the ReLU rule is captured when the op runs, and the guard restores the previous rule",
          "[explain][guided_backprop][engine]") {
  CHECK(backward_rule() == BackwardRule::Gradient);
  Tensor x = Tensor::from({3}, {-1, 2, 3}).requires_grad_();
  Tensor y;
  {
    BackwardRuleGuard guided(BackwardRule::GuidedBackprop);
    CHECK(backward_rule() == BackwardRule::GuidedBackprop);
    {
      BackwardRuleGuard plain(BackwardRule::Gradient);
      CHECK(backward_rule() == BackwardRule::Gradient);
    }
    CHECK(backward_rule() == BackwardRule::GuidedBackprop);
    y = relu(x);
  }
  CHECK(backward_rule() == BackwardRule::Gradient);
  // Backward outside the guard still uses the guided rule the node recorded.
  const Tensor g = grad({y}, {x}, {Tensor::from({3}, {5, -4, 6})})[0];
  CHECK(g.to_vector() == std::vector<real>{0, 0, 6});
  // A relu recorded outside any guard differentiates as always.
  const Tensor plain = grad({relu(x)}, {x}, {Tensor::from({3}, {5, -4, 6})})[0];
  CHECK(plain.to_vector() == std::vector<real>{0, -4, 6});
}
