#include "nn/simplenet.h"

#include <algorithm>
#include <cmath>

#include "autodiff/ops.h"
#include "nn/activations.h"
#include "nn/batchnorm.h"
#include "nn/conv.h"
#include "nn/init.h"
#include "nn/pooling.h"

namespace mxai::nn {

namespace {

// A convolution entry (out channels, kernel) or the end of a group (kGroupEnd: MaxPool2 + Dropout2d).
struct Layer {
  int64_t channels, kernel;
};
constexpr int64_t kGroupEnd = 0;

const std::vector<Layer>& layers() {
  static const std::vector<Layer> l = {{64, 3},  {128, 3},  {128, 3}, {128, 3}, {kGroupEnd, 0}, {128, 3},
                                       {128, 3}, {256, 3},  {kGroupEnd, 0}, {256, 3}, {256, 3}, {kGroupEnd, 0},
                                       {512, 3}, {kGroupEnd, 0}, {2048, 1}, {256, 1}, {kGroupEnd, 0}, {256, 3}};
  return l;
}

}  // namespace

SimpleNetV1::SimpleNetV1(int64_t in_channels, int64_t height, int64_t width, int64_t num_classes, Generator& init,
                         int64_t width_divisor) {
  if (height != width || height < 32)
    throw Error("SimpleNetV1 needs square images of at least 32x32, got " + std::to_string(height) + "x" +
                std::to_string(width));
  if (width_divisor < 1) throw Error("SimpleNetV1: width divisor must be positive, got " + std::to_string(width_divisor));
  features = register_module("features", std::make_shared<Sequential>());
  BatchNorm2dOptions bn;
  bn.momentum = 0.05;
  int64_t channels = in_channels;
  for (const Layer& layer : layers()) {
    if (layer.channels == kGroupEnd) {
      features->add(std::make_shared<MaxPool2d>(2));
      features->add(std::make_shared<Dropout2d>(real(0.1), init.next_u64()));
      continue;
    }
    const int64_t out = std::max<int64_t>(1, layer.channels / width_divisor);
    auto conv = std::make_shared<Conv2d>(channels, out, layer.kernel, init,
                                         Conv2dOptions{1, layer.kernel / 2, 1, true});
    xavier_uniform_(conv->weight, std::sqrt(2.0), init);
    features->add(conv);
    features->add(std::make_shared<BatchNorm2d>(out, bn));
    features->add(std::make_shared<ReLU>());
    channels = out;
  }
  dropout = register_module("dropout", std::make_shared<Dropout>(real(0.1), init.next_u64()));
  classifier = register_module("classifier", std::make_shared<Linear>(channels, num_classes, init));
}

Tensor SimpleNetV1::forward(const Tensor& x) {
  const Tensor h = features->forward(x);
  // Global max pool over what remains of the image (1x1 at 32x32, larger for bigger inputs).
  const Tensor pooled = h.size(2) > 1 ? max_pool2d(h, h.size(2)) : h;
  return classifier->forward(dropout->forward(flatten(pooled, 1)));
}

}  // namespace mxai::nn
