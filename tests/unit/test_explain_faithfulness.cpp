// Infidelity, max sensitivity and deletion / insertion curves against closed forms on linear models.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

#include "autodiff/ops.h"
#include "explain/deletion_insertion.h"
#include "explain/faithfulness.h"
#include "explain/input_x_gradient.h"
#include "explain/saliency.h"
#include "unit/test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;

TEST_CASE("infidelity of a linear model: 0 for its gradient, E[(w.I)^2] for twice it, 0 again normalised",
          "[explain][faithfulness]") {
  // F(x) - F(x - I) = w . I exactly, so the gradient w has no infidelity; 2w errs by w . I on every draw.
  const mxai_test::LinearModel m(10, 3, 1);
  const Tensor x = mxai_test::uniform_batch({2, 10}, 2);
  const Tensor gradient = Saliency(m.model()).attribute(x, {1});
  const PerturbationFn perturb = gaussian_perturbation(real(0.1));
  Generator g1(3);
  for (double v : infidelity(m.model(), perturb, x, gradient, g1, {1})) CHECK(v == Approx(0).margin(1e-9));

  const Tensor doubled = gradient * real(2);
  Generator g2(3), replay(3);
  const std::vector<double> err = infidelity(m.model(), perturb, x, doubled, g2, {1});
  std::vector<double> expected(2, 0.0);
  for (int s = 0; s < 10; ++s) {
    const Tensor noise = perturb(x, replay);
    for (int64_t i = 0; i < 2; ++i) {
      double dot = 0;
      for (int64_t f = 0; f < 10; ++f) dot += m.weight.at({1, f}) * noise.at({i, f});
      expected[i] += dot * dot / 10;
    }
  }
  for (int64_t i = 0; i < 2; ++i) CHECK(err[i] == Approx(expected[i]).epsilon(1e-3));
  CHECK(err[0] > 0);
  InfidelitySettings normalized;
  normalized.normalize = true;
  Generator g3(3);
  for (double v : infidelity(m.model(), perturb, x, doubled, g3, {1}, normalized)) CHECK(v == Approx(0).margin(1e-7));
}

TEST_CASE("max sensitivity: 0 for a constant explanation, bounded by the radius for input times gradient",
          "[explain][faithfulness]") {
  const mxai_test::LinearModel m(8, 2, 4);
  const Tensor x = mxai_test::uniform_batch({3, 8}, 5, 0.5f, 1);
  const Saliency saliency(m.model());
  const InputXGradient ixg(m.model());
  Generator g1(6), g2(6);
  for (double v : sensitivity_max([&](const Tensor& in, const Targets& t) { return saliency.attribute(in, t); }, x, g1, {0}))
    CHECK(v == Approx(0).margin(1e-6));
  // x ⊙ w changes by e ⊙ w with |e| <= 0.02 entrywise: the ratio lies in (0, 0.02 ||w|| / ||x ⊙ w||].
  const std::vector<double> s =
      sensitivity_max([&](const Tensor& in, const Targets& t) { return ixg.attribute(in, t); }, x, g2, {0});
  for (int64_t i = 0; i < 3; ++i) {
    double w2 = 0, xw2 = 0;
    for (int64_t f = 0; f < 8; ++f) {
      w2 += std::pow(m.weight.at({0, f}), 2);
      xw2 += std::pow(m.weight.at({0, f}) * x.at({i, f}), 2);
    }
    CHECK(s[i] > 0);
    CHECK(s[i] <= 0.02 * std::sqrt(w2 / xw2) + 1e-6);
  }
}

TEST_CASE("deletion and insertion curves of a linear model follow the ranked partial sums",
          "[explain][faithfulness]") {
  // Logit score, baseline 0: removing a set S leaves F(x) - sum_S w x; inserting S gives b + sum_S w x.
  const mxai_test::LinearModel m(10, 3, 7);
  const Tensor x = mxai_test::uniform_batch({2, 10}, 8);
  const Tensor attributions = InputXGradient(m.model()).attribute(x, {2});
  DeletionInsertionSettings settings;
  settings.steps = 5;
  settings.score = CurveScore::Logit;
  const DeletionInsertionCurves c = deletion_insertion(m.model(), x, attributions, {2}, settings);
  REQUIRE(c.fractions.size() == 6);
  for (int64_t i = 0; i < 2; ++i) {
    std::vector<double> a(attributions.data() + i * 10, attributions.data() + (i + 1) * 10);
    std::sort(a.begin(), a.end(), std::greater<double>());
    double full = m.bias.data()[2];
    for (double v : a) full += v;
    double removed = 0, area_deletion = 0, area_insertion = 0;
    for (int s = 0; s <= 5; ++s) {
      if (s > 0) removed += a[2 * s - 2] + a[2 * s - 1];  // two of ten entries per fifth
      CHECK(c.deletion[i][s] == Approx(full - removed).margin(1e-4));
      CHECK(c.insertion[i][s] == Approx(m.bias.data()[2] + removed).margin(1e-4));
      const double weight = (s == 0 || s == 5) ? 0.1 : 0.2;
      area_deletion += weight * (full - removed);
      area_insertion += weight * (m.bias.data()[2] + removed);
    }
    CHECK(c.deletion_auc[i] == Approx(area_deletion).margin(1e-4));
    CHECK(c.insertion_auc[i] == Approx(area_insertion).margin(1e-4));
    // The ranking puts the largest contributions first: deletion falls fastest at the start.
    CHECK(c.deletion[i][1] <= c.deletion[i][0]);
  }
  // Probabilities are in [0, 1].
  const DeletionInsertionCurves p = deletion_insertion(m.model(), x, attributions, {2});
  for (const auto& curve : p.deletion)
    for (double v : curve) CHECK((v >= 0 && v <= 1));
}
