// torch.nn.Conv2d and torch.nn.ConvTranspose2d with square kernels, one group.
#pragma once

#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "nn/module.h"

namespace mxai::nn {

struct Conv2dOptions {
  int64_t stride = 1, padding = 0, dilation = 1;
  bool bias = true;
};

class Conv2d : public Module {
 public:
  Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, Generator& init, Conv2dOptions options = {});

  // (N,in_channels,H,W) -> (N,out_channels,OH,OW), OH = (H + 2 padding - dilation (kernel-1) - 1) / stride + 1.
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Conv2d"; }
  void reset_parameters(Generator& init);

  const int64_t in_channels, out_channels, kernel_size;
  const Conv2dOptions options;
  Tensor weight;  // (out_channels, in_channels, kernel_size, kernel_size)
  Tensor bias;    // (out_channels), or undefined
};

struct ConvTranspose2dOptions {
  int64_t stride = 1, padding = 0, output_padding = 0, dilation = 1;
  bool bias = true;
};

class ConvTranspose2d : public Module {
 public:
  ConvTranspose2d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, Generator& init,
                  ConvTranspose2dOptions options = {});

  // (N,in_channels,H,W) -> (N,out_channels,OH,OW),
  // OH = (H-1) stride - 2 padding + dilation (kernel-1) + output_padding + 1.
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "ConvTranspose2d"; }
  // PyTorch's fan_in here is weight.size(1)*k*k = out_channels*k*k.
  void reset_parameters(Generator& init);

  const int64_t in_channels, out_channels, kernel_size;
  const ConvTranspose2dOptions options;
  Tensor weight;  // (in_channels, out_channels, kernel_size, kernel_size), PyTorch's layout
  Tensor bias;    // (out_channels), or undefined
};

}  // namespace mxai::nn
