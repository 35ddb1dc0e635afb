# MXAI_SANITIZE=ON builds every target -- the libraries, mxai, the tests and the toolchain guards -- with
# AddressSanitizer and UndefinedBehaviorSanitizer. Any report aborts the program (-fno-sanitize-recover=all), so a
# test that triggers one fails. Included from the top-level CMakeLists.txt right after mxai_isa, before any target
# is defined, so the flags reach every target of every subdirectory.
#
#   cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMXAI_SANITIZE=ON && cmake --build build-asan -j2
#   ctest --test-dir build-asan -LE long -j2
#
# GCC's libgomp keeps its thread pool's memory until exit, which LeakSanitizer may report; should that happen the
# leak is in libgomp, not mxai, and ASAN_OPTIONS=detect_leaks=0 silences it.
option(MXAI_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer (slow; for CI and debugging)" OFF)

if(MXAI_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "MXAI_SANITIZE needs GCC or Clang, not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  set(MXAI_SANITIZE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${MXAI_SANITIZE_FLAGS})
  add_link_options(${MXAI_SANITIZE_FLAGS})
  list(JOIN MXAI_SANITIZE_FLAGS " " flags_text)
  message(STATUS "mxai: building with ${flags_text}")
endif()
