// css_scan.hpp: the one reading of CSS's strings and comments, for every place that
// reads a style sheet (the print styles, the themes' check, the EPUB's outside
// references, the tests): a brace or a semicolon inside a string is text, a "/*" inside
// a string opens no comment, and a string ends at its quote or, unclosed, at the end of
// its line, as CSS ends a bad string.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dconv::css {

// The end of the quoted string ("..." or '...', backslash escapes) that opens at
// css[start]: the index of its closing quote, or of the newline that ends it unclosed,
// or css.size().
std::size_t string_end(std::string_view css, std::size_t start);

// Whether a comment ("/*") opens at css[at].
inline bool comment_at(std::string_view css, std::size_t at) {
    return at + 1 < css.size() && css[at] == '/' && css[at + 1] == '*';
}

// One past the "*/" that closes the comment opening at css[start] (comment_at), or npos
// when nothing closes it.
std::size_t comment_end(std::string_view css, std::size_t start);

// `css` with each comment's characters made spaces, its newlines kept (line numbers stay
// right); a "/*" in a string is not one. A comment that is not closed is blanked to the
// end, and its start is put in `unclosed` when given (npos there when every comment is
// closed).
std::string blank_comments(std::string_view css, std::size_t* unclosed = nullptr);

}  // namespace dconv::css
