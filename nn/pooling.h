// torch.nn.MaxPool2d and torch.nn.AvgPool2d (square windows; stride defaults to the kernel size; average pooling
// counts padding as zeros, PyTorch's count_include_pad=True).
#pragma once

#include "nn/module.h"

namespace mxai::nn {

class MaxPool2d : public Module {
 public:
  explicit MaxPool2d(int64_t kernel_size, int64_t stride = 0, int64_t padding = 0);
  // (N,C,H,W) -> (N,C,OH,OW), OH = (H + 2 padding - kernel) / stride + 1.
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "MaxPool2d"; }
  const int64_t kernel_size, stride, padding;
};

class AvgPool2d : public Module {
 public:
  explicit AvgPool2d(int64_t kernel_size, int64_t stride = 0, int64_t padding = 0);
  // (N,C,H,W) -> (N,C,OH,OW), OH = (H + 2 padding - kernel) / stride + 1.
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "AvgPool2d"; }
  const int64_t kernel_size, stride, padding;
};

}  // namespace mxai::nn
