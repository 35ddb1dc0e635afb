// SimpleNetV1, the reference's labeler (spec 2.2), and the pieces added for it: Dropout2d, Xavier-uniform
// initialisation and MultiStepLR.
#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/ops.h"
#include "nn/nn.h"

using namespace mxai;
using namespace mxai::nn;

TEST_CASE("SimpleNetV1 on 1x32x32: (N,10) logits, 5,497,226 parameters, BatchNorm eps 1e-5 momentum 0.05",
          "[nn][classifier]") {
  // 13 convolutions with bias and BatchNorm (weight, bias), Linear(256, 10): counted from the spec's channels.
  auto net = make_classifier("simplenet", 1, 32, 32, 10, 0);
  CHECK(net->num_parameters() == 5497226);
  int batchnorms = 0, channel_dropouts = 0;
  for (const auto& child : std::dynamic_pointer_cast<SimpleNetV1>(net)->features->named_children()) {
    if (auto bn = std::dynamic_pointer_cast<BatchNorm2d>(child.second)) {
      ++batchnorms;
      CHECK(bn->options.eps == 1e-5);
      CHECK(bn->options.momentum == 0.05);
    }
    if (auto d = std::dynamic_pointer_cast<Dropout2d>(child.second)) {
      ++channel_dropouts;
      CHECK(d->p == Approx(0.1));
    }
  }
  CHECK(batchnorms == 13);
  CHECK(channel_dropouts == 5);

  Generator gen(1);
  SimpleNetV1 toy(1, 32, 32, 10, gen, /*width_divisor=*/32);
  const Tensor x = rand({3, 1, 32, 32}, gen);
  CHECK(toy.forward(x).shape() == Shape{3, 10});
  toy.eval();
  CHECK(toy.forward(x).shape() == Shape{3, 10});
  SimpleNetV1 wider_input(1, 64, 64, 4, gen, 32);  // the global max pool covers a 2x2 remainder
  CHECK(wider_input.forward(rand({2, 1, 64, 64}, gen)).shape() == Shape{2, 4});
  CHECK_THROWS_WITH(make_classifier("simplenet", 1, 28, 28, 10, 0), Catch::Contains("at least 32x32"));
}

TEST_CASE("SimpleNetV1 convolutions are Xavier-uniform with the ReLU gain", "[nn][classifier]") {
  Generator gen(5);
  SimpleNetV1 net(1, 32, 32, 10, gen, 1);
  // The 1x1 conv 512 -> 2048: bound sqrt(2) sqrt(6 / (512 + 2048)) = 0.0685; the default init's bound would be
  // 1/sqrt(512) = 0.0442, so the largest weight tells the two apart.
  std::shared_ptr<Conv2d> wide;
  for (const auto& child : net.features->named_children())
    if (auto c = std::dynamic_pointer_cast<Conv2d>(child.second))
      if (c->weight.size(0) == 2048) wide = c;
  REQUIRE(wide);
  const double bound = std::sqrt(2.0) * std::sqrt(6.0 / (512 + 2048));
  double largest = 0;
  for (real w : wide->weight.to_vector()) largest = std::max(largest, std::abs(static_cast<double>(w)));
  CHECK(largest <= bound);
  CHECK(largest > 0.99 * bound);
}

TEST_CASE("Dropout2d zeroes whole channels in training and is the identity in eval mode", "[nn]") {
  Dropout2d drop(real(0.5), 7);
  const Tensor x = Tensor::ones({4, 8, 3, 3});
  const Tensor y = drop.forward(x);
  const std::vector<real> v = y.to_vector();
  int zeroed = 0;
  for (int64_t channel = 0; channel < 32; ++channel) {
    const real first = v[static_cast<size_t>(channel * 9)];
    CHECK((first == 0 || first == real(2)));
    for (int64_t i = 1; i < 9; ++i) CHECK(v[static_cast<size_t>(channel * 9 + i)] == first);
    zeroed += first == 0;
  }
  CHECK(zeroed > 4);   // about half of 32
  CHECK(zeroed < 28);
  drop.eval();
  CHECK(drop.forward(x).to_vector() == x.to_vector());
  CHECK_THROWS_WITH(Dropout2d(real(0.5)).forward(Tensor::ones({2, 3})), Catch::Contains("(N,C,H,W)"));
}

TEST_CASE("MultiStepLR multiplies by gamma at each milestone", "[nn][optim]") {
  Tensor p = Tensor::ones({1}).requires_grad_();
  SGD sgd({p}, {0.1});
  MultiStepLR schedule(sgd, {4}, 0.1);  // the reference's robust LeNet: 15 epochs, one decay after epoch 4
  const double want[] = {0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01};
  for (const double w : want) {
    CHECK(sgd.lr() == Approx(w));
    schedule.step();
  }
  SGD other({p}, {1.0});
  MultiStepLR two(other, {1, 3}, 0.5);
  const double want_two[] = {1.0, 0.5, 0.5, 0.25, 0.25};
  for (const double w : want_two) {
    CHECK(other.lr() == Approx(w));
    two.step();
  }
  CHECK_THROWS_WITH(MultiStepLR(other, {3, 3}), Catch::Contains("increasing"));
  CHECK_THROWS_WITH(MultiStepLR(other, {0}), Catch::Contains("positive"));
}
