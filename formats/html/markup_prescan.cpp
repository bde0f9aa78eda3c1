#include "html/markup_prescan.hpp"

#include <gumbo.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "core/text.hpp"
#include "dconv/limits.hpp"

namespace dconv::html {

namespace {

// Implied end tags (a new <li> closes the open one) are looked for this far down the
// stack of open elements, which keeps the estimate O(1) per tag.
constexpr std::size_t kImpliedEndScan = 16;

bool is_tag_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
bool is_ascii_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; }

bool equals_ci(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

bool has_ci(std::string_view s, std::size_t at, std::string_view word) {
    return at + word.size() <= s.size() && equals_ci(s.substr(at, word.size()), word);
}

bool contains_ci(std::string_view s, std::string_view word) {
    if (word.size() > s.size()) return false;
    for (std::size_t i = 0; i + word.size() <= s.size(); ++i)
        if (has_ci(s, i, word)) return true;
    return false;
}

// "</name" followed by a character that ends a tag name, at `at`.
bool end_tag_at(std::string_view s, std::size_t at, std::string_view name) {
    if (!has_ci(s, at, "</") || !has_ci(s, at + 2, name)) return false;
    std::size_t after = at + 2 + name.size();
    return after >= s.size() || is_tag_space(s[after]) || s[after] == '/' || s[after] == '>';
}

// Where the raw text of an element named `name` ends: its end tag, or the input's end.
std::size_t raw_text_end(std::string_view s, std::size_t from, std::string_view name) {
    for (std::size_t i = from; i < s.size(); ++i) {
        const void* lt = std::memchr(s.data() + i, '<', s.size() - i);
        if (!lt) return s.size();
        i = static_cast<std::size_t>(static_cast<const char*>(lt) - s.data());
        if (end_tag_at(s, i, name)) return i;
    }
    return s.size();
}

bool script_start_at(std::string_view s, std::size_t at) {
    if (!has_ci(s, at, "<script")) return false;
    std::size_t after = at + 7;
    return after < s.size() && (is_tag_space(s[after]) || s[after] == '/' || s[after] == '>');
}

// Where a script's text ends, following the tokenizer's escaped states: inside "<!--",
// a "<script" opens a nested (double-escaped) script whose "</script>" does not end the
// outer one (document.write("<script>...</script>") in an HTML comment).
std::size_t script_end(std::string_view s, std::size_t from) {
    enum class State { data, escaped, double_escaped } state = State::data;
    std::size_t i = from;
    while (i < s.size()) {
        if (state == State::data) {
            const void* lt = std::memchr(s.data() + i, '<', s.size() - i);
            if (!lt) return s.size();
            i = static_cast<std::size_t>(static_cast<const char*>(lt) - s.data());
            if (end_tag_at(s, i, "script")) return i;
            if (s.compare(i, 4, "<!--") == 0) {
                state = State::escaped;
                i += 4;
            } else {
                ++i;
            }
            continue;
        }
        char c = s[i];
        if (c == '-' && s.compare(i, 3, "-->") == 0) {
            state = State::data;
            i += 3;
        } else if (c == '<' && end_tag_at(s, i, "script")) {
            if (state == State::escaped) return i;
            state = State::escaped;
            i += 8;
        } else if (c == '<' && state == State::escaped && script_start_at(s, i)) {
            state = State::double_escaped;
            i += 7;
        } else {
            ++i;
        }
    }
    return s.size();
}

// One attribute of a tag, as the tokenizer splits them.
struct Attribute {
    std::size_t begin = 0, end = 0;
    std::string_view name, value;
};

// Reads the next attribute from `i` (inside a tag, after its name). Returns false at
// the tag's end, with `i` on its '>' (or at the input's end) and `self_closing` set
// when a '/' came right before it.
bool next_attribute(std::string_view s, std::size_t& i, Attribute& a, bool& self_closing) {
    self_closing = false;
    while (i < s.size() && (is_tag_space(s[i]) || s[i] == '/')) {
        self_closing = s[i] == '/';
        ++i;
    }
    if (i >= s.size() || s[i] == '>') return false;
    self_closing = false;
    a.begin = i++;  // the first character is part of the name even when it is '='
    while (i < s.size() && !is_tag_space(s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '=') ++i;
    a.name = s.substr(a.begin, i - a.begin);
    a.value = {};
    std::size_t j = i;
    while (j < s.size() && is_tag_space(s[j])) ++j;
    if (j < s.size() && s[j] == '=') {
        ++j;
        while (j < s.size() && is_tag_space(s[j])) ++j;
        if (j < s.size() && (s[j] == '"' || s[j] == '\'')) {
            std::size_t close = s.find(s[j], j + 1);
            if (close == std::string_view::npos) close = s.size();
            a.value = s.substr(j + 1, close - j - 1);
            i = std::min(close + 1, s.size());
        } else {
            std::size_t v = j;
            while (j < s.size() && !is_tag_space(s[j]) && s[j] != '>') ++j;
            a.value = s.substr(v, j - v);
            i = j;
        }
    }
    a.end = i;
    return true;
}

std::size_t tag_name_end(std::string_view s, std::size_t i) {
    while (i < s.size() && !is_tag_space(s[i]) && s[i] != '/' && s[i] != '>') ++i;
    return i;
}

// ------------------------------------------------------------------ charset prescan

std::string charset_from_content(std::string_view content) {
    std::string lower(content);
    for (char& c : lower) c = ascii_lower(c);
    for (std::size_t at = lower.find("charset"); at != std::string::npos; at = lower.find("charset", at + 7)) {
        poll_deadline();
        std::size_t i = at + 7;
        while (i < lower.size() && is_tag_space(lower[i])) ++i;
        if (i >= lower.size() || lower[i] != '=') continue;
        ++i;
        while (i < lower.size() && is_tag_space(lower[i])) ++i;
        if (i < lower.size() && (lower[i] == '"' || lower[i] == '\'')) {
            std::size_t close = lower.find(lower[i], i + 1);
            if (close == std::string::npos) return {};
            return lower.substr(i + 1, close - i - 1);
        }
        std::size_t end = i;
        while (end < lower.size() && !is_tag_space(lower[end]) && lower[end] != ';') ++end;
        return lower.substr(i, end - i);
    }
    return {};
}

// The charset label the first bytes declare, lower-cased and trimmed; empty if none.
std::string declared_label(std::string_view head) {
    if (head.rfind("<?xml", 0) == 0) {  // XHTML: the XML declaration's encoding
        std::size_t end = head.find("?>");
        std::string_view decl = head.substr(0, end);
        std::size_t at = decl.find("encoding");
        if (at != std::string_view::npos) {
            bool closing = false;
            Attribute a;
            if (next_attribute(decl, at, a, closing) && !a.value.empty()) {
                std::string label(a.value);
                for (char& c : label) c = ascii_lower(c);
                return label;
            }
        }
    }
    for (std::size_t i = 0; i < head.size();) {
        poll_deadline();
        if (head[i] != '<') {
            ++i;
            continue;
        }
        if (head.compare(i, 4, "<!--") == 0) {
            std::size_t close = head.find("-->", i + 2);
            if (close == std::string_view::npos) return {};
            i = close + 3;
            continue;
        }
        bool meta = has_ci(head, i, "<meta") && i + 5 < head.size() &&
                    (is_tag_space(head[i + 5]) || head[i + 5] == '/');
        bool tag = i + 1 < head.size() &&
                   (is_ascii_alpha(head[i + 1]) || (head[i + 1] == '/' && i + 2 < head.size() && is_ascii_alpha(head[i + 2])));
        if (!meta && !tag) {
            std::size_t close = head.find('>', i + 1);
            if (close == std::string_view::npos) return {};
            i = close + 1;
            continue;
        }
        std::size_t j = tag_name_end(head, i + 1);
        std::string charset, content;
        bool content_type = false;
        Attribute a;
        bool closing = false;
        while (next_attribute(head, j, a, closing)) {
            if (!meta) continue;
            if (equals_ci(a.name, "charset") && charset.empty()) charset = std::string(text::trim(a.value));
            else if (equals_ci(a.name, "http-equiv")) content_type = equals_ci(text::trim(a.value), "content-type");
            else if (equals_ci(a.name, "content") && content.empty()) content = std::string(a.value);
        }
        if (j >= head.size()) return {};  // cut off by the window: not a declaration we can trust
        i = j + 1;
        if (!meta) continue;
        if (!charset.empty()) {
            for (char& c : charset) c = ascii_lower(c);
            return charset;
        }
        if (content_type) {
            std::string label = charset_from_content(content);
            if (!label.empty()) return label;
        }
    }
    return {};
}

// The encoding browsers use for a label (WHATWG Encoding: labels name supersets).
std::string browser_encoding(std::string label) {
    struct Alias {
        std::string_view label, encoding;
    };
    static constexpr Alias kAliases[] = {
        {"iso-8859-1", "windows-1252"}, {"latin1", "windows-1252"}, {"iso8859-1", "windows-1252"},
        {"us-ascii", "windows-1252"},   {"ascii", "windows-1252"},  {"l1", "windows-1252"},
        {"x-user-defined", "windows-1252"},
        {"gb2312", "GB18030"},          {"gbk", "GB18030"},         {"x-gbk", "GB18030"},
        {"gb_2312-80", "GB18030"},      {"chinese", "GB18030"},     {"csgb2312", "GB18030"},
        {"euc-kr", "windows-949"},      {"ks_c_5601-1987", "windows-949"}, {"korean", "windows-949"},
        {"iso-8859-9", "windows-1254"}, {"latin5", "windows-1254"},
        {"iso-8859-11", "windows-874"}, {"tis-620", "windows-874"},
        {"sjis", "Shift_JIS"},          {"x-sjis", "Shift_JIS"},    {"ms932", "Shift_JIS"},
        {"windows-31j", "Shift_JIS"},
    };
    for (const Alias& a : kAliases)
        if (label == a.label) return std::string(a.encoding);
    return label;
}

bool is_utf8_label(std::string_view label) {
    return label == "utf-8" || label == "utf8" || label == "unicode-1-1-utf-8" ||
           label.rfind("utf-16", 0) == 0 || label.rfind("utf-32", 0) == 0 || label == "unicode";
}

bool known_to_icu(const std::string& name) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter* converter = ucnv_open(name.c_str(), &status);
    if (U_FAILURE(status) || !converter) return false;
    ucnv_close(converter);
    return true;
}

bool has_bom(std::string_view bytes) {
    return bytes.rfind("\xEF\xBB\xBF", 0) == 0 || bytes.rfind("\xFF\xFE", 0) == 0 ||
           bytes.rfind("\xFE\xFF", 0) == 0;
}

// Whether `bytes` are UTF-8 with stray bytes: at least one invalid byte, and at least as
// many valid multibyte sequences as invalid bytes (decode.cpp's rule for UTF-8 with a
// few bad bytes, the tie going to a page that declares UTF-8).
bool utf8_with_stray_bytes(std::string_view bytes) {
    std::size_t multibyte = 0, invalid = 0;
    for (std::size_t i = 0; i < bytes.size();) {
        auto b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x80) {  // ASCII, most of a page, eight bytes at a time (the scan cost 5 percent of a page's time)
            i = text::skip_ascii(bytes, i);
            continue;
        }
        poll_deadline();
        std::size_t length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
        bool valid = length != 0 && b <= 0xF4 && i + length <= bytes.size();
        for (std::size_t k = 1; valid && k < length; ++k)
            valid = (static_cast<unsigned char>(bytes[i + k]) & 0xC0) == 0x80;
        if (valid) {
            ++multibyte;
            i += length;
        } else {
            ++invalid;
            ++i;
        }
    }
    return invalid > 0 && multibyte >= invalid;
}

// ------------------------------------------------------------------ markup rewriting

class Rewriter {
public:
    explicit Rewriter(std::string& s) : s_(s) {}

