#include <catch2/catch.hpp>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

using namespace mxai;

TEST_CASE("gradients accumulate across uses of a tensor", "[autodiff]") {
  Tensor a = Tensor::from({1}, {3}).requires_grad_();
  Tensor b = a + a;
  Tensor c = b + b;
  c.backward(Tensor::ones({1}));
  CHECK(a.grad().item() == 4);
}
