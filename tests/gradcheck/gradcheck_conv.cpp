// First- and second-order finite-difference checks of the convolution and pooling ops (float64 build).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "autodiff/gradcheck.h"
#include "autodiff/graph.h"
#include "autodiff/kernels.h"
#include "autodiff/ops.h"

using namespace mxai;

namespace {

void require_ok(const GradcheckReport& r) {
  INFO(r.detail);
  CHECK(r.ok);
}

// A nonlinearity after the linear op makes the Hessian-vector products non-trivial.
Tensor squash(const Tensor& t) { return tanh(t); }

}  // namespace

TEST_CASE("conv2d gradients, first and second order", "[gradcheck][conv]") {
  Generator gen(11);
  struct Geometry {
    Shape x, w;
    Conv2dParams p;
  };
  const Geometry cases[] = {{{2, 2, 5, 5}, {3, 2, 3, 3}, {1, 0, 1}},
                            {{1, 2, 6, 6}, {2, 2, 4, 4}, {2, 1, 1}},
                            {{2, 1, 7, 6}, {2, 1, 3, 3}, {2, 2, 2}},
                            {{2, 3, 3, 3}, {2, 3, 1, 1}, {1, 0, 1}}};
  for (const Geometry& c : cases) {
    INFO("x " << shape_str(c.x) << " w " << shape_str(c.w) << " stride " << c.p.stride << " padding " << c.p.padding
              << " dilation " << c.p.dilation);
    const Conv2dParams p = c.p;
    require_ok(check_all([p](const std::vector<Tensor>& in) { return squash(conv2d(in[0], in[1], in[2], p)); },
                         {randn(c.x, gen), randn(c.w, gen) * 0.5, randn({c.w[0]}, gen)}));
  }
}

TEST_CASE("conv2d full Jacobian on a tiny shape", "[gradcheck][conv]") {
  Generator gen(12);
  require_ok(check_jacobian([](const std::vector<Tensor>& in) { return conv2d(in[0], in[1], in[2], {1, 1, 1}); },
                            {randn({1, 2, 3, 3}, gen), randn({2, 2, 2, 2}, gen), randn({2}, gen)}));
}

TEST_CASE("conv_transpose2d gradients, first and second order", "[gradcheck][conv]") {
  Generator gen(13);
  require_ok(check_all(
      [](const std::vector<Tensor>& in) { return squash(conv_transpose2d(in[0], in[1], in[2], {2, 1, 1})); },
      {randn({2, 3, 3, 3}, gen), randn({3, 2, 4, 4}, gen) * 0.5, randn({2}, gen)}));
  require_ok(check_all(
      [](const std::vector<Tensor>& in) { return squash(conv_transpose2d(in[0], in[1], Tensor(), {2, 0, 1}, 1)); },
      {randn({1, 2, 3, 3}, gen), randn({2, 2, 3, 3}, gen) * 0.5}));
  require_ok(check_jacobian(
      [](const std::vector<Tensor>& in) { return conv_transpose2d(in[0], in[1], Tensor(), {2, 1, 1}); },
      {randn({1, 1, 2, 2}, gen), randn({1, 2, 4, 4}, gen)}));
}

TEST_CASE("conv2d_weight (the weight adjoint) gradients, first and second order", "[gradcheck][conv]") {
  Generator gen(14);
  const Conv2dParams p{2, 1, 1};
  require_ok(check_all(
      [p](const std::vector<Tensor>& in) { return squash(conv2d_weight(in[0], in[1], {2, 2, 3, 3}, p)); },
      {randn({2, 2, 5, 5}, gen), randn({2, 2, 3, 3}, gen)}));
}

