# Compiles a folder of style files into the library, so that dconv needs no data files at
# run time:
#   cmake -DSTYLE_DIR=... -DOUTPUT=... [-DSYMBOL=kEmbeddedStyles] -P embed_styles.cmake
# writes OUTPUT, a C++ file defining the table dconv::SYMBOL of EmbeddedStyle (see
# formats/core/embedded_style.hpp) and SYMBOL##Count, one entry per STYLE_DIR/*.css, named
# after the file without ".css", in sorted order.
if(NOT SYMBOL)
  set(SYMBOL kEmbeddedStyles)
endif()
file(GLOB styles "${STYLE_DIR}/*.css")
list(SORT styles)
set(delimiter "dconv_css")
set(body "")
foreach(style IN LISTS styles)
  get_filename_component(name "${style}" NAME_WE)
  file(READ "${style}" css)
  string(FIND "${css}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${style} contains )${delimiter}\", which ends the raw string")
  endif()
  string(APPEND body "    {\"${name}\", R\"${delimiter}(${css})${delimiter}\"},\n")
endforeach()
list(LENGTH styles count)
set(text "// Generated from a folder of styles by cmake/embed_styles.cmake: do not edit.
#include <cstddef>

#include \"core/embedded_style.hpp\"

namespace dconv {

extern const EmbeddedStyle ${SYMBOL}[];
extern const std::size_t ${SYMBOL}Count;
// constinit: filled in by the compiler, not by code run at every start.
constinit const EmbeddedStyle ${SYMBOL}[] = {
${body}};
const std::size_t ${SYMBOL}Count = ${count};

}  // namespace dconv
")
# Rewritten only when it changes, so that an unrelated reconfigure rebuilds nothing.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL text)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${text}")
