# install.cmake: what `cmake --install` puts under the prefix, included at the end of the
# top-level CMakeLists.txt (every target exists by then).
#
#   bin/dconv                                  the command
#   include/dconv/*.hpp                        the public headers (formats/ stays private)
#   lib/libdconv.a, lib/libdconv_<module>.a    the library: one archive per module
#   lib/cmake/dconv/                           find_package(dconv): dconv::dconv
#   lib/pkgconfig/dconv.pc                     pkg-config --cflags --libs --static dconv
#   share/man/man1/dconv.1                     the manual
#   share/bash-completion/completions/dconv    bash completion
#
# The package exports every module as its own imported target, dconv::core,
# dconv::decode, ..., and dconv::dconv on top of them, with the same link graph as the
# build. The public headers include nothing but the standard library, so a consumer needs
# the modules' dependencies (ICU, cmark, libzip, ...) only to link: the exported targets
# carry them as $<LINK_ONLY:...>, the package config finds them again, and a header-only
# dependency (nlohmann_json) or the warning flags (dconv_warnings) are not exported at all.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DCONV_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/dconv)

# How the installed package finds each external dependency of a module, and what it puts
# in dconv.pc for it. A module that links something not listed here gets a warning at
# configure time (and the installed package would not link): add it here.
#   PkgConfig::PREFIX: the pkg-config modules that the build's pkg_check_modules() asked for
set(DCONV_PKGCONFIG_MODULES_CMARK libcmark-gfm)
set(DCONV_PKGCONFIG_MODULES_TINYXML2 tinyxml2)
set(DCONV_PKGCONFIG_MODULES_LIBZIP libzip)
set(DCONV_PKGCONFIG_MODULES_HARFBUZZ harfbuzz harfbuzz-subset)
set(DCONV_PKGCONFIG_MODULES_GUMBO gumbo)
set(DCONV_PKGCONFIG_MODULES_LIBDEFLATE libdeflate)
set(DCONV_PKGCONFIG_MODULES_STB stb)
set(DCONV_PKGCONFIG_MODULES_WEBP libwebp libwebpdemux)
set(DCONV_PKGCONFIG_MODULES_GIF libgif)
set(DCONV_PKGCONFIG_MODULES_CURL libcurl)
#   Linked as shared libraries even by a static consumer: dconv.pc names them in
#   Libs.private (their pkg_check_modules LDFLAGS) rather than Requires.private, whose
#   `pkg-config --static` would demand every static dependency of theirs (libcurl's: ssh2,
#   rtmp, ldap, nghttp2..., whose -dev packages Debian's libcurl does not pull in).
set(DCONV_PKGCONFIG_SHARED_ONLY CURL)
#   ICU::COMPONENT: icu-COMPONENT (libicudata comes with icu-uc's libraries)
#   ZLIB::ZLIB: zlib; Threads::Threads: -pthread
#   dconv_hpdf, dconv_hyphen (libraries without a pkg-config file on Debian 12): the
#   library name that the config looks for with find_library(), as dconv::hpdf, dconv::hyphen
set(DCONV_FIND_LIBRARY_dconv_hpdf hpdf)
set(DCONV_FIND_LIBRARY_dconv_hyphen hyphen)
#   Header-only libraries: nothing to link, not exported.
set(DCONV_HEADER_ONLY_DEPENDENCIES nlohmann_json::nlohmann_json)

# ---------------------------------------------------------------------------------------
# The installed modules: dconv and every static library it links, found by walking the
# link graph (a new module is installed without touching this file). Ordered so that each
# comes before the modules it depends on: the order of a static link line.
set(DCONV_INSTALLED_LIBRARIES "")
function(_dconv_collect_libraries target)
  if(target IN_LIST DCONV_INSTALLED_LIBRARIES)
    return()
  endif()
  get_target_property(links ${target} LINK_LIBRARIES)
  foreach(item IN LISTS links)
    if(TARGET ${item} AND NOT item STREQUAL target)
      get_target_property(type ${item} TYPE)
      get_target_property(imported ${item} IMPORTED)
      if(type STREQUAL "STATIC_LIBRARY" AND NOT imported)
        _dconv_collect_libraries(${item})
      endif()
    endif()
  endforeach()
  # Post-order: dependencies first; reversed below.
  list(APPEND DCONV_INSTALLED_LIBRARIES ${target})
  set(DCONV_INSTALLED_LIBRARIES ${DCONV_INSTALLED_LIBRARIES} PARENT_SCOPE)
endfunction()
_dconv_collect_libraries(dconv)
list(REVERSE DCONV_INSTALLED_LIBRARIES)

