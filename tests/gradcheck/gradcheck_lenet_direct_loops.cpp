// The whole LeNet input gradient, in float64, against a forward and backward pass written as direct loops over
// the layer definitions (no tensor ops, no kernels): conv, ReLU, conv, ReLU, 2x2 max-pool with the first maximum
// of each window taking the gradient (PyTorch's rule), fc, ReLU, fc. The image has an exactly flat zero
// background, so after the first two layers many pooling windows hold tied values, and a different tie rule, a
// wrong conv index or a wrong transpose in any backward would show up here.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <vector>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "nn/nn.h"

using namespace mxai;

namespace {

using Plane = std::vector<double>;  // (C,H,W) flattened

// y (O,H-2,W-2) = valid 3x3 cross-correlation of x (C,H,W) with w (O,C,3,3) plus b (O).
Plane conv3x3(const Plane& x, int64_t C, int64_t H, int64_t W, const Tensor& w, const Tensor& b) {
  const int64_t O = w.size(0), OH = H - 2, OW = W - 2;
  Plane y(O * OH * OW);
  for (int64_t o = 0; o < O; ++o)
    for (int64_t i = 0; i < OH; ++i)
      for (int64_t j = 0; j < OW; ++j) {
        double acc = b.data()[o];
        for (int64_t c = 0; c < C; ++c)
          for (int64_t u = 0; u < 3; ++u)
            for (int64_t v = 0; v < 3; ++v)
              acc += w.data()[((o * C + c) * 3 + u) * 3 + v] * x[(c * H + i + u) * W + j + v];
        y[(o * OH + i) * OW + j] = acc;
      }
  return y;
}

// The adjoint of conv3x3 in x: gx (C,H,W) from gy (O,H-2,W-2).
Plane conv3x3_input_gradient(const Plane& gy, int64_t C, int64_t H, int64_t W, const Tensor& w) {
  const int64_t O = w.size(0), OH = H - 2, OW = W - 2;
  Plane gx(C * H * W, 0.0);
  for (int64_t o = 0; o < O; ++o)
    for (int64_t i = 0; i < OH; ++i)
      for (int64_t j = 0; j < OW; ++j)
        for (int64_t c = 0; c < C; ++c)
          for (int64_t u = 0; u < 3; ++u)
            for (int64_t v = 0; v < 3; ++v)
              gx[(c * H + i + u) * W + j + v] += w.data()[((o * C + c) * 3 + u) * 3 + v] * gy[(o * OH + i) * OW + j];
  return gx;
}

Plane relu(Plane x) {
  for (double& v : x) v = v > 0 ? v : 0;
  return x;
}

// g where the ReLU's input was positive, 0 elsewhere (the derivative at 0 is 0, as in PyTorch).
Plane relu_gradient(const Plane& pre, Plane g) {
  for (size_t i = 0; i < g.size(); ++i)
    if (!(pre[i] > 0)) g[i] = 0;
  return g;
}

}  // namespace

TEST_CASE("LeNet's input gradient equals direct loops in float64, tied max-pool windows included",
          "[gradcheck][nn][pool]") {
  Generator gen(31);
  auto model = nn::make_classifier("lenet", 1, 28, 28, 10, 7);
  model->eval();
  std::map<std::string, Tensor> p;
  for (const auto& [name, t] : model->named_parameters()) p[name] = t;

  // A 10x10 patch of strokes on a zero background.
  Plane x(28 * 28, 0.0);
  for (int64_t i = 9; i < 19; ++i)
    for (int64_t j = 6; j < 16; ++j)
      if (gen.uniform() < 0.6) x[i * 28 + j] = gen.uniform();
  const int64_t target = 4;

  // Forward: 1x28x28 -> 32x26x26 -> 64x24x24 -> pool 64x12x12 -> 128 -> 10.
  const Plane a1 = conv3x3(x, 1, 28, 28, p.at("conv1.weight"), p.at("conv1.bias"));
  const Plane h1 = relu(a1);
  const Plane a2 = conv3x3(h1, 32, 26, 26, p.at("conv2.weight"), p.at("conv2.bias"));
  const Plane h2 = relu(a2);
  Plane pooled(64 * 12 * 12);
  std::vector<int64_t> argmax(pooled.size());
  int64_t tied_windows = 0;
  for (int64_t c = 0; c < 64; ++c)
    for (int64_t i = 0; i < 12; ++i)
      for (int64_t j = 0; j < 12; ++j) {
        const int64_t o = (c * 12 + i) * 12 + j;
        int64_t best = -1, ties = 0;
        for (int64_t u = 0; u < 2; ++u)  // row-major scan inside the window; strict > keeps the first maximum
          for (int64_t v = 0; v < 2; ++v) {
            const int64_t at = (c * 24 + 2 * i + u) * 24 + 2 * j + v;
            if (best < 0 || h2[at] > h2[best]) best = at, ties = 0;
            else if (h2[at] == h2[best]) ++ties;
          }
        pooled[o] = h2[best];
        argmax[o] = best;
        tied_windows += ties > 0 && h2[best] > 0;  // a tie at 0 passes no gradient either way
      }
  const Tensor& w3 = p.at("fc1.weight");  // (128, 9216)
  Plane a3(128), h3(128);
  for (int64_t r = 0; r < 128; ++r) {
    double acc = p.at("fc1.bias").data()[r];
    for (int64_t k = 0; k < 9216; ++k) acc += w3.data()[r * 9216 + k] * pooled[k];
    a3[r] = acc;
  }
  h3 = relu(a3);
  const Tensor& w4 = p.at("fc2.weight");  // (10, 128)
  double logit = p.at("fc2.bias").data()[target];
  for (int64_t r = 0; r < 128; ++r) logit += w4.data()[target * 128 + r] * h3[r];

  // Backward of logit[target].
  Plane g3(128);
  for (int64_t r = 0; r < 128; ++r) g3[r] = w4.data()[target * 128 + r];
  g3 = relu_gradient(a3, g3);
  Plane g_pooled(9216, 0.0);
  for (int64_t r = 0; r < 128; ++r)
    for (int64_t k = 0; k < 9216; ++k) g_pooled[k] += w3.data()[r * 9216 + k] * g3[r];
  Plane g2(64 * 24 * 24, 0.0);
  for (size_t o = 0; o < g_pooled.size(); ++o) g2[argmax[o]] += g_pooled[o];
  g2 = relu_gradient(a2, g2);
  Plane g1 = relu_gradient(a1, conv3x3_input_gradient(g2, 32, 26, 26, p.at("conv2.weight")));
  const Plane gx = conv3x3_input_gradient(g1, 1, 28, 28, p.at("conv1.weight"));

  // The library's gradient of the same logit.
  const Tensor input = Tensor::from({1, 1, 28, 28}, std::vector<real>(x.begin(), x.end())).requires_grad_();
  const Tensor logits = model->forward(input);
  const Tensor ours = grad({sum(narrow(logits, 1, target, 1))}, {input})[0];

  INFO(tied_windows << " of " << pooled.size() << " pooling windows hold a tied positive maximum");
  CHECK(tied_windows > 100);  // the check is about ties: make sure there are many
  CHECK(logits.data()[target] == Approx(logit).epsilon(1e-12));
  double scale = 0, worst = 0;
  for (int64_t i = 0; i < 28 * 28; ++i) {
    scale = std::max(scale, std::abs(gx[i]));
    worst = std::max(worst, std::abs(ours.data()[i] - gx[i]));
  }
  INFO("max |library - loops| = " << worst << ", max |gradient| = " << scale);
  REQUIRE(scale > 0);
  CHECK(worst <= 1e-12 * scale);
}
