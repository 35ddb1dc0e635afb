#include <Eigen/Core>

#include "autodiff/kernels.h"

namespace mxai::kernels {

using Matrix = Eigen::Matrix<real, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const Matrix>;
using Map = Eigen::Map<Matrix>;

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
          real beta) {
  Map c(C, M, N);
  if (beta == 0) c.setZero();
  else if (beta != 1) c *= beta;
  if (M == 0 || N == 0 || K == 0) return;
  // Four explicit cases: Eigen picks its packed GEMM kernel for each transpose combination without copies.
  if (!trans_a && !trans_b) c.noalias() += ConstMap(A, M, K) * ConstMap(B, K, N);
  else if (trans_a && !trans_b) c.noalias() += ConstMap(A, K, M).transpose() * ConstMap(B, K, N);
  else if (!trans_a && trans_b) c.noalias() += ConstMap(A, M, K) * ConstMap(B, N, K).transpose();
  else c.noalias() += ConstMap(A, K, M).transpose() * ConstMap(B, N, K).transpose();
}

void gemm_naive(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
                real beta) {
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double acc = 0;
      for (int64_t k = 0; k < K; ++k) {
        const real a = trans_a ? A[k * M + i] : A[i * K + k];
        const real b = trans_b ? B[j * K + k] : B[k * N + j];
        acc += static_cast<double>(a) * b;
      }
      C[i * N + j] = static_cast<real>(acc + (beta == 0 ? 0.0 : static_cast<double>(beta) * C[i * N + j]));
    }
}

}  // namespace mxai::kernels
