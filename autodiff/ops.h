// Differentiable ops. Each is defined in one ops_*.cpp file with its forward and backward side by side; every
// backward is written with these same ops, so every op can be differentiated any number of times.
// Shapes in comments: (N,C,H,W) images, (O,C,KH,KW) conv weights, "..." any leading axes.
#pragma once

#include <memory>
#include <vector>

#include "autodiff/random.h"
#include "autodiff/tensor.h"

namespace mxai {

// ---- elementwise binary, numpy-style broadcasting (ops_elementwise.cpp) ----
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Shape broadcast_shapes(const Shape& a, const Shape& b);  // throws naming both shapes

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, real s);
Tensor operator-(const Tensor& a, real s);
Tensor operator*(const Tensor& a, real s);
Tensor operator/(const Tensor& a, real s);
Tensor operator+(real s, const Tensor& a);
Tensor operator-(real s, const Tensor& a);
Tensor operator*(real s, const Tensor& a);
Tensor operator/(real s, const Tensor& a);
Tensor operator-(const Tensor& a);

// ---- elementwise unary (ops_elementwise.cpp) ----
Tensor neg(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor pow(const Tensor& x, real exponent);
Tensor abs(const Tensor& x);                 // derivative sign(x), 0 at 0
Tensor clamp(const Tensor& x, real lo, real hi);  // derivative 1 strictly inside [lo, hi], else 0
Tensor relu(const Tensor& x);                // derivative 0 at 0, as PyTorch
Tensor leaky_relu(const Tensor& x, real negative_slope = real(0.01));
Tensor elu(const Tensor& x, real alpha = real(1));
Tensor softplus(const Tensor& x, real beta = real(1));  // log(1 + exp(beta x)) / beta
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);

// ---- reductions (ops_reduce.cpp) ----
Tensor sum(const Tensor& x);                                            // -> ()
Tensor sum(const Tensor& x, std::vector<int64_t> axes, bool keepdim = false);
Tensor mean(const Tensor& x);                                           // -> ()
Tensor mean(const Tensor& x, std::vector<int64_t> axes, bool keepdim = false);
Tensor max(const Tensor& x, int64_t axis, bool keepdim = false);        // gradient to the first maximum
std::vector<int64_t> argmax(const Tensor& x, int64_t axis);             // not differentiable
Tensor logsumexp(const Tensor& x, int64_t axis, bool keepdim = false);
Tensor log_softmax(const Tensor& x, int64_t axis);
Tensor softmax(const Tensor& x, int64_t axis);

// ---- shape ops (ops_shape.cpp) ----
Tensor reshape(const Tensor& x, Shape shape);        // one entry may be -1; shares storage
Tensor flatten(const Tensor& x, int64_t start_axis = 1);  // (N,...) -> (N, prod(...))
Tensor permute(const Tensor& x, const std::vector<int64_t>& order);
Tensor transpose(const Tensor& x, int64_t a, int64_t b);
Tensor expand(const Tensor& x, const Shape& shape);  // broadcast to `shape`
Tensor sum_to(const Tensor& x, const Shape& shape);  // adjoint of expand: sums broadcast axes away
Tensor narrow(const Tensor& x, int64_t axis, int64_t start, int64_t length);
Tensor concat(const std::vector<Tensor>& xs, int64_t axis);
// Constant padding; pads[i] = {before, after} for axis i (fewer entries pad only the leading axes).
Tensor pad(const Tensor& x, const std::vector<std::pair<int64_t, int64_t>>& pads, real value = 0);
// y.flat[i] = x.flat[index[i]], with y of `shape`; and its adjoint, which sums into an x-shaped result.
using Index = std::shared_ptr<const std::vector<int64_t>>;
Tensor gather_flat(const Tensor& x, const Index& index, const Shape& shape);
Tensor scatter_add_flat(const Tensor& g, const Index& index, const Shape& shape);

// ---- matrix products (ops_matmul.cpp) ----
// (M,K)@(K,N) -> (M,N); (B,M,K)@(B,K,N) -> (B,M,N); (B,M,K)@(K,N) -> (B,M,N).
Tensor matmul(const Tensor& a, const Tensor& b);
// op(a) op(b) for 2-D a and b, op transposing when its flag is set, without copying a transposed operand.
Tensor matmul(const Tensor& a, const Tensor& b, bool trans_a, bool trans_b);
// x (N,I), w (O,I), b (O) or undefined -> (N,O) = x w^T + b, as torch.nn.functional.linear.
Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b = Tensor());

// ---- convolutions and pooling (ops_conv.cpp, ops_pool.cpp) ----
struct Conv2dParams {
  int64_t stride = 1, padding = 0, dilation = 1;
};
// x (N,C,H,W), w (O,C,KH,KW), b (O) or undefined -> (N,O,OH,OW).
Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor& b = Tensor(), Conv2dParams p = {});
// x (N,C,H,W), w (C,O,KH,KW) as PyTorch's ConvTranspose2d, b (O) -> (N,O,OH,OW) with
// OH = (H-1)*stride - 2*padding + dilation*(KH-1) + output_padding + 1.
Tensor conv_transpose2d(const Tensor& x, const Tensor& w, const Tensor& b = Tensor(), Conv2dParams p = {},
                        int64_t output_padding = 0);
// The gradient of conv2d with respect to its weight: x (N,C,H,W), g (N,O,OH,OW) -> (O,C,KH,KW).
Tensor conv2d_weight(const Tensor& x, const Tensor& g, const Shape& weight_shape, Conv2dParams p);
// x (N,C,H,W) -> (N,C,OH,OW). Max pooling pads with -inf, average pooling counts padding as zeros
// (PyTorch's count_include_pad=True).
Tensor max_pool2d(const Tensor& x, int64_t kernel, int64_t stride = 0, int64_t padding = 0);
Tensor avg_pool2d(const Tensor& x, int64_t kernel, int64_t stride = 0, int64_t padding = 0);

// ---- stochastic (ops_elementwise.cpp) ----
// Inverted dropout: zeroes each entry with probability p and scales the rest by 1/(1-p); identity if !training.
// first_row: x (N,...) is rows [first_row, first_row + N) of a larger batch, and gets exactly those rows of the
// batch's mask, so a batch split across data-parallel ranks is masked as it would be whole.
Tensor dropout(const Tensor& x, real p, bool training, Generator& gen, int64_t first_row = 0);

}  // namespace mxai