# ---------------------------------------------------------------------------------------
# Rewrites each module's INTERFACE_LINK_LIBRARIES so that the build sees exactly what it
# saw before ($<BUILD_INTERFACE:...>) while the export says only what a consumer needs
# ($<INSTALL_INTERFACE:$<LINK_ONLY:...>>), and collects what the package config and the
# pkg-config file must find.
set(DCONV_ICU_COMPONENTS "")
set(DCONV_PKGCONFIG_PREFIXES "")
set(DCONV_FIND_LIBRARIES "")
set(DCONV_NEEDS_ZLIB OFF)
set(DCONV_NEEDS_THREADS OFF)
foreach(library IN LISTS DCONV_INSTALLED_LIBRARIES)
  get_target_property(interface ${library} INTERFACE_LINK_LIBRARIES)
  if(NOT interface)
    continue()
  endif()
  set(rewritten "")
  foreach(item IN LISTS interface)
    set(dependency "${item}")
    if(dependency MATCHES "^\\$<LINK_ONLY:(.*)>$")
      set(dependency "${CMAKE_MATCH_1}")
    endif()
    if(dependency IN_LIST DCONV_INSTALLED_LIBRARIES)
      list(APPEND rewritten "${item}")  # exported under its dconv:: name
      continue()
    endif()
    list(APPEND rewritten "$<BUILD_INTERFACE:${item}>")
    set(exported "")
    if(dependency STREQUAL "dconv_warnings" OR dependency IN_LIST DCONV_HEADER_ONLY_DEPENDENCIES)
      # compile flags and headers only: nothing for a consumer
    elseif(dependency MATCHES "^ICU::(.+)$")
      list(APPEND DCONV_ICU_COMPONENTS ${CMAKE_MATCH_1})
      set(exported ${dependency})
    elseif(dependency MATCHES "^PkgConfig::(.+)$")
      if(DEFINED DCONV_PKGCONFIG_MODULES_${CMAKE_MATCH_1})
        list(APPEND DCONV_PKGCONFIG_PREFIXES ${CMAKE_MATCH_1})
        set(exported ${dependency})
      else()
        message(WARNING "cmake/install.cmake: ${library} links ${dependency}: add its "
                        "pkg-config modules there (DCONV_PKGCONFIG_MODULES_${CMAKE_MATCH_1})")
      endif()
    elseif(dependency STREQUAL "ZLIB::ZLIB")
      set(DCONV_NEEDS_ZLIB ON)
      set(exported ${dependency})
    elseif(dependency STREQUAL "Threads::Threads")
      set(DCONV_NEEDS_THREADS ON)
      set(exported ${dependency})
    elseif(DEFINED DCONV_FIND_LIBRARY_${dependency})
      list(APPEND DCONV_FIND_LIBRARIES ${dependency})
      set(exported dconv::${DCONV_FIND_LIBRARY_${dependency}})
    else()
      message(WARNING "cmake/install.cmake: ${library} links ${dependency}, which the "
                      "installed package does not know how to find; add it there")
    endif()
    if(exported)
      list(APPEND rewritten "$<INSTALL_INTERFACE:$<LINK_ONLY:${exported}>>")
    endif()
  endforeach()
  set_target_properties(${library} PROPERTIES INTERFACE_LINK_LIBRARIES "${rewritten}")
endforeach()
foreach(list_name DCONV_ICU_COMPONENTS DCONV_PKGCONFIG_PREFIXES DCONV_FIND_LIBRARIES)
  list(REMOVE_DUPLICATES ${list_name})
endforeach()

# Exported names: dconv::dconv, and dconv::core for dconv_core and so on (with the same
# aliases in the build, for projects that add dconv as a subdirectory).
foreach(library IN LISTS DCONV_INSTALLED_LIBRARIES)
  string(REGEX REPLACE "^dconv_" "" export_name ${library})
  set_target_properties(${library} PROPERTIES EXPORT_NAME ${export_name})
  if(NOT TARGET dconv::${export_name})
    add_library(dconv::${export_name} ALIAS ${library})
  endif()
endforeach()
# The public headers are C++20 (defaulted comparisons): consumers compile as C++20 too.
target_compile_features(dconv INTERFACE cxx_std_20)

# ---------------------------------------------------------------------------------------
# Install rules: by default only in a top-level build (fmt's FMT_INSTALL), not when a
# project adds dconv with add_subdirectory.
option(DCONV_INSTALL "Generate dconv's install rules" ${DCONV_MASTER_PROJECT})
if(NOT DCONV_INSTALL)
  return()
