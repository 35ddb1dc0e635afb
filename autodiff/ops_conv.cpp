// Convolutions as im2col + GEMM, OpenMP over the images of the batch.
//
// A convolution y = B(x, w) is bilinear, so it has two adjoints: conv2d_input (the gradient in x, which is also
// the transposed convolution) and conv2d_weight (the gradient in w). Each of the three products' derivatives is
// one of the other two, so this file is closed under differentiation to any order:
//   conv2d(x, w):              dx = conv2d_input(gy, w)      dw = conv2d_weight(x, gy)
//   conv2d_input(g, w):        dg = conv2d(gy, w)            dw = conv2d_weight(gy, g)
//   conv2d_weight(x, g):       dx = conv2d_input(g, gy)      dg = conv2d(x, gy)
#include <omp.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "autodiff/graph.h"
#include "autodiff/kernels.h"
#include "autodiff/ops.h"

namespace mxai {

namespace {

using kernels::ConvGeometry;

ConvGeometry make_geometry(const Shape& x, const Shape& w, const Conv2dParams& p) {
  ConvGeometry g{x[0], x[1], x[2], x[3], w[0], w[2], w[3], 0, 0, p.stride, p.padding, p.dilation};
  g.OH = (g.H + 2 * p.padding - p.dilation * (g.KH - 1) - 1) / p.stride + 1;
  g.OW = (g.W + 2 * p.padding - p.dilation * (g.KW - 1) - 1) / p.stride + 1;
  return g;
}

void check_params(const char* op, const Conv2dParams& p) {
  if (p.stride < 1 || p.padding < 0 || p.dilation < 1)
    throw Error(std::string(op) + ": need stride >= 1, padding >= 0, dilation >= 1; got stride " +
                std::to_string(p.stride) + ", padding " + std::to_string(p.padding) + ", dilation " +
                std::to_string(p.dilation));
}

// Images whose results do not mix are handed out one at a time (schedule(dynamic, 1)): on a shared machine one thread
// is often descheduled, and the other then takes over its remaining images instead of waiting for it at the end.
// A 1x1 kernel with stride 1 and no padding needs no im2col: the image already is the column matrix.
// Forking threads costs tens of microseconds (much more on a loaded machine): only worth it for real work.
bool worth_threads(const ConvGeometry& g) { return g.N > 1 && g.N * g.O * g.pixels() * g.patch() > (1 << 16); }

bool is_pointwise(const ConvGeometry& g) {
  return g.KH == 1 && g.KW == 1 && g.stride == 1 && g.padding == 0;
}

// Stride-1 convolutions with a real spatial kernel go through kernels::conv2d_direct, which reads the image in place
// of an im2col matrix. Its input gradient is again a stride-1 convolution (of the output gradient, padded by
// dilation * (K - 1) - padding, with the flipped kernel), so it takes the same path.
bool use_direct(const ConvGeometry& g) {
  return g.stride == 1 && g.KH * g.KW > 1 && g.padding <= g.dilation * (std::min(g.KH, g.KW) - 1);
}

kernels::DirectConv direct_forward(const ConvGeometry& g) {
  return {g.N, g.C, g.H, g.W, g.O, g.KH, g.KW, g.padding, g.padding, g.dilation};
}

// Fills each of the `channels` planes of `pixels` values of one image with its bias.
void fill_bias(real* image, const real* bias, int64_t channels, int64_t pixels) {
  for (int64_t c = 0; c < channels; ++c) std::fill_n(image + c * pixels, pixels, bias[c]);
}

// y (N,O,OH,OW) = x (N,C,H,W) (*) w (O,C,KH,KW) [+ bias (O)]. The bias is written first and the GEMM adds onto
// it, which saves a separate pass over the output.
Tensor conv_forward_kernel(const ConvGeometry& g, const Tensor& x, const Tensor& w, const real* bias) {
  Tensor y = Tensor::empty({g.N, g.O, g.OH, g.OW});
  if (use_direct(g)) {
    kernels::conv2d_direct(direct_forward(g), x.data(), w.data(), false, bias, y.data());
    return y;
  }
  const real *px = x.data(), *pw = w.data();
  real* py = y.data();
  const bool direct = is_pointwise(g);
#pragma omp parallel for schedule(dynamic, 1) if (worth_threads(g))
  for (int64_t n = 0; n < g.N; ++n) {
    const real* image = px + n * g.C * g.H * g.W;
    real* cols = direct ? nullptr : kernels::scratch(0, g.patch() * g.pixels());
    if (!direct) kernels::im2col(g, image, cols);
    real* out = py + n * g.O * g.pixels();
    if (bias) fill_bias(out, bias, g.O, g.pixels());
    kernels::gemm(false, false, g.O, g.pixels(), g.patch(), pw, direct ? image : cols, out, bias ? real(1) : real(0));
  }
  return y;
}

// gx (N,C,H,W) = adjoint of the convolution in x, applied to gy (N,O,OH,OW) [+ bias (C), for the transposed
// convolution, added while the image is still in cache].
Tensor conv_input_kernel(const ConvGeometry& g, const Tensor& gy, const Tensor& w, const real* bias) {
  Tensor gx = Tensor::empty({g.N, g.C, g.H, g.W});
  if (use_direct(g)) {
    kernels::conv2d_direct(direct_forward(g).adjoint(), gy.data(), w.data(), true, bias, gx.data());
    return gx;
  }
  const real *pg = gy.data(), *pw = w.data();
  real* px = gx.data();
  const bool direct = is_pointwise(g);
  const int64_t plane = g.H * g.W;
#pragma omp parallel for schedule(dynamic, 1) if (worth_threads(g))
  for (int64_t n = 0; n < g.N; ++n) {
    real* image = px + n * g.C * plane;
    if (direct) {
      if (bias) fill_bias(image, bias, g.C, plane);
      kernels::gemm(true, false, g.patch(), g.pixels(), g.O, pw, pg + n * g.O * g.pixels(), image,
                    bias ? real(1) : real(0));
      continue;
    }
    real* cols = kernels::scratch(0, g.patch() * g.pixels());
    kernels::gemm(true, false, g.patch(), g.pixels(), g.O, pw, pg + n * g.O * g.pixels(), cols);
    kernels::col2im(g, cols, image);
    if (bias)
      for (int64_t c = 0; c < g.C; ++c)
        for (int64_t i = 0; i < plane; ++i) image[c * plane + i] += bias[c];
  }
  return gx;
}

// gw (O,C,KH,KW) = adjoint of the convolution in w: sum over images of gy_n (O,P) cols_n^T (P,CKK).
Tensor conv_weight_kernel(const ConvGeometry& g, const Tensor& x, const Tensor& gy) {
  if (use_direct(g)) {
    Tensor gw = Tensor::empty({g.O, g.C, g.KH, g.KW});
    kernels::conv2d_weight_direct(direct_forward(g), x.data(), gy.data(), gw.data());
    return gw;
  }
  Tensor gw = Tensor::zeros({g.O, g.C, g.KH, g.KW});
  const real *px = x.data(), *pg = gy.data();
  real* pw = gw.data();
  const bool direct = is_pointwise(g);
  const int64_t size = g.O * g.patch();
#pragma omp parallel if (worth_threads(g))
  {
    real* cols = direct ? nullptr : kernels::scratch(0, g.patch() * g.pixels());
    real* partial = kernels::scratch(1, size);  // per-thread sum, added once at the end
    std::fill_n(partial, size, real(0));
    // Static on purpose: each thread's partial sum must cover the same images every run, so that training is
    // bitwise reproducible (a dynamic schedule changes the summation order from run to run).
#pragma omp for schedule(static)
    for (int64_t n = 0; n < g.N; ++n) {
      const real* image = px + n * g.C * g.H * g.W;
      if (!direct) kernels::im2col(g, image, cols);
      kernels::gemm(false, true, g.O, g.patch(), g.pixels(), pg + n * g.O * g.pixels(), direct ? image : cols,
                    partial, real(1));
    }
#pragma omp critical
    for (int64_t i = 0; i < size; ++i) pw[i] += partial[i];
  }
  return gw;
}

// The bias gradient's node: `sums` (C) are g (N,C,H,W) summed per channel; its adjoint is the broadcast back.
Tensor record_channel_sum(const Tensor& g, Tensor sums) {
  const Shape shape = g.shape();
  return record("channel_sum", {g}, std::move(sums), [shape](const BackwardArgs& c) {
    return std::vector<Tensor>{expand(reshape(c.gout, {1, shape[1], 1, 1}), shape)};
  });
}

// g (N,C,H,W) -> (C): the bias gradient, summed per channel in double (one plane at a time, threads over
// channels).
Tensor channel_sum(const Tensor& g) {
  const int64_t N = g.size(0), C = g.size(1), P = g.size(2) * g.size(3);
  Tensor out = Tensor::empty({C});
  const real* pg = g.data();
  real* po = out.data();
#pragma omp parallel for if (N * C * P > (1 << 18))
  for (int64_t c = 0; c < C; ++c) {
    double total = 0;
    for (int64_t n = 0; n < N; ++n) {
      // 16 interleaved partial sums: a fixed summation order that the compiler can keep in one vector register.
      const real* src = pg + (n * C + c) * P;
      real lanes[16] = {};
      int64_t i = 0;
      for (; i + 16 <= P; i += 16)
        for (int j = 0; j < 16; ++j) lanes[j] += src[i + j];
      for (; i < P; ++i) lanes[i % 16] += src[i];
      for (int j = 0; j < 16; ++j) total += lanes[j];
    }
    po[c] = static_cast<real>(total);
  }
  return record_channel_sum(g, out);
}

Tensor conv2d_nobias(const Tensor& x, const Tensor& w, const Conv2dParams& p);
Tensor conv2d_input(const Tensor& gy, const Tensor& w, const Shape& x_shape, const Conv2dParams& p);

// The input gradient's node, given its value gx = conv2d_input(gy, w).
Tensor record_conv2d_input(const Tensor& gy, const Tensor& w, Tensor gx, const Conv2dParams& p) {
  return record("conv2d_input", {gy, w}, std::move(gx), [p](const BackwardArgs& c) {
    const Tensor &gy = c.inputs[0], &w = c.inputs[1];
    return std::vector<Tensor>{c.needs[0] ? conv2d_nobias(c.gout, w, p) : Tensor(),
                               c.needs[1] ? conv2d_weight(c.gout, gy, w.shape(), p) : Tensor()};
  });
}

// The weight gradient's node, given its value gw = conv2d_weight(x, gy).
Tensor record_conv2d_weight(const Tensor& x, const Tensor& gy, Tensor gw, const Conv2dParams& p) {
  return record("conv2d_weight", {x, gy}, std::move(gw), [p](const BackwardArgs& c) {
    const Tensor &x = c.inputs[0], &gy = c.inputs[1];
    return std::vector<Tensor>{c.needs[0] ? conv2d_input(gy, c.gout, x.shape(), p) : Tensor(),
                               c.needs[1] ? conv2d_nobias(x, c.gout, p) : Tensor()};
  });
}

// The gradients of conv2d(x, w [, b]) given its output gradient gy, for the inputs in `needs`, as the usual nodes
// (conv2d_input, conv2d_weight, channel_sum). Where the direct kernels apply, the gradients that read gy share one
// pass over it (gy is as large as the layer's output): weight and bias always, and the input gradient too when there
// are enough images for every thread to take whole ones.
std::vector<Tensor> conv2d_gradients(const Tensor& x, const Tensor& w, const Tensor& gy, const Conv2dParams& p,
                                     const std::vector<bool>& needs) {
  const ConvGeometry g = make_geometry(x.shape(), w.shape(), p);
  const bool bias = needs.size() > 2 && needs[2];
  std::vector<Tensor> grads(needs.size());
  const bool whole_images = g.N >= 2 * omp_get_max_threads() && !omp_in_parallel() && worth_threads(g);
  if (use_direct(g) && needs[0] && needs[1] && whole_images) {
    Tensor gx = Tensor::empty(x.shape()), gw = Tensor::empty(w.shape()), gb = bias ? Tensor::empty({g.O}) : Tensor();
    kernels::conv2d_backward_direct(direct_forward(g), x.data(), w.data(), gy.data(), gx.data(), gw.data(),
                                    bias ? gb.data() : nullptr);
    grads[0] = record_conv2d_input(gy, w, gx, p);
    grads[1] = record_conv2d_weight(x, gy, gw, p);
    if (bias) grads[2] = record_channel_sum(gy, gb);
    return grads;
  }
  if (needs[0]) grads[0] = conv2d_input(gy, w, x.shape(), p);
  if (use_direct(g) && needs[1] && bias) {
    Tensor gw = Tensor::empty(w.shape()), gb = Tensor::empty({g.O});
    kernels::conv2d_weight_direct(direct_forward(g), x.data(), gy.data(), gw.data(), gb.data());
    grads[1] = record_conv2d_weight(x, gy, gw, p);
    grads[2] = record_channel_sum(gy, gb);
    return grads;
  }
  if (needs[1]) grads[1] = conv2d_weight(x, gy, w.shape(), p);
  if (bias) grads[2] = channel_sum(gy);
  return grads;
}

Tensor conv2d_nobias(const Tensor& x, const Tensor& w, const Conv2dParams& p) {
  const ConvGeometry g = make_geometry(x.shape(), w.shape(), p);
  return record("conv2d", {x, w}, conv_forward_kernel(g, x, w, nullptr), [p](const BackwardArgs& c) {
    return conv2d_gradients(c.inputs[0], c.inputs[1], c.gout, p, c.needs);
  });
}

Tensor conv2d_input(const Tensor& gy, const Tensor& w, const Shape& x_shape, const Conv2dParams& p) {
  const ConvGeometry g = make_geometry(x_shape, w.shape(), p);
  if (gy.shape() != Shape{g.N, g.O, g.OH, g.OW})
    throw Error("conv2d_input: gradient of shape " + shape_str(gy.shape()) + " does not match the output " +
                shape_str({g.N, g.O, g.OH, g.OW}) + " of input " + shape_str(x_shape) + " and weight " +
                shape_str(w.shape()));
  return record_conv2d_input(gy, w, conv_input_kernel(g, gy, w, nullptr), p);
}

// conv2d with its bias as one op (inputs x, w, b): the bias goes into the GEMM's output, and its gradient is the
// per-channel sum of the output gradient.
Tensor conv2d_biased(const Tensor& x, const Tensor& w, const Tensor& b, const Conv2dParams& p) {
  const ConvGeometry g = make_geometry(x.shape(), w.shape(), p);
  return record("conv2d", {x, w, b}, conv_forward_kernel(g, x, w, b.data()), [p](const BackwardArgs& c) {
    return conv2d_gradients(c.inputs[0], c.inputs[1], c.gout, p, c.needs);
  });
}

// The transposed convolution of x (N,C,H,W) with w (C,O,KH,KW) plus b (O), as one op; without the bias it is
// conv2d_input. Same derivatives as conv2d_input, plus the channel sum for the bias.
Tensor conv_transpose2d_biased(const Tensor& x, const Tensor& w, const Tensor& b, const Shape& out_shape,
                               const Conv2dParams& p) {
  const ConvGeometry g = make_geometry(out_shape, w.shape(), p);
  return record("conv_transpose2d", {x, w, b}, conv_input_kernel(g, x, w, b.data()), [p](const BackwardArgs& c) {
    const Tensor &x = c.inputs[0], &w = c.inputs[1];
    return std::vector<Tensor>{c.needs[0] ? conv2d_nobias(c.gout, w, p) : Tensor(),
                               c.needs[1] ? conv2d_weight(c.gout, x, w.shape(), p) : Tensor(),
                               c.needs[2] ? channel_sum(c.gout) : Tensor()};
  });
}

void check_bias(const char* op, const Tensor& b, int64_t channels) {
  if (b.defined() && b.shape() != Shape{channels})
    throw Error(std::string(op) + ": bias of shape " + shape_str(b.shape()) + ", expected (" +
                std::to_string(channels) + ")");
}

}  // namespace

Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor& b, Conv2dParams p) {
  check_params("conv2d", p);
  if (x.dim() != 4 || w.dim() != 4)
    throw Error("conv2d: expected input (N,C,H,W) and weight (O,C,KH,KW), got " + shape_str(x.shape()) + " and " +
                shape_str(w.shape()));
  if (x.size(1) != w.size(1))
    throw Error("conv2d: input " + shape_str(x.shape()) + " has " + std::to_string(x.size(1)) +
                " channels but weight " + shape_str(w.shape()) + " expects " + std::to_string(w.size(1)));
  const ConvGeometry g = make_geometry(x.shape(), w.shape(), p);
  if (g.OH < 1 || g.OW < 1)
    throw Error("conv2d: input " + shape_str(x.shape()) + " is too small for weight " + shape_str(w.shape()) +
                " with padding " + std::to_string(p.padding) + " and dilation " + std::to_string(p.dilation));
  check_bias("conv2d", b, w.size(0));
  return b.defined() ? conv2d_biased(x, w, b, p) : conv2d_nobias(x, w, p);
}

