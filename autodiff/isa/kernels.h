// The kernels compiled once per instruction set: autodiff/isa/{portable,avx2,avx512}.cpp each include the .inc
// bodies below with their own flags (cmake/mxai_isa.cmake), and the callers pick one with kernels::simd_level().
#pragma once

#include <cstdint>

#include "autodiff/tensor.h"

// Each namespace holds the same two functions:
// - gemm_block: C[i0:i0+m, j0:j0+n] += op(A)[i0:i0+m, :] op(B)[:, j0:j0+n] for the (M,N,K) product of
//   kernels::gemm (gemm_block.inc).
// - softplus_block: y (n) = softplus(beta x) / beta and s (n) = sigmoid(beta x), one pass (elementwise_block.inc).
#define MXAI_ISA_KERNELS                                                                                          \
  void gemm_block(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B,      \
                  real* C, int64_t i0, int64_t m, int64_t j0, int64_t n);                                         \
  void softplus_block(const real* x, real beta, real* y, real* s, int64_t n);

namespace mxai::kernels::portable {
MXAI_ISA_KERNELS
}
namespace mxai::kernels::avx2 {
MXAI_ISA_KERNELS
}
namespace mxai::kernels::avx512 {
MXAI_ISA_KERNELS
}

#undef MXAI_ISA_KERNELS
