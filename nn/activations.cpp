#include "nn/activations.h"

#include "autodiff/ops.h"

namespace mxai::nn {

Tensor ReLU::forward(const Tensor& x) { return relu(x); }
Tensor LeakyReLU::forward(const Tensor& x) { return leaky_relu(x, negative_slope); }
Tensor ELU::forward(const Tensor& x) { return elu(x, alpha); }
Tensor Softplus::forward(const Tensor& x) { return softplus(x, beta); }
Tensor Sigmoid::forward(const Tensor& x) { return sigmoid(x); }
Tensor Tanh::forward(const Tensor& x) { return tanh(x); }

}  // namespace mxai::nn
