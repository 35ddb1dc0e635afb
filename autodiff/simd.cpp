#include "autodiff/simd.h"

#include <algorithm>

namespace mxai::kernels {

SimdLevel best_simd_level() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq"))
    return SimdLevel::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdLevel::avx2;
#endif
  return SimdLevel::portable;
}

namespace {
SimdLevel& current_level() {
  static SimdLevel level = best_simd_level();
  return level;
}
}  // namespace

SimdLevel simd_level() { return current_level(); }

void set_simd_level(SimdLevel level) { current_level() = std::min(level, best_simd_level()); }

const char* simd_level_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::avx512: return "avx512";
    case SimdLevel::avx2: return "avx2";
    case SimdLevel::portable: break;
  }
  return "portable";
}

}  // namespace mxai::kernels
