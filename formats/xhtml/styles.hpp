// styles.hpp: the built-in styles compiled from styles/*.css (see cmake/embed_styles.cmake,
// which generates their table), behind dconv/styles.hpp.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/embedded_style.hpp"
#include "dconv/styles.hpp"

namespace dconv {

extern const EmbeddedStyle kEmbeddedStyles[];
extern const std::size_t kEmbeddedStylesCount;

}  // namespace dconv