    std::string_view view() const { return s_; }
    // Keeps the input up to `end`.
    void keep_to(std::size_t end) {
        if (end <= read_) return;
        if (write_ != read_) std::memmove(&s_[write_], &s_[read_], end - read_);
        write_ += end - read_;
        read_ = end;
    }
    // Drops the input from where it stands to `end`, all but its line breaks.
    void cut_to(std::size_t end) {
        if (end <= read_) return;
        std::size_t at = read_;
        while (at < end) {
            const void* nl = std::memchr(s_.data() + at, '\n', end - at);
            if (!nl) break;
            at = static_cast<std::size_t>(static_cast<const char*>(nl) - s_.data());
            s_[write_++] = '\n';
            ++at;
        }
        cut_ += end - read_;
        read_ = end;
    }
    void put(std::string_view text) {  // never longer than what was cut just before
        std::memcpy(&s_[write_], text.data(), text.size());
        write_ += text.size();
    }
    std::size_t finish() {
        keep_to(s_.size());
        s_.resize(write_);
        return cut_;
    }

private:
    std::string& s_;
    std::size_t read_ = 0, write_ = 0, cut_ = 0;
};

bool is_void(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BR: case GUMBO_TAG_COL:
        case GUMBO_TAG_EMBED: case GUMBO_TAG_HR: case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT:
        case GUMBO_TAG_KEYGEN: case GUMBO_TAG_LINK: case GUMBO_TAG_META: case GUMBO_TAG_PARAM:
        case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK: case GUMBO_TAG_WBR: case GUMBO_TAG_BASEFONT:
        case GUMBO_TAG_BGSOUND: case GUMBO_TAG_FRAME: case GUMBO_TAG_IMAGE: case GUMBO_TAG_MENUITEM:
        case GUMBO_TAG_HTML: case GUMBO_TAG_HEAD: case GUMBO_TAG_BODY:  // merged, never nested
            return true;
        default:
            return false;
    }
}

