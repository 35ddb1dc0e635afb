// A small VGG-style classifier with BatchNorm, named like torchvision's vgg*_bn:
//   features: [Conv2d(3x3, padding 1) BatchNorm2d ReLU] per width, MaxPool2d(2) per 'M' of the configuration
//   (default 32,32,M,64,64,M,128,M), then flatten and
//   classifier: Linear(last_width*(H/2^m)*(W/2^m),256) ReLU Dropout(0.5) Linear(256,K)
// so parameters are features.0.weight, features.1.running_mean, ..., classifier.0.weight, classifier.3.bias.
#pragma once

#include <memory>
#include <vector>

#include "autodiff/random.h"
#include "nn/module.h"
#include "nn/sequential.h"

namespace mxai::nn {

class VGG : public Module {
 public:
  static constexpr int64_t kPool = -1;  // the 'M' entry of a configuration
  static std::vector<int64_t> default_config() { return {32, 32, kPool, 64, 64, kPool, 128, kPool}; }

  VGG(int64_t in_channels, int64_t height, int64_t width, int64_t num_classes, Generator& init,
      const std::vector<int64_t>& config = default_config(), int64_t hidden = 256);

  // (N,C,H,W) -> logits (N,K).
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "VGG"; }

  std::shared_ptr<Sequential> features, classifier;
};

}  // namespace mxai::nn
