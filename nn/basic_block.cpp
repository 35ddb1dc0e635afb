#include "nn/basic_block.h"

#include "autodiff/ops.h"

namespace mxai::nn {

BasicBlock::BasicBlock(int64_t in, int64_t out, int64_t stride, Generator& init) {
  const Conv2dOptions conv3x3{stride, 1, 1, /*bias=*/false};
  conv1 = register_module("conv1", std::make_shared<Conv2d>(in, out, 3, init, conv3x3));
  bn1 = register_module("bn1", std::make_shared<BatchNorm2d>(out));
  conv2 = register_module("conv2", std::make_shared<Conv2d>(out, out, 3, init, Conv2dOptions{1, 1, 1, false}));
  bn2 = register_module("bn2", std::make_shared<BatchNorm2d>(out));
  if (stride != 1 || in != out) {
    auto projection = std::make_shared<Conv2d>(in, out, 1, init, Conv2dOptions{stride, 0, 1, false});
    downsample = register_module("downsample", std::make_shared<Sequential>(
                                                   std::initializer_list<std::shared_ptr<Module>>{
                                                       projection, std::make_shared<BatchNorm2d>(out)}));
  }
}

Tensor BasicBlock::forward(const Tensor& x) {
  const Tensor shortcut = downsample ? downsample->forward(x) : x;
  const Tensor h = relu(bn1->forward(conv1->forward(x)));
  return relu(bn2->forward(conv2->forward(h)) + shortcut);
}

}  // namespace mxai::nn
