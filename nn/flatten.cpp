#include "nn/flatten.h"

#include "autodiff/ops.h"

namespace mxai::nn {

Tensor Flatten::forward(const Tensor& x) { return flatten(x, start_dim); }

}  // namespace mxai::nn
