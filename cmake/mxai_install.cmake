# Installing mxai for use from other programs: `cmake --install build [--prefix P]` puts
#   P/include/mxai/<module>/*.h      the public headers, included as "autodiff/tensor.h" etc.
#   P/lib/libmxai_<module>.a        the float32 libraries (the f64 twins exist only for the gradient checks)
#   P/bin/mxai                       the command-line tool
#   P/lib/cmake/mxai/               the CMake package: find_package(mxai) gives mxai::<module>
# and `cpack -G DEB` (in the build folder) wraps the same files into a Debian package.
#
# A module is installed by one line, mxai_install_module(<name>), for a library target mxai_<name> whose headers
# are in the folder <name>/. Included from the top-level CMakeLists.txt after every target is defined.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(MXAI_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/mxai)
set(MXAI_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/mxai)

function(mxai_install_module name)
  set(target mxai_${name})
  # The targets name their include folders by absolute build-tree paths. Inside this project they stay as they are;
  # the installed copy points to P/include/mxai instead (the source tree's third-party folders, such as stb's, are
  # used only by .cpp files and are not part of the installed interface).
  get_target_property(include_dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
  set(wrapped "")
  foreach(dir ${include_dirs})
    if(dir MATCHES "^\\$<")
      list(APPEND wrapped "${dir}")
    else()
      list(APPEND wrapped "$<BUILD_INTERFACE:${dir}>")
    endif()
  endforeach()
  list(APPEND wrapped "$<INSTALL_INTERFACE:${MXAI_INSTALL_INCLUDEDIR}>")
  set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${wrapped}" EXPORT_NAME ${name})
  install(TARGETS ${target} EXPORT mxaiTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${name}/ DESTINATION ${MXAI_INSTALL_INCLUDEDIR}/${name}
          FILES_MATCHING PATTERN "*.h")
endfunction()

# One line per library, in any order (the export set resolves the links between them).
mxai_install_module(autodiff)
mxai_install_module(nn)
mxai_install_module(datasets)
mxai_install_module(vae)
mxai_install_module(explain)
mxai_install_module(experiments)
mxai_install_module(report)

if(TARGET mxai)
  install(TARGETS mxai RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT mxaiTargets NAMESPACE mxai:: DESTINATION ${MXAI_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mxaiConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/mxaiConfig.cmake INSTALL_DESTINATION ${MXAI_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mxaiConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mxaiConfig.cmake ${PROJECT_BINARY_DIR}/mxaiConfigVersion.cmake
        DESTINATION ${MXAI_INSTALL_CMAKEDIR})

# The Debian package: everything above under /usr. The libraries are static, so the binary needs only the C++
# runtime, libgomp and zlib; a program built against the headers also needs Eigen's headers (a recommendation, so
# the command-line tool installs without them).
set(CPACK_PACKAGE_NAME mxai)
set(CPACK_PACKAGE_VENDOR "mxai")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Gradient explanations and the data manifold: autodiff, nn, explainers, CLI")
set(CPACK_PACKAGE_CONTACT "mxai maintainers <mxai@localhost>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
find_program(MXAI_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(MXAI_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # dpkg-shlibdeps (dpkg-dev) computes the runtime dependencies of bin/mxai
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libgcc-s1, libstdc++6, libgomp1, zlib1g")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libeigen3-dev (>= 3.4), zlib1g-dev, cmake")
if(MXAI_NATIVE)
  message(WARNING "mxai: MXAI_NATIVE=ON builds for this CPU only; a package made from this build runs only here")
endif()
include(CPack)
