// Layer behaviour in the float32 build: PyTorch's default initialisations, output shapes, and the train/eval
// difference of Dropout and BatchNorm2d.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "nn/nn.h"

using namespace mxai;
using namespace mxai::nn;

namespace {

double max_abs(const Tensor& t) {
  double m = 0;
  for (int64_t i = 0; i < t.numel(); ++i) m = std::max(m, std::abs(static_cast<double>(t.data()[i])));
  return m;
}

// All entries within the bound, and spread over it (a uniform sample of this size reaches 80% of the bound).
void check_uniform_bound(const Tensor& t, double bound) {
  INFO("shape " << shape_str(t.shape()) << " bound " << bound);
  CHECK(max_abs(t) <= bound);
  CHECK(max_abs(t) > 0.8 * bound);
}

}  // namespace

TEST_CASE("Linear and Conv2d use kaiming_uniform(a=sqrt(5)): U(-1/sqrt(fan_in), 1/sqrt(fan_in))", "[nn][init]") {
  Generator gen(1);
  Linear linear(50, 30, gen);
  CHECK(linear.weight.shape() == Shape{30, 50});
  CHECK(linear.bias.shape() == Shape{30});
  check_uniform_bound(linear.weight, 1 / std::sqrt(50.0));
  check_uniform_bound(linear.bias, 1 / std::sqrt(50.0));

  Conv2d conv(3, 40, 3, gen);
  CHECK(conv.weight.shape() == Shape{40, 3, 3, 3});
  check_uniform_bound(conv.weight, 1 / std::sqrt(27.0));
  check_uniform_bound(conv.bias, 1 / std::sqrt(27.0));
}

TEST_CASE("ConvTranspose2d computes fan_in from weight.size(1) like PyTorch", "[nn][init]") {
  Generator gen(2);
  ConvTranspose2d deconv(40, 8, 3, gen);
  CHECK(deconv.weight.shape() == Shape{40, 8, 3, 3});
  // fan_in = size(1) * k * k = 8 * 9 = 72, not in_channels * 9 = 360.
  check_uniform_bound(deconv.weight, 1 / std::sqrt(72.0));
  CHECK(deconv.bias.shape() == Shape{8});
  CHECK(max_abs(deconv.bias) <= 1 / std::sqrt(72.0));
}

TEST_CASE("initialisation is a function of the seed", "[nn][init]") {
  Generator a(7), b(7), c(8);
  Linear la(4, 3, a), lb(4, 3, b), lc(4, 3, c);
  CHECK(la.weight.to_vector() == lb.weight.to_vector());
  CHECK(la.bias.to_vector() == lb.bias.to_vector());
  CHECK(la.weight.to_vector() != lc.weight.to_vector());
  CHECK(fan_in(Tensor::zeros({5, 2, 3, 3})) == 18);
}

TEST_CASE("BatchNorm2d starts with weight 1, bias 0, running mean 0, running var 1", "[nn][init][batchnorm]") {
  BatchNorm2d bn(3);
  CHECK(bn.weight.to_vector() == std::vector<real>(3, 1));
  CHECK(bn.bias.to_vector() == std::vector<real>(3, 0));
  CHECK(bn.running_mean.to_vector() == std::vector<real>(3, 0));
  CHECK(bn.running_var.to_vector() == std::vector<real>(3, 1));
  CHECK(bn.num_batches_tracked.item() == 0);
  CHECK(bn.weight.requires_grad());
  CHECK_FALSE(bn.running_mean.requires_grad());
}

