#include "nn/lenet.h"

#include "autodiff/ops.h"

namespace mxai::nn {

LeNet::LeNet(int64_t in_channels, int64_t height, int64_t width, int64_t num_classes, Generator& init,
             Activation act_kind)
    : activation(act_kind) {
  if (height < 6 || width < 6)
    throw Error("LeNet needs images of at least 6x6, got " + std::to_string(height) + "x" + std::to_string(width));
  const int64_t flat = 64 * ((height - 4) / 2) * ((width - 4) / 2);
  conv1 = register_module("conv1", std::make_shared<Conv2d>(in_channels, 32, 3, init));
  conv2 = register_module("conv2", std::make_shared<Conv2d>(32, 64, 3, init));
  dropout1 = register_module("dropout1", std::make_shared<Dropout>(real(0.25), init.next_u64()));
  dropout2 = register_module("dropout2", std::make_shared<Dropout>(real(0.5), init.next_u64()));
  fc1 = register_module("fc1", std::make_shared<Linear>(flat, 128, init));
  fc2 = register_module("fc2", std::make_shared<Linear>(128, num_classes, init));
}

Tensor LeNet::act(const Tensor& x) const {
  return activation == Activation::ReLU ? relu(x) : softplus(x, real(10));
}

Tensor LeNet::forward(const Tensor& x) { return from_conv_output(conv_output(x)); }

Tensor LeNet::conv_output(const Tensor& x) { return conv2->forward(act(conv1_output(x))); }

Tensor LeNet::conv1_output(const Tensor& x) { return conv1->forward(x); }

Tensor LeNet::from_conv1_output(const Tensor& a) { return from_conv_output(conv2->forward(act(a))); }

Tensor LeNet::from_conv_output(const Tensor& a) {
  const Tensor h = dropout1->forward(max_pool2d(act(a), 2));
  return fc2->forward(dropout2->forward(act(fc1->forward(flatten(h, 1)))));
}

}  // namespace mxai::nn
