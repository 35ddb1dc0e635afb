// The reverse-mode engine's contract: how .grad accumulates, what grad() leaves alone, when a graph is freed,
// create_graph, NoGradGuard, requires_grad propagation and detach. Values are small integers or exact binary
// fractions, so float32 results can be compared exactly.
#include <catch2/catch.hpp>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

using namespace mxai;
using Catch::Matchers::Contains;

namespace {

Tensor leaf(const Shape& shape, std::vector<real> values) { return Tensor::from(shape, std::move(values)).requires_grad_(); }

}  // namespace

TEST_CASE("engine: a tensor used several times accumulates every path", "[engine]") {
  Tensor a = leaf({}, {3});
  Tensor b = a + a;
  Tensor c = b + b;  // c = 4a through four paths
  c.backward(Tensor(), /*retain_graph=*/true);
  CHECK(a.grad().item() == 4);
  c.backward();  // a second pass adds to .grad rather than replacing it
  CHECK(a.grad().item() == 8);
}

TEST_CASE("engine: backward adds into a pre-existing .grad and zero_grad drops it", "[engine]") {
  Tensor x = leaf({2}, {1, 2});
  x.set_grad(Tensor::from({2}, {10, 20}));
  sum(x * x).backward();
  CHECK(x.grad().to_vector() == std::vector<real>{12, 24});
  x.zero_grad();
  CHECK_FALSE(x.grad().defined());
}

TEST_CASE("engine: only leaves receive .grad", "[engine]") {
  Tensor x = leaf({}, {2});
  Tensor hidden = x * x;
  (hidden * 3).backward();
  CHECK(x.grad().item() == 12);
  CHECK_FALSE(hidden.grad().defined());
}

TEST_CASE("engine: .grad does not share storage with another leaf's gradient or with grad_output", "[engine]") {
  // add passes its incoming gradient through unchanged; without a copy a.grad, b.grad and g would be one buffer,
  // and an in-place update of one parameter's gradient (clipping, an optimizer) would change the others.
  Tensor a = leaf({2}, {1, 2}), b = leaf({2}, {3, 4});
  Tensor g = Tensor::from({2}, {5, 6});
  (a + b).backward(g);
  a.grad().data()[0] = -1;
  CHECK(b.grad().to_vector() == std::vector<real>{5, 6});
  CHECK(g.to_vector() == std::vector<real>{5, 6});
}

TEST_CASE("engine: grad() returns gradients without touching .grad", "[engine]") {
  Tensor x = leaf({2}, {1, 3}), y = leaf({2}, {2, 5});
  y.set_grad(Tensor::from({2}, {7, 7}));
  Tensor loss = sum(x * y);
  const std::vector<Tensor> g = grad({loss}, {x, y});
  CHECK(g[0].to_vector() == std::vector<real>{2, 5});
  CHECK(g[1].to_vector() == std::vector<real>{1, 3});
  CHECK_FALSE(x.grad().defined());
  CHECK(y.grad().to_vector() == std::vector<real>{7, 7});
}

TEST_CASE("engine: grad() of an input the output does not depend on is zeros", "[engine]") {
  Tensor x = leaf({2}, {1, 2}), unused = leaf({3}, {4, 5, 6});
  const std::vector<Tensor> g = grad({sum(x * x)}, {x, unused});
  CHECK(g[0].to_vector() == std::vector<real>{2, 4});
  CHECK(g[1].shape() == Shape{3});
  CHECK(g[1].to_vector() == std::vector<real>{0, 0, 0});
}

TEST_CASE("engine: grad() with several outputs sums their contributions", "[engine]") {
  Tensor x = leaf({2}, {1, 2});
  const std::vector<Tensor> g = grad({x * 2, x * x}, {x}, {Tensor::ones({2}), Tensor::from({2}, {1, 10})});
  CHECK(g[0].to_vector() == std::vector<real>{2 + 2 * 1, 2 + 2 * 2 * 10});
}

TEST_CASE("engine: a second backward needs retain_graph on the first", "[engine]") {
  SECTION("without retain_graph the graph is freed and a second pass throws") {
    Tensor x = leaf({}, {2});
    Tensor y = exp(x) * x;
    y.backward();
    CHECK_THROWS_WITH(y.backward(), Contains("retain_graph"));
    CHECK_THROWS_AS(y.backward(), Error);
  }
  SECTION("grad() frees the graph the same way") {
    Tensor x = leaf({}, {2});
    Tensor y = x * x;
    grad({y}, {x});
    CHECK_THROWS_WITH(grad({y}, {x}), Contains("retain_graph"));
  }
  SECTION("with retain_graph both passes run and accumulate") {
    Tensor x = leaf({}, {3});
    Tensor y = x * x;
    y.backward(Tensor(), /*retain_graph=*/true);
    y.backward();
    CHECK(x.grad().item() == 12);
  }
  SECTION("a new graph built on a freed one cannot be differentiated through it") {
    Tensor x = leaf({}, {2});
    Tensor y = x * x;
    y.backward();
    CHECK_THROWS_AS((y * 3).backward(), Error);
  }
}

