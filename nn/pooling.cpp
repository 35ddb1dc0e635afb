#include "nn/pooling.h"

#include "autodiff/ops.h"

namespace mxai::nn {

MaxPool2d::MaxPool2d(int64_t kernel, int64_t s, int64_t p) : kernel_size(kernel), stride(s ? s : kernel), padding(p) {}

Tensor MaxPool2d::forward(const Tensor& x) { return max_pool2d(x, kernel_size, stride, padding); }

AvgPool2d::AvgPool2d(int64_t kernel, int64_t s, int64_t p) : kernel_size(kernel), stride(s ? s : kernel), padding(p) {}

Tensor AvgPool2d::forward(const Tensor& x) { return avg_pool2d(x, kernel_size, stride, padding); }

}  // namespace mxai::nn
