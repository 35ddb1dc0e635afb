#include "nn/resnet.h"

#include "autodiff/ops.h"

namespace mxai::nn {

ResNet::ResNet(int64_t in_channels, int64_t num_classes, Generator& init, int64_t width, int64_t blocks) {
  if (width < 1 || blocks < 1)
    throw Error("ResNet: width and blocks_per_stage must be positive, got " + std::to_string(width) + " and " +
                std::to_string(blocks));
  conv1 = register_module("conv1", std::make_shared<Conv2d>(in_channels, width, 3, init, Conv2dOptions{1, 1, 1, false}));
  bn1 = register_module("bn1", std::make_shared<BatchNorm2d>(width));
  int64_t channels = width;
  const auto stage = [&](const char* name, int64_t out, int64_t stride) {
    auto layer = register_module(name, std::make_shared<Sequential>());
    for (int64_t b = 0; b < blocks; ++b) {
      layer->add(std::make_shared<BasicBlock>(channels, out, b == 0 ? stride : 1, init));
      channels = out;
    }
    return layer;
  };
  layer1 = stage("layer1", width, 1);
  layer2 = stage("layer2", 2 * width, 2);
  layer3 = stage("layer3", 4 * width, 2);
  fc = register_module("fc", std::make_shared<Linear>(channels, num_classes, init));
}

Tensor ResNet::forward(const Tensor& x) {
  Tensor h = relu(bn1->forward(conv1->forward(x)));
  h = layer3->forward(layer2->forward(layer1->forward(h)));
  return fc->forward(mean(h, {2, 3}));
}

}  // namespace mxai::nn
