// The MNIST LeNet of Bordt et al. (the PyTorch MNIST example network):
//   conv1 Conv2d(C,32,3) act, conv2 Conv2d(32,64,3) act, max_pool2d(2), dropout1 Dropout(0.25), flatten,
//   fc1 Linear(64*((H-4)/2)*((W-4)/2),128) act, dropout2 Dropout(0.5), fc2 Linear(128,K)
// with act = ReLU, or Softplus(beta=10) for the smooth variant whose second derivatives do not vanish.
// Parameter names are conv1.*, conv2.*, fc1.*, fc2.*, as in the reference PyTorch module.
#pragma once

#include <memory>

#include "autodiff/random.h"
#include "nn/conv.h"
#include "nn/dropout.h"
#include "nn/linear.h"
#include "nn/module.h"

namespace mxai::nn {

class LeNet : public Module {
 public:
  enum class Activation { ReLU, Softplus };
  // Weights from `init`; each dropout layer gets its own stream seeded from `init` too.
  LeNet(int64_t in_channels, int64_t height, int64_t width, int64_t num_classes, Generator& init,
        Activation activation = Activation::ReLU);

  // (N,C,H,W) -> logits (N,K); the same as from_conv_output(conv_output(x)).
  Tensor forward(const Tensor& x) override;
  // The cut at the last convolution's output before its activation, the layer Grad-CAM explains:
  // (N,C,H,W) -> conv2's output (N,64,H-4,W-4), and that -> logits (N,K).
  Tensor conv_output(const Tensor& x);
  Tensor from_conv_output(const Tensor& a);
  // The cut at the first convolution's output before its activation, the other layer Grad-CAM can explain:
  // (N,C,H,W) -> conv1's output (N,32,H-2,W-2), and that -> logits (N,K).
  Tensor conv1_output(const Tensor& x);
  Tensor from_conv1_output(const Tensor& a);
  std::string type_name() const override { return "LeNet"; }

  const Activation activation;
  std::shared_ptr<Conv2d> conv1, conv2;
  std::shared_ptr<Dropout> dropout1, dropout2;
  std::shared_ptr<Linear> fc1, fc2;

 private:
  Tensor act(const Tensor& x) const;
};

}  // namespace mxai::nn