TEST_CASE("layer output shapes", "[nn]") {
  Generator gen(3);
  const Tensor x = randn({2, 3, 9, 8}, gen);
  CHECK(Conv2d(3, 4, 3, gen)(x).shape() == Shape{2, 4, 7, 6});
  CHECK(Conv2d(3, 4, 3, gen, {2, 1, 1, true})(x).shape() == Shape{2, 4, 5, 4});
  CHECK(Conv2d(3, 4, 3, gen, {1, 0, 2, false})(x).shape() == Shape{2, 4, 5, 4});
  CHECK(ConvTranspose2d(3, 2, 3, gen, {2, 1, 1, 1, true})(x).shape() == Shape{2, 2, 18, 16});
  CHECK(ConvTranspose2d(3, 2, 4, gen)(x).shape() == Shape{2, 2, 12, 11});
  CHECK(MaxPool2d(2)(x).shape() == Shape{2, 3, 4, 4});
  CHECK(AvgPool2d(3, 2, 1)(x).shape() == Shape{2, 3, 5, 4});
  CHECK(Flatten()(x).shape() == Shape{2, 216});
  CHECK(Linear(8, 5, gen)(x).shape() == Shape{2, 3, 9, 5});
  CHECK(BasicBlock(3, 6, 2, gen)(x).shape() == Shape{2, 6, 5, 4});
  CHECK(BasicBlock(3, 3, 1, gen)(x).shape() == Shape{2, 3, 9, 8});
  CHECK_THROWS_WITH(Conv2d(2, 4, 3, gen)(x), Catch::Contains("expected input (N,2,H,W)"));
  CHECK_THROWS_WITH(Linear(7, 5, gen)(x), Catch::Contains("does not end in 7 features"));
  CHECK_THROWS_WITH(Conv2d(3, 4, 3, gen, {0, 0, 1, true}), Catch::Contains("stride and dilation must be positive"));
  CHECK_THROWS_WITH(ConvTranspose2d(3, 4, 0, gen), Catch::Contains("kernel size must be positive"));
}

TEST_CASE("activation layers apply their functions", "[nn]") {
  const Tensor x = Tensor::from({4}, {real(-2), real(-0.5), real(0.5), real(2)});
  CHECK(ReLU()(x).to_vector() == std::vector<real>{0, 0, real(0.5), 2});
  CHECK(LeakyReLU(real(0.1))(x).data()[0] == Approx(-0.2));
  CHECK(ELU(real(1))(x).data()[0] == Approx(std::expm1(-2.0)));
  CHECK(Softplus(real(10))(x).data()[2] == Approx(std::log1p(std::exp(5.0)) / 10));
  CHECK(Sigmoid()(x).data()[3] == Approx(1 / (1 + std::exp(-2.0))));
  CHECK(Tanh()(x).data()[1] == Approx(std::tanh(-0.5)));
}

TEST_CASE("Dropout: inverted dropout in training, identity in eval, reproducible per seed", "[nn][dropout]") {
  const Tensor x = Tensor::ones({1000});
  Dropout drop(real(0.5), 42);
  const Tensor y = drop(x);
  int64_t zeros = 0;
  for (real v : y.to_vector()) {
    CHECK((v == 0 || v == 2));
    zeros += v == 0;
  }
  CHECK(zeros > 400);
  CHECK(zeros < 600);
  CHECK(drop(x).to_vector() != y.to_vector());  // the stream moves on

  Dropout same(real(0.5), 42);
  CHECK(same(x).to_vector() == y.to_vector());

  drop.eval();
  CHECK(drop(x).to_vector() == x.to_vector());
  drop.train();
  CHECK(drop(x).to_vector() != x.to_vector());

  // Two layers sharing one stream draw consecutive masks from it.
  auto shared = std::make_shared<Generator>(42);
  Dropout first(real(0.5), shared), second(real(0.5), shared);
  CHECK(first(x).to_vector() == y.to_vector());
  CHECK(second(x).to_vector() != y.to_vector());
  Generator explicit_gen(42);
  CHECK(Dropout(real(0.5), 1).forward(x, explicit_gen).to_vector() == y.to_vector());
  CHECK_THROWS_WITH(Dropout(real(1)), Catch::Contains("[0, 1)"));
}

