// A small ResNet for small images, named like torchvision's ResNet:
//   conv1 Conv2d(C,w,3,padding 1, no bias), bn1, relu,
//   layer1..layer3: BasicBlocks of widths w, 2w, 4w (the first block of layer2 and layer3 has stride 2),
//   global average pooling, fc Linear(4w,K).
#pragma once

#include <memory>

#include "autodiff/random.h"
#include "nn/basic_block.h"
#include "nn/batchnorm.h"
#include "nn/conv.h"
#include "nn/linear.h"
#include "nn/module.h"
#include "nn/sequential.h"

namespace mxai::nn {

class ResNet : public Module {
 public:
  ResNet(int64_t in_channels, int64_t num_classes, Generator& init, int64_t width = 16, int64_t blocks_per_stage = 1);

  // (N,C,H,W) -> logits (N,K); any H,W >= 1 (global pooling).
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "ResNet"; }

  std::shared_ptr<Conv2d> conv1;
  std::shared_ptr<BatchNorm2d> bn1;
  std::shared_ptr<Sequential> layer1, layer2, layer3;
  std::shared_ptr<Linear> fc;
};

}  // namespace mxai::nn