TEST_CASE("engine: create_graph gives differentiable gradients", "[engine]") {
  Tensor x = leaf({3}, {1, 2, -3});
  Tensor y = sum(x * x * x);
  const Tensor dy = grad({y}, {x}, {}, /*create_graph=*/true)[0];  // 3x^2
  CHECK(dy.to_vector() == std::vector<real>{3, 12, 27});
  REQUIRE(dy.requires_grad());
  const Tensor d2y = grad({sum(dy)}, {x})[0];  // 6x
  CHECK(d2y.to_vector() == std::vector<real>{6, 12, -18});

  SECTION("third order") {
    Tensor z = leaf({}, {2});
    Tensor w = z * z * z * z;  // 4z^3, 12z^2, 24z
    Tensor g1 = grad({w}, {z}, {}, true)[0];
    Tensor g2 = grad({g1}, {z}, {}, true)[0];
    Tensor g3 = grad({g2}, {z})[0];
    CHECK(g1.item() == 32);
    CHECK(g2.item() == 48);
    CHECK(g3.item() == 48);
  }
  SECTION("backward(create_graph) leaves a .grad that has a graph") {
    Tensor z = leaf({}, {3});
    (z * z * z).backward(Tensor(), false, /*create_graph=*/true);
    const Tensor g = z.grad();
    CHECK(g.item() == 27);
    REQUIRE(g.requires_grad());
    CHECK(grad({g}, {z})[0].item() == 18);
  }
  SECTION("without create_graph the gradient is a constant") {
    Tensor z = leaf({}, {3});
    CHECK_FALSE(grad({z * z}, {z})[0].requires_grad());
  }
}

TEST_CASE("engine: NoGradGuard records nothing, and restores the previous mode", "[engine]") {
  Tensor x = leaf({2}, {1, 2});
  REQUIRE(grad_mode_enabled());
  {
    NoGradGuard outer;
    CHECK_FALSE(grad_mode_enabled());
    Tensor y = exp(x * x);
    CHECK_FALSE(y.requires_grad());
    CHECK(y.grad_fn() == nullptr);
    {
      NoGradGuard inner;
      CHECK_FALSE(grad_mode_enabled());
    }
    CHECK_FALSE(grad_mode_enabled());  // the inner guard restores "off", not "on"
    CHECK_THROWS_AS(y.backward(), Error);
  }
  CHECK(grad_mode_enabled());
  Tensor z = x * x;
  CHECK(z.requires_grad());
  CHECK(z.grad_fn() != nullptr);
}

TEST_CASE("engine: requires_grad propagates from any input", "[engine]") {
  Tensor with = leaf({2}, {1, 2});
  Tensor without = Tensor::from({2}, {3, 4});
  CHECK_FALSE(without.requires_grad());
  CHECK_FALSE((without * without).requires_grad());
  CHECK((with * without).requires_grad());
  CHECK((without + with).requires_grad());
  CHECK(concat({without, with}, 0).requires_grad());
  CHECK(with.is_leaf());
  CHECK_FALSE((with * 2).is_leaf());
  // The constant's gradient is not computed and not stored.
  Tensor c = Tensor::from({2}, {3, 4});
  sum(with * c).backward();
  CHECK_FALSE(c.grad().defined());
  CHECK(with.grad().to_vector() == std::vector<real>{3, 4});
  CHECK_THROWS_AS((with * 2).requires_grad_(false), Error);
}

TEST_CASE("engine: detach shares storage but cuts the graph", "[engine]") {
  Tensor x = leaf({2}, {1, 2});
  Tensor y = x * 3;
  Tensor d = y.detach();
  CHECK_FALSE(d.requires_grad());
  CHECK(d.grad_fn() == nullptr);
  CHECK(d.data() == y.data());
  // The detached factor is a constant: d(y * d)/dx = 3 d, not 3 d + 3 y.
  sum(y * d).backward();
  CHECK(x.grad().to_vector() == std::vector<real>{9, 18});

  Tensor c = y.clone();
  CHECK(c.data() != y.data());
  CHECK_FALSE(c.requires_grad());
}

TEST_CASE("engine: backward needs a scalar or an explicit grad_output", "[engine]") {
  Tensor x = leaf({2}, {1, 2});
  CHECK_THROWS_WITH((x * 2).backward(), Contains("scalar"));
  CHECK_THROWS_WITH((x * 2).backward(Tensor::ones({3})), Contains("(3)") && Contains("(2)"));
  CHECK_THROWS_AS(Tensor::from({1}, {1}).backward(), Error);  // does not require grad
  CHECK_THROWS_AS(grad({sum(x)}, {Tensor::from({1}, {1})}), Error);
}
