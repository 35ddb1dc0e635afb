// Finite-difference checks of every nn layer (float64 build): first order, the full Jacobian on tiny shapes,
// second order and gradient accumulation, with respect to the layer's input AND each of its parameters.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "autodiff/gradcheck.h"
#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "nn/nn.h"

using namespace mxai;
using namespace mxai::nn;

namespace {

// Checks x -> tanh(module(x)) as a function of the input and of every parameter, by substituting the gradcheck's
// perturbed copies for the parameters with functional_call. The tanh gives the linear layers curvature, so the
// second-order check sees cross terms between input and weights.
GradcheckReport check_module(Module& module, const Tensor& x, int64_t jacobian_max = 64) {
  std::vector<std::string> names;
  std::vector<Tensor> inputs{x};
  for (const auto& [name, p] : module.named_parameters()) {
    names.push_back(name);
    inputs.push_back(p.detach().clone());
  }
  const auto f = [&module, names](const std::vector<Tensor>& in) {
    StateDict replacements;
    for (size_t i = 0; i < names.size(); ++i) replacements[names[i]] = in[i + 1];
    return tanh(functional_call(module, replacements, in[0]));
  };
  // A substitution that silently failed would make every parameter check pass vacuously (zero both ways).
  std::vector<Tensor> leaves;
  for (const Tensor& t : inputs) leaves.push_back(t.clone().requires_grad_());
  const std::vector<Tensor> grads = grad({sum(f(leaves))}, leaves);
  for (size_t i = 1; i < grads.size(); ++i) {
    double norm = 0;
    for (real g : grads[i].to_vector()) norm += std::abs(g);
    INFO(module.type_name() << " parameter " << names[i - 1] << " does not affect the output");
    CHECK(norm > 0);
  }
  return check_all(f, inputs, {}, jacobian_max);
}

void require_ok(const GradcheckReport& r) {
  INFO(r.detail);
  CHECK(r.ok);
}

}  // namespace

TEST_CASE("nn gradcheck: Linear", "[gradcheck][nn]") {
  Generator gen(1);
  Linear with_bias(3, 2, gen);
  require_ok(check_module(with_bias, randn({2, 3}, gen)));
  Linear without_bias(3, 2, gen, /*bias=*/false);
  require_ok(check_module(without_bias, randn({2, 3}, gen)));
  Linear batched(3, 2, gen);  // leading axes beyond the batch
  require_ok(check_module(batched, randn({2, 2, 3}, gen)));
}

TEST_CASE("nn gradcheck: Conv2d with stride, padding, dilation", "[gradcheck][nn]") {
  Generator gen(2);
  Conv2d plain(2, 2, 2, gen);
  require_ok(check_module(plain, randn({1, 2, 4, 4}, gen)));
  Conv2d strided(2, 3, 3, gen, {2, 1, 1, true});
  require_ok(check_module(strided, randn({2, 2, 5, 5}, gen)));
  Conv2d dilated(1, 2, 2, gen, {1, 1, 2, false});
  require_ok(check_module(dilated, randn({1, 1, 4, 4}, gen)));
}

TEST_CASE("nn gradcheck: ConvTranspose2d with output_padding", "[gradcheck][nn]") {
  Generator gen(3);
  ConvTranspose2d plain(2, 1, 2, gen);
  require_ok(check_module(plain, randn({1, 2, 3, 3}, gen)));
  ConvTranspose2d strided(2, 2, 3, gen, {2, 1, 1, 1, true});
  require_ok(check_module(strided, randn({1, 2, 3, 3}, gen)));
}

TEST_CASE("nn gradcheck: pooling layers", "[gradcheck][nn]") {
  Generator gen(4);
  MaxPool2d max_pool(2);
  require_ok(check_module(max_pool, randn({1, 2, 4, 4}, gen)));
  MaxPool2d max_pool_padded(3, 2, 1);
  require_ok(check_module(max_pool_padded, randn({1, 2, 5, 5}, gen)));
  AvgPool2d avg_pool(2);
  require_ok(check_module(avg_pool, randn({1, 2, 4, 4}, gen)));
  AvgPool2d avg_pool_padded(3, 2, 1);
  require_ok(check_module(avg_pool_padded, randn({1, 2, 5, 5}, gen)));
}

TEST_CASE("nn gradcheck: BatchNorm2d in training mode (through the batch statistics)", "[gradcheck][nn]") {
  Generator gen(5);
  BatchNorm2d bn(2);
  uniform_(bn.weight, 1.0, gen);  // away from the default 1 and 0, so weight and bias matter non-trivially
  uniform_(bn.bias, 1.0, gen);
  require_ok(check_module(bn, randn({3, 2, 2, 2}, gen)));
  BatchNorm2d plain(2, {1e-5, 0.1, /*affine=*/false, true});
  require_ok(check_module(plain, randn({2, 2, 2, 3}, gen)));
}

TEST_CASE("nn gradcheck: BatchNorm2d in eval mode (running statistics)", "[gradcheck][nn]") {
  Generator gen(6);
  BatchNorm2d bn(2);
  uniform_(bn.weight, 1.0, gen);
  uniform_(bn.bias, 1.0, gen);
  bn.running_mean = Tensor::from({2}, {0.3, -0.2});
  bn.running_var = Tensor::from({2}, {0.5, 2.0});
  bn.eval();
  require_ok(check_module(bn, randn({2, 2, 2, 2}, gen)));
}

