#include "nn/conv.h"

#include "nn/init.h"

namespace mxai::nn {

namespace {

void check_sizes(const char* layer, int64_t in, int64_t out, int64_t kernel) {
  if (in < 1 || out < 1 || kernel < 1)
    throw Error(std::string(layer) + ": channels and kernel size must be positive, got in " + std::to_string(in) +
                ", out " + std::to_string(out) + ", kernel " + std::to_string(kernel));
}

void check_geometry(const char* layer, int64_t stride, int64_t padding, int64_t dilation) {
  if (stride < 1 || padding < 0 || dilation < 1)
    throw Error(std::string(layer) + ": stride and dilation must be positive and padding non-negative, got stride " +
                std::to_string(stride) + ", padding " + std::to_string(padding) + ", dilation " +
                std::to_string(dilation));
}

void check_input(const char* layer, const Tensor& x, int64_t channels) {
  if (x.dim() != 4 || x.size(1) != channels)
    throw Error(std::string(layer) + ": expected input (N," + std::to_string(channels) + ",H,W), got " +
                shape_str(x.shape()));
}

}  // namespace

Conv2d::Conv2d(int64_t in, int64_t out, int64_t kernel, Generator& init, Conv2dOptions opts)
    : in_channels(in), out_channels(out), kernel_size(kernel), options(opts) {
  check_sizes("Conv2d", in, out, kernel);
  check_geometry("Conv2d", opts.stride, opts.padding, opts.dilation);
  weight = Tensor::empty({out, in, kernel, kernel});
  if (opts.bias) bias = Tensor::empty({out});
  reset_parameters(init);
  register_parameter("weight", &weight);
  if (opts.bias) register_parameter("bias", &bias);
}

void Conv2d::reset_parameters(Generator& init) { default_weight_bias_init(weight, bias, init); }

Tensor Conv2d::forward(const Tensor& x) {
  check_input("Conv2d", x, in_channels);
  return conv2d(x, weight, bias, {options.stride, options.padding, options.dilation});
}

ConvTranspose2d::ConvTranspose2d(int64_t in, int64_t out, int64_t kernel, Generator& init,
                                 ConvTranspose2dOptions opts)
    : in_channels(in), out_channels(out), kernel_size(kernel), options(opts) {
  check_sizes("ConvTranspose2d", in, out, kernel);
  check_geometry("ConvTranspose2d", opts.stride, opts.padding, opts.dilation);
  weight = Tensor::empty({in, out, kernel, kernel});
  if (opts.bias) bias = Tensor::empty({out});
  reset_parameters(init);
  register_parameter("weight", &weight);
  if (opts.bias) register_parameter("bias", &bias);
}

void ConvTranspose2d::reset_parameters(Generator& init) { default_weight_bias_init(weight, bias, init); }

Tensor ConvTranspose2d::forward(const Tensor& x) {
  check_input("ConvTranspose2d", x, in_channels);
  return conv_transpose2d(x, weight, bias, {options.stride, options.padding, options.dilation},
                          options.output_padding);
}

}  // namespace mxai::nn
