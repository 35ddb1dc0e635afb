# Fails if a library file includes a header from its own floor's neighbour or from a floor above it. The floors,
# lowest first (a directory may include its own headers and those of any lower floor):
#   autodiff -> (datasets, nn) -> (explain, vae) -> experiments -> report -> apps
# Run: cmake -DSOURCE_DIR=<repo> -P includes_flow_one_way.cmake
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<repository root> -P includes_flow_one_way.cmake")
endif()

set(floor_autodiff 0)
set(floor_datasets 1)
set(floor_nn 1)
set(floor_explain 2)
set(floor_vae 2)
set(floor_experiments 3)
set(floor_report 4)
set(floor_apps 5)
set(layered autodiff datasets nn explain vae experiments report apps)

set(violations "")
foreach(dir ${layered})
  file(GLOB_RECURSE files ${SOURCE_DIR}/${dir}/*.h ${SOURCE_DIR}/${dir}/*.cpp)
  foreach(file ${files})
    file(STRINGS ${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"[a-z_]+/")
    foreach(line ${includes})
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([a-z_]+)/.*" "\\1" target "${line}")
      if(target STREQUAL dir OR NOT DEFINED floor_${target})
        continue()  # its own headers, or a directory outside the floors (third-party)
      endif()
      if(NOT floor_${target} LESS floor_${dir})
        file(RELATIVE_PATH rel ${SOURCE_DIR} ${file})
        list(APPEND violations "${rel}: ${line} (${dir} is floor ${floor_${dir}}, ${target} is floor ${floor_${target}})")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "includes must flow one way (autodiff -> (datasets, nn) -> (explain, vae) -> experiments -> "
                      "report -> apps); these go sideways or up:\n  ${text}")
endif()
message(STATUS "includes flow one way")
