// styles.cpp: finding a style by name or file (dconv/styles.hpp).
#include "xhtml/styles.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <span>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"

namespace dconv {

namespace {

constexpr std::string_view kDefaultStyle = "default";

std::span<const EmbeddedStyle> embedded() { return {kEmbeddedStyles, kEmbeddedStylesCount}; }

// The opening comment's first line after "NAME.css: ", up to the end of that line.
std::string describe(std::string_view css) {
    std::size_t open = css.find("/*");
    if (open == std::string_view::npos) return {};
    std::size_t end = css.find_first_of("\n", open);
    std::string_view line = css.substr(open + 2, end == std::string_view::npos ? end : end - open - 2);
    if (std::size_t close = line.find("*/"); close != std::string_view::npos) line = line.substr(0, close);
    if (std::size_t colon = line.find(".css:"); colon != std::string_view::npos) line = line.substr(colon + 5);
    return std::string(text::trim(line));
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t at = i;
        char32_t c = text::next(s, i);
        // text::next reads a stray byte as U+FFFD; a real U+FFFD is three bytes long
        if (c == 0xFFFD && s.substr(at, 3) != "\xEF\xBF\xBD") return false;
    }
    return true;
}

std::string names() {
    std::string out;
    for (const EmbeddedStyle& s : embedded()) out += (out.empty() ? "" : ", ") + std::string(s.name);
    return out;
}

}  // namespace

std::vector<StyleInfo> builtin_styles() {
    std::vector<StyleInfo> out;
    for (const EmbeddedStyle& s : embedded()) out.push_back({std::string(s.name), describe(s.css)});
    std::sort(out.begin(), out.end(), [](const StyleInfo& a, const StyleInfo& b) { return a.name < b.name; });
    return out;
}

std::string load_style(std::string_view name_or_file) {
    std::string_view wanted = name_or_file.empty() ? kDefaultStyle : name_or_file;
    for (const EmbeddedStyle& s : embedded())
        if (s.name == wanted) return std::string(s.css);

    std::string file(wanted);
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        int error = errno;
        bool looks_like_a_path = file.find('/') != std::string::npos || file.ends_with(".css");
        if (!looks_like_a_path && error == ENOENT)
            throw Error(ErrorKind::usage, "", 0,
                        "unknown style '" + file + "' (built in: " + names() + "; or give a CSS file)");
        throw Error(ErrorKind::io, file, 0, std::string("cannot read style: ") + std::strerror(error));
    }
    std::string css;
    char buffer[1 << 14];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        css.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (css.size() > kMaxStyleBytes)
            throw Error(ErrorKind::usage, file, 0,
                        "style larger than " + std::to_string(kMaxStyleBytes >> 20) + " MiB");
    }
    if (in.bad()) throw Error(ErrorKind::io, file, 0, "cannot read style");
    if (!valid_utf8(css)) throw Error(ErrorKind::usage, file, 0, "style is not UTF-8 text");
    if (css.starts_with("\xEF\xBB\xBF")) css.erase(0, 3);  // a BOM would sit before @charset
    return css;
}

}  // namespace dconv
