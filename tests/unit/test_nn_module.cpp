// The Module tree: PyTorch state_dict names, train/eval propagation, state_dict/load_state_dict checks and
// functional_call.
#include <catch2/catch.hpp>

#include <algorithm>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "nn/nn.h"

using namespace mxai;
using namespace mxai::nn;

namespace {

std::vector<std::string> names_of(const NamedTensors& named) {
  std::vector<std::string> names;
  for (const auto& [name, t] : named) names.push_back(name);
  return names;
}

std::shared_ptr<Sequential> small_net(uint64_t seed) {
  Generator gen(seed);
  return std::make_shared<Sequential>(std::initializer_list<std::shared_ptr<Module>>{
      std::make_shared<Conv2d>(1, 2, 3, gen), std::make_shared<BatchNorm2d>(2), std::make_shared<ReLU>(),
      std::make_shared<Flatten>(), std::make_shared<Linear>(8, 3, gen)});
}

}  // namespace

TEST_CASE("Sequential names children 0, 1, ... and parameters with dotted paths", "[nn][module]") {
  auto net = small_net(1);
  CHECK(names_of(net->named_parameters()) ==
        std::vector<std::string>{"0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias"});
  CHECK(names_of(net->named_buffers()) ==
        std::vector<std::string>{"1.running_mean", "1.running_var", "1.num_batches_tracked"});
  CHECK(net->num_parameters() == 18 + 2 + 2 + 2 + 24 + 3);
  CHECK(net->size() == 5);
  CHECK((*net)[4]->type_name() == "Linear");
  CHECK_THROWS_WITH((*net)[5], Catch::Contains("out of range"));
  CHECK(net->forward(Tensor::zeros({2, 1, 4, 4})).shape() == Shape{2, 3});
}

TEST_CASE("nested modules compose names as PyTorch does", "[nn][module]") {
  Generator gen(2);
  BasicBlock block(2, 4, 2, gen);
  const std::vector<std::string> names = names_of(block.named_parameters());
  CHECK(names == std::vector<std::string>{"conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight",
                                          "bn2.bias", "downsample.0.weight", "downsample.1.weight",
                                          "downsample.1.bias"});
  const StateDict state = block.state_dict();
  CHECK(state.count("downsample.1.running_var"));
  CHECK(state.count("bn2.num_batches_tracked"));
  CHECK(block.state_dtypes().at("bn2.num_batches_tracked") == DType::I64);
  CHECK(block.state_dtypes().at("conv1.weight") == DType::F32);
  BasicBlock identity(2, 2, 1, gen);
  CHECK_FALSE(identity.downsample);
  CHECK(identity.named_parameters().size() == 6);
}

TEST_CASE("train() and eval() reach every descendant", "[nn][module]") {
  auto net = make_classifier("resnet", 3, 8, 8, 4, 1);
  CHECK(net->is_training());
  net->eval();
  const auto all_eval = [](const Module& m, bool want, auto& self) -> bool {
    if (m.is_training() != want) return false;
    for (const auto& [name, child] : m.named_children())
      if (!self(*child, want, self)) return false;
    return true;
  };
  CHECK(all_eval(*net, false, all_eval));
  net->train();
  CHECK(all_eval(*net, true, all_eval));
}

TEST_CASE("state_dict shares storage; load_state_dict copies values in place", "[nn][module]") {
  auto a = small_net(1), b = small_net(2);
  Generator gen(3);
  const Tensor x = randn({2, 1, 4, 4}, gen);
  a->eval();
  b->eval();
  Tensor b_weight = b->parameters()[0];  // e.g. an optimizer's handle
  CHECK(a->forward(x).to_vector() != b->forward(x).to_vector());
  b->load_state_dict(a->state_dict());
  CHECK(a->forward(x).to_vector() == b->forward(x).to_vector());
  CHECK(b_weight.to_vector() == a->parameters()[0].to_vector());  // the same tensor now holds the new values
  CHECK(b_weight.impl() == b->parameters()[0].impl());

  StateDict snapshot = a->state_dict();
  snapshot.at("0.bias").data()[0] = 123;
  CHECK(a->parameters()[1].data()[0] == 123);  // detached views of the module's own storage
  CHECK_FALSE(snapshot.at("0.bias").requires_grad());
}

