// Saliency, Input×Gradient and NoiseTunnel (SmoothGrad, SmoothGrad², VarGrad).
#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/input_x_gradient.h"
#include "explain/integrated_gradients.h"
#include "explain/noise_tunnel.h"
#include "explain/saliency.h"
#include "explain/target.h"
#include "test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;
using mxai_test::LinearModel;
using mxai_test::SoftplusMlp;
using mxai_test::uniform_batch;

TEST_CASE("Saliency and Input×Gradient of a linear model are the weight row and x times it", "[explain][saliency]") {
  const LinearModel linear(12, 5, 1);
  const Tensor x = uniform_batch({4, 3, 2, 2}, 2, -1, 1);
  const Targets targets{4, 0, 2, 2};
  const Tensor gradient = Saliency(linear.model()).attribute(x, targets);
  const Tensor magnitude = Saliency(linear.model()).attribute(x, targets, /*abs=*/true);
  const Tensor ixg = InputXGradient(linear.model()).attribute(x, targets);
  REQUIRE(gradient.shape() == x.shape());
  REQUIRE(ixg.shape() == x.shape());
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t f = 0; f < 12; ++f) {
      const real w = linear.weight.at({targets[i], f});
      CHECK(gradient.data()[i * 12 + f] == Approx(w).epsilon(1e-6));
      CHECK(magnitude.data()[i * 12 + f] == Approx(std::abs(w)).epsilon(1e-6));
      CHECK(ixg.data()[i * 12 + f] == Approx(w * x.data()[i * 12 + f]).epsilon(1e-6));
    }
}

TEST_CASE("Saliency matches central differences of the target logit", "[explain][saliency]") {
  const SoftplusMlp mlp(6, 8, 3, 3, 1);
  const Model model = mlp.model();
  const Tensor x = uniform_batch({2, 6}, 4, -1, 1);
  const Targets targets = resolve_targets(model, x, {});
  const Tensor gradient = Saliency(model).attribute(x);
  NoGradGuard no_grad;
  const real h = 1e-2f;
  for (int64_t j = 0; j < x.numel(); ++j) {
    Tensor plus = x.clone(), minus = x.clone();
    plus.data()[j] += h;
    minus.data()[j] -= h;
    const int64_t i = j / 6;
    const double numeric = (select_target_logits(model(plus), targets).data()[i] -
                            select_target_logits(model(minus), targets).data()[i]) / (2 * h);
    CHECK(gradient.data()[j] == Approx(numeric).margin(2e-3));
  }
}

TEST_CASE("gradient methods leave the caller's input and grad mode alone", "[explain][saliency]") {
  const SoftplusMlp mlp(6, 8, 3, 5, 1);
  Tensor x = uniform_batch({2, 6}, 6).requires_grad_();
  const std::vector<real> before = x.to_vector();
  NoGradGuard no_grad;  // a caller in no-grad mode still gets gradients
  const Tensor g = Saliency(mlp.model()).attribute(x);
  CHECK_FALSE(grad_mode_enabled());
  CHECK_FALSE(g.requires_grad());
  CHECK(x.to_vector() == before);
  CHECK_FALSE(x.grad().defined());
  double total = 0;
  for (real v : g.to_vector()) total += std::abs(v);
  CHECK(total > 0);
}

TEST_CASE("SmoothGrad with stdev -> 0 is the gradient", "[explain][noise_tunnel]") {
  const SoftplusMlp mlp(10, 16, 4, 7, 2);
  const Tensor x = uniform_batch({3, 10}, 8);
  const Saliency saliency(mlp.model());
  const Tensor gradient = saliency.attribute(x);
  const NoiseTunnel tunnel(saliency);
  Generator gen(1);
  // Equal up to rounding only: the 12-row batch runs through differently blocked GEMMs than the 3-row one.
  const Tensor exact = tunnel.attribute(x, {}, NoiseTunnelType::SmoothGrad, 4, 0, gen);
  for (int64_t j = 0; j < x.numel(); ++j) CHECK(exact.data()[j] == Approx(gradient.data()[j]).margin(1e-6));
  const Tensor tiny = tunnel.attribute(x, {}, NoiseTunnelType::SmoothGrad, 4, 1e-4f, gen);
  for (int64_t j = 0; j < x.numel(); ++j) CHECK(tiny.data()[j] == Approx(gradient.data()[j]).margin(1e-3));
  // SmoothGrad² at stdev 0 is the squared gradient, VarGrad is 0.
  const Tensor squared = tunnel.attribute(x, {}, NoiseTunnelType::SmoothGradSq, 3, 0, gen);
  const Tensor variance = tunnel.attribute(x, {}, NoiseTunnelType::VarGrad, 3, 0, gen);
  for (int64_t j = 0; j < x.numel(); ++j) {
    CHECK(squared.data()[j] == Approx(gradient.data()[j] * gradient.data()[j]).epsilon(1e-5).margin(1e-9));
    CHECK(variance.data()[j] == Approx(0).margin(1e-7));
  }
}

