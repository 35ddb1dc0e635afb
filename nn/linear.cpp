#include "nn/linear.h"

#include "autodiff/ops.h"
#include "nn/init.h"

namespace mxai::nn {

Linear::Linear(int64_t in, int64_t out, Generator& init, bool with_bias)
    : in_features(in), out_features(out), weight(Tensor::empty({out, in})) {
  if (in < 1 || out < 1)
    throw Error("Linear: feature counts must be positive, got " + std::to_string(in) + " -> " + std::to_string(out));
  if (with_bias) bias = Tensor::empty({out});
  reset_parameters(init);
  register_parameter("weight", &weight);
  if (with_bias) register_parameter("bias", &bias);
}

void Linear::reset_parameters(Generator& init) { default_weight_bias_init(weight, bias, init); }

Tensor Linear::forward(const Tensor& x) {
  if (x.dim() < 1 || x.size(-1) != in_features)
    throw Error("Linear(" + std::to_string(in_features) + ", " + std::to_string(out_features) + "): input " +
                shape_str(x.shape()) + " does not end in " + std::to_string(in_features) + " features");
  if (x.dim() == 2) return linear(x, weight, bias);
  Shape out_shape = x.shape();
  out_shape.back() = out_features;
  return reshape(linear(reshape(x, {-1, in_features}), weight, bias), out_shape);
}

}  // namespace mxai::nn