// Start tags that close an open <p> (HTML's "close a p element").
bool closes_paragraph(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER: case GUMBO_TAG_DETAILS:
        case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL:
        case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE:
        case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
        case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU:
        case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PRE:
        case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE: case GUMBO_TAG_UL:
        case GUMBO_TAG_LI: case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_LISTING:
        case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT:
            return true;
        default:
            return false;
    }
}

// HTML's formatting elements: left open, they are reopened in every block that follows.
bool is_formatting(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_A: case GUMBO_TAG_B: case GUMBO_TAG_BIG: case GUMBO_TAG_CODE: case GUMBO_TAG_EM:
        case GUMBO_TAG_FONT: case GUMBO_TAG_I: case GUMBO_TAG_NOBR: case GUMBO_TAG_S: case GUMBO_TAG_SMALL:
        case GUMBO_TAG_STRIKE: case GUMBO_TAG_STRONG: case GUMBO_TAG_TT: case GUMBO_TAG_U:
            return true;
        default:
            return false;
    }
}

// An estimate of the stack of open elements, close enough to HTML's tree construction
// to tell real pages (never near the limit) from pathological nesting.
class OpenElements {
public:
    std::size_t depth() const { return stack_.size(); }
    bool contains(GumboTag tag) const { return count_[tag] > 0; }

