# Compiles styles/*.css into the library, so that dconv needs no data files at run time:
#   cmake -DSTYLE_DIR=... -DOUTPUT=... -P embed_styles.cmake
# writes OUTPUT, a C++ file defining dconv::kEmbeddedStyles (see formats/xhtml/styles.hpp),
# one entry per file, named after the file without ".css", in sorted order.
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
set(text "// Generated from styles/*.css by cmake/embed_styles.cmake: do not edit.
#include \"xhtml/styles.hpp\"

namespace dconv {

const EmbeddedStyle kEmbeddedStyles[] = {
${body}};
const std::size_t kEmbeddedStyleCount = ${count};

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
