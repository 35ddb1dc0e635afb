// Integrated Gradients: exactness on a linear model for every quadrature rule, completeness on a smooth model and
// its convergence in n_steps, chunking, baselines and the multiply_by_inputs switch.
#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/integrated_gradients.h"
#include "explain/target.h"
#include "test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;
using mxai_test::LinearModel;
using mxai_test::SoftplusMlp;
using mxai_test::uniform_batch;

namespace {

const Quadrature kAllRules[] = {Quadrature::GaussLegendre, Quadrature::RiemannLeft, Quadrature::RiemannRight,
                                Quadrature::RiemannMiddle, Quadrature::RiemannTrapezoid};

// max_i |delta_i| / max(|F(x_i) - F(b_i)|, 1): the completeness error, relative to the explained difference.
double completeness_error(const Model& model, const Tensor& x, const Tensor& baseline, int n_steps, Quadrature method) {
  IntegratedGradients ig(model);
  const IntegratedGradientsResult r = ig.attribute(x, baseline, {}, n_steps, method);
  const Targets targets = resolve_targets(model, x, {});
  NoGradGuard no_grad;
  const Tensor fx = select_target_logits(model(x), targets), fb = select_target_logits(model(baseline), targets);
  double worst = 0;
  for (int64_t i = 0; i < x.size(0); ++i) {
    const double difference = std::abs(fx.data()[i] - fb.data()[i]);
    worst = std::max(worst, std::abs(r.delta.data()[i]) / std::max(difference, 1.0));
  }
  return worst;
}

}  // namespace

TEST_CASE("IG of a linear model is w ⊙ (x - b) exactly, for every quadrature rule", "[explain][ig]") {
  const LinearModel linear(12, 4, 11);
  const Tensor x = uniform_batch({3, 3, 2, 2}, 1), baseline = uniform_batch({3, 3, 2, 2}, 2);
  const Targets targets{0, 3, 1};
  IntegratedGradients ig(linear.model());
  for (Quadrature method : kAllRules)
    for (int n_steps : {2, 5, 50}) {
      INFO(quadrature_name(method) << " with " << n_steps << " steps");
      const IntegratedGradientsResult r = ig.attribute(x, baseline, targets, n_steps, method);
      REQUIRE(r.attributions.shape() == x.shape());
      REQUIRE(r.delta.shape() == Shape{3});
      for (int64_t i = 0; i < 3; ++i)
        for (int64_t f = 0; f < 12; ++f) {
          const real expected = linear.weight.at({targets[i], f}) * (x.data()[i * 12 + f] - baseline.data()[i * 12 + f]);
          CHECK(r.attributions.data()[i * 12 + f] == Approx(expected).epsilon(1e-5).margin(1e-6));
        }
      for (int64_t i = 0; i < 3; ++i) CHECK(std::abs(r.delta.data()[i]) < 1e-5);
    }
}

TEST_CASE("IG completeness holds on a smooth network and improves with n_steps", "[explain][ig]") {
  // scale 60 makes the softplus kinks sharp: Gauss-Legendre with 10 nodes is then visibly inexact in float32.
  const SoftplusMlp mlp(16, 32, 5, 7, /*scale=*/60);
  const Tensor x = uniform_batch({4, 16}, 3, -2, 2), baseline = Tensor::zeros({4, 16});
  for (Quadrature method : {Quadrature::GaussLegendre, Quadrature::RiemannMiddle}) {
    const double e10 = completeness_error(mlp.model(), x, baseline, 10, method);
    const double e50 = completeness_error(mlp.model(), x, baseline, 50, method);
    const double e200 = completeness_error(mlp.model(), x, baseline, 200, method);
    // Measured: Gauss-Legendre 1.7e-3, 1.6e-6, 2e-8; midpoint 7.2e-3, 7.2e-4, 3.9e-5.
    INFO(quadrature_name(method) << ": relative completeness error " << e10 << " (10), " << e50 << " (50), " << e200
                                 << " (200)");
    CHECK(e50 < 1e-2);
    CHECK(e200 < 1e-3);
    // Monotone down to the float32 floor: a rule that stopped converging would fail here.
    CHECK(e10 > 1e-4);  // the model is sharp enough for the comparison to mean something
    CHECK(e50 < e10);
    CHECK(e200 < std::max(e50, 1e-6));
  }
}

TEST_CASE("IG chunked by internal_batch_size equals the one-batch result", "[explain][ig]") {
  const SoftplusMlp mlp(12, 16, 4, 5, 3);
  const Tensor x = uniform_batch({5, 3, 2, 2}, 8), baseline = uniform_batch({5, 3, 2, 2}, 9);
  IntegratedGradients ig(mlp.model());
  for (Quadrature method : {Quadrature::GaussLegendre, Quadrature::RiemannTrapezoid}) {
    const IntegratedGradientsResult whole = ig.attribute(x, baseline, {}, 20, method);
    for (int64_t chunk : {1, 7, 64, 1000}) {
      INFO("internal_batch_size " << chunk);
      const IntegratedGradientsResult part = ig.attribute(x, baseline, {}, 20, method, chunk);
      for (int64_t j = 0; j < x.numel(); ++j)
        CHECK(part.attributions.data()[j] == Approx(whole.attributions.data()[j]).margin(1e-5));
      for (int64_t i = 0; i < 5; ++i) CHECK(part.delta.data()[i] == Approx(whole.delta.data()[i]).margin(1e-5));
    }
  }
}

