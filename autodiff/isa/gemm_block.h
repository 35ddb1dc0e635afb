// The single-threaded GEMM block that kernels::gemm threads, once per instruction set (gemm_block.inc).
#pragma once

#include <cstdint>

#include "autodiff/tensor.h"

// Each: C[i0:i0+m, j0:j0+n] += op(A)[i0:i0+m, :] op(B)[:, j0:j0+n] for the (M,N,K) product of kernels::gemm.
namespace mxai::kernels::portable {
void gemm_block(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
                int64_t i0, int64_t m, int64_t j0, int64_t n);
}
namespace mxai::kernels::avx2 {
void gemm_block(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
                int64_t i0, int64_t m, int64_t j0, int64_t n);
}
namespace mxai::kernels::avx512 {
void gemm_block(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
                int64_t i0, int64_t m, int64_t j0, int64_t n);
}