TEST_CASE("NoiseTunnel: same seed same result, different seed different, batching irrelevant", "[explain][noise_tunnel]") {
  const SoftplusMlp mlp(10, 16, 4, 9, 2);
  const Tensor x = uniform_batch({3, 10}, 10);
  const Model model = mlp.model();
  const NoiseTunnel tunnel{
      AttributionFn([model](const Tensor& in, const Targets& t) { return Saliency(model).attribute(in, t); })};
  const Targets targets = resolve_targets(model, x, {});
  const auto run = [&](uint64_t seed, int64_t batch, NoiseTunnelType type) {
    Generator gen(seed);
    return tunnel.attribute(x, targets, type, 10, 0.3f, gen, batch);
  };
  for (NoiseTunnelType type : {NoiseTunnelType::SmoothGrad, NoiseTunnelType::SmoothGradSq, NoiseTunnelType::VarGrad}) {
    const Tensor a = run(5, 0, type), b = run(5, 0, type), c = run(6, 0, type);
    CHECK(a.to_vector() == b.to_vector());
    double difference = 0;
    for (int64_t j = 0; j < x.numel(); ++j) difference += std::abs(a.data()[j] - c.data()[j]);
    CHECK(difference > 1e-3);
    for (int64_t batch : {1, 3, 4, 10}) {
      const Tensor chunked = run(5, batch, type);
      for (int64_t j = 0; j < x.numel(); ++j) CHECK(chunked.data()[j] == Approx(a.data()[j]).margin(1e-6));
    }
  }
  // VarGrad = SmoothGrad² - SmoothGrad², from the same draws.
  const Tensor mean = run(7, 0, NoiseTunnelType::SmoothGrad), mean_sq = run(7, 0, NoiseTunnelType::SmoothGradSq),
               variance = run(7, 0, NoiseTunnelType::VarGrad);
  for (int64_t j = 0; j < x.numel(); ++j) {
    CHECK(variance.data()[j] == Approx(mean_sq.data()[j] - mean.data()[j] * mean.data()[j]).margin(1e-6));
    CHECK(variance.data()[j] >= 0);
  }
}

TEST_CASE("NoiseTunnel averages the method over the noisy copies it is given", "[explain][noise_tunnel]") {
  // A recording method: returns each noisy row itself, so SmoothGrad must average to x + mean noise, and the
  // spread of the noise must match stdev.
  std::vector<int64_t> rows_seen;
  Targets targets_seen;
  const NoiseTunnel tunnel{AttributionFn([&](const Tensor& in, const Targets& t) {
    rows_seen.push_back(in.size(0));
    targets_seen = t;
    return in.clone();
  })};
  const Tensor x = uniform_batch({2, 500}, 11);
  Generator gen(3);
  const Tensor noise_mean = tunnel.attribute(x, {1, 0}, NoiseTunnelType::SmoothGrad, 8, 0.5f, gen, 3);
  CHECK(rows_seen == std::vector<int64_t>{6, 6, 4});            // samples_batch_size 3 of 8, times N = 2
  CHECK(targets_seen == Targets{1, 0, 1, 0});                    // tiled per sample in the last call
  Generator gen2(3);
  const Tensor spread = tunnel.attribute(x, {}, NoiseTunnelType::VarGrad, 8, 0.5f, gen2);
  double bias = 0, variance = 0;
  for (int64_t j = 0; j < x.numel(); ++j) {
    bias += noise_mean.data()[j] - x.data()[j];
    variance += spread.data()[j];
  }
  CHECK(std::abs(bias / x.numel()) < 0.02);                      // mean of 8000 N(0, 0.25) draws
  CHECK(variance / x.numel() == Approx(0.25 * 7 / 8).epsilon(0.05));  // population variance of 8 samples
}

TEST_CASE("NoiseTunnel works over Integrated Gradients and checks its arguments", "[explain][noise_tunnel]") {
  const LinearModel linear(6, 3, 13);
  const IntegratedGradients ig(linear.model());
  const NoiseTunnel tunnel(ig);
  const Tensor x = uniform_batch({2, 6}, 14);
  Generator gen(2);
  // On a linear model IG(x + e) = w ⊙ (x + e): SmoothGrad of it is w ⊙ (x + mean e), close to IG(x).
  const Tensor smooth = tunnel.attribute(x, {1}, NoiseTunnelType::SmoothGrad, 400, 0.01f, gen, 50);
  const Tensor plain = ig.attribute(x, {1});
  for (int64_t j = 0; j < x.numel(); ++j) CHECK(smooth.data()[j] == Approx(plain.data()[j]).margin(3e-3));
  CHECK_THROWS_AS(tunnel.attribute(x, {}, NoiseTunnelType::SmoothGrad, 0, 0.1f, gen), Error);
  CHECK_THROWS_AS(tunnel.attribute(x, {}, NoiseTunnelType::SmoothGrad, 2, -1, gen), Error);
}
