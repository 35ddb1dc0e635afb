// The Eigen GEMM kernel against its naive reference, at every SIMD level the CPU has, over every transpose
// combination, both common betas and a general one, odd sizes that do not fill Eigen's register blocks, and
// degenerate sizes.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <limits>
#include <sstream>
#include <vector>

#include "autodiff/kernels.h"
#include "autodiff/random.h"

using namespace mxai;

namespace {

std::vector<real> random_values(int64_t n, Generator& gen) {
  std::vector<real> v(static_cast<size_t>(std::max<int64_t>(n, 1)));  // never empty, so data() is never null
  for (real& x : v) x = static_cast<real>(gen.normal());
  return v;
}

// Runs both kernels on the same inputs and compares every entry. With beta == 0 the output starts as NaN, which
// a kernel must overwrite rather than scale.
void check_gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, real beta) {
  std::ostringstream what;
  what << "trans_a " << trans_a << " trans_b " << trans_b << " M " << M << " N " << N << " K " << K << " beta "
       << beta;
  INFO(what.str());
  Generator gen(static_cast<uint64_t>(M * 1000003 + N * 1009 + K * 17 + trans_a * 2 + trans_b));
  const std::vector<real> A = random_values(M * K, gen), B = random_values(K * N, gen);
  std::vector<real> C = random_values(M * N, gen);
  C.resize(static_cast<size_t>(M * N));
  if (beta == 0) std::fill(C.begin(), C.end(), std::numeric_limits<real>::quiet_NaN());
  C.push_back(real(12345));  // a sentinel just past the output: writing beyond M*N entries changes it
  std::vector<real> fast = C, naive = C;
  kernels::gemm(trans_a, trans_b, M, N, K, A.data(), B.data(), fast.data(), beta);
  kernels::gemm_naive(trans_a, trans_b, M, N, K, A.data(), B.data(), naive.data(), beta);
  // float32 sums of K products of N(0,1) values: error grows like sqrt(K) ulps of the terms.
  const double tol = 1e-5 * (K + 1);
  int mismatches = 0;
  for (int64_t i = 0; i < M * N; ++i) {
    const bool ok = std::abs(static_cast<double>(fast[i]) - naive[i]) <= tol;  // false for NaN too
    if (!ok && mismatches++ == 0) {
      INFO("first mismatch at " << i << ": " << fast[i] << " vs " << naive[i]);
      CHECK(ok);
    }
  }
  CHECK(mismatches == 0);
  CHECK(fast.back() == real(12345));
  CHECK(naive.back() == real(12345));
}

}  // namespace

TEST_CASE("kernels: gemm equals gemm_naive for every transpose combination and beta, at every SIMD level",
          "[kernels]") {
  struct Size {
    int64_t M, N, K;
  };
  // The GEMM block is compiled once per instruction set (autodiff/isa/); each one this CPU can run is checked.
  const kernels::SimdLevel best = kernels::best_simd_level();
  for (const kernels::SimdLevel level :
       {kernels::SimdLevel::portable, kernels::SimdLevel::avx2, kernels::SimdLevel::avx512}) {
    if (level > best) continue;
    kernels::set_simd_level(level);
    INFO("SIMD level " << kernels::simd_level_name(kernels::simd_level()));
    CHECK(kernels::simd_level() == level);
    // The last two are large enough for gemm to split C over threads, by rows and by columns.
    for (const Size s : {Size{37, 29, 53}, Size{1, 1, 1}, Size{5, 3, 1}, Size{1, 64, 7}, Size{64, 65, 66},
                         Size{301, 131, 61}, Size{97, 251, 89}})
      for (bool trans_a : {false, true})
        for (bool trans_b : {false, true})
          for (real beta : {real(0), real(1), real(0.5)}) check_gemm(trans_a, trans_b, s.M, s.N, s.K, beta);
  }
  kernels::set_simd_level(best);
}

TEST_CASE("kernels: the SIMD level is the CPU's best and can only be lowered", "[kernels]") {
  const kernels::SimdLevel best = kernels::best_simd_level();
  CHECK(kernels::simd_level() == best);
  kernels::set_simd_level(kernels::SimdLevel::portable);
  CHECK(kernels::simd_level() == kernels::SimdLevel::portable);
  kernels::set_simd_level(kernels::SimdLevel::avx512);  // capped to what the CPU has
  CHECK(kernels::simd_level() == best);
  kernels::set_simd_level(best);
}

TEST_CASE("kernels: the detected SIMD level matches the flags in /proc/cpuinfo", "[kernels]") {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line) && line.rfind("flags", 0) != 0) {
  }
  if (line.empty()) return;  // not Linux on x86: nothing to compare with
  std::istringstream words(line.substr(line.find(':') + 1));
  std::set<std::string> flags{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
  const auto has = [&](const char* f) { return flags.count(f) > 0; };
  kernels::SimdLevel expected = kernels::SimdLevel::portable;
  if (has("avx2") && has("fma")) expected = kernels::SimdLevel::avx2;
  if (has("avx512f") && has("avx512vl") && has("avx512bw") && has("avx512dq")) expected = kernels::SimdLevel::avx512;
  CHECK(kernels::simd_level_name(kernels::best_simd_level()) == std::string(kernels::simd_level_name(expected)));
}

TEST_CASE("kernels: gemm with a degenerate size", "[kernels]") {
  for (bool trans_a : {false, true})
    for (bool trans_b : {false, true}) {
      // K = 0: the product is empty, so C becomes beta * C (zeros for beta 0, not the NaN it started as).
      for (real beta : {real(0), real(1), real(0.5)}) check_gemm(trans_a, trans_b, 4, 3, 0, beta);
      // M = 0 or N = 0: nothing to write, and nothing may be touched.
      check_gemm(trans_a, trans_b, 0, 3, 5, 0);
      check_gemm(trans_a, trans_b, 4, 0, 5, 1);
    }
}

TEST_CASE("kernels: gemm with K = 0 and beta 0 clears the output", "[kernels]") {
  std::vector<real> C(6, std::numeric_limits<real>::quiet_NaN());
  const real dummy = 0;
  kernels::gemm(false, false, 2, 3, 0, &dummy, &dummy, C.data(), 0);
  CHECK(C == std::vector<real>(6, 0));
}

TEST_CASE("kernels: gemm_naive on a hand-computed product", "[kernels]") {
  // The reference itself must be right: (2,3) @ (3,2), and the same with both operands stored transposed.
  const std::vector<real> A = {1, 2, 3, 4, 5, 6}, B = {7, 8, 9, 10, 11, 12};
  const std::vector<real> At = {1, 4, 2, 5, 3, 6}, Bt = {7, 9, 11, 8, 10, 12};
  const std::vector<real> expected = {58, 64, 139, 154};
  std::vector<real> C(4, 1);
  kernels::gemm_naive(false, false, 2, 2, 3, A.data(), B.data(), C.data(), 0);
  CHECK(C == expected);
  kernels::gemm_naive(true, true, 2, 2, 3, At.data(), Bt.data(), C.data(), 1);
  CHECK(C == std::vector<real>{116, 128, 278, 308});
  kernels::gemm(true, false, 2, 2, 3, At.data(), B.data(), C.data(), 0);
  CHECK(C == expected);
}
