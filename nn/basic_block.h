// The ResNet basic block (torchvision's BasicBlock): conv3x3-bn-relu-conv3x3-bn plus a shortcut, then relu.
// The shortcut is the identity, or, when the stride or the channel count changes, a 1x1 convolution and a
// BatchNorm named downsample.0 and downsample.1 as in torchvision.
#pragma once

#include <memory>

#include "autodiff/random.h"
#include "nn/batchnorm.h"
#include "nn/conv.h"
#include "nn/module.h"
#include "nn/sequential.h"

namespace mxai::nn {

class BasicBlock : public Module {
 public:
  BasicBlock(int64_t in_channels, int64_t out_channels, int64_t stride, Generator& init);

  // (N,in_channels,H,W) -> (N,out_channels,OH,OW), OH = (H-1)/stride + 1.
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "BasicBlock"; }

  std::shared_ptr<Conv2d> conv1, conv2;
  std::shared_ptr<BatchNorm2d> bn1, bn2;
  std::shared_ptr<Sequential> downsample;  // null for the identity shortcut
};

}  // namespace mxai::nn
