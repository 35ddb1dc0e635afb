// jvp (forward-mode directional derivative by double backward) against two independent references: central
// differences of f, and J v with J assembled row by row from reverse-mode gradients.
#include <catch2/catch.hpp>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

using namespace mxai;

namespace {

// A nonlinear map R^4 -> R^3 mixing every input into every output.
Tensor mixer(const Tensor& x) {
  const Tensor w = Tensor::from({3, 4}, {0.5f, -1, 0.25f, 2, 1, 0.5f, -0.5f, 0.1f, -0.3f, 0.7f, 1.5f, -1});
  return tanh(matmul(w, reshape(x, {4, 1}))) * reshape(exp(narrow(x, 0, 0, 3) * 0.5f), {3, 1});
}

Tensor values(std::vector<real> v) {
  const auto n = static_cast<int64_t>(v.size());  // read before the move below
  return Tensor::from({n}, std::move(v));
}

}  // namespace

TEST_CASE("jvp equals central differences and the explicit Jacobian times v", "[engine][jvp]") {
  const Tensor x = values({0.3f, -0.7f, 1.1f, 0.2f});
  const Tensor v = values({1, -2, 0.5f, 3});
  const auto [y, jv] = jvp(mixer, x, v);
  REQUIRE(jv.shape() == Shape{3, 1});

  Tensor y_ref;
  {
    NoGradGuard no_grad;
    y_ref = mixer(x);
  }
  CHECK(y.to_vector() == y_ref.to_vector());
  CHECK_FALSE(jv.requires_grad());

  // Central differences in float32: a step of 2e-3 (along a v of norm ~3.6) balances the O(h^2) truncation
  // error against rounding, both near 2e-4 here.
  const real h = 2e-3f;
  std::vector<real> numeric(3);
  {
    NoGradGuard no_grad;
    const Tensor plus = mixer(x + v * h), minus = mixer(x - v * h);
    for (int i = 0; i < 3; ++i) numeric[i] = (plus.data()[i] - minus.data()[i]) / (2 * h);
  }
  for (int i = 0; i < 3; ++i) CHECK(jv.data()[i] == Approx(numeric[i]).epsilon(1e-3).margin(1e-3));

  // Explicit Jacobian: row i is the gradient of output i.
  Tensor xr = x.clone().requires_grad_();
  const Tensor out = mixer(xr);
  for (int i = 0; i < 3; ++i) {
    Tensor e = Tensor::zeros(out.shape());
    e.data()[i] = 1;
    const Tensor row = grad({out}, {xr}, {e}, false, /*retain_graph=*/true)[0];
    real dot = 0;
    for (int k = 0; k < 4; ++k) dot += row.data()[k] * v.data()[k];
    CHECK(jv.data()[i] == Approx(dot).epsilon(1e-5).margin(1e-6));
  }
}

TEST_CASE("jvp of linear and constant functions", "[engine][jvp]") {
  const Tensor x = values({1, 2, 3}), v = values({4, 5, 6});
  SECTION("identity: J v = v") {
    const auto [y, jv] = jvp([](const Tensor& t) { return t; }, x, v);
    CHECK(jv.to_vector() == v.to_vector());
  }
  SECTION("a linear map: J v = A v exactly") {
    const auto [y, jv] = jvp([](const Tensor& t) { return sum(t * 2.0f) + t * 0.0f; }, x, v);
    // sum(2t) broadcast onto every entry: each output's derivative along v is 2 * sum(v) = 30.
    CHECK(jv.to_vector() == std::vector<real>{30, 30, 30});
  }
  SECTION("a function that ignores its input: zeros") {
    const auto [y, jv] = jvp([](const Tensor&) { return Tensor::ones({2}); }, x, v);
    CHECK(jv.to_vector() == std::vector<real>{0, 0});
  }
  SECTION("the direction must match the input's shape") {
    CHECK_THROWS_AS(jvp([](const Tensor& t) { return t; }, x, values({1, 2})), Error);
  }
}

TEST_CASE("jvp does not disturb the caller's graph or grad mode", "[engine][jvp]") {
  Tensor x = values({0.5f, -1}).requires_grad_();
  const auto [y, jv] = jvp([](const Tensor& t) { return t * t; }, x, values({1, 1}));
  CHECK(jv.to_vector() == std::vector<real>{1, -2});
  CHECK_FALSE(x.grad().defined());
  NoGradGuard no_grad;
  const auto [y2, jv2] = jvp([](const Tensor& t) { return t * t * t; }, x, values({1, 1}));
  CHECK(jv2.to_vector() == std::vector<real>{0.75f, 3});
  CHECK_FALSE(grad_mode_enabled());
}
