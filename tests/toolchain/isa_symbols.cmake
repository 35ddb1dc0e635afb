# Checks that the per-ISA units (autodiff/isa/avx2.cpp, avx512.cpp) define no inline or template code that
# other units could share. The linker keeps one copy of each such (weak) symbol; if it kept the AVX-512 copy of,
# say, a std::vector helper, code built for any x86-64 CPU would run AVX-512 instructions and crash on a CPU
# without them. Only names that belong to the unit itself are allowed: its renamed Eigen and its own namespace.
# (Checked: a unit that takes the address of std::vector<float>::size makes it fail; GCC inlines most std code,
# so such symbols are rare, but one is enough.)
#
#   cmake -DNM=<nm> -DOBJECTS=<a|b|...> -P isa_symbols.cmake
string(REPLACE "|" ";" objects "${OBJECTS}")
set(checked 0)
set(bad "")
foreach(object ${objects})
  if(NOT object MATCHES "isa/(avx2|avx512)\\.cpp\\.o$")
    continue()
  endif()
  set(isa ${CMAKE_MATCH_1})
  math(EXPR checked "${checked} + 1")
  execute_process(COMMAND ${NM} -C --defined-only ${object} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm failed on ${object}")
  endif()
  string(REPLACE "\n" ";" lines "${symbols}")
  foreach(line ${lines})
    # "<address> <type> <name>"; W, V (weak) and u (unique global) symbols are the ones the linker may merge.
    if(line MATCHES "^[0-9a-f]+ [WVu] (.*)$")
      set(name "${CMAKE_MATCH_1}")
      # DW.ref.__gxx_personality_v0 is a pointer to the C++ runtime's exception handler, the same in every unit.
      if(NOT name MATCHES "mxai_eigen_${isa}::" AND NOT name MATCHES "mxai::kernels::${isa}::" AND
         NOT name STREQUAL "DW.ref.__gxx_personality_v0")
        list(APPEND bad "${object}: ${name}")
      endif()
    endif()
  endforeach()
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "no per-ISA object files among: ${OBJECTS}")
endif()
if(bad)
  list(JOIN bad "\n  " text)
  message(FATAL_ERROR "per-ISA units define shared (weak) symbols outside their own namespace:\n  ${text}")
endif()
message(STATUS "${checked} per-ISA object files define no shared symbols outside their own namespace")
