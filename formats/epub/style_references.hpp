// style_references.hpp: a user style made fit for an EPUB, which must hold every file its
// content names (epubcheck RSC-007): `@import` rules and declarations with a url() to
// another file (`background: url(bg.png)`, a @font-face's `src: url(x.woff2)`) are left
// out, each with a warning naming the style file and line. url(data:...) and url(#id)
// name nothing outside and stay.
//
// Embedding what they name instead would mean reading files (and other style sheets,
// recursively) from beside the style and giving each a manifest entry and media type; a
// theme that needs fonts or pictures is better served by the built-in styles or the HTML
// edition, where the files stay beside the page.
#pragma once

#include <string>
#include <string_view>

#include "dconv/diagnostics.hpp"

namespace dconv::epub {

// `css` (checked by load_style: comments and strings closed, braces balanced) without the
// rules and declarations that name other files; one warning for each, "FILE:LINE: ...",
// to `diagnostics` when given.
std::string without_outside_references(std::string_view css, std::string_view file, Diagnostics* diagnostics);

}  // namespace dconv::epub