TEST_CASE("third derivative through a convolution network", "[gradcheck][conv]") {
  // The gradient of a conv net with respect to its input, differentiated twice more: exercises all three
  // convolution products and their mutual derivatives.
  Generator gen(15);
  const Tensor w1 = randn({3, 1, 3, 3}, gen) * 0.5, w2 = randn({2, 3, 3, 3}, gen) * 0.5;
  const TensorFunction input_gradient = [w1, w2](const std::vector<Tensor>& in) {
    GradModeGuard recording(true);  // the checks evaluate f under no-grad; this f needs a graph inside
    Tensor x = in[0];
    const Tensor y = sum(softplus(conv2d(softplus(conv2d(x, w1, Tensor(), {1, 1, 1})), w2, Tensor(), {2, 0, 1})));
    return grad({y}, {x}, {}, /*create_graph=*/true)[0];
  };
  require_ok(check_gradient(input_gradient, {randn({1, 1, 6, 6}, gen)}));
  require_ok(check_second_order(input_gradient, {randn({1, 1, 6, 6}, gen)}));
}

TEST_CASE("pooling gradients, first and second order", "[gradcheck][conv]") {
  Generator gen(16);
  // Distinct values keep max pooling away from ties, where it is not differentiable.
  std::vector<real> values(2 * 2 * 6 * 6);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<real>((i * 37) % values.size()) * 0.1;
  const Tensor distinct = Tensor::from({2, 2, 6, 6}, values);
  require_ok(check_all([](const std::vector<Tensor>& in) { return squash(max_pool2d(in[0], 2)); }, {distinct}));
  require_ok(check_all([](const std::vector<Tensor>& in) { return squash(max_pool2d(in[0], 3, 2, 1)); }, {distinct}));
  require_ok(check_all([](const std::vector<Tensor>& in) { return squash(avg_pool2d(in[0], 2)); },
                       {randn({2, 2, 6, 6}, gen)}));
  require_ok(check_all([](const std::vector<Tensor>& in) { return squash(avg_pool2d(in[0], 3, 2, 1)); },
                       {randn({1, 2, 5, 5}, gen)}));
  require_ok(check_jacobian([](const std::vector<Tensor>& in) { return avg_pool2d(in[0], 2, 1, 1); },
                            {randn({1, 1, 3, 3}, gen)}));
}

// The direct stride-1 kernels in float64 (8-lane vectors, 8 x 8 transposes) against the direct loops, on a shape
// large enough for full tiles and full 16 x 16 blocks of the transposed gradient, and with enough images (4) for
// the fused pass that computes all three gradients of a biased convolution at once on 2 threads.
TEST_CASE("float64 direct convolution kernels equal the direct loops", "[gradcheck][conv]") {
  Generator gen(5);
  const Tensor x = randn({4, 5, 12, 13}, gen), w = randn({20, 5, 3, 3}, gen), b = randn({20}, gen);
  Tensor xr = x.clone().requires_grad_(), wr = w.clone().requires_grad_(), br = b.clone().requires_grad_();
  const Tensor y = conv2d(xr, wr, br, {1, 1, 1});
  kernels::ConvGeometry g{4, 5, 12, 13, 20, 3, 3, y.size(2), y.size(3), 1, 1, 1};
  std::vector<real> ref(y.numel());
  kernels::conv2d_naive(g, x.data(), w.data(), ref.data());
  const std::vector<real> got = y.to_vector();
  for (size_t i = 0; i < ref.size(); ++i) CHECK(std::abs(got[i] - (ref[i] + b.data()[(i / 156) % 20])) < 1e-10);

  const Tensor gy = randn(y.shape(), gen);
  const std::vector<Tensor> grads = grad({y}, {xr, wr, br}, {gy});
  std::vector<real> ref_gx(x.numel()), ref_gw(w.numel());
  kernels::conv2d_input_naive(g, gy.data(), w.data(), ref_gx.data());
  kernels::conv2d_weight_naive(g, x.data(), gy.data(), ref_gw.data());
  for (int64_t i = 0; i < x.numel(); ++i) CHECK(std::abs(grads[0].data()[i] - ref_gx[i]) < 1e-10);
  for (int64_t i = 0; i < w.numel(); ++i) CHECK(std::abs(grads[1].data()[i] - ref_gw[i]) < 1e-10);
  const std::vector<real> gb = sum(gy, {0, 2, 3}).to_vector();
  for (int64_t o = 0; o < 20; ++o) CHECK(std::abs(grads[2].data()[o] - gb[o]) < 1e-10);
}
