// Loss values against their definitions, computed by hand in double.
#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/ops.h"
#include "nn/losses.h"

using namespace mxai;
using namespace mxai::nn;

namespace {

Tensor values(const Shape& shape, std::initializer_list<real> v) { return Tensor::from(shape, std::vector<real>(v)); }

}  // namespace

TEST_CASE("cross_entropy is the mean negative log-softmax of the labelled class", "[nn][loss]") {
  const Tensor logits = values({2, 3}, {1, 2, 3, 1, 1, 1});
  const double l0 = -3 + std::log(std::exp(1) + std::exp(2) + std::exp(3)), l1 = std::log(3.0);
  CHECK(cross_entropy(logits, {2, 0}).item() == Approx((l0 + l1) / 2));
  CHECK(cross_entropy(logits, {2, 0}, Reduction::Sum).item() == Approx(l0 + l1));
  const Tensor each = cross_entropy(logits, {2, 0}, Reduction::None);
  CHECK(each.shape() == Shape{2});
  CHECK(each.data()[1] == Approx(l1));
  // Large logits stay finite.
  CHECK(cross_entropy(values({1, 2}, {1000, 0}), {1}).item() == Approx(1000));
  CHECK_THROWS_WITH(cross_entropy(logits, {3, 0}), Catch::Contains("label 3 of example 0"));
  CHECK_THROWS_WITH(cross_entropy(logits, {1}), Catch::Contains("1 labels"));
}

TEST_CASE("cross_entropy gradient is softmax minus one-hot, over N", "[nn][loss]") {
  Tensor logits = values({1, 3}, {0, 0, 0}).requires_grad_();
  cross_entropy(logits, {1}).backward();
  CHECK(logits.grad().data()[0] == Approx(1.0 / 3));
  CHECK(logits.grad().data()[1] == Approx(1.0 / 3 - 1));
}

TEST_CASE("binary_cross_entropy_with_logits is stable for large logits", "[nn][loss]") {
  const Tensor x = values({4}, {0, 100, -100, 2});
  const Tensor t = values({4}, {1, 0, 1, 0.25});
  const Tensor each = binary_cross_entropy_with_logits(x, t, Reduction::None);
  CHECK(each.data()[0] == Approx(std::log(2.0)));
  CHECK(each.data()[1] == Approx(100));
  CHECK(each.data()[2] == Approx(100));
  const double s = 1 / (1 + std::exp(-2.0));
  CHECK(each.data()[3] == Approx(-(0.25 * std::log(s) + 0.75 * std::log(1 - s))));
  Tensor xg = values({1}, {0}).requires_grad_();
  binary_cross_entropy_with_logits(xg, values({1}, {1})).backward();
  CHECK(xg.grad().item() == Approx(-0.5));  // sigmoid(0) - t
}

TEST_CASE("binary_cross_entropy floors each log at -100 like PyTorch", "[nn][loss]") {
  const Tensor p = values({4}, {0.5, 0, 1, 0.9});
  const Tensor t = values({4}, {1, 1, 0, 0});
  const Tensor each = binary_cross_entropy(p, t, Reduction::None);
  CHECK(each.data()[0] == Approx(std::log(2.0)));
  CHECK(each.data()[1] == Approx(100));
  CHECK(each.data()[2] == Approx(100));
  CHECK(each.data()[3] == Approx(-std::log(0.1)).epsilon(1e-5));
  CHECK(binary_cross_entropy(p, t, Reduction::Sum).item() == Approx(200 + std::log(2.0) - std::log(0.1)).epsilon(1e-5));

  Tensor pg = values({3}, {0, 1, 0.25}).requires_grad_();
  binary_cross_entropy(pg, values({3}, {1, 0, 1}), Reduction::Sum).backward();
  for (real g : pg.grad().to_vector()) CHECK(std::isfinite(g));
  CHECK(pg.grad().data()[2] == Approx(-4));  // -t / p
  CHECK_THROWS_WITH(binary_cross_entropy(values({1}, {1.5}), values({1}, {1})), Catch::Contains("not a probability"));
}

TEST_CASE("mse_loss and l1_loss", "[nn][loss]") {
  const Tensor a = values({2, 2}, {1, 2, 3, 4});
  const Tensor b = values({2, 2}, {0, 2, 5, 1});
  CHECK(mse_loss(a, b).item() == Approx((1 + 0 + 4 + 9) / 4.0));
  CHECK(mse_loss(a, b, Reduction::Sum).item() == Approx(14));
  CHECK(l1_loss(a, b).item() == Approx((1 + 0 + 2 + 3) / 4.0));
  CHECK(l1_loss(a, b, Reduction::None).shape() == Shape{2, 2});
  CHECK_THROWS_WITH(mse_loss(a, values({4}, {0, 0, 0, 0})), Catch::Contains("same shape"));
}

TEST_CASE("gaussian_kl to N(0, I): per-example sum over features, mean over the batch", "[nn][loss]") {
  const Tensor mu = values({2, 2}, {0, 0, 1, -2});
  const Tensor logvar = values({2, 2}, {0, 0, static_cast<real>(std::log(2.0)), 0});
  // KL per coordinate: (mu^2 + var - 1 - log var) / 2.
  const double kl1 = (1 + 2 - 1 - std::log(2.0)) / 2 + (4 + 1 - 1 - 0) / 2.0;
  const Tensor each = gaussian_kl(mu, logvar, Reduction::None);
  CHECK(each.shape() == Shape{2});
  CHECK(each.data()[0] == Approx(0).margin(1e-7));
  CHECK(each.data()[1] == Approx(kl1));
  CHECK(gaussian_kl(mu, logvar).item() == Approx(kl1 / 2));
  CHECK(gaussian_kl(mu, logvar, Reduction::Sum).item() == Approx(kl1));
}
