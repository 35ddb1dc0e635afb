// The claim checks turn per-point fractions into three-way verdicts: a clear win holds, a difference inside the
// noise is a tie, a loss does not hold; MNIST32's IG claim is judged on the path-averaged gradient; TAIG's claims
// use the mu reached without a target and the lower quartiles of the diagnostics.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "autodiff/random.h"
#include "experiments/claim_checks.h"

using namespace mxai;
using namespace mxai::experiments;
using explain::Verdict;

namespace {

// n per-point fractions: a shared per-point level in [0.3, 0.6] plus `shift` plus `noise` N(0,1).
std::vector<double> fractions(int n, double shift, double noise, uint64_t seed) {
  Generator level(99), jitter(seed);
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = 0.3 + 0.3 * level.uniform() + shift + noise * jitter.normal();
  return v;
}

const Finding& find(const std::vector<Finding>& findings, const std::string& start) {
  for (const auto& f : findings)
    if (f.claim.rfind(start, 0) == 0) return f;
  FAIL("no finding starts with '" << start << "'");
  return findings.front();
}

}  // namespace

TEST_CASE("claim checks: MNIST32 judges IG on the path-averaged gradient and calls a tiny gap a tie",
          "[experiments][claims]") {
  DatasetResults section;
  section.key = "mnist32";
  section.random_baseline = 0.1;
  ModelResults standard{"standard", "LeNet", 0.99, {}};
  standard.methods = {{"gradient", "Gradient", fractions(400, 0.0, 0.01, 1)},
                      {"integrated_gradients", "IG", fractions(400, 0.0, 0.01, 2)},           // ties the gradient
                      {"integrated_gradients_path", "IG path", fractions(400, 0.05, 0.01, 3)},  // clearly above
                      {"smoothgrad", "SmoothGrad", fractions(400, 0.0003, 0.05, 4)}};         // 0.7049 vs 0.7046
  ModelResults adversarial{"adversarial", "LeNet PGD", 0.98, {}};
  adversarial.methods = {{"gradient", "Gradient", fractions(400, -0.1, 0.01, 5)}};
  section.models = {standard, adversarial};

  add_manifold_findings(section, 0);
  const Finding& ig = find(section.findings, "Integrated Gradients is more aligned than the raw gradient (standard");
  CHECK(ig.verdict == Verdict::Holds);
  CHECK(ig.claim.find("path-averaged") != std::string::npos);
  CHECK(ig.difference == Approx(0.05).margin(0.005));
  CHECK(ig.ci_low > 0);
  CHECK(ig.n == 400);
  CHECK(ig.detail.find("tie") != std::string::npos);  // the multiplied variant, shown beside, ties
  CHECK(find(section.findings, "SmoothGrad is more aligned").verdict == Verdict::Tie);
  CHECK(find(section.findings, "Every method is more aligned than a random vector (standard").verdict ==
        Verdict::Holds);
  const Finding& adv = find(section.findings, "Adversarial training");
  CHECK(adv.verdict == Verdict::DoesNotHold);
  CHECK(adv.ci_high < 0);

  // On another data set the standard, multiplied IG decides.
  section.key = "fashion-mnist";
  section.findings.clear();
  add_manifold_findings(section, 0);
  CHECK(find(section.findings, "Integrated Gradients is more aligned than the raw gradient (standard").verdict ==
        Verdict::Tie);
}

TEST_CASE("claim checks: every method above random fails when one method is below it", "[experiments][claims]") {
  DatasetResults section;
  section.key = "mnist32";
  section.random_baseline = 0.5;
  ModelResults model{"standard", "LeNet", 0.99, {}};
  model.methods = {{"gradient", "Gradient", fractions(300, 0.3, 0.01, 1)},
                   {"input_x_gradient", "x * grad", fractions(300, -0.2, 0.01, 2)}};  // around 0.25-0.4 < 0.5
  section.models = {model};
  add_manifold_findings(section, 0);
  const Finding& f = find(section.findings, "Every method is more aligned than a random vector");
  CHECK(f.verdict == Verdict::DoesNotHold);
  CHECK(f.statistic.find("input_x_gradient") != std::string::npos);  // the weakest is named
}

TEST_CASE("claim checks: TAIG verdicts from mu without a target and the diagnostics' lower quartiles",
          "[experiments][claims]") {
  TaigResults taig;
  const int n = 200;
  std::vector<double> high(n), start(n), far(n), gap(n), near(n);
  Generator gen(7);
  for (int i = 0; i < n; ++i) {
    high[i] = 0.93 + 0.05 * gen.uniform();
    start[i] = 0.4 + 0.1 * gen.uniform();
    far[i] = 2 + gen.uniform();
    gap[i] = 1 + gen.uniform();
    near[i] = i < n / 2 ? 0.01 : 3.0;  // half the base-points collapsed onto x
  }
  taig.methods = {{"ig_zero", "IG zero", fractions(n, 0.0, 0.01, 1)},
                  {"ig_optimal", "IG optimal", high},
                  {"gradient", "Gradient", fractions(n, 0.1, 0.01, 2)},
                  {"smoothgrad", "SmoothGrad", fractions(n, 0.1, 0.01, 3)},
                  {"input_x_gradient", "x * grad", fractions(n, -0.05, 0.01, 4)}};
  taig.diagnostics.distance = far;
  taig.diagnostics.output_gap = gap;
  taig.diagnostics.initial_mu = start;
  add_taig_findings(taig, 0);
  CHECK(find(taig.findings, "The optimised base-point gives median mu >= 0.9").verdict == Verdict::Holds);
  CHECK(find(taig.findings, "The optimised base-point is more aligned than every other").verdict == Verdict::Holds);
  CHECK(find(taig.findings, "The optimised base-points are not degenerate").verdict == Verdict::Holds);
  // Input x Gradient is below IG with the zero base-point: the gradient methods do not all win.
  const Finding& gradients = find(taig.findings, "The gradient methods are more aligned");
  CHECK(gradients.verdict == Verdict::DoesNotHold);
  CHECK(gradients.statistic.find("input_x_gradient vs ig_zero") != std::string::npos);

  taig.findings.clear();
  taig.diagnostics.distance = near;
  add_taig_findings(taig, 0);
  CHECK(find(taig.findings, "The optimised base-points are not degenerate").verdict == Verdict::DoesNotHold);
}
