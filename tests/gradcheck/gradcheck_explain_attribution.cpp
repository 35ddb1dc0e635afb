// Float64 checks of the attribution methods: gradients against central differences, Integrated Gradients against
// a one-point-at-a-time reference, exactness on linear models, and quadrature convergence far below float32's floor.
#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/input_x_gradient.h"
#include "explain/integrated_gradients.h"
#include "explain/saliency.h"
#include "explain/target.h"
#include "unit/test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;

namespace {

double target_logit(const Model& model, const Tensor& x, int64_t example, int64_t target) {
  NoGradGuard no_grad;
  return model(narrow(x, 0, example, 1)).at({0, target});
}

}  // namespace

TEST_CASE("Saliency and Input×Gradient equal central differences in float64", "[gradcheck][explain]") {
  const mxai_test::SoftplusMlp mlp(6, 10, 3, 1, 2);
  const Model model = mlp.model();
  const Tensor x = mxai_test::uniform_batch({3, 6}, 2, -1, 1);
  const Targets targets{2, 0, 1};
  const Tensor gradient = Saliency(model).attribute(x, targets);
  const Tensor ixg = InputXGradient(model).attribute(x, targets);
  const double h = 1e-6;
  for (int64_t j = 0; j < x.numel(); ++j) {
    Tensor plus = x.clone(), minus = x.clone();
    plus.data()[j] += h;
    minus.data()[j] -= h;
    const int64_t i = j / 6;
    const double numeric = (target_logit(model, plus, i, targets[i]) - target_logit(model, minus, i, targets[i])) / (2 * h);
    CHECK(gradient.data()[j] == Approx(numeric).epsilon(1e-7).margin(1e-9));
    CHECK(ixg.data()[j] == Approx(numeric * x.data()[j]).epsilon(1e-7).margin(1e-9));
  }
}

TEST_CASE("batched, chunked IG equals a one-point-at-a-time reference in float64", "[gradcheck][explain]") {
  const mxai_test::SoftplusMlp mlp(8, 12, 4, 3, 3);
  const Model model = mlp.model();
  const Tensor x = mxai_test::uniform_batch({3, 2, 2, 2}, 4), baseline = mxai_test::uniform_batch({3, 2, 2, 2}, 5);
  const Targets targets = resolve_targets(model, x, {});
  const int n_steps = 9;
  for (Quadrature method : {Quadrature::GaussLegendre, Quadrature::RiemannTrapezoid, Quadrature::RiemannLeft}) {
    const QuadratureRule rule = quadrature_rule(method, n_steps);
    const IntegratedGradientsResult r = IntegratedGradients(model).attribute(x, baseline, {}, n_steps, method, 5);
    for (int64_t i = 0; i < 3; ++i) {
      std::vector<double> reference(8, 0.0);
      for (int s = 0; s < n_steps; ++s) {
        Tensor point = Tensor::empty({1, 2, 2, 2});
        for (int64_t f = 0; f < 8; ++f)
          point.data()[f] = baseline.data()[i * 8 + f] + rule.alphas[s] * (x.data()[i * 8 + f] - baseline.data()[i * 8 + f]);
        const Tensor g = target_gradient(model, point, {targets[i]});
        for (int64_t f = 0; f < 8; ++f) reference[f] += rule.weights[s] * g.data()[f];
      }
      double total = 0;
      for (int64_t f = 0; f < 8; ++f) {
        const double expected = (x.data()[i * 8 + f] - baseline.data()[i * 8 + f]) * reference[f];
        CHECK(r.attributions.data()[i * 8 + f] == Approx(expected).epsilon(1e-12).margin(1e-14));
        total += expected;
      }
      const double difference = target_logit(model, x, i, targets[i]) - target_logit(model, baseline, i, targets[i]);
      CHECK(r.delta.data()[i] == Approx(total - difference).margin(1e-12));
    }
  }
}

TEST_CASE("IG in float64: exact on linear models, converging far below float32's floor", "[gradcheck][explain]") {
  const mxai_test::LinearModel linear(10, 3, 6);
  const Tensor x = mxai_test::uniform_batch({2, 10}, 7), baseline = mxai_test::uniform_batch({2, 10}, 8);
  for (Quadrature method : {Quadrature::GaussLegendre, Quadrature::RiemannLeft, Quadrature::RiemannRight,
                            Quadrature::RiemannMiddle, Quadrature::RiemannTrapezoid}) {
    const IntegratedGradientsResult r = IntegratedGradients(linear.model()).attribute(x, baseline, {1}, 7, method);
    for (int64_t j = 0; j < 20; ++j)
      CHECK(r.attributions.data()[j] ==
            Approx(linear.weight.at({1, j % 10}) * (x.data()[j] - baseline.data()[j])).epsilon(1e-13).margin(1e-15));
    for (int64_t i = 0; i < 2; ++i) CHECK(std::abs(r.delta.data()[i]) < 1e-13);
  }

  const mxai_test::SoftplusMlp mlp(16, 32, 5, 7, 60);
  const Tensor xs = mxai_test::uniform_batch({4, 16}, 3, -2, 2);
  const IntegratedGradients ig(mlp.model());
  const auto worst_delta = [&](int n, Quadrature method) {
    const Tensor delta = ig.attribute(xs, Tensor(), {}, n, method).delta;
    double worst = 0;
    for (int64_t i = 0; i < 4; ++i) worst = std::max(worst, std::abs(delta.data()[i]));
    return worst;
  };
  const double gl10 = worst_delta(10, Quadrature::GaussLegendre), gl50 = worst_delta(50, Quadrature::GaussLegendre),
               gl200 = worst_delta(200, Quadrature::GaussLegendre);
  const double mid10 = worst_delta(10, Quadrature::RiemannMiddle), mid50 = worst_delta(50, Quadrature::RiemannMiddle),
               mid200 = worst_delta(200, Quadrature::RiemannMiddle);
  INFO("Gauss-Legendre " << gl10 << " " << gl50 << " " << gl200 << "; midpoint " << mid10 << " " << mid50 << " " << mid200);
  CHECK(gl50 < gl10 / 100);
  CHECK(gl200 < gl50 / 10);
  CHECK(gl200 < 1e-9);
  // The midpoint rule's error falls like 1/n^2 once the kinks are resolved: 16x from 50 to 200.
  CHECK(mid50 < mid10 / 5);
  CHECK(mid200 < mid50 / 8);
}