    void push(GumboTag tag) {
        stack_.push_back(tag);
        ++count_[tag];
    }
    // Pops up to and including the innermost `tag`; false if none is open.
    bool pop_to(GumboTag tag) {
        if (count_[tag] == 0) return false;
        while (!stack_.empty()) {
            GumboTag top = stack_.back();
            stack_.pop_back();
            --count_[top];
            if (top == tag) break;
        }
        return true;
    }
    // The end tags a start tag implies.
    void close_implied(GumboTag tag) {
        using L = std::initializer_list<GumboTag>;
        switch (tag) {
            case GUMBO_TAG_LI: close_same(L{GUMBO_TAG_LI}, L{GUMBO_TAG_UL, GUMBO_TAG_OL}); break;
            case GUMBO_TAG_DT:
            case GUMBO_TAG_DD: close_same(L{GUMBO_TAG_DT, GUMBO_TAG_DD}, L{GUMBO_TAG_DL}); break;
            case GUMBO_TAG_TR:
                close_same(L{GUMBO_TAG_TR}, L{GUMBO_TAG_TABLE, GUMBO_TAG_TBODY, GUMBO_TAG_THEAD, GUMBO_TAG_TFOOT});
                break;
            case GUMBO_TAG_TD:
            case GUMBO_TAG_TH: close_same(L{GUMBO_TAG_TD, GUMBO_TAG_TH}, L{GUMBO_TAG_TR, GUMBO_TAG_TABLE}); break;
            case GUMBO_TAG_THEAD:
            case GUMBO_TAG_TBODY:
            case GUMBO_TAG_TFOOT:
                close_same(L{GUMBO_TAG_THEAD, GUMBO_TAG_TBODY, GUMBO_TAG_TFOOT}, L{GUMBO_TAG_TABLE});
                break;
            case GUMBO_TAG_OPTION: close_same(L{GUMBO_TAG_OPTION}, L{GUMBO_TAG_SELECT, GUMBO_TAG_DATALIST}); break;
            case GUMBO_TAG_OPTGROUP: close_same(L{GUMBO_TAG_OPTION, GUMBO_TAG_OPTGROUP}, L{GUMBO_TAG_SELECT}); break;
            default: break;
        }
        if (closes_paragraph(tag))
            close_same(L{GUMBO_TAG_P}, L{GUMBO_TAG_TABLE, GUMBO_TAG_TD, GUMBO_TAG_TH, GUMBO_TAG_BUTTON,
                                       GUMBO_TAG_OBJECT, GUMBO_TAG_TEMPLATE, GUMBO_TAG_CAPTION});
    }

private:
    void close_same(std::initializer_list<GumboTag> same, std::initializer_list<GumboTag> barriers) {
        for (std::size_t k = 0; k < stack_.size() && k < kImpliedEndScan; ++k) {
            poll_deadline();
            GumboTag t = stack_[stack_.size() - 1 - k];
            if (std::find(same.begin(), same.end(), t) != same.end()) {
                pop_to(t);
                return;
            }
            if (std::find(barriers.begin(), barriers.end(), t) != barriers.end()) return;
        }
    }

