// dconv/styles.hpp: the themes of the HTML and EPUB editions (--style NAME|FILE).
//
// The built-in styles are styles/*.css, compiled into the library: dconv needs no data
// files at run time. A style is named after its file ("default" is styles/default.css).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dconv {

struct StyleInfo {
    std::string name;         // "default"
    std::string description;  // the first line of the file's opening comment
};

// The built-in styles, sorted by name.
std::vector<StyleInfo> builtin_styles();

// The CSS of `name_or_file`: a built-in style's name, or else the path of a CSS file
// (UTF-8, at most kMaxStyleBytes). Empty means "default". Throws dconv::Error(usage)
// for a name that is neither, a file too big or not UTF-8, and Error(io) for a file that
// cannot be read.
std::string load_style(std::string_view name_or_file);

// A style file bigger than this is not a theme (and would be copied into every edition).
inline constexpr std::size_t kMaxStyleBytes = std::size_t(1) << 20;  // 1 MiB

}  // namespace dconv
