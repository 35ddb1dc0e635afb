// Float64 checks of the methods that change or reuse the backward: Grad-CAM's channel weights against central
// differences in the layer, guided backprop against a masked backward written out, DeepLift's completeness and
// latent IG's completeness along the decoded curve far below float32's floor, and the ReLU rules' own derivatives.
#include <catch2/catch.hpp>

#include <cmath>

#include "gradcheck/gradcheck_ops_common.h"
#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/backward_rule.h"
#include "explain/deeplift.h"
#include "explain/gradcam.h"
#include "explain/guided_backprop.h"
#include "explain/latent_ig.h"
#include "explain/target.h"
#include "unit/test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;

namespace {

// A ReLU conv net cut after its second convolution: x (N,1,6,6) -> conv 3x3 (3) relu -> conv 2x2 (4) = A (N,4,3,3)
// -> relu -> linear (3).
struct ReluConvNet {
  Tensor c1, d1, c2, d2, w, b;
  explicit ReluConvNet(uint64_t seed) {
    Generator gen(seed);
    c1 = randn({3, 1, 3, 3}, gen), d1 = randn({3}, gen) * 0.3;
    c2 = randn({4, 3, 2, 2}, gen) * 0.5, d2 = randn({4}, gen) * 0.3;
    w = randn({3, 36}, gen), b = randn({3}, gen);
  }
  LayerSplit split() const {
    const ReluConvNet m = *this;
    return {[m](const Tensor& x) { return conv2d(relu(conv2d(x, m.c1, m.d1)), m.c2, m.d2); },
            [m](const Tensor& a) { return linear(flatten(relu(a)), m.w, m.b); }};
  }
};

double logit(const Model& model, const Tensor& x, int64_t target) {
  NoGradGuard no_grad;
  return model(x).at({0, target});
}

}  // namespace

TEST_CASE("Grad-CAM equals a direct computation with finite-difference channel weights", "[gradcheck][explain]") {
  const ReluConvNet net(1);
  const LayerSplit split = net.split();
  const Tensor x = mxai_test::uniform_batch({1, 1, 6, 6}, 2);
  const int64_t target = 1;
  const Tensor map = layer_gradcam(split, x, {target});
  Tensor a;
  {
    NoGradGuard no_grad;
    a = split.layer(x);
  }
  std::vector<double> alpha(4, 0.0);
  const double h = 1e-6;
  for (int64_t k = 0; k < 4; ++k)
    for (int64_t p = 0; p < 9; ++p) {
      Tensor plus = a.clone(), minus = a.clone();
      plus.data()[k * 9 + p] += h;
      minus.data()[k * 9 + p] -= h;
      alpha[k] += (logit(split.head, plus, target) - logit(split.head, minus, target)) / (2 * h) / 9;
    }
  for (int64_t p = 0; p < 9; ++p) {
    double expected = 0;
    for (int64_t k = 0; k < 4; ++k) expected += alpha[k] * a.data()[k * 9 + p];
    CHECK(map.data()[p] == Approx(expected).epsilon(1e-7).margin(1e-8));
  }
}

TEST_CASE("guided backprop equals a masked backward written out layer by layer", "[gradcheck][explain]") {
  // F = w2 . relu(W1 relu(W0 x + b0) + b1): guided d1 = relu(w2) * 1[z1 > 0], d0 = relu(W1^T d1) * 1[z0 > 0],
  // attribution W0^T d0.
  Generator gen(3);
  const Tensor w0 = randn({6, 4}, gen), b0 = randn({6}, gen), w1 = randn({5, 6}, gen), b1 = randn({5}, gen);
  const Tensor w2 = randn({1, 5}, gen);
  const Model model = [=](const Tensor& x) { return linear(relu(linear(relu(linear(x, w0, b0)), w1, b1)), w2); };
  const Tensor x = randn({1, 4}, gen);
  const Tensor guided = guided_backprop(model, x, {0});
  std::vector<double> z0(6), z1(5), d1(5), d0(6);
  for (int64_t j = 0; j < 6; ++j) {
    z0[j] = b0.data()[j];
    for (int64_t i = 0; i < 4; ++i) z0[j] += w0.at({j, i}) * x.data()[i];
  }
  for (int64_t j = 0; j < 5; ++j) {
    z1[j] = b1.data()[j];
    for (int64_t i = 0; i < 6; ++i) z1[j] += w1.at({j, i}) * std::max(z0[i], 0.0);
    d1[j] = z1[j] > 0 ? std::max<double>(w2.data()[j], 0) : 0;
  }
  for (int64_t i = 0; i < 6; ++i) {
    double back = 0;
    for (int64_t j = 0; j < 5; ++j) back += w1.at({j, i}) * d1[j];
    d0[i] = z0[i] > 0 ? std::max(back, 0.0) : 0;
  }
  for (int64_t i = 0; i < 4; ++i) {
    double expected = 0;
    for (int64_t j = 0; j < 6; ++j) expected += w0.at({j, i}) * d0[j];
    CHECK(guided.data()[i] == Approx(expected).epsilon(1e-12).margin(1e-12));
  }
}

