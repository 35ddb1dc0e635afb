# cmake -DBUILD_DIR=<mxai build> -DWORK_DIR=<scratch> -DCXX=<compiler> [-DCXX_FLAGS=<flags>] -P install_and_build.cmake
# Installs the built mxai into WORK_DIR/prefix, then configures, builds and runs the outside project in this folder
# against it with find_package(mxai), and runs the installed `mxai --version`. Any failing step fails the test.
set(consumer_dir ${CMAKE_CURRENT_LIST_DIR})
set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${what}: ok\n${out}")
endfunction()

step("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(header autodiff/tensor.h nn/module.h datasets/registry.h vae/burgess_vae.h explain/integrated_gradients.h
               experiments/results.h report/report.h)
  if(NOT EXISTS ${prefix}/include/mxai/${header})
    message(FATAL_ERROR "not installed: include/mxai/${header}")
  endif()
endforeach()
step("configure the outside project" ${CMAKE_COMMAND} -S ${consumer_dir} -B ${WORK_DIR}/build
     -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release
     "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
step("build it" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
step("run it" ${WORK_DIR}/build/mxai_consumer)
step("installed mxai --version" ${prefix}/bin/mxai --version)
file(REMOVE_RECURSE ${WORK_DIR})
