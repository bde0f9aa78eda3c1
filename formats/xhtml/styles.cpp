// styles.cpp: finding a style by name or file (dconv/styles.hpp).
#include "xhtml/styles.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <cctype>
#include <cstdint>
#include <span>
#include <vector>

#include "core/css_scan.hpp"
#include "core/regular_file.hpp"
#include "core/text.hpp"
#include "dconv/diagnostics.hpp"

namespace dconv {

namespace {

constexpr std::string_view kDefaultStyle = "default";

std::span<const EmbeddedStyle> embedded() { return {kEmbeddedStyles, kEmbeddedStylesCount}; }

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


// A syntax check of a style sheet, so that a broken one is refused with its line rather
// than copied into every EPUB (where epubcheck fails it) and page: comments and strings
// closed, braces balanced, and inside a rule's block only declarations ("name: value",
// parted by ';') or, inside an at-rule's block (@media, @supports), rules.
void check_css(std::string_view css, const std::string& file) {
    std::uint32_t line = 1;
    auto fail = [&](std::uint32_t at, const std::string& message) {
        throw Error(ErrorKind::usage, file, at, "style: " + message);
    };
    struct Open {
        std::uint32_t line;
        bool declarations;  // a rule's block (declarations), not an at-rule's (rules)
    };
    std::vector<Open> open;
    std::string pending;  // the text since the last '{', '}' or ';'
    std::uint32_t pending_line = 1;
    bool pending_at_rule = false;
    auto check_declaration = [&] {
        std::string_view d = text::trim(pending);
        if (d.empty()) return;
        std::size_t colon = d.find(':');
        if (colon == std::string_view::npos)
            fail(pending_line, "'" + std::string(d.substr(0, 40)) + "' is not a declaration (name: value)");
        std::string_view name = text::trim(d.substr(0, colon));
        bool ident = !name.empty();
        for (char c : name) ident &= std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        if (!ident) fail(pending_line, "'" + std::string(name.substr(0, 40)) + "' is not a property name");
    };
    auto reset = [&] {
        pending.clear();
        pending_at_rule = false;
    };
    for (std::size_t i = 0; i < css.size(); ++i) {
        char c = css[i];
        if (c == '\n') ++line;
        if (css::comment_at(css, i)) {
            std::uint32_t start = line;
            std::size_t end = css::comment_end(css, i);
            if (end == std::string_view::npos) fail(start, "a comment is not closed");
            line += static_cast<std::uint32_t>(std::count(css.begin() + static_cast<long>(i), css.begin() + static_cast<long>(end), '\n'));
            i = end - 1;
            continue;
        }
        if (text::trim(pending).empty() && !std::isspace(static_cast<unsigned char>(c))) {
            pending_line = line;
            pending_at_rule = c == '@';
        }
        if (c == '"' || c == '\'') {
            std::size_t j = css::string_end(css, i);
            if (j >= css.size() || css[j] != c) fail(line, "a string is not closed on its line");
            pending.append(css.substr(i, j - i + 1));
            i = j;
            continue;
        }
        if (c == '{') {
            bool in_declarations = !open.empty() && open.back().declarations;
            if (in_declarations) fail(line, "'{' inside a declaration block (a '}' missing before it?)");
            if (text::trim(pending).empty()) fail(line, "a block without a selector");
            std::string_view head = text::trim(pending);
            // @media, @supports, @document hold rules; @font-face, @page and the rest declarations
            bool holds_rules = pending_at_rule && (head.starts_with("@media") || head.starts_with("@supports") ||
                                                   head.starts_with("@document") || head.starts_with("@layer"));
            open.push_back({line, !holds_rules});
            reset();
        } else if (c == '}') {
            if (open.empty()) fail(line, "'}' without a '{'");
            if (open.back().declarations) check_declaration();
            else if (!text::trim(pending).empty()) fail(pending_line, "'" + std::string(text::trim(pending).substr(0, 40)) + "' before '}' is not a rule");
            open.pop_back();
            reset();
        } else if (c == ';') {
            if (!open.empty() && open.back().declarations) check_declaration();
            else if (!pending_at_rule) fail(pending_line, "'" + std::string(text::trim(pending).substr(0, 40)) + "' is not a rule (a selector and a block)");
            reset();
        } else {
            pending += c;
        }
    }
    if (!open.empty()) fail(open.back().line, "a block opened here is not closed ('}' missing)");
    if (!text::trim(pending).empty()) fail(pending_line, "'" + std::string(text::trim(pending).substr(0, 40)) + "' at the end is not a rule");
}

}  // namespace

std::vector<StyleInfo> builtin_styles() {
    std::vector<StyleInfo> out;
    for (const EmbeddedStyle& s : embedded()) out.push_back({std::string(s.name), describe_style(s.css)});
    std::sort(out.begin(), out.end(), [](const StyleInfo& a, const StyleInfo& b) { return a.name < b.name; });
    return out;
}

std::string load_style(std::string_view name_or_file) {
    std::string_view wanted = name_or_file.empty() ? kDefaultStyle : name_or_file;
    for (const EmbeddedStyle& s : embedded())
        if (s.name == wanted) return std::string(s.css);

    std::string file(wanted);
    struct stat st {};
    bool looks_like_a_path = file.find('/') != std::string::npos || file.ends_with(".css");
    if (!looks_like_a_path && ::stat(file.c_str(), &st) != 0 && errno == ENOENT)
        throw Error(ErrorKind::usage, "", 0,
                    "unknown style '" + file + "' (built in: " + names() + "; or give a CSS file)");
    std::string css = read_regular_file(file, kMaxStyleBytes, "style");
    if (!valid_utf8(css)) throw Error(ErrorKind::usage, file, 0, "style is not UTF-8 text");
    if (css.starts_with("\xEF\xBB\xBF")) css.erase(0, 3);  // a BOM would sit before @charset
    check_css(css, file);
    return css;
}

}  // namespace dconv