TEST_CASE("BatchNorm2d training: batch statistics, running averages with the unbiased variance", "[nn][batchnorm]") {
  // Channel 0 holds 1..8, channel 1 holds 10 * (1..8), over N=2, H=2, W=2.
  std::vector<real> v(16);
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 2; ++c)
      for (int k = 0; k < 4; ++k) v[(n * 2 + c) * 4 + k] = static_cast<real>((c ? 10 : 1) * (n * 4 + k + 1));
  const Tensor x = Tensor::from({2, 2, 2, 2}, v);
  BatchNorm2d bn(2);
  const Tensor y = bn(x);
  // Mean 4.5, biased variance 5.25 (unbiased 6) for channel 0; x100 in the variance for channel 1.
  const double inv_std0 = 1 / std::sqrt(5.25 + 1e-5), inv_std1 = 1 / std::sqrt(525 + 1e-5);
  CHECK(y.at({0, 0, 0, 0}) == Approx((1 - 4.5) * inv_std0));
  CHECK(y.at({1, 1, 1, 1}) == Approx((80 - 45) * inv_std1));
  CHECK(bn.running_mean.data()[0] == Approx(0.45));
  CHECK(bn.running_mean.data()[1] == Approx(4.5));
  CHECK(bn.running_var.data()[0] == Approx(0.9 + 0.1 * 6));
  CHECK(bn.running_var.data()[1] == Approx(0.9 + 0.1 * 600));
  CHECK(bn.num_batches_tracked.item() == 1);
  bn(x);
  CHECK(bn.running_mean.data()[0] == Approx(0.9 * 0.45 + 0.1 * 4.5));
  CHECK(bn.num_batches_tracked.item() == 2);

  BatchNorm2d one_value(2);
  CHECK_THROWS_WITH(one_value(Tensor::zeros({1, 2, 1, 1})), Catch::Contains("more than 1 value per channel"));
}

TEST_CASE("BatchNorm2d eval: frozen running statistics, no updates, examples independent", "[nn][batchnorm]") {
  Generator gen(5);
  BatchNorm2d bn(2);
  bn.running_mean.data()[0] = 1;
  bn.running_mean.data()[1] = -2;
  bn.running_var.data()[0] = 4;
  bn.running_var.data()[1] = 0.25;
  bn.weight.data()[1] = 3;
  bn.bias.data()[1] = 0.5;
  bn.eval();
  const Tensor x = randn({3, 2, 2, 2}, gen);
  const Tensor y = bn(x);
  CHECK(y.at({2, 0, 1, 0}) == Approx((x.at({2, 0, 1, 0}) - 1) / std::sqrt(4 + 1e-5)));
  CHECK(y.at({1, 1, 0, 1}) == Approx(3 * (x.at({1, 1, 0, 1}) + 2) / std::sqrt(0.25 + 1e-5) + 0.5));
  CHECK(bn.running_mean.data()[0] == 1);
  CHECK(bn.num_batches_tracked.item() == 0);
  // One example alone gives the same output as inside the batch (batch statistics would not).
  CHECK(bn(narrow(x, 0, 2, 1)).at({0, 0, 1, 0}) == Approx(y.at({2, 0, 1, 0})));
  bn.train();
  CHECK(bn(narrow(x, 0, 0, 2)).at({0, 0, 1, 0}) != Approx(y.at({0, 0, 1, 0})));
}

TEST_CASE("BatchNorm2d training mode is differentiable through the batch statistics", "[nn][batchnorm]") {
  Generator gen(6);
  BatchNorm2d bn(1);
  Tensor x = randn({4, 1, 1, 1}, gen).requires_grad_();
  // The normalised outputs always sum to zero, so the gradient of their sum vanishes only if the
  // statistics are differentiated.
  sum(bn(x)).backward();
  for (real g : x.grad().to_vector()) CHECK(std::abs(g) < 1e-4);
  CHECK(bn.bias.grad().item() == Approx(4));
}
