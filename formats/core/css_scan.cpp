// css_scan.cpp: CSS strings and comments (css_scan.hpp).
#include "core/css_scan.hpp"

namespace dconv::css {

std::size_t string_end(std::string_view css, std::size_t start) {
    const char quote = css[start];
    std::size_t k = start + 1;
    for (; k < css.size() && css[k] != quote && css[k] != '\n'; ++k)
        if (css[k] == '\\' && k + 1 < css.size()) ++k;
    return k;
}

std::size_t comment_end(std::string_view css, std::size_t start) {
    std::size_t close = css.find("*/", start + 2);
    return close == std::string_view::npos ? close : close + 2;
}

std::string blank_comments(std::string_view css, std::size_t* unclosed) {
    std::string out(css);
    if (unclosed) *unclosed = std::string::npos;
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
        if (out[i] == '"' || out[i] == '\'') {
            i = string_end(out, i);
            continue;
        }
        if (!comment_at(out, i)) continue;
        std::size_t end = comment_end(out, i);
        if (end == std::string::npos) {
            if (unclosed) *unclosed = i;
            end = out.size();
        }
        for (std::size_t j = i; j < end; ++j)
            if (out[j] != '\n') out[j] = ' ';
        i = end - 1;
    }
    return out;
}

}  // namespace dconv::css
