// l2 PGD: per-example eps balls, the [0,1] box, a higher loss than the clean input, and the reference's
// whole-batch-norm variant.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/pgd.h"
#include "test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;
using mxai_test::SoftplusMlp;
using mxai_test::uniform_batch;

namespace {

std::vector<double> example_norms(const Tensor& a, const Tensor& b) {
  const int64_t n = a.size(0), f = a.numel() / n;
  std::vector<double> norms(n, 0.0);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < f; ++j) norms[i] += std::pow(double(a.data()[i * f + j]) - b.data()[i * f + j], 2);
    norms[i] = std::sqrt(norms[i]);
  }
  return norms;
}

// Per-example cross-entropy, computed independently of cross_entropy_from_logits.
std::vector<double> example_losses(const Model& model, const Tensor& x, const std::vector<int64_t>& labels) {
  NoGradGuard no_grad;
  const Tensor logits = model(x);
  const int64_t k = logits.size(1);
  std::vector<double> losses;
  for (int64_t i = 0; i < x.size(0); ++i) {
    double m = -1e30, s = 0;
    for (int64_t c = 0; c < k; ++c) m = std::max(m, double(logits.at({i, c})));
    for (int64_t c = 0; c < k; ++c) s += std::exp(logits.at({i, c}) - m);
    losses.push_back(m + std::log(s) - logits.at({i, labels[i]}));
  }
  return losses;
}

}  // namespace

TEST_CASE("cross-entropy from logits is -mean log softmax at the labels", "[explain][pgd]") {
  const Tensor logits = Tensor::from({2, 3}, {1, 2, 3, 0.5f, -1, 2});
  const std::vector<int64_t> labels{2, 0};
  const double expected = (std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3 +
                           std::log(std::exp(0.5) + std::exp(-1.0) + std::exp(2.0)) - 0.5) / 2;
  CHECK(cross_entropy_from_logits(logits, labels).item() == Approx(expected).epsilon(1e-6));
  CHECK_THROWS_AS(cross_entropy_from_logits(logits, {2}), Error);
  CHECK_THROWS_AS(cross_entropy_from_logits(logits, {2, 3}), Error);
}

TEST_CASE("per-example PGD stays in each eps ball and in [0,1], and raises the loss", "[explain][pgd]") {
  const SoftplusMlp mlp(16, 32, 4, 1, 2);
  const Model model = mlp.model();
  const Tensor x = uniform_batch({8, 1, 4, 4}, 2);
  std::vector<int64_t> labels;
  {
    NoGradGuard no_grad;
    labels = argmax(model(x), 1);  // attack the predicted class: the clean loss is low
  }
  const real eps = 0.5f;
  for (bool random_start : {false, true}) {
    INFO("random start " << random_start);
    Generator gen(3);
    const Tensor adversarial = pgd_l2(model, x, labels, eps, 0.1f, 20, random_start, gen);
    REQUIRE(adversarial.shape() == x.shape());
    const std::vector<double> norms = example_norms(adversarial, x);
    for (double n : norms) CHECK(n <= eps * (1 + 1e-5));
    // 20 steps of 0.1 reach the boundary: every example uses its own full budget (whole-batch norms would not).
    for (double n : norms) CHECK(n > 0.9 * eps);
    for (real v : adversarial.to_vector()) {
      CHECK(v >= 0);
      CHECK(v <= 1);
    }
    const std::vector<double> clean = example_losses(model, x, labels), attacked = example_losses(model, adversarial, labels);
    double clean_mean = 0, attacked_mean = 0;
    for (size_t i = 0; i < clean.size(); ++i) {
      CHECK(attacked[i] > clean[i]);
      clean_mean += clean[i] / clean.size();
      attacked_mean += attacked[i] / clean.size();
    }
    CHECK(attacked_mean > clean_mean + 0.05);
  }
}

TEST_CASE("PGD clamps into the box without leaving the ball, and is seeded", "[explain][pgd]") {
  const SoftplusMlp mlp(16, 16, 3, 4, 2);
  const Model model = mlp.model();
  // Inputs at the edges of the box, so the clamp is active.
  Tensor x = uniform_batch({6, 16}, 5);
  for (int64_t j = 0; j < x.numel(); ++j) x.data()[j] = x.data()[j] < 0.5f ? 0.0f : 1.0f;
  const std::vector<int64_t> labels{0, 1, 2, 0, 1, 2};
  Generator g1(7), g2(7), g3(8);
  const Tensor a = pgd_l2(model, x, labels, 2.0f, 0.5f, 10, true, g1);
  const Tensor b = pgd_l2(model, x, labels, 2.0f, 0.5f, 10, true, g2);
  const Tensor c = pgd_l2(model, x, labels, 2.0f, 0.5f, 10, true, g3);
  CHECK(a.to_vector() == b.to_vector());
  CHECK(a.to_vector() != c.to_vector());
  for (double n : example_norms(a, x)) CHECK(n <= 2.0 * (1 + 1e-5));
  for (real v : a.to_vector()) {
    CHECK(v >= 0);
    CHECK(v <= 1);
  }
  Generator g4(1);
  CHECK(pgd_l2(model, x, labels, 1.0f, 0.1f, 0, false, g4).to_vector() == x.to_vector());
  CHECK_THROWS_AS(pgd_l2(model, x, {0}, 1.0f, 0.1f, 1, false, g4), Error);
}

TEST_CASE("reference PGD: whole-batch norms and an all-positive start of norm eps/2", "[explain][pgd]") {
  const SoftplusMlp mlp(16, 32, 4, 9, 2);
  const Model model = mlp.model();
  const Tensor x = uniform_batch({8, 16}, 10);
  const std::vector<int64_t> labels{0, 1, 2, 3, 0, 1, 2, 3};
  const real inf = std::numeric_limits<real>::infinity();
  const real eps = 1.0f;

  Generator gen(11);
  const Tensor start = pgd_l2(model, x, labels, eps, 0.1f, 0, true, gen, -inf, inf, PgdNorms::WholeBatchReference);
  double total = 0;
  for (int64_t j = 0; j < x.numel(); ++j) {
    const double delta = double(start.data()[j]) - x.data()[j];
    CHECK(delta >= -1e-7);
    total += delta * delta;
  }
  CHECK(std::sqrt(total) == Approx(eps / 2).epsilon(1e-4));

  Generator gen2(11);
  const Tensor adversarial = pgd_l2(model, x, labels, eps, 0.05f, 40, true, gen2, 0, 1, PgdNorms::WholeBatchReference);
  const std::vector<double> norms = example_norms(adversarial, x);
  double batch = 0, largest = 0;
  for (double n : norms) {
    batch += n * n;
    largest = std::max(largest, n);
  }
  CHECK(std::sqrt(batch) <= eps * (1 + 1e-5));
  CHECK(std::sqrt(batch) > 0.9 * eps);  // the budget is used, by the batch as a whole
  CHECK(largest < eps * 0.9);           // so no single example gets all of it
  const std::vector<double> clean = example_losses(model, x, labels), attacked = example_losses(model, adversarial, labels);
  double clean_mean = 0, attacked_mean = 0;
  for (size_t i = 0; i < clean.size(); ++i) {
    clean_mean += clean[i];
    attacked_mean += attacked[i];
  }
  CHECK(attacked_mean > clean_mean);
}
