#include "markdown/cmark_inlines.hpp"

#include <cmark.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <string>

#include "core/text.hpp"
#include "dconv/model.hpp"

namespace dconv {

namespace {

std::string literal(cmark_node* node) {
    const char* s = cmark_node_get_literal(node);
    return s ? std::string(s) : std::string();
}

// Line endings (LF, CR LF, CR) as single spaces, as a soft break reads.
std::string single_line(std::string s) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
        s[out++] = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
    }
    s.resize(out);
    return s;
}

// Hostile input: emphasis nested 20,000 deep ("*a *a *a ... a* a* a*"), or images inside
// image descriptions, would overflow the stack here and in every recursive walk of the
// model afterwards. Below this depth the wrappers (emphasis, links) are dropped and their
// text kept, collected without recursion.
constexpr int kMaxInlineNesting = 64;

void convert_children(cmark_node* parent, Inlines& out, int depth);
void flatten(cmark_node* node, Inlines& out);

void convert(cmark_node* node, Inlines& out, int depth) {
    switch (cmark_node_get_type(node)) {
        case CMARK_NODE_TEXT:
            out.push_back(Text{literal(node)});
            return;
        case CMARK_NODE_HTML_INLINE:  // may span lines; Text may not: a line end is a space
            out.push_back(Text{single_line(literal(node))});
            return;
        case CMARK_NODE_SOFTBREAK:
            out.push_back(Text{" "});
            return;
        case CMARK_NODE_LINEBREAK:
            out.push_back(LineBreak{});
            return;
        case CMARK_NODE_CODE:
            out.push_back(Code{literal(node)});
            return;
        default:
            break;
    }
    if (depth >= kMaxInlineNesting) {
        flatten(node, out);
        return;
    }
    switch (cmark_node_get_type(node)) {
        case CMARK_NODE_EMPH: {
            Emphasis e;
            convert_children(node, e.children, depth + 1);
            out.push_back(std::move(e));
            break;
        }
        case CMARK_NODE_STRONG: {
            Strong s;
            convert_children(node, s.children, depth + 1);
            out.push_back(std::move(s));
            break;
        }
        case CMARK_NODE_LINK: {
            Link l;
            const char* url = cmark_node_get_url(node);
            const char* title = cmark_node_get_title(node);
            l.url = url ? url : "";
            l.title = title ? title : "";
            convert_children(node, l.children, depth + 1);
            out.push_back(std::move(l));
            break;
        }
        case CMARK_NODE_IMAGE: {
            // The description's text is the alt text (as cmark's HTML renderer does):
            // its markup, and images inside it, keep only their text.
            Image image;
            const char* url = cmark_node_get_url(node);
            const char* title = cmark_node_get_title(node);
            image.src = url ? url : "";
            image.title = title ? single_line(title) : "";
            Inlines description;
            flatten(node, description);
            image.alt = single_line(plain_text(description));
            out.push_back(std::move(image));
            break;
        }
        default:
            convert_children(node, out, depth + 1);
            break;
    }
}

void convert_children(cmark_node* parent, Inlines& out, int depth) {
    for (cmark_node* c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) convert(c, out, depth);
}

// The leaves (text, code, breaks) under `node`, in order, without recursion.
void flatten(cmark_node* node, Inlines& out) {
    std::unique_ptr<cmark_iter, void (*)(cmark_iter*)> iter(cmark_iter_new(node), cmark_iter_free);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
        cmark_node* n = cmark_iter_get_node(iter.get());
        if (ev == CMARK_EVENT_ENTER && !cmark_node_first_child(n) && n != node) convert(n, out, 0);
    }
}

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// Does `s` (trimmed, one line) begin with something CommonMark reads as a block start?
bool starts_block(std::string_view s) {
    if (s.empty()) return false;
    char c = s[0];
    auto followed_by_space = [&](std::size_t at) { return at >= s.size() || s[at] == ' ' || s[at] == '\t'; };
    switch (c) {
        case '>':
            return true;
        case '#': {
            std::size_t n = 0;
            while (n < s.size() && s[n] == '#') ++n;
            return n <= 6 && followed_by_space(n);
        }
        case '-': case '+': case '*': case '_': case '=': {
            if ((c == '-' || c == '+' || c == '*') && followed_by_space(1)) return true;
            // a thematic break: three or more of the same mark, spaces between allowed
            std::size_t marks = 0;
            for (char ch : s) {
                if (ch == c) ++marks;
                else if (ch != ' ' && ch != '\t') return false;
            }
            return marks >= 3 || c == '=';
        }
        case '`': case '~':
            return s.size() >= 3 && s[1] == c && s[2] == c;
        case '<':
            return s.size() > 1 && (std::isalpha(static_cast<unsigned char>(s[1])) || s[1] == '/' ||
                                    s[1] == '!' || s[1] == '?');
        case '[': {
            auto close = s.find("]:");
            return close != std::string_view::npos && s.find(']') == close;
        }
        default:
            if (is_ascii_digit(c)) {
                std::size_t n = 0;
                while (n < s.size() && n < 10 && is_ascii_digit(s[n])) ++n;
                return n <= 9 && n < s.size() && (s[n] == '.' || s[n] == ')') && followed_by_space(n + 1);
            }
            return false;
    }
}

}  // namespace

Inlines inlines_from_cmark(cmark_node* parent) {
    Inlines out;
    convert_children(parent, out, 0);
    normalize(out);
    return out;
}

Inlines parse_inline_markdown(std::string_view raw) {
    std::string_view line = text::trim(raw);
    if (line.empty()) return {};
    // Most lines of a text dump have no inline syntax at all: no need to parse them.
    static constexpr auto kSyntax = [] {
        std::array<bool, 256> table{};
        for (unsigned char c : std::string_view("\\`*_[]<>&!")) table[c] = true;
        return table;
    }();
    if (std::none_of(line.begin(), line.end(), [](char c) { return kSyntax[static_cast<unsigned char>(c)]; }))
        return {Text{std::string(line)}};
    std::string source;
    source.reserve(line.size() + 2);
    if (starts_block(line)) {
        if (is_ascii_digit(line[0])) {
            std::size_t n = 0;
            while (is_ascii_digit(line[n])) ++n;
            source.append(line.substr(0, n));
            source += '\\';
            source.append(line.substr(n));
        } else {
            source += '\\';
            source.append(line);
        }
    } else {
        source.append(line);
    }
    std::unique_ptr<cmark_node, void (*)(cmark_node*)> root(
        cmark_parse_document(source.data(), source.size(), CMARK_OPT_DEFAULT), cmark_node_free);
    Inlines out;
    for (cmark_node* b = cmark_node_first_child(root.get()); b; b = cmark_node_next(b)) {
        Inlines part = inlines_from_cmark(b);
        if (!out.empty() && !part.empty()) out.push_back(Text{" "});
        for (auto& in : part) out.push_back(std::move(in));
    }
    normalize(out);
    return out;
}

}  // namespace dconv
