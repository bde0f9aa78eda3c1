// embedded_style.hpp: a style file compiled into the library (cmake/embed_styles.cmake
// generates the tables: styles/*.css for HTML and EPUB, styles/print/*.css for PDF).
#pragma once

#include <string_view>

namespace dconv {

struct EmbeddedStyle {
    std::string_view name;  // the file's name without ".css"
    std::string_view css;
};

}  // namespace dconv