TEST_CASE("DeepLift sums to F(x) - F(b) to 1e-10 on a ReLU network", "[gradcheck][explain]") {
  const ReluConvNet net(4);
  const Model model = compose(net.split());
  const Tensor x = mxai_test::uniform_batch({3, 1, 6, 6}, 5), b = mxai_test::uniform_batch({1, 6, 6}, 6, 0, 0.3);
  const DeepLiftResult r = deeplift(model, x, b);
  for (int64_t i = 0; i < 3; ++i) CHECK(std::abs(r.delta.data()[i]) < 1e-10);
}

TEST_CASE("DeepLift sums to F(x) - F(b) to 1e-10 through max pooling", "[gradcheck][explain]") {
  Generator gen(14);
  const Tensor c = randn({3, 1, 3, 3}, gen), w = randn({2, 12}, gen);
  const Model model = [=](const Tensor& x) { return linear(flatten(max_pool2d(relu(conv2d(x, c)), 2)), w); };
  const Tensor x = mxai_test::uniform_batch({4, 1, 6, 6}, 15);
  const DeepLiftResult r = deeplift(model, x, mxai_test::uniform_batch({4, 1, 6, 6}, 16));
  for (int64_t i = 0; i < 4; ++i) CHECK(std::abs(r.delta.data()[i]) < 1e-10);
}

TEST_CASE("latent IG's completeness gap falls to 1e-9 with Gauss-Legendre steps", "[gradcheck][explain]") {
  const mxai_test::SmallConvDecoder decoder(3, 7);
  const mxai_test::SoftplusMlp mlp(36, 12, 3, 8);
  Generator gen(9);
  const Tensor z1 = randn({2, 3}, gen);
  double previous = 1e9;
  for (int n_steps : {4, 8, 32}) {
    LatentIgSettings settings;
    settings.n_steps = n_steps;
    const LatentIgResult r = latent_integrated_gradients(mlp.model(), decoder.decoder(), z1, Tensor(), {}, settings);
    double gap = 0;
    for (int64_t i = 0; i < 2; ++i) gap = std::max(gap, std::abs(r.delta.data()[i]));
    INFO("n_steps " << n_steps << ": gap " << gap);
    CHECK(gap < previous);
    previous = gap;
  }
  CHECK(previous < 1e-9);
}

TEST_CASE("the guided and rescale ReLU backwards are differentiable in the incoming gradient",
          "[gradcheck][explain]") {
  // Both rules are linear in the incoming gradient g (with constant masks and multipliers), and built from
  // differentiable ops, so g -> rule-backward(g) must pass every finite-difference check, second order included.
  const Tensor x = mxai::testing::away_from(mxai::testing::normal({4, 3}, 10), 0);  // rows 0-1 inputs, 2-3 references
  const Tensor g = mxai::testing::away_from(mxai::testing::normal({4, 3}, 11), 0);
  for (BackwardRule rule : {BackwardRule::GuidedBackprop, BackwardRule::DeepLiftRescale}) {
    const TensorFunction relu_backward_of = [x, rule](const std::vector<Tensor>& in) {
      GradModeGuard recording(true);  // the finite differences evaluate f under a NoGradGuard
      Tensor leaf = x.detach().requires_grad_();
      Tensor y;
      {
        BackwardRuleGuard guard(rule);
        y = relu(leaf);
      }
      return grad({y}, {leaf}, {in[0]}, /*create_graph=*/true)[0];
    };
    mxai::testing::check_op(rule == BackwardRule::GuidedBackprop ? "guided relu backward" : "rescale relu backward",
                            relu_backward_of, {g});
  }
  // Max pooling's rescale backward, on 2 inputs and 2 references with distinct values (clear argmaxes).
  const Tensor pooled = mxai::testing::distinct({4, 1, 4, 4}, 12);
  const TensorFunction pool_backward_of = [pooled](const std::vector<Tensor>& in) {
    GradModeGuard recording(true);
    Tensor leaf = pooled.detach().requires_grad_();
    Tensor y;
    {
      BackwardRuleGuard guard(BackwardRule::DeepLiftRescale);
      y = max_pool2d(leaf, 2);
    }
    return grad({y}, {leaf}, {in[0]}, /*create_graph=*/true)[0];
  };
  mxai::testing::check_op("rescale max_pool2d backward", pool_backward_of, {mxai::testing::normal({4, 1, 2, 2}, 13)});
}