endif()
install(TARGETS dconv_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${DCONV_INSTALLED_LIBRARIES} EXPORT dconvTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})  # include/: their INSTALL_INTERFACE
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/dconv DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")
install(EXPORT dconvTargets NAMESPACE dconv:: DESTINATION ${DCONV_INSTALL_CMAKEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/docs/dconv.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/tools/completion/dconv.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME dconv)

# ---------------------------------------------------------------------------------------
# The package config: finds the dependencies collected above, then the targets.
set(DCONV_FIND_DEPENDENCIES "")
if(DCONV_NEEDS_THREADS)
  string(APPEND DCONV_FIND_DEPENDENCIES "find_dependency(Threads)\n")
endif()
if(DCONV_ICU_COMPONENTS)
  list(JOIN DCONV_ICU_COMPONENTS " " components)
  string(APPEND DCONV_FIND_DEPENDENCIES "find_dependency(ICU COMPONENTS ${components})\n")
endif()
if(DCONV_NEEDS_ZLIB)
  string(APPEND DCONV_FIND_DEPENDENCIES "find_dependency(ZLIB)\n")
endif()
if(DCONV_PKGCONFIG_PREFIXES)
  string(APPEND DCONV_FIND_DEPENDENCIES "find_dependency(PkgConfig)\n")
  foreach(prefix IN LISTS DCONV_PKGCONFIG_PREFIXES)
    list(JOIN DCONV_PKGCONFIG_MODULES_${prefix} " " modules)
    string(APPEND DCONV_FIND_DEPENDENCIES "_dconv_pkg_check_modules(${prefix} ${modules})\n")
  endforeach()
endif()
foreach(helper IN LISTS DCONV_FIND_LIBRARIES)
  string(APPEND DCONV_FIND_DEPENDENCIES
         "_dconv_find_library(${DCONV_FIND_LIBRARY_${helper}})\n")
endforeach()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/dconvConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/dconvConfig.cmake
  INSTALL_DESTINATION ${DCONV_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/dconvConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/dconvConfig.cmake
              ${PROJECT_BINARY_DIR}/package/dconvConfigVersion.cmake
  DESTINATION ${DCONV_INSTALL_CMAKEDIR})

# ---------------------------------------------------------------------------------------
# dconv.pc. The archives are static, so a consumer links them with --static: Libs names
# them in link order, Requires.private and Libs.private their dependencies. The prefix is
# found from the file's own place (${pcfiledir}), so the package can be moved.
set(DCONV_PC_LIBS "")
foreach(library IN LISTS DCONV_INSTALLED_LIBRARIES)
  string(APPEND DCONV_PC_LIBS " -l${library}")
endforeach()
set(DCONV_PC_REQUIRES "")
foreach(component IN LISTS DCONV_ICU_COMPONENTS)
  if(NOT component STREQUAL "data")  # icu-uc links libicudata
    list(APPEND DCONV_PC_REQUIRES icu-${component})
  endif()
endforeach()
foreach(prefix IN LISTS DCONV_PKGCONFIG_PREFIXES)
  if(NOT prefix IN_LIST DCONV_PKGCONFIG_SHARED_ONLY)
    list(APPEND DCONV_PC_REQUIRES ${DCONV_PKGCONFIG_MODULES_${prefix}})
  endif()
endforeach()
if(DCONV_NEEDS_ZLIB)
  list(APPEND DCONV_PC_REQUIRES zlib)
endif()
list(JOIN DCONV_PC_REQUIRES " " DCONV_PC_REQUIRES)
set(DCONV_PC_LIBS_PRIVATE "")
foreach(helper IN LISTS DCONV_FIND_LIBRARIES)
  get_target_property(files ${helper} INTERFACE_LINK_LIBRARIES)
  foreach(file IN LISTS files)
    # A choice made per target ($<IF:${DCONV_IF_STATIC},ARCHIVE_OR_STUBS,SHARED>, the
    # top-level CMakeLists.txt) is the shared library for the installed archives: only the
    # command links statically. A .pc file is not generated, so the choice is made here.
    string(FIND "${file}" "$<IF:${DCONV_IF_STATIC}," choice_at)
    if(choice_at EQUAL 0)
      string(LENGTH "$<IF:${DCONV_IF_STATIC}," skip)
      string(SUBSTRING "${file}" ${skip} -1 file)
      string(REGEX REPLACE "^[^,]*,(.*)>$" "\\1" file "${file}")
    endif()
    if(file MATCHES "\\$<")
      message(WARNING "cmake/install.cmake: dconv.pc cannot name ${helper}'s ${file}; left out")
      continue()
    endif()
    get_filename_component(directory ${file} DIRECTORY)
    if(NOT directory IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)
      string(APPEND DCONV_PC_LIBS_PRIVATE " -L${directory}")
    endif()
    string(APPEND DCONV_PC_LIBS_PRIVATE " -l${DCONV_FIND_LIBRARY_${helper}}")
  endforeach()
endforeach()
foreach(prefix IN LISTS DCONV_PKGCONFIG_PREFIXES)
  if(prefix IN_LIST DCONV_PKGCONFIG_SHARED_ONLY)
    list(JOIN ${prefix}_LDFLAGS " " flags)
    string(APPEND DCONV_PC_LIBS_PRIVATE " ${flags}")
  endif()
endforeach()
if(DCONV_NEEDS_THREADS)
  string(APPEND DCONV_PC_LIBS_PRIVATE " -pthread")
endif()
file(RELATIVE_PATH DCONV_PC_PREFIX_FROM_PCFILEDIR
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)  # ../.. for lib/pkgconfig
string(REGEX REPLACE "/$" "" DCONV_PC_PREFIX_FROM_PCFILEDIR ${DCONV_PC_PREFIX_FROM_PCFILEDIR})
configure_file(${PROJECT_SOURCE_DIR}/cmake/dconv.pc.in ${PROJECT_BINARY_DIR}/package/dconv.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/dconv.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
