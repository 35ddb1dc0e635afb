// Which instruction set the per-ISA kernels (the GEMM, the direct-convolution tiles) run with.
//
// The library is compiled for the x86-64 baseline; those kernels are compiled again for AVX2 and AVX-512 (see
// cmake/mxai_isa.cmake) and picked here at run time, so one binary is right and fast on any x86-64 CPU.
#pragma once

namespace mxai::kernels {

enum class SimdLevel { portable, avx2, avx512 };

// The best level this CPU (and its operating system) supports: avx512 needs AVX-512 F, VL, BW and DQ; avx2 needs
// AVX2 and FMA.
SimdLevel best_simd_level();
// The level in use: the best one, unless lowered by set_simd_level.
SimdLevel simd_level();
// Tests lower the level to check every variant; a level above the CPU's is capped to it. Not thread-safe: set it
// before any work starts.
void set_simd_level(SimdLevel level);
const char* simd_level_name(SimdLevel level);  // "portable", "avx2", "avx512"

}  // namespace mxai::kernels