TEST_CASE("nn gradcheck: Dropout with a fixed stream, training and eval", "[gradcheck][nn]") {
  Generator gen(7);
  Dropout drop(real(0.5), 11);
  // The mask must be the same on every evaluation, so the stream is reseeded inside the function.
  const auto f = [&drop](const std::vector<Tensor>& in) {
    drop.generator().seed(11);
    return tanh(drop.forward(in[0]) * in[0]);
  };
  require_ok(check_all(f, {randn({2, 5}, gen)}));
  drop.eval();
  require_ok(check_all(f, {randn({2, 5}, gen)}));
}

TEST_CASE("nn gradcheck: activations and Flatten", "[gradcheck][nn]") {
  Generator gen(8);
  const Tensor x = randn({2, 3, 2}, gen);
  ReLU relu_layer;
  LeakyReLU leaky(real(0.1));
  ELU elu_layer(real(0.7));
  Softplus softplus_layer(real(10));
  Sigmoid sigmoid_layer;
  Tanh tanh_layer;
  Flatten flatten_layer;
  for (Module* m : std::vector<Module*>{&relu_layer, &leaky, &elu_layer, &softplus_layer, &sigmoid_layer, &tanh_layer,
                                        &flatten_layer}) {
    INFO(m->type_name());
    // Scaled up so tanh(module(x)) is not nearly linear and ELU/Softplus curvature shows.
    require_ok(check_module(*m, x * real(1.5)));
  }
}

TEST_CASE("nn gradcheck: BasicBlock, identity and projection shortcuts, train and eval", "[gradcheck][nn]") {
  Generator gen(9);
  BasicBlock identity(2, 2, 1, gen);
  require_ok(check_module(identity, randn({2, 2, 3, 3}, gen)));
  BasicBlock projection(2, 3, 2, gen);
  REQUIRE(projection.downsample);
  require_ok(check_module(projection, randn({2, 2, 4, 4}, gen)));
  projection.eval();
  require_ok(check_module(projection, randn({2, 2, 4, 4}, gen)));
}

TEST_CASE("nn gradcheck: a Sequential conv-bn-relu-pool-flatten-linear stack", "[gradcheck][nn]") {
  Generator gen(10);
  Sequential net{std::make_shared<Conv2d>(1, 2, 3, gen, Conv2dOptions{1, 1, 1, true}), std::make_shared<BatchNorm2d>(2),
                 std::make_shared<ELU>(), std::make_shared<MaxPool2d>(2), std::make_shared<Flatten>(),
                 std::make_shared<Linear>(8, 3, gen)};
  require_ok(check_module(net, randn({2, 1, 4, 4}, gen)));
}

TEST_CASE("nn gradcheck: smooth LeNet with respect to its input, to second order", "[gradcheck][nn]") {
  auto net = make_classifier("lenet-softplus", 1, 7, 7, 3, 5);
  net->eval();
  Generator gen(12);
  const auto f = [&net](const std::vector<Tensor>& in) { return net->forward(in[0]); };
  require_ok(check_all(f, {randn({2, 1, 7, 7}, gen)}));
}

TEST_CASE("nn gradcheck: Dropout2d with a fixed stream, training and eval", "[gradcheck][nn]") {
  Generator gen(13);
  Dropout2d drop(real(0.5), 17);
  const auto f = [&drop](const std::vector<Tensor>& in) {
    drop.generator().seed(17);
    return tanh(drop.forward(in[0]) * in[0]);
  };
  require_ok(check_all(f, {randn({2, 3, 2, 2}, gen)}));
  drop.eval();
  require_ok(check_all(f, {randn({2, 3, 2, 2}, gen)}));
}

TEST_CASE("nn gradcheck: SimpleNetV1 at 1/32 width with respect to its input, train and eval", "[gradcheck][nn]") {
  Generator init(14);
  SimpleNetV1 net(1, 32, 32, 3, init, /*width_divisor=*/32);
  // Every channel-dropout stream is reseeded per evaluation, so training mode is a deterministic function too.
  std::vector<Dropout2d*> drops;
  for (const auto& child : net.features->named_children())
    if (auto d = std::dynamic_pointer_cast<Dropout2d>(child.second)) drops.push_back(d.get());
  const auto f = [&net, &drops](const std::vector<Tensor>& in) {
    for (size_t i = 0; i < drops.size(); ++i) drops[i]->generator().seed(100 + i);
    net.dropout->generator().seed(99);
    return net.forward(in[0]);
  };
  Generator gen(15);
  // The finite differences run over an 8x8 patch of each image (the rest fixed), so the check costs 512 forward
  // passes rather than 8,192; the patch still feeds every layer. Four examples: the last BatchNorms see one value
  // per example, and with two the batch statistics would make the output nearly constant in the input, so the
  // check would pass on a vanishing gradient.
  const Tensor right = rand({4, 1, 8, 24}, gen), bottom = rand({4, 1, 24, 32}, gen);
  const auto on_patch = [&f, &right, &bottom](const std::vector<Tensor>& in) {
    return f({concat({concat({in[0], right}, 3), bottom}, 2)});
  };
  for (bool training : {true, false}) {
    net.train(training);
    INFO((training ? "training mode" : "eval mode"));
    const Tensor patch = rand({4, 1, 8, 8}, gen);
    Tensor leaf = patch.clone().requires_grad_();
    const Tensor out = on_patch({leaf});
    const std::vector<Tensor> g = grad({sum(out * out)}, {leaf});
    double norm = 0;
    for (real v : g[0].to_vector()) norm += std::abs(v);
    CHECK(norm > 1e-6);
    require_ok(check_gradient(on_patch, {patch}));
  }
}
