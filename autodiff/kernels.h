// Raw kernels behind the ops, on contiguous row-major buffers. Each fast kernel has a naive reference beside it
// (suffix _naive), kept deliberately simple; tests/test_kernels.cpp checks that the two agree.
#pragma once

#include <cstdint>

#include "autodiff/tensor.h"

namespace mxai::kernels {

// C (M,N) = op(A) op(B) + beta * C, where op(A) is (M,K) and op(B) is (K,N); A is stored (K,M) if trans_a,
// B is stored (N,K) if trans_b. Eigen GEMM; it threads itself unless called inside an OpenMP region.
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
          real beta = 0);
void gemm_naive(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
                real beta = 0);

}  // namespace mxai::kernels
