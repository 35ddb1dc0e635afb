// The architecture registry: LeNet exactly as the reference, VGG and ResNet naming, and end-to-end training of
// small classifiers on separable toy problems.
#include <catch2/catch.hpp>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "nn/nn.h"

using namespace mxai;
using namespace mxai::nn;

namespace {

std::vector<std::string> parameter_names(const Module& m) {
  std::vector<std::string> names;
  for (const auto& [name, t] : m.named_parameters()) names.push_back(name);
  return names;
}

}  // namespace

TEST_CASE("LeNet on 1x32x32: (N,10) logits, 1,625,866 parameters, reference names", "[nn][classifier]") {
  auto net = make_classifier("lenet", 1, 32, 32, 10, 0);
  Generator gen(1);
  CHECK(net->forward(randn({3, 1, 32, 32}, gen)).shape() == Shape{3, 10});
  CHECK(net->num_parameters() == 1625866);
  CHECK(parameter_names(*net) == std::vector<std::string>{"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                                                          "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"});
  CHECK(net->state_dict().at("fc1.weight").shape() == Shape{128, 64 * 14 * 14});
  CHECK(net->named_buffers().empty());
  // The MNIST network of the PyTorch example has 1,199,882 parameters.
  CHECK(make_classifier("lenet", 1, 28, 28, 10, 0)->num_parameters() == 1199882);
  CHECK(make_classifier("lenet", 3, 9, 11, 4, 0)->forward(randn({2, 3, 9, 11}, gen)).shape() == Shape{2, 4});
  CHECK_THROWS_WITH(make_classifier("lenet", 1, 5, 5, 10, 0), Catch::Contains("at least 6x6"));
}

TEST_CASE("lenet-softplus has LeNet's parameters and a smooth activation", "[nn][classifier]") {
  auto relu_net = make_classifier("lenet", 1, 12, 12, 3, 4);
  auto smooth = make_classifier("lenet-softplus", 1, 12, 12, 3, 4);
  CHECK(parameter_names(*smooth) == parameter_names(*relu_net));
  CHECK(smooth->state_dict().at("conv2.weight").to_vector() == relu_net->state_dict().at("conv2.weight").to_vector());
  smooth->eval();
  relu_net->eval();
  Generator gen(2);
  const Tensor x = randn({2, 1, 12, 12}, gen);
  CHECK(smooth->forward(x).to_vector() != relu_net->forward(x).to_vector());
  // Second derivatives with respect to the input do not vanish (they do almost everywhere for ReLU).
  Tensor xs = x.clone().requires_grad_();
  const Tensor g = grad({sum(smooth->forward(xs))}, {xs}, {}, /*create_graph=*/true)[0];
  const Tensor hv = grad({sum(g * g)}, {xs})[0];
  double norm = 0;
  for (real v : hv.to_vector()) norm += std::abs(v);
  CHECK(norm > 0);
}

TEST_CASE("vgg and resnet: shapes and torchvision-style names", "[nn][classifier]") {
  Generator gen(3);
  auto vgg = make_classifier("vgg", 3, 32, 32, 10, 0);
  CHECK(vgg->forward(randn({2, 3, 32, 32}, gen)).shape() == Shape{2, 10});
  const StateDict vs = vgg->state_dict();
  CHECK(vs.count("features.0.weight"));
  CHECK(vs.count("features.1.running_mean"));
  CHECK(vs.count("features.15.num_batches_tracked"));
  CHECK(vs.at("classifier.0.weight").shape() == Shape{256, 128 * 4 * 4});
  CHECK(vs.at("classifier.3.weight").shape() == Shape{10, 256});

  auto resnet = make_classifier("resnet", 3, 32, 32, 10, 0);
  CHECK(resnet->forward(randn({2, 3, 32, 32}, gen)).shape() == Shape{2, 10});
  const StateDict rs = resnet->state_dict();
  for (const char* name : {"conv1.weight", "bn1.running_var", "layer1.0.conv1.weight", "layer1.0.bn2.bias",
                           "layer2.0.downsample.0.weight", "layer3.0.downsample.1.running_mean", "fc.weight"}) {
    INFO(name);
    CHECK(rs.count(name));
  }
  CHECK_FALSE(rs.count("layer1.0.downsample.0.weight"));
  CHECK(rs.at("fc.weight").shape() == Shape{10, 64});
  CHECK(make_classifier("resnet", 1, 5, 7, 3, 0)->forward(randn({2, 1, 5, 7}, gen)).shape() == Shape{2, 3});
}

TEST_CASE("the registry rejects unknown names, listing the known ones; models depend only on the seed",
          "[nn][classifier]") {
  CHECK(classifier_names() == std::vector<std::string>{"lenet", "lenet-softplus", "resnet", "simplenet", "vgg"});
  CHECK_THROWS_WITH(make_classifier("alexnet", 1, 28, 28, 10, 0),
                    Catch::Contains("unknown architecture 'alexnet'") &&
                        Catch::Contains("lenet, lenet-softplus, resnet, simplenet, vgg"));
  CHECK_THROWS_WITH(make_classifier("vgg", 3, 32, 32, 0, 0), Catch::Contains("must be positive"));
  for (const std::string& name : classifier_names()) {
    INFO(name);
    const int64_t side = name == "simplenet" ? 32 : 16;  // SimpleNetV1 halves five times
    auto a = make_classifier(name, 1, side, side, 3, 11), b = make_classifier(name, 1, side, side, 3, 11);
    auto c = make_classifier(name, 1, side, side, 3, 12);
    const Tensor x = Tensor::ones({2, 1, side, side});
    const std::vector<real> ya = a->forward(x).to_vector();  // training mode: dropout streams are seeded too
    CHECK(ya == b->forward(x).to_vector());
    CHECK(ya != c->forward(x).to_vector());
  }
}

// No wall-time check: on a loaded 2-core machine a time limit measures the load, not the code.
TEST_CASE("a tiny MLP learns two separable blobs", "[nn][classifier][train]") {
  Generator gen(5);
  const int64_t n = 64;
  Tensor x = randn({n, 2}, gen) * real(0.5);
  std::vector<int64_t> labels(n);
  for (int64_t i = 0; i < n; ++i) {
    labels[i] = i % 2;
    const real shift = labels[i] ? real(1.5) : real(-1.5);
    x.data()[2 * i] += shift;
    x.data()[2 * i + 1] += shift;
  }
  Sequential net{std::make_shared<Linear>(2, 16, gen), std::make_shared<ReLU>(), std::make_shared<Linear>(16, 2, gen)};
  Adam adam(net.parameters(), {0.05});
  double first = 0, last = 0;
  for (int step = 0; step < 60; ++step) {
    adam.zero_grad();
    const Tensor loss = cross_entropy(net(x), labels);
    loss.backward();
    adam.step();
    (step == 0 ? first : last) = loss.item();
  }
  net.eval();
  const std::vector<int64_t> predicted = argmax(net(x), 1);
  CHECK(predicted == labels);
  CHECK(last < 0.05 * first);
}

TEST_CASE("a tiny conv net with BatchNorm and dropout learns left-vs-right brightness", "[nn][classifier][train]") {
  Generator gen(6);
  const int64_t n = 32;
  Tensor x = randn({n, 1, 6, 6}, gen) * real(0.3);
  std::vector<int64_t> labels(n);
  for (int64_t i = 0; i < n; ++i) {
    labels[i] = i % 2;
    for (int64_t r = 0; r < 6; ++r)
      for (int64_t c = 0; c < 3; ++c) x.at({i, 0, r, labels[i] ? c + 3 : c}) += 1;
  }
  Sequential net{std::make_shared<Conv2d>(1, 4, 3, gen, Conv2dOptions{1, 1, 1, true}),
                 std::make_shared<BatchNorm2d>(4),
                 std::make_shared<ReLU>(),
                 std::make_shared<MaxPool2d>(2),
                 std::make_shared<Flatten>(),
                 std::make_shared<Dropout>(real(0.2), 3),
                 std::make_shared<Linear>(36, 2, gen)};
  SGD sgd(net.parameters(), {0.1, 0.9});
  CosineAnnealingLR schedule(sgd, 40);
  double first = 0, last = 0;
  for (int step = 0; step < 40; ++step) {
    sgd.zero_grad();
    const Tensor loss = cross_entropy(net(x), labels);
    loss.backward();
    sgd.step();
    schedule.step();
    (step == 0 ? first : last) = loss.item();
  }
  net.eval();
  CHECK(argmax(net(x), 1) == labels);
  CHECK(last < 0.2 * first);
}
