# Instruction sets: one portable build, with the hot kernels compiled per ISA and picked at run time.
#
# Everything is compiled for the x86-64 baseline with generic tuning, so a binary built on one CPU runs correctly on
# any other. The kernels that gain from wider vectors (the GEMM and the direct-convolution tiles) are compiled again
# for AVX2 and for AVX-512 and chosen by autodiff/simd.h at start-up. MXAI_NATIVE=ON instead builds everything for
# the build machine (-march=native); such a binary is only for that machine.
#
# GCC 12.2 miscompiles constant stores of short vectors such as std::vector<double>{1,1,0,0} into a broadcast of
# the first value when its SLP vectoriser may use AVX-512, or tunes for Sapphire Rapids (seen with -mavx512f,
# -march=x86-64-v4, -march=native on AMD Zen 5 and on Intel Sapphire Rapids, -mtune=sapphirerapids, and inside
# functions with a target("avx512f") attribute). -fno-tree-slp-vectorize avoids it in every case we found; loops
# are still vectorised. Every flag set below is therefore checked by the toolchain guard (tests/toolchain), which
# CTest runs before anything else.

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(MXAI_X86 ON)
else()
  set(MXAI_X86 OFF)
endif()

set(MXAI_NO_SLP "")
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  set(MXAI_NO_SLP -fno-tree-slp-vectorize)
endif()

# The flags of each per-ISA kernel unit, on top of the baseline. "portable" adds nothing; "attribute" is for a
# baseline unit whose functions carry target("avx2,fma") or target("avx512f") attributes. Off x86-64, and with
# -march=native (which already gives every unit the machine's best instruction set), the units differ in name only.
set(MXAI_ISA_FLAGS_portable "")
set(MXAI_ISA_FLAGS_attribute ${MXAI_NO_SLP})
if(MXAI_X86 AND NOT MXAI_NATIVE)
  set(MXAI_ISA_FLAGS_avx2 -mavx2 -mfma)
  set(MXAI_ISA_FLAGS_avx512 -mavx512f -mavx512vl -mavx512bw -mavx512dq -mavx2 -mfma ${MXAI_NO_SLP})
else()
  set(MXAI_ISA_FLAGS_avx2 "")
  set(MXAI_ISA_FLAGS_avx512 "")
endif()

if(MXAI_NATIVE)
  add_compile_options(-march=native ${MXAI_NO_SLP})
endif()

# mxai_flag_set(NAME LEVEL <level> OPTIONS <options...> SOURCES <files...>)
# Compiles the given sources with the baseline plus the level's ISA flags and OPTIONS, and records the flag set so
# that tests/toolchain builds the guard with exactly these flags. LEVEL "attribute" marks a baseline unit that holds
# functions with target("avx2"/"avx512f") attributes: the guard then runs its cases inside such functions too.
function(mxai_flag_set name)
  cmake_parse_arguments(F "" "LEVEL" "OPTIONS;SOURCES" ${ARGN})
  set(isa_flags "")
  if(DEFINED MXAI_ISA_FLAGS_${F_LEVEL})
    set(isa_flags ${MXAI_ISA_FLAGS_${F_LEVEL}})
  endif()
  set(options ${isa_flags} ${F_OPTIONS})
  if(F_SOURCES)
    set_source_files_properties(${F_SOURCES} PROPERTIES COMPILE_OPTIONS "${options}")
  endif()
  set_property(GLOBAL APPEND PROPERTY MXAI_FLAG_SETS ${name})
  set_property(GLOBAL PROPERTY MXAI_FLAG_SET_${name}_LEVEL ${F_LEVEL})
  set_property(GLOBAL PROPERTY MXAI_FLAG_SET_${name}_OPTIONS "${options}")
endfunction()
