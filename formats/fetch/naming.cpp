// naming.cpp: safe, readable file names for fetched pages.
#include "fetch/naming.hpp"

#include <unicode/uchar.h>

#include <string_view>

#include "core/text.hpp"

namespace dconv::fetch {

namespace {

}  // namespace

std::string slug(const std::string& text) {
    std::string out;
    bool dash = false;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t before = i;
        char32_t c = text::next(text, i);
        if (i == before) break;
        if (c == 0xFFFD || !text::is_alnum(c)) {  // invalid UTF-8 reads as U+FFFD
            dash = !out.empty();
            continue;
        }
        std::string piece;
        text::append(piece, static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))));
        if (out.size() + (dash ? 1 : 0) + piece.size() > kMaxSlugBytes) break;
        if (dash) out += '-';
        dash = false;
        out += piece;
    }
    return out;
}

std::string output_stem(const std::string& title, const std::string& url) {
    std::string s = slug(title);
    if (!s.empty()) return s;
    std::string_view u = url;
    std::size_t scheme = u.find("://");
    std::string_view rest = scheme == std::string_view::npos ? u : u.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("?#"));
    std::size_t slash = rest.find('/');
    std::string_view host = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    std::string segment = text::percent_decode(path.substr(path.rfind('/') + 1), true);
    std::size_t dot = segment.rfind('.');
    if (dot != std::string::npos && dot > 0 && segment.size() - dot <= 6) segment.resize(dot);  // ".html", ".php"
    s = slug(segment);
    if (!s.empty()) return s;
    s = slug(std::string(host.substr(host.rfind('@') + 1)));
    return s.empty() ? "page" : s;
}

}  // namespace dconv::fetch
