// GEMM through Eigen's packed kernels, threaded by us rather than by Eigen.
//
// Two choices make this file different from a plain Eigen product:
// - Eigen's own parallel GEMM synchronises its threads with spin-waits after every packed panel. On a 2-core
//   machine shared with other jobs, one descheduled thread stalls the other: measured 5-10x slower than one
//   thread. Here each thread instead owns a block of C's columns (or rows) and runs a single-threaded Eigen GEMM
//   on it, so the only synchronisation is the end of the loop.
// - With MXAI_GEMM_AVX512 this file alone is compiled with AVX-512 (the rest of mxai avoids it, see the top-level
//   CMakeLists.txt), which makes Eigen's float kernel about 1.6x faster. Eigen is renamed for this file, so its
//   AVX-512 template instantiations cannot be merged by the linker with the AVX2 ones of other files.
#define Eigen mxai_gemm_eigen
#define EIGEN_DONT_PARALLELIZE
#include <Eigen/Core>
#include <omp.h>

#include <algorithm>

#include "autodiff/kernels.h"

namespace mxai::kernels {

namespace {

using Matrix = Eigen::Matrix<real, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Stride = Eigen::OuterStride<>;
using ConstMap = Eigen::Map<const Matrix, 0, Stride>;
using Map = Eigen::Map<Matrix, 0, Stride>;

// C[i0:i0+m, j0:j0+n] += op(A)[i0:i0+m, :] op(B)[:, j0:j0+n], single-threaded. Strided maps select the block
// without copies; Eigen picks its packed kernel for each transpose combination.
void gemm_block(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
                int64_t i0, int64_t m, int64_t j0, int64_t n) {
  Map c(C + i0 * N + j0, m, n, Stride(N));
  if (!trans_a && !trans_b)
    c.noalias() += ConstMap(A + i0 * K, m, K, Stride(K)) * ConstMap(B + j0, K, n, Stride(N));
  else if (trans_a && !trans_b)
    c.noalias() += ConstMap(A + i0, K, m, Stride(M)).transpose() * ConstMap(B + j0, K, n, Stride(N));
  else if (!trans_a && trans_b)
    c.noalias() += ConstMap(A + i0 * K, m, K, Stride(K)) * ConstMap(B + j0 * K, n, K, Stride(K)).transpose();
  else
    c.noalias() += ConstMap(A + i0, K, m, Stride(M)).transpose() * ConstMap(B + j0 * K, n, K, Stride(K)).transpose();
}

// Below this many multiply-adds a fork costs more than it saves (tens of microseconds on a loaded machine).
constexpr int64_t kParallelMacs = int64_t(1) << 21;

}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
          real beta) {
  Map c(C, M, N, Stride(N));
  if (beta == 0) c.setZero();
  else if (beta != 1) c *= beta;
  if (M == 0 || N == 0 || K == 0) return;
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  if (threads == 1 || M * N * K < kParallelMacs) {
    gemm_block(trans_a, trans_b, M, N, K, A, B, C, 0, M, 0, N);
    return;
  }
  // Split the longer side of C into blocks that are multiples of the kernel's register tile (24 rows / 8 cols at
  // AVX2 and more at AVX-512; 48 suits both), a few blocks per thread so a stalled thread's share is picked up.
  const bool by_columns = N >= M;
  const int64_t side = by_columns ? N : M, tile = 48;
  const int64_t blocks = std::min<int64_t>((side + tile - 1) / tile, 2 * int64_t(threads));
  const int64_t step = ((side + blocks - 1) / blocks + tile - 1) / tile * tile;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int64_t start = 0; start < side; start += step) {
    const int64_t len = std::min(step, side - start);
    if (by_columns) gemm_block(trans_a, trans_b, M, N, K, A, B, C, 0, M, start, len);
    else gemm_block(trans_a, trans_b, M, N, K, A, B, C, start, len, 0, N);
  }
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
