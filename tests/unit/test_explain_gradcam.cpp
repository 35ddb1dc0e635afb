// Grad-CAM, Guided Grad-CAM and the bilinear upsampling they use.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "autodiff/ops.h"
#include "autodiff/resize.h"
#include "explain/gradcam.h"
#include "explain/guided_backprop.h"
#include "nn/lenet.h"
#include "unit/test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;

namespace {

// PyTorch's bilinear resize (align_corners=False), written out per output pixel from its source-index formula:
// an implementation independent of upsample_bilinear2d's interpolation matrices.
double torch_bilinear(const Tensor& x, int64_t plane, int64_t oi, int64_t oj, int64_t out_h, int64_t out_w) {
  const int64_t h = x.size(2), w = x.size(3);
  const auto source = [](int64_t o, int64_t in, int64_t out) {
    return std::max(0.0, (o + 0.5) * static_cast<double>(in) / static_cast<double>(out) - 0.5);
  };
  const double si = source(oi, h, out_h), sj = source(oj, w, out_w);
  const int64_t i0 = static_cast<int64_t>(si), j0 = static_cast<int64_t>(sj);
  const int64_t i1 = std::min(i0 + 1, h - 1), j1 = std::min(j0 + 1, w - 1);
  const double li = si - i0, lj = sj - j0;
  const real* p = x.data() + plane * h * w;
  return (1 - li) * ((1 - lj) * p[i0 * w + j0] + lj * p[i0 * w + j1]) + li * ((1 - lj) * p[i1 * w + j0] + lj * p[i1 * w + j1]);
}

// The tiny conv net of the hand computation: layer = conv 3x3 (1 -> 2 channels) on 4x4, so A is (N,2,2,2);
// head = linear (8 -> 3) on flatten(A).
struct TinyConvNet {
  Tensor kernel, kernel_bias, head_weight, head_bias;
  explicit TinyConvNet(uint64_t seed) {
    Generator gen(seed);
    kernel = randn({2, 1, 3, 3}, gen);
    kernel_bias = randn({2}, gen);
    head_weight = randn({3, 8}, gen);
    head_bias = randn({3}, gen);
  }
  LayerSplit split() const {
    const TinyConvNet m = *this;
    return {[m](const Tensor& x) { return conv2d(x, m.kernel, m.kernel_bias); },
            [m](const Tensor& a) { return linear(flatten(a), m.head_weight, m.head_bias); }};
  }
};

}  // namespace

TEST_CASE("upsample_bilinear2d of a 2x2 image matches PyTorch's values", "[explain][gradcam][upsample]") {
  // torch.nn.functional.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=(4, 4), mode="bilinear").
  const Tensor y = upsample_bilinear2d(Tensor::from({1, 1, 2, 2}, {1, 2, 3, 4}), 4, 4);
  const std::vector<real> expected{1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f,
                                   2.5f, 2.75f, 3.25f, 3.5f, 3, 3.25f, 3.75f, 4};
  REQUIRE(y.shape() == Shape{1, 1, 4, 4});
  for (size_t i = 0; i < expected.size(); ++i) CHECK(y.data()[i] == Approx(expected[i]));
}

TEST_CASE("upsample_bilinear2d follows PyTorch's align_corners=False formula", "[explain][gradcam][upsample]") {
  const Tensor x = mxai_test::uniform_batch({2, 3, 5, 7}, 1, -1, 1);
  for (const auto& [out_h, out_w] : {std::pair<int64_t, int64_t>{11, 16}, {5, 7}, {3, 4}, {8, 7}, {1, 1}}) {
    const Tensor y = upsample_bilinear2d(x, out_h, out_w);
    REQUIRE(y.shape() == Shape{2, 3, out_h, out_w});
    for (int64_t plane = 0; plane < 6; ++plane)
      for (int64_t i = 0; i < out_h; ++i)
        for (int64_t j = 0; j < out_w; ++j)
          CHECK(y.data()[(plane * out_h + i) * out_w + j] ==
                Approx(torch_bilinear(x, plane, i, j, out_h, out_w)).margin(1e-6));
  }
  // The same size is the identity.
  const Tensor same = upsample_bilinear2d(x, 5, 7);
  for (int64_t i = 0; i < x.numel(); ++i) CHECK(same.data()[i] == Approx(x.data()[i]));
}

