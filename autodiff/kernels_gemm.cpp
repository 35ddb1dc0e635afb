// GEMM through Eigen's packed kernels, threaded by us rather than by Eigen, and compiled per instruction set.
//
// Two choices make this file different from a plain Eigen product:
// - Eigen's own parallel GEMM synchronises its threads with spin-waits after every packed panel. On a 2-core
//   machine shared with other jobs, one descheduled thread stalls the other: measured 5-10x slower than one
//   thread. Here each thread instead owns a block of C's columns (or rows) and runs a single-threaded Eigen GEMM
//   on it, so the only synchronisation is the end of the loop.
// - The block product is compiled three times (isa/gemm_block.inc in isa/portable.cpp, avx2.cpp, avx512.cpp) and
//   the one for this CPU is called (simd.h). Eigen's float kernel runs about 1.6x faster with AVX-512 than with AVX2.
#define EIGEN_DONT_PARALLELIZE
#include <Eigen/Core>
#include <omp.h>

#include <algorithm>

#include "autodiff/isa/kernels.h"
#include "autodiff/kernels.h"

namespace mxai::kernels {

namespace {

using Matrix = Eigen::Matrix<real, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Map = Eigen::Map<Matrix, 0, Eigen::OuterStride<>>;

using GemmBlockFn = void (*)(bool, bool, int64_t, int64_t, int64_t, const real*, const real*, real*, int64_t, int64_t,
                             int64_t, int64_t);

GemmBlockFn gemm_block_for(SimdLevel level) {
  switch (level) {
    case SimdLevel::avx512: return avx512::gemm_block;
    case SimdLevel::avx2: return avx2::gemm_block;
    case SimdLevel::portable: break;
  }
  return portable::gemm_block;
}

// Below this many multiply-adds a fork costs more than it saves (tens of microseconds on a loaded machine).
constexpr int64_t kParallelMacs = int64_t(1) << 21;

}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const real* A, const real* B, real* C,
          real beta) {
  Map c(C, M, N, Eigen::OuterStride<>(N));
  if (beta == 0) c.setZero();
  else if (beta != 1) c *= beta;
  if (M == 0 || N == 0 || K == 0) return;
  const GemmBlockFn gemm_block = gemm_block_for(simd_level());
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