TEST_CASE("load_state_dict lists missing and unexpected keys, shape and dtype mismatches", "[nn][module]") {
  auto net = small_net(1);
  const std::vector<real> before = net->parameters()[0].to_vector();
  StateDict state = small_net(2)->state_dict();
  state.erase("4.bias");
  state.erase("1.running_var");
  state["extra.weight"] = Tensor::zeros({1});
  state["0.weight"] = Tensor::zeros({2, 1, 2, 2});
  try {
    net->load_state_dict(state);
    FAIL("expected an Error");
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK_THAT(msg, Catch::Contains("missing keys: 4.bias, 1.running_var"));
    CHECK_THAT(msg, Catch::Contains("unexpected keys: extra.weight"));
    CHECK_THAT(msg, Catch::Contains("0.weight: expected shape (2,1,3,3), got (2,1,2,2)"));
  }
  CHECK(net->parameters()[0].to_vector() == before);  // all or nothing

  // Non-strict loading ignores names but still checks shapes.
  CHECK_THROWS_WITH(net->load_state_dict(state, false), Catch::Contains("0.weight: expected shape"));
  state.erase("0.weight");
  net->load_state_dict(state, /*strict=*/false);
  CHECK(net->parameters()[0].to_vector() == before);  // 0.weight was not given
  CHECK(net->parameters()[1].to_vector() == small_net(2)->parameters()[1].to_vector());

  StateDict full = small_net(2)->state_dict();
  CHECK_THROWS_WITH(net->load_state_dict(full, true, {{"4.weight", DType::I64}}),
                    Catch::Contains("4.weight: expected dtype F32, got I64"));
  CHECK_THROWS_WITH(net->load_state_dict(full, true, {{"1.num_batches_tracked", DType::F32}}),
                    Catch::Contains("1.num_batches_tracked: expected dtype I64, got F32"));
  net->load_state_dict(full, true, {{"4.weight", DType::F16}, {"1.num_batches_tracked", DType::I32}});
}

TEST_CASE("functional_call substitutes parameters for one forward and restores them", "[nn][module]") {
  Generator gen(4);
  Linear linear(2, 1, gen);
  const Tensor x = Tensor::from({1, 2}, {1, 2});
  Tensor w = Tensor::from({1, 2}, {3, 4}).requires_grad_();
  const Tensor y = functional_call(linear, {{"weight", w}, {"bias", Tensor::zeros({1})}}, x);
  CHECK(y.item() == 11);
  y.backward();
  CHECK(w.grad().to_vector() == std::vector<real>{1, 2});
  CHECK(linear.weight.to_vector() != w.to_vector());
  CHECK_THROWS_WITH(functional_call(linear, {{"weights", w}}, x), Catch::Contains("no parameter or buffer 'weights'"));
  CHECK_THROWS_WITH(functional_call(linear, {{"weight", Tensor::zeros({2})}}, x), Catch::Contains("expects shape"));
}

TEST_CASE("zero_grad clears parameter gradients", "[nn][module]") {
  auto net = small_net(1);
  sum(net->forward(Tensor::ones({2, 1, 4, 4}))).backward();
  for (const Tensor& p : net->parameters()) CHECK(p.grad().defined());
  net->zero_grad();
  for (const Tensor& p : net->parameters()) CHECK_FALSE(p.grad().defined());
}

namespace {

struct Twice : Module {
  Tensor a = Tensor::zeros({1});
  Twice() {
    register_parameter("a", &a);
    register_buffer("a", &a);
  }
  Tensor forward(const Tensor& x) override { return x; }
  std::string type_name() const override { return "Twice"; }
};

}  // namespace

TEST_CASE("registering a name twice is an error", "[nn][module]") {
  CHECK_THROWS_WITH(Twice(), Catch::Contains("member name 'a' registered twice"));
}
