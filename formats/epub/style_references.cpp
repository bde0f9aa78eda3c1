// style_references.cpp: without_outside_references (style_references.hpp).
#include "epub/style_references.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <vector>

#include "core/css_scan.hpp"
#include "core/text.hpp"

namespace dconv::epub {

namespace {

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Does `text` hold a url() naming a file, not a data: URI or a fragment of this one? A
// url( inside a string (content: "url(x)") is text.
bool names_another_file(std::string_view text) {
    std::string lower = ascii_lower(text);
    for (std::size_t at = 0; at < lower.size(); ++at) {
        char c = lower[at];
        if (c == '"' || c == '\'') {
            std::size_t end = lower.find(c, at + 1);
            if (end == std::string::npos) break;
            at = end;
            continue;
        }
        if (lower.compare(at, 4, "url(") != 0) continue;
        std::size_t k = at + 4;
        while (k < lower.size() && (lower[k] == ' ' || lower[k] == '\t' || lower[k] == '"' || lower[k] == '\''))
            ++k;
        std::string_view target = std::string_view(lower).substr(k);
        if (!target.starts_with("data:") && !target.starts_with("#")) return true;
        at += 3;
    }
    return false;
}

// The first line of `s`, trimmed and cut short, for a message.
std::string excerpt(std::string_view s) {
    std::string_view t = text::trim(s);
    std::string_view first = t.substr(0, t.find('\n'));
    return first.size() > 60 ? std::string(first.substr(0, 60)) + "..." : std::string(first);
}

}  // namespace

std::string without_outside_references(std::string_view css, std::string_view file, Diagnostics* diagnostics) {
    std::string out;
    out.reserve(css.size());
    std::vector<bool> in_declarations;  // each open block: does it hold declarations (not rules)?
    std::string pending;                // the text since the last '{', '}' or ';'
    std::uint32_t line = 1;
    std::uint32_t pending_line = 1;
    // Ends `pending` at its terminator (';', '}' or the end): written, or left out.
    auto end_pending = [&](std::string_view terminator) {
        std::string_view item = text::trim(pending);
        bool declaration = !in_declarations.empty() && in_declarations.back();
        bool import = !declaration && ascii_lower(item.substr(0, 7)) == "@import";
        if (import || (declaration && names_another_file(item))) {
            if (diagnostics)
                diagnostics->warn("epub", std::string(file) + ":" + std::to_string(pending_line) + ": style: '" +
                                              excerpt(item) + "' left out of the EPUB: it names another file, which an EPUB must hold");
            for (char c : pending)  // its line breaks stay, so the lines after keep their numbers
                if (c == '\n') out += '\n';
            if (terminator != ";") out += terminator;
        } else {
            out += pending;
            out += terminator;
        }
        pending.clear();
    };
    for (std::size_t i = 0; i < css.size(); ++i) {
        char c = css[i];
        if (text::trim(pending).empty() && !std::isspace(static_cast<unsigned char>(c))) pending_line = line;
        if (css::comment_at(css, i)) {  // a comment, kept as it is
            std::size_t end = std::min(css::comment_end(css, i), css.size());
            std::string_view comment = css.substr(i, end - i);
            for (char k : comment) line += k == '\n';
            pending.append(comment);
            i = end - 1;
            continue;
        }
        if (c == '"' || c == '\'') {  // a string: its braces and semicolons are text
            std::size_t j = std::min(css::string_end(css, i), css.size() - 1);
            pending.append(css.substr(i, j - i + 1));
            i = j;
            continue;
        }
        if (c == '\n') ++line;
        if (c == '{') {
            std::string head = ascii_lower(text::trim(pending));
            // @media, @supports, @document, @layer hold rules; other blocks declarations
            bool holds_rules = head.starts_with("@media") || head.starts_with("@supports") ||
                               head.starts_with("@document") || head.starts_with("@layer");
            out += pending;
            out += '{';
            pending.clear();
            in_declarations.push_back(!holds_rules);
        } else if (c == '}') {
            if (!in_declarations.empty() && in_declarations.back()) end_pending("}");
            else {
                out += pending;
                out += '}';
                pending.clear();
            }
            if (!in_declarations.empty()) in_declarations.pop_back();
        } else if (c == ';') {
            end_pending(";");
        } else {
            pending += c;
        }
    }
    out += pending;
    return out;
}

}  // namespace dconv::epub
