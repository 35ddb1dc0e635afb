// Very deep graphs (long integrated-gradients paths, unrolled loops) must not overflow the stack, neither in the
// topological sort of a backward pass nor when the graph is destroyed. 200,000 links is far past what recursion
// on an 8 MB stack survives, and these tests crashed before both were made iterative.
#include <catch2/catch.hpp>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

using namespace mxai;

namespace {

constexpr int kDepth = 200000;

// x -> x + 1 -> ... (kDepth additions) -> * 2 at the end, so d(out)/dx = 2 and out = 2 (x + kDepth).
Tensor deep_chain(const Tensor& x) {
  Tensor y = x;
  for (int i = 0; i < kDepth; ++i) y = y + real(1);
  return y * real(2);
}

}  // namespace

TEST_CASE("engine: backward through a chain of 200,000 ops", "[engine][deep]") {
  Tensor x = Tensor::scalar(0.5f).requires_grad_();
  Tensor out = deep_chain(x);
  CHECK(out.item() == 2 * (0.5f + kDepth));
  out.backward();
  CHECK(x.grad().item() == 2);
}

TEST_CASE("engine: grad() with retain_graph on a chain of 200,000 ops, then destroying it", "[engine][deep]") {
  Tensor x = Tensor::scalar(0.5f).requires_grad_();
  {
    Tensor out = deep_chain(x);
    CHECK(grad({out}, {x}, {}, false, /*retain_graph=*/true)[0].item() == 2);
    CHECK(grad({out}, {x})[0].item() == 2);  // the retained graph is still usable
  }
  {
    Tensor out = deep_chain(x);
    grad({out}, {x}, {}, false, /*retain_graph=*/true);
  }  // a retained graph is destroyed here, node by node
  SUCCEED("destroyed without overflowing the stack");
}

TEST_CASE("engine: a chain of 200,000 ops dropped without any backward pass", "[engine][deep]") {
  Tensor x = Tensor::scalar(1).requires_grad_();
  { Tensor out = deep_chain(x); }
  // The leaf survives its graph intact.
  CHECK(x.requires_grad());
  CHECK((x * 3).item() == 3);
}

TEST_CASE("engine: second order through a chain of 200,000 ops", "[engine][deep]") {
  // create_graph retains the whole chain (and the gradient's own graph hangs on to it), so it is torn down only
  // when the tensors go out of scope.
  Tensor x = Tensor::scalar(0.5f).requires_grad_();
  Tensor out = deep_chain(x * x);  // 2 (x^2 + kDepth): first derivative 4x, second 4
  const Tensor g = grad({out}, {x}, {}, /*create_graph=*/true)[0];
  CHECK(g.item() == 2);
  CHECK(grad({g}, {x})[0].item() == 4);
}