    std::vector<GumboTag> stack_;
    std::array<std::uint32_t, GUMBO_TAG_LAST + 1> count_{};
};

}  // namespace

std::string declared_encoding(std::string_view bytes) {
    if (has_bom(bytes)) return {};
    std::string label = declared_label(bytes.substr(0, kCharsetPrescanBytes));
    label = std::string(text::trim(label));
    if (label.empty()) return {};
    // A page declared UTF-8 is read as UTF-8, as browsers do, when it mostly is: a stray
    // byte of another charset becomes U+FFFD, with a warning naming its line (before,
    // one such byte beside one "é" made the whole page windows-1252). A page whose
    // bytes are not UTF-8 at all is left to detection (the declaration is wrong).
    if (is_utf8_label(label))
        return label.rfind("utf-16", 0) != 0 && label.rfind("utf-32", 0) != 0 && label != "unicode" &&
                       utf8_with_stray_bytes(bytes)
                   ? "UTF-8"
                   : std::string();
    std::string encoding = browser_encoding(label);
    if (!known_to_icu(encoding)) return {};
    if (text::valid_utf8_with_multibyte(bytes)) return {};
    return encoding;
}

PrescanReport prepare_markup(std::string& text) {
    PrescanReport report;
    Rewriter out(text);
    std::string_view s = out.view();
    OpenElements open;
    std::array<std::uint32_t, GUMBO_TAG_LAST + 1> dropped{};  // start tags dropped, per name
    std::array<std::uint32_t, GUMBO_TAG_LAST + 1> formatting{};  // formatting elements left open, per name
    std::size_t open_formatting = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        const void* lt = std::memchr(s.data() + i, '<', s.size() - i);
        if (!lt) break;
        std::size_t at = static_cast<std::size_t>(static_cast<const char*>(lt) - s.data());
        i = at + 1;
        if (i >= s.size()) break;
        char c = s[i];
        if (c == '!') {
            if (s.compare(at, 4, "<!--") != 0) {  // doctype, CDATA, bogus comment
                std::size_t close = s.find('>', at);
                i = close == std::string_view::npos ? s.size() : close + 1;
                continue;
            }
            std::size_t end;
            if (s.compare(at, 5, "<!-->") == 0) end = at + 5;
            else if (s.compare(at, 6, "<!--->") == 0) end = at + 6;
            else {
                std::size_t close = s.find("-->", at + 4);
                end = close == std::string_view::npos ? s.size() : close + 3;
            }
            out.keep_to(at);
            // a comment that spans lines stays a comment (with only its line breaks), so
            // the text on either side does not run together
            bool spans_lines = std::memchr(s.data() + at, '\n', end - at) != nullptr;
            if (spans_lines) out.put("<!--");
            out.cut_to(end);
            if (spans_lines) out.put("-->");
            i = end;
            continue;
        }
        if (c == '?') {
            std::size_t close = s.find('>', at);
            i = close == std::string_view::npos ? s.size() : close + 1;
            continue;
        }
        bool end_tag = c == '/';
        std::size_t name_begin = end_tag ? at + 2 : at + 1;
        if (name_begin >= s.size() || !is_ascii_alpha(s[name_begin])) continue;
        std::size_t name_end = tag_name_end(s, name_begin);
        GumboTag tag = gumbo_tagn_enum(s.data() + name_begin, static_cast<unsigned>(name_end - name_begin));

        // the tag's end, and what its attributes say
        std::size_t j = name_end;
        Attribute a;
        bool self_closing = false, json_ld = false;
        std::size_t attributes = 0;
        while (next_attribute(s, j, a, self_closing)) {
            ++attributes;
            if (tag == GUMBO_TAG_SCRIPT && equals_ci(a.name, "type") && contains_ci(a.value, "ld+json"))
                json_ld = true;
        }
        std::size_t tag_end = std::min(j + 1, s.size());
        i = tag_end;
        auto drop_tag = [&] {
            out.keep_to(at);
            out.cut_to(tag_end);
        };
        auto drop_extra_attributes = [&] {
            if (attributes <= kMaxAttributes) return;
            std::size_t k = name_end, seen = 0;
            bool closing = false;
            while (next_attribute(s, k, a, closing)) {
                if (++seen <= kMaxAttributes) continue;
                out.keep_to(a.begin);
                out.cut_to(a.end);
                ++report.dropped_attributes;
            }
        };

        if (end_tag) {
            bool closes = open.pop_to(tag);
            if (formatting[tag] > 0) {
                --formatting[tag];
                --open_formatting;
            } else if (!closes && dropped[tag] > 0) {
                --dropped[tag];
                drop_tag();
            }
            continue;
        }
        switch (tag) {
            case GUMBO_TAG_SCRIPT:
            case GUMBO_TAG_STYLE: {
                std::size_t end = tag == GUMBO_TAG_SCRIPT ? script_end(s, tag_end) : raw_text_end(s, tag_end, "style");
                drop_extra_attributes();
                if (!json_ld) {
                    out.keep_to(tag_end);
                    out.cut_to(end);
                }
                i = end;
                continue;
            }
            default: break;
        }
        bool foreign = open.contains(GUMBO_TAG_SVG) || open.contains(GUMBO_TAG_MATH);
        bool opens = !is_void(tag) && !(self_closing && foreign);
        if (opens) {
            open.close_implied(tag);
            if (is_formatting(tag) && open_formatting >= kMaxOpenFormatting) {
                ++dropped[tag];
                ++report.flattened_tags;
                drop_tag();
                continue;
            }
            if (open.depth() >= kMaxElementDepth) {
                ++dropped[tag];
                ++report.flattened_tags;
                drop_tag();
                continue;
            }
        }
        drop_extra_attributes();
        switch (tag) {
            case GUMBO_TAG_TITLE: i = raw_text_end(s, tag_end, "title"); continue;
            case GUMBO_TAG_TEXTAREA: i = raw_text_end(s, tag_end, "textarea"); continue;
            case GUMBO_TAG_XMP: i = raw_text_end(s, tag_end, "xmp"); continue;
            case GUMBO_TAG_IFRAME: i = raw_text_end(s, tag_end, "iframe"); continue;
            case GUMBO_TAG_NOEMBED: i = raw_text_end(s, tag_end, "noembed"); continue;
            case GUMBO_TAG_NOFRAMES: i = raw_text_end(s, tag_end, "noframes"); continue;
            case GUMBO_TAG_PLAINTEXT: i = s.size(); continue;
            default: break;
        }
        if (opens) open.push(tag);
        if (opens && is_formatting(tag)) {
            ++formatting[tag];
            ++open_formatting;
        }
    }
    std::size_t cut = out.finish();
    report.cut_bytes = cut;
    return report;
}

}  // namespace dconv::html
