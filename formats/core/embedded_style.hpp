// embedded_style.hpp: a style file compiled into the library (cmake/embed_styles.cmake
// generates the tables: styles/*.css for HTML and EPUB, styles/print/*.css for PDF).
#pragma once

#include <string>
#include <string_view>

#include "core/text.hpp"

namespace dconv {

struct EmbeddedStyle {
    std::string_view name;  // the file's name without ".css"
    std::string_view css;
};

// A built-in style's description for --list-formats: its opening comment's first line
// after "NAME.css: ", up to the end of that line or of the comment.
inline std::string describe_style(std::string_view css) {
    std::size_t open = css.find("/*");
    if (open == std::string_view::npos) return {};
    std::string_view line = css.substr(open + 2);
    line = line.substr(0, line.find('\n'));
    if (std::size_t close = line.find("*/"); close != std::string_view::npos) line = line.substr(0, close);
    if (std::size_t colon = line.find(".css:"); colon != std::string_view::npos) line = line.substr(colon + 5);
    return std::string(text::trim(line));
}

}  // namespace dconv
