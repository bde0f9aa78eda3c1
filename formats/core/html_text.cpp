// html_text.cpp: tags, character references and the text of small HTML fragments.
#include "core/html_text.hpp"

#include <algorithm>
#include <iterator>

#include "core/text.hpp"
#include "dconv/limits.hpp"

namespace dconv::html_text {

namespace {

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// The character reference at s[i] ('&'), appended to `out`, and i moved past it; "&"
// alone (i moved by one) when it is none.
void append_reference(std::string_view s, std::size_t& i, std::string& out) {
    static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\u00A0"}};
    constexpr std::size_t kLongestReference = 10;  // "&#x10FFFF;" has 8 after '&'
    // (the ';' looked for within a reference's length only: a text of many '&' and no ';'
    // stays linear)
    std::size_t semicolon = s.substr(0, std::min(s.size(), i + kLongestReference + 1)).find(';', i);
    if (semicolon != std::string_view::npos) {
        std::string_view name = s.substr(i + 1, semicolon - i - 1);
        if (name.size() > 1 && name[0] == '#') {
            bool hex = name[1] == 'x' || name[1] == 'X';
            std::string_view digits = name.substr(hex ? 2 : 1);
            char32_t c = 0;
            bool valid = !digits.empty();
            for (char d : digits) {
                int v = d >= '0' && d <= '9'                ? d - '0'
                        : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10
                        : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10
                                                      : -1;
                if (v < 0) valid = false;
                else c = c * (hex ? 16 : 10) + static_cast<char32_t>(v);
            }
            if (valid && c > 0 && c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF)) {
                text::append(out, c);
                i = semicolon + 1;
                return;
            }
        }
        for (const auto& [entity, value] : kNamed)
            if (name == entity) {
                out += value;
                i = semicolon + 1;
                return;
            }
    }
    out += '&';
    ++i;
}

// A phrase's tag sits inside a word ("<em>t</em>ide"); any other separates what is on
// its two sides.
bool is_phrase_tag(std::string_view name) {
    static constexpr std::string_view kPhrase[] = {"a",     "abbr",  "b",      "bdi", "bdo", "cite", "code",
                                                   "del",   "dfn",   "em",     "i",   "ins", "kbd",  "mark",
                                                   "q",     "s",     "samp",   "small", "span", "strong",
                                                   "sub",   "sup",   "time",   "u",   "var"};
    return std::find(std::begin(kPhrase), std::end(kPhrase), name) != std::end(kPhrase);
}

}  // namespace

std::optional<std::string> Tag::attribute(std::string_view wanted) const {
    for (const auto& [key, value] : attributes)
        if (key == wanted) return value;
    return std::nullopt;
}

std::optional<Tag> parse_tag(std::string_view markup) {
    while (!markup.empty() && is_blank(markup.front())) markup.remove_prefix(1);
    while (!markup.empty() && is_blank(markup.back())) markup.remove_suffix(1);
    if (markup.size() < 3 || markup.front() != '<' || markup.back() != '>') return std::nullopt;
    std::string_view s = markup.substr(1, markup.size() - 2);
    Tag tag;
    std::size_t i = 0;
    if (s[0] == '/') {
        tag.closing = true;
        i = 1;
    }
    auto name_char = [](char c) { return !is_blank(c) && c != '/' && c != '>' && c != '<' && c != '=' && c != '"' && c != '\''; };
    std::size_t start = i;
    while (i < s.size() && name_char(s[i])) ++i;
    if (i == start || !is_ascii_letter(s[start])) return std::nullopt;
    tag.name = text::lower_ascii(s.substr(start, i - start));
    for (;;) {
        while (i < s.size() && (is_blank(s[i]) || s[i] == '/')) ++i;
        if (i >= s.size()) break;
        if (tag.closing) return std::nullopt;  // an end tag has no attributes
        std::size_t name_start = i;
        while (i < s.size() && name_char(s[i])) ++i;
        if (i == name_start) return std::nullopt;  // a stray '<', '=' or quote
        std::string name = text::lower_ascii(s.substr(name_start, i - name_start));
        std::size_t after_name = i;
        while (i < s.size() && is_blank(s[i])) ++i;
        std::string value;
        if (i < s.size() && s[i] == '=') {
            ++i;
            while (i < s.size() && is_blank(s[i])) ++i;
            if (i >= s.size()) return std::nullopt;
            if (s[i] == '"' || s[i] == '\'') {
                std::size_t close = s.find(s[i], i + 1);
                if (close == std::string_view::npos) return std::nullopt;
                value = decode_references(s.substr(i + 1, close - i - 1));
                i = close + 1;
            } else {
                std::size_t value_start = i;
                while (i < s.size() && !is_blank(s[i]) && s[i] != '"' && s[i] != '\'' && s[i] != '<' && s[i] != '=')
                    ++i;
                value = decode_references(s.substr(value_start, i - value_start));
            }
        } else {
            i = after_name;
        }
        tag.attributes.emplace_back(std::move(name), std::move(value));
    }
    return tag;
}

std::string decode_references(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '&') append_reference(s, i, out);
        else out += s[i++];
    }
    return out;
}

std::vector<SrcsetCandidate> srcset_candidates(std::string_view s) {
    std::vector<SrcsetCandidate> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (is_blank(s[i]) || s[i] == ',')) ++i;
        std::size_t start = i;
        while (i < s.size() && !is_blank(s[i])) ++i;
        std::string_view url = s.substr(start, i - start);
        bool ended = false;
        while (!url.empty() && url.back() == ',') {
            url.remove_suffix(1);
            ended = true;
        }
        std::string_view descriptor;
        if (!ended) {
            std::size_t d = i;
            while (i < s.size() && s[i] != ',') ++i;
            descriptor = text::trim(s.substr(d, i - d));
        }
        if (!url.empty()) out.push_back({url, descriptor});
    }
    return out;
}

std::string fragment_text(std::string_view html) {
    std::string out;
    for (std::size_t i = 0; i < html.size();) {
        if (html[i] == '<') {
            std::size_t close = html.find('>', i);
            if (close == std::string_view::npos) break;  // a tag cut short: the rest is markup
            std::string_view inside = html.substr(i + 1, close - i - 1);
            if (!inside.empty() && inside.front() == '/') inside.remove_prefix(1);
            std::size_t name_end = 0;
            while (name_end < inside.size() && !is_blank(inside[name_end]) && inside[name_end] != '/') ++name_end;
            if (!is_phrase_tag(text::lower_ascii(inside.substr(0, name_end)))) out += ' ';
            i = close + 1;
        } else if (html[i] == '&') {
            append_reference(html, i, out);
        } else {
            out += html[i++];
        }
    }
    return out;
}

int declared_image_width(std::string_view value) {
    value = text::trim(value);
    if (value.ends_with("px")) value.remove_suffix(2);
    if (value.empty() || value.size() > 6) return 0;
    int width = 0;
    for (char c : value) {
        if (c < '0' || c > '9') return 0;
        width = width * 10 + (c - '0');
    }
    return width <= kMaxImageWidth ? width : 0;
}

}  // namespace dconv::html_text
