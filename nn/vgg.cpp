#include "nn/vgg.h"

#include "autodiff/ops.h"
#include "nn/activations.h"
#include "nn/batchnorm.h"
#include "nn/conv.h"
#include "nn/dropout.h"
#include "nn/linear.h"
#include "nn/pooling.h"

namespace mxai::nn {

VGG::VGG(int64_t in_channels, int64_t height, int64_t width, int64_t num_classes, Generator& init,
         const std::vector<int64_t>& config, int64_t hidden) {
  features = register_module("features", std::make_shared<Sequential>());
  int64_t channels = in_channels, h = height, w = width;
  for (const int64_t entry : config) {
    if (entry == kPool) {
      if (h < 2 || w < 2)
        throw Error("VGG: images of " + std::to_string(height) + "x" + std::to_string(width) +
                    " are too small for the configuration's pooling layers");
      features->add(std::make_shared<MaxPool2d>(2));
      h /= 2;
      w /= 2;
      continue;
    }
    if (entry < 1) throw Error("VGG: invalid configuration entry " + std::to_string(entry));
    features->add(std::make_shared<Conv2d>(channels, entry, 3, init, Conv2dOptions{1, 1, 1, true}));
    features->add(std::make_shared<BatchNorm2d>(entry));
    features->add(std::make_shared<ReLU>());
    channels = entry;
  }
  classifier = register_module("classifier", std::make_shared<Sequential>());
  classifier->add(std::make_shared<Linear>(channels * h * w, hidden, init));
  classifier->add(std::make_shared<ReLU>());
  classifier->add(std::make_shared<Dropout>(real(0.5), init.next_u64()));
  classifier->add(std::make_shared<Linear>(hidden, num_classes, init));
}

Tensor VGG::forward(const Tensor& x) { return classifier->forward(flatten(features->forward(x), 1)); }

}  // namespace mxai::nn
