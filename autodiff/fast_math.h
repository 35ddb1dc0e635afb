// exp and log1p written out in plain arithmetic, so that loops calling them vectorise (libm's expf/log1pf are
// opaque calls, one element at a time). Float only: these are what the float build's softplus runs; the double
// build (the gradient checks) keeps std::exp and std::log1p through the `real` overloads at the bottom.
// tests/unit/test_fast_kernels.cpp checks both against the double-precision libm over wide ranges.
// A loop calling them vectorises only where GCC may assume float ops do not trap (-fno-trapping-math, set for the
// per-ISA units autodiff/isa/*.cpp in autodiff/CMakeLists.txt): otherwise it will not if-convert the final range
// selects.
// The flag changes no value (mxai never unmasks floating-point exceptions).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace mxai::fast {

// exp(x) within 2 ulp for every float x, including gradual underflow (subnormal results), overflow to +inf and
// NaN in, NaN out. Cody-Waite range reduction x = n ln2 + r, |r| <= ln2/2, then Cephes' degree-6 polynomial.
[[gnu::always_inline]] inline float exp_f32(float x) {
  // n = round(x / ln2) by the 1.5 * 2^23 trick: the addition rounds to an integer, which lands in the low bits
  // of the sum's mantissa (exact for |n| < 2^22).
  const float shifter = 12582912.0f;
  const float t = x * 1.44269504088896341f + shifter;
  const float n = t - shifter;
  int32_t t_bits, shifter_bits;
  std::memcpy(&t_bits, &t, sizeof t);
  std::memcpy(&shifter_bits, &shifter, sizeof shifter);
  const int32_t ni = t_bits - shifter_bits;
  // ln2 split in two so that n * ln2_hi is exact: r carries no rounding error from the reduction.
  const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
  const float r2 = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r2 + r + 1.0f;
  // 2^n as two normal powers of two, 2^(n/2) 2^(n - n/2): n in [-150, 129] needs no special case, results in
  // the subnormal range round once more (within the 2 ulp) and large n overflows to +inf as it should.
  const int32_t n1 = ni >> 1, n2 = ni - n1;
  // Shifted as unsigned: below about x = -104, n + 127 is negative, and a left shift of a negative int is undefined
  // behaviour (UBSan stops there); those lanes are replaced by 0 below anyway.
  const int32_t b1 = static_cast<int32_t>(static_cast<uint32_t>(n1 + 127) << 23);
  const int32_t b2 = static_cast<int32_t>(static_cast<uint32_t>(n2 + 127) << 23);
  float s1, s2;
  std::memcpy(&s1, &b1, sizeof s1);
  std::memcpy(&s2, &b2, sizeof s2);
  // Outside [-104, 89] the result is 0 or +inf and the reduction above is meaningless (the trick needs |n| < 2^22):
  // the limits are selected at the end. NaN fails both tests and stays NaN.
  const float y = p * s1 * s2;
  return x < -104.0f ? 0.0f : (x > 89.0f ? HUGE_VALF : y);
}

// log1p(e) for e in [0, 1] (what softplus needs: e = exp(-|beta x|)), within 2 ulp. log1p(e) = 2 atanh(t) with
// t = e / (2 + e) in [0, 1/3]: an odd series in t with no cancellation, so tiny e keep full relative accuracy.
[[gnu::always_inline]] inline float log1p_unit_f32(float e) {
  const float t = e / (2.0f + e);
  const float z = t * t;  // <= 1/9: the series' terms fall by 9x each; the first omitted one is below 2^-26
  float q = 1.0f / 13;
  q = q * z + 1.0f / 11;
  q = q * z + 1.0f / 9;
  q = q * z + 1.0f / 7;
  q = q * z + 1.0f / 5;
  q = q * z + 1.0f / 3;
  // 2t + 2t z q: the leading term added last, so the rounding of the (at most 1/27 as large) tail barely shows.
  const float t2 = 2.0f * t;
  return t2 + t2 * (z * q);
}

// The `real` entry points: the vectorisable versions in the float build, libm in the double build.
// Always inlined: they are compiled into the per-ISA kernels too (autodiff/isa/), and an out-of-line copy built
// there for AVX-512 must never be the one the linker keeps for everyone.
[[gnu::always_inline]] inline float exp(float x) { return exp_f32(x); }
[[gnu::always_inline]] inline float log1p_unit(float e) { return log1p_unit_f32(e); }
[[gnu::always_inline]] inline double exp(double x) { return std::exp(x); }
[[gnu::always_inline]] inline double log1p_unit(double e) { return std::log1p(e); }

}  // namespace mxai::fast
