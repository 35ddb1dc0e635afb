// Raw kernels behind the ops, on contiguous row-major buffers. Each fast kernel has a naive reference beside it
// (suffix _naive), kept deliberately simple; tests/test_kernels.cpp checks that the two agree.
#pragma once

#include <cstdint>

#include "autodiff/simd.h"
#include "autodiff/tensor.h"

namespace mxai::kernels {

// C (M,N) = op(A) op(B) + beta * C, where op(A) is (M,K) and op(B) is (K,N); A is stored (K,M) if trans_a,
// B is stored (N,K) if trans_b. Eigen's packed GEMM, compiled per instruction set (simd.h); it threads itself
// unless called inside an OpenMP region.
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
          real beta = 0);
void gemm_naive(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
                real beta = 0);

// The geometry of a 2-D convolution of x (N,C,H,W) with w (O,C,KH,KW) into y (N,O,OH,OW).
struct ConvGeometry {
  int64_t N, C, H, W, O, KH, KW, OH, OW;
  int64_t stride, padding, dilation;
  int64_t patch() const { return C * KH * KW; }  // rows of the im2col matrix
  int64_t pixels() const { return OH * OW; }     // its columns
};

// One image (C,H,W) -> columns (C*KH*KW, OH*OW); entries that fall in the padding are 0.
void im2col(const ConvGeometry& g, const real* image, real* cols);
// The adjoint of im2col: columns (C*KH*KW, OH*OW) are summed back into an image (C,H,W), which it overwrites.
void col2im(const ConvGeometry& g, const real* cols, real* image);

// A per-thread buffer of at least n reals, uninitialised and reused across calls, so the im2col columns of every
// convolution do not cost an allocation, a page fault and a memset per call. Three slots (0-2) per thread.
real* scratch(int slot, int64_t n);


// A stride-1 convolution of x (N,C,H,W) with w (O,C,KH,KW) into y (N,O,OH,OW), the input zero-padded by pad_h
// rows and pad_w columns on each side.
struct DirectConv {
  int64_t N, C, H, W, O, KH, KW, pad_h, pad_w, dilation;
  int64_t OH() const { return H + 2 * pad_h - dilation * (KH - 1); }
  int64_t OW() const { return W + 2 * pad_w - dilation * (KW - 1); }
  // The convolution that computes this one's input gradient: from the output gradient (O channels, OH x OW) back
  // to C channels, padded by dilation * (K - 1) - pad, with the flipped kernel (conv2d_direct's `adjoint`).
  DirectConv adjoint() const {
    return {N, O, OH(), OW(), C, KH, KW, dilation * (KH - 1) - pad_h, dilation * (KW - 1) - pad_w, dilation};
  }
};
// y = x (*) w [+ bias (O)] for a stride-1 convolution, straight from the image (no im2col matrix); see
// kernels_conv_direct.cpp. With `adjoint`, w is stored (C,O,KH,KW) and applied flipped in space: that makes y the
// input gradient of the convolution with weight w, given its output gradient x (d is then that convolution's
// DirectConv::adjoint()). Threads itself over images (or over an image's rows when there are few images).
void conv2d_direct(const DirectConv& d, const real* x, const real* w, bool adjoint, const real* bias, real* y);
// gw (O,C,KH,KW) = the weight gradient of that convolution, given its input x (N,C,H,W) and output gradient gy
// (N,O,OH,OW), and, unless gb is null, gb (O) = the bias gradient (gy summed per channel) from the same pass over
// gy. Both are overwritten. Deterministic for a given thread count.
void conv2d_weight_direct(const DirectConv& d, const real* x, const real* gy, real* gw, real* gb = nullptr);
// All gradients of that convolution at once: gx (N,C,H,W) from gy and w, gw and, unless null, gb, like
// conv2d_direct(adjoint) and conv2d_weight_direct, but image by image, so each image's gy is read from memory once
// for both. Needs N of at least twice the thread count (and padding <= dilation * (K - 1)).
void conv2d_backward_direct(const DirectConv& d, const real* x, const real* w, const real* gy, real* gx, real* gw,
                            real* gb);

// Direct-loop references for the three convolution products (whole batch).
void conv2d_naive(const ConvGeometry& g, const real* x, const real* w, real* y);          // y = x (*) w
void conv2d_input_naive(const ConvGeometry& g, const real* gy, const real* w, real* gx);  // adjoint in x
void conv2d_weight_naive(const ConvGeometry& g, const real* x, const real* gy, real* gw); // adjoint in w

}  // namespace mxai::kernels