TEST_CASE("layer Grad-CAM of a tiny conv net, by hand", "[explain][gradcam]") {
  const TinyConvNet net(2);
  const Tensor x = mxai_test::uniform_batch({2, 1, 4, 4}, 3);
  const Targets targets{2, 0};
  const Tensor map = layer_gradcam(net.split(), x, targets);
  REQUIRE(map.shape() == Shape{2, 1, 2, 2});
  // F = head_weight[c] . flatten(A) + bias, so dF/dA_k = head_weight[c, 4k:4k+4]; alpha_k is its mean.
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t i = 0; i < 2; ++i)
      for (int64_t j = 0; j < 2; ++j) {
        double expected = 0;
        for (int64_t k = 0; k < 2; ++k) {
          double alpha = 0, a = net.kernel_bias.data()[k];
          for (int64_t q = 0; q < 4; ++q) alpha += net.head_weight.at({targets[n], 4 * k + q}) / 4;
          for (int64_t di = 0; di < 3; ++di)
            for (int64_t dj = 0; dj < 3; ++dj) a += net.kernel.at({k, 0, di, dj}) * x.at({n, 0, i + di, j + dj});
          expected += alpha * a;
        }
        CHECK(map.at({n, 0, i, j}) == Approx(expected).margin(1e-5));
      }
  // Signed by default (Captum's relu_attributions=False); the ReLU option clips it.
  const Tensor clipped = layer_gradcam(net.split(), x, targets, GradCamSettings{true});
  for (int64_t i = 0; i < map.numel(); ++i) CHECK(clipped.data()[i] == Approx(std::max<real>(map.data()[i], 0)));
}

TEST_CASE("Grad-CAM upsamples the map to the input and Guided Grad-CAM multiplies it with guided backprop",
          "[explain][gradcam]") {
  const TinyConvNet net(4);
  const LayerSplit split = net.split();
  const Tensor x = mxai_test::uniform_batch({2, 1, 4, 4}, 5);
  const Tensor map = layer_gradcam(split, x, {1});
  const Tensor upsampled = gradcam(split, x, {1});
  REQUIRE(upsampled.shape() == x.shape());
  const Tensor expected = upsample_bilinear2d(map, 4, 4);
  for (int64_t i = 0; i < x.numel(); ++i) CHECK(upsampled.data()[i] == Approx(expected.data()[i]));

  const Tensor guided = guided_gradcam(split, x, {1});
  const Tensor positive_map = upsample_bilinear2d(layer_gradcam(split, x, {1}, GradCamSettings{true}), 4, 4);
  const Tensor backprop = guided_backprop(compose(split), x, {1});
  for (int64_t i = 0; i < x.numel(); ++i)
    CHECK(guided.data()[i] == Approx(backprop.data()[i] * positive_map.data()[i]).margin(1e-6));
}

TEST_CASE("Grad-CAM of a multi-channel input repeats the map over the channels", "[explain][gradcam]") {
  Generator gen(6);
  const Tensor kernel = randn({3, 2, 3, 3}, gen), head = randn({4, 3 * 4 * 4}, gen);
  const LayerSplit split{[kernel](const Tensor& x) { return conv2d(x, kernel); },
                         [head](const Tensor& a) { return linear(flatten(a), head); }};
  const Tensor x = mxai_test::uniform_batch({1, 2, 6, 6}, 7);
  const Tensor cam = gradcam(split, x);
  REQUIRE(cam.shape() == x.shape());
  for (int64_t p = 0; p < 36; ++p) CHECK(cam.data()[p] == cam.data()[36 + p]);
}

TEST_CASE("LeNet's cuts at conv1 and conv2 compose to its forward", "[explain][gradcam][nn]") {
  Generator init(8);
  nn::LeNet lenet(1, 12, 12, 10, init);
  lenet.eval();
  const Tensor x = mxai_test::uniform_batch({3, 1, 12, 12}, 9);
  const Tensor direct = lenet.forward(x);
  const Tensor a2 = lenet.conv_output(x), a1 = lenet.conv1_output(x);
  CHECK(a2.shape() == Shape{3, 64, 8, 8});
  CHECK(a1.shape() == Shape{3, 32, 10, 10});
  for (const Tensor& composed : {lenet.from_conv_output(a2), lenet.from_conv1_output(a1)})
    for (int64_t i = 0; i < direct.numel(); ++i) CHECK(composed.data()[i] == Approx(direct.data()[i]));
}