TEST_CASE("IG examples are independent of the batch they are explained in", "[explain][ig]") {
  const SoftplusMlp mlp(8, 16, 3, 6, 2);
  const Tensor x = uniform_batch({4, 8}, 12);
  IntegratedGradients ig(mlp.model());
  const Tensor batched = ig.attribute(x, Tensor(), {}, 16).attributions;
  for (int64_t i = 0; i < 4; ++i) {
    const Tensor single = ig.attribute(narrow(x, 0, i, 1).clone(), Tensor(), {}, 16).attributions;
    for (int64_t f = 0; f < 8; ++f) CHECK(single.data()[f] == Approx(batched.data()[i * 8 + f]).margin(1e-6));
  }
}

TEST_CASE("IG without the input multiplier is the path-averaged gradient", "[explain][ig]") {
  const SoftplusMlp mlp(10, 16, 3, 21, 2);
  const Tensor x = uniform_batch({3, 10}, 22), baseline = uniform_batch({3, 10}, 23);
  IntegratedGradients ig(mlp.model());
  const IntegratedGradientsResult multiplied = ig.attribute(x, baseline, {2}, 30);
  const IntegratedGradientsResult averaged = ig.attribute(x, baseline, {2}, 30, Quadrature::GaussLegendre, 0, false);
  for (int64_t j = 0; j < x.numel(); ++j)
    CHECK(averaged.attributions.data()[j] * (x.data()[j] - baseline.data()[j]) ==
          Approx(multiplied.attributions.data()[j]).margin(1e-6));
  // The delta reported without the multiplier is the completeness error of the multiplied IG.
  for (int64_t i = 0; i < 3; ++i) CHECK(averaged.delta.data()[i] == Approx(multiplied.delta.data()[i]).margin(1e-6));

  SECTION("on a linear model the path-averaged gradient is the weight row") {
    const LinearModel linear(10, 3, 4);
    const Tensor g = IntegratedGradients(linear.model())
                         .attribute(x, baseline, {1}, 7, Quadrature::RiemannLeft, 0, false)
                         .attributions;
    for (int64_t i = 0; i < 3; ++i)
      for (int64_t f = 0; f < 10; ++f) CHECK(g.data()[i * 10 + f] == Approx(linear.weight.at({1, f})).epsilon(1e-5));
  }
}

TEST_CASE("IG baselines: zeros by default, one example's baseline is shared by all", "[explain][ig]") {
  const SoftplusMlp mlp(12, 8, 3, 31, 2);
  const Tensor x = uniform_batch({3, 3, 2, 2}, 32);
  IntegratedGradients ig(mlp.model());
  const Tensor by_default = ig.attribute(x, Tensor(), {}, 10).attributions;
  const Tensor zeros = ig.attribute(x, Tensor::zeros(x.shape()), {}, 10).attributions;
  CHECK(by_default.to_vector() == zeros.to_vector());
  CHECK(ig.attribute(x).to_vector() == ig.attribute(x, Tensor(), {}, 50).attributions.to_vector());

  const Tensor one = uniform_batch({3, 2, 2}, 33);
  Tensor repeated = Tensor::empty(x.shape());
  for (int64_t i = 0; i < 3; ++i) std::copy(one.data(), one.data() + 12, repeated.data() + i * 12);
  const Tensor shared = ig.attribute(x, one, {}, 10).attributions;
  const Tensor shared_leading = ig.attribute(x, reshape(one, {1, 3, 2, 2}), {}, 10).attributions;
  const Tensor full = ig.attribute(x, repeated, {}, 10).attributions;
  CHECK(shared.to_vector() == full.to_vector());
  CHECK(shared_leading.to_vector() == full.to_vector());
  CHECK_THROWS_AS(ig.attribute(x, Tensor::zeros({2, 3, 2, 2})), Error);
}

TEST_CASE("IG explains the predicted class unless told otherwise", "[explain][ig]") {
  const LinearModel linear(6, 4, 41);
  const Tensor x = uniform_batch({5, 6}, 42);
  const Targets predicted = argmax(linear.model()(x), 1);
  IntegratedGradients ig(linear.model());
  CHECK(ig.attribute(x).to_vector() == ig.attribute(x, predicted).to_vector());
  const Tensor for_class_2 = ig.attribute(x, Targets{2});
  for (int64_t i = 0; i < 5; ++i)
    for (int64_t f = 0; f < 6; ++f)
      CHECK(for_class_2.data()[i * 6 + f] == Approx(linear.weight.at({2, f}) * x.data()[i * 6 + f]).epsilon(1e-5));
  CHECK_THROWS_AS(ig.attribute(x, Targets{4}), Error);
  CHECK_THROWS_AS(ig.attribute(x, Targets{0, 1}), Error);
  CHECK_THROWS_AS(ig.attribute(x, Tensor(), {}, 0), Error);
}
