// styles.hpp: the built-in styles compiled from styles/*.css (see cmake/embed_styles.cmake,
// which generates their table), behind dconv/styles.hpp.
#pragma once

#include <cstddef>
#include <string_view>

#include "dconv/styles.hpp"

namespace dconv {

struct EmbeddedStyle {
    std::string_view name;  // the file's name without ".css"
    std::string_view css;
};

extern const EmbeddedStyle kEmbeddedStyles[];
extern const std::size_t kEmbeddedStyleCount;

}  // namespace dconv