Tensor conv2d_weight(const Tensor& x, const Tensor& gy, const Shape& weight_shape, Conv2dParams p) {
  const ConvGeometry g = make_geometry(x.shape(), weight_shape, p);
  if (gy.shape() != Shape{g.N, g.O, g.OH, g.OW})
    throw Error("conv2d_weight: gradient of shape " + shape_str(gy.shape()) + " does not match the output " +
                shape_str({g.N, g.O, g.OH, g.OW}) + " of input " + shape_str(x.shape()) + " and weight " +
                shape_str(weight_shape));
  return record_conv2d_weight(x, gy, conv_weight_kernel(g, x, gy), p);
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& w, const Tensor& b, Conv2dParams p, int64_t output_padding) {
  check_params("conv_transpose2d", p);
  if (x.dim() != 4 || w.dim() != 4)
    throw Error("conv_transpose2d: expected input (N,C,H,W) and weight (C,O,KH,KW), got " + shape_str(x.shape()) +
                " and " + shape_str(w.shape()));
  if (x.size(1) != w.size(0))
    throw Error("conv_transpose2d: input " + shape_str(x.shape()) + " has " + std::to_string(x.size(1)) +
                " channels but weight " + shape_str(w.shape()) + " expects " + std::to_string(w.size(0)));
  if (output_padding < 0 || (output_padding >= p.stride && output_padding >= p.dilation))
    throw Error("conv_transpose2d: output_padding " + std::to_string(output_padding) +
                " must be smaller than stride or dilation");
  const int64_t OH = (x.size(2) - 1) * p.stride - 2 * p.padding + p.dilation * (w.size(2) - 1) + output_padding + 1;
  const int64_t OW = (x.size(3) - 1) * p.stride - 2 * p.padding + p.dilation * (w.size(3) - 1) + output_padding + 1;
  if (OH < 1 || OW < 1)
    throw Error("conv_transpose2d: input " + shape_str(x.shape()) + " and weight " + shape_str(w.shape()) +
                " give an empty output");
  check_bias("conv_transpose2d", b, w.size(1));
  // The transposed convolution is the x-adjoint of the convolution whose input is the output here.
  const Shape out_shape{x.size(0), w.size(1), OH, OW};
  return b.defined() ? conv_transpose2d_biased(x, w, b, out_shape, p) : conv2d_input(x, w, out_shape, p);
}

}  // namespace mxai
