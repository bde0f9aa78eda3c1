// markdown_reader.cpp: CommonMark (via cmark) with an optional YAML front matter block.
//
// Front matter is recognised only when the file starts with a "---" line followed by a
// non-blank line, and a later "---" or "..." line closes it (so a document opening with a
// thematic break and a blank line is not mistaken for one). The YAML understood is the
// small subset front matter uses: `key: value` with plain, "double" or 'single' quoted
// scalars, `key:` followed by `- item` lines, and `[a, b]` flow lists. A line outside that
// subset is reported and skipped; the block never becomes body text.
//
// TOML front matter (Hugo's), between "+++" lines whose first non-blank line inside is
// `key =`, a [table] or a # comment (else the lines are text), is read to the same fields: `key =
// "basic"` or 'literal' strings, bare values (dates, numbers, booleans) as written,
// arrays of strings (over several lines too). Tables ([params] and the keys under them),
// dotted keys, inline tables and multi-line strings are reported with their line and
// skipped, as a YAML line outside the subset is. A block of either syntax over
// kMaxFrontMatterLines lines or kMaxFrontMatterBytes bytes (limits.hpp) is skipped whole.
//
// Raw HTML: the model has no raw node, and dconv's writers must not pass markup through
// (an EPUB must stay valid XHTML; a PDF cannot render it). So raw HTML is read into the
// model, as pandoc reads the raw HTML it understands: an HTML block by the HTML reader's
// block builder (read_html_fragment: <div>, <p>, lists, headings, a <table> as a Table,
// the text of elements it does not know kept), inline HTML by pairing a phrasing
// element's tags among their siblings (<b>...</b> is Strong, <sup id=...> Superscript,
// <a href> a Link, <span> and <ruby> their text; cmark_inlines). A block that is only
// an HTML comment, or only the tags of wrappers (<div>, </div> around Markdown), is
// dropped with a note, as a renderer would show nothing of it; one the HTML reader finds
// no text in (a <script>, an <iframe>) becomes a CodeBlock with info "html" holding its
// text verbatim: nothing is lost. An inline tag without its pair, or of an element not
// read so, stays in its paragraph as literal text.
// Images: Markdown has no syntax for an image's width or a figure, so authors write
// `<img src=... width=...>` and `<figure>`; an <img> tag is an Image, and an HTML block
// of images only (in <p>, <a>, <picture>, <figure> with <figcaption>, whose markup is
// read) is their paragraph or Figure (images_of_html_block), as a renderer shows them.
//
// Images: an Image inline, its alt text the description's text (markup dropped, as
// cmark's HTML renderer does); the bytes are loaded later, by resolve_resources().
// Link reference definitions are resolved by cmark and leave no block.
#include "markdown/markdown_reader.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/html_text.hpp"
#include "core/text.hpp"
#include "dconv/clean.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"
#include "html/html_reader.hpp"
#include "markdown/cmark_inlines.hpp"

namespace dconv {

namespace {

constexpr std::string_view kPass = "markdown";
// Hostile input: a front matter block of a million bad lines reports this many, then one
// summary, rather than a million diagnostics.
constexpr std::size_t kMaxFrontMatterWarnings = 16;
// Diagnostics quote at most this much of the offending line.
constexpr std::size_t kMaxExcerpt = 80;

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

std::string_view trim(std::string_view s) { return trim_left(trim_right(s)); }

// The line starting at `pos` (without its line ending); moves `pos` past the line ending.
std::string_view next_line(std::string_view text, std::size_t& pos) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

// ------------------------------------------------------------------- front matter

struct FrontMatterBlock {
    bool found = false;
    bool toml = false;         // "+++" fences (Hugo's TOML), not "---"
    std::string_view content;  // the lines between the fences
    std::size_t body = 0;      // offset of the first byte after the closing fence line
    std::uint32_t lines = 0;   // lines taken by the block, fences included
};

// Whether `key` reads as a TOML key: bare (letters, digits, '_', '-'), dotted, or quoted.
bool looks_like_toml_key(std::string_view key) {
    if (key.empty()) return false;
    if (key.front() == '"' || key.front() == '\'') return true;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.';
    });
}

// Whether the first non-blank line after a "+++" fence (`pos` is past it) opens TOML: a
// `key =` line, a [table] or a # comment. Otherwise the fences are text around paragraphs
// ("+++", prose, "+++"), as the YAML fence's blank-line rule keeps a rule a rule.
bool toml_plausible(std::string_view text, std::size_t pos) {
    while (pos < text.size()) {
        std::string_view line = trim(next_line(text, pos));
        if (line.empty()) continue;
        if (line.front() == '#') return true;
        if (line.front() == '[' && line.back() == ']') {
            std::string_view name = line.substr(1, line.size() - 2);
            if (!name.empty() && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
            return looks_like_toml_key(trim(name));
        }
        std::size_t equals = line.find('=');
        return equals != std::string_view::npos && looks_like_toml_key(trim(line.substr(0, equals)));
    }
    return false;
}

// TOML front matter: after the opening "+++" line (`pos` is past it), up to a "+++" line,
// when its first line reads as TOML (toml_plausible).
FrontMatterBlock find_toml_front_matter(std::string_view text, std::size_t pos) {
    FrontMatterBlock block;
    if (!toml_plausible(text, pos)) return block;
    std::size_t content_start = pos;
    std::uint32_t line_no = 1;
    while (pos < text.size()) {
        std::size_t line_start = pos;
        std::string_view line = trim_right(next_line(text, pos));
        ++line_no;
        if (line == "+++") {
            block.found = block.toml = true;
            block.content = text.substr(content_start, line_start - content_start);
            block.body = pos;
            block.lines = line_no;
            return block;
        }
    }
    return block;
}

FrontMatterBlock find_front_matter(std::string_view text) {
    FrontMatterBlock block;
    std::size_t pos = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // a byte order mark
    std::string_view fence = trim_right(next_line(text, pos));
    if (fence == "+++") return find_toml_front_matter(text, pos);
    if (fence != "---" || pos >= text.size()) return block;
    std::size_t content_start = pos;
    std::size_t peek = pos;
    if (trim(next_line(text, peek)).empty()) return block;  // "---" then blank: a rule
    std::uint32_t line_no = 1;
    while (pos < text.size()) {
        std::size_t line_start = pos;
        std::string_view line = trim_right(next_line(text, pos));
        ++line_no;
        if (line == "---" || line == "...") {
            block.found = true;
            block.content = text.substr(content_start, line_start - content_start);
            block.body = pos;
            block.lines = line_no;
            return block;
        }
    }
    return block;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    text::append(out, static_cast<char32_t>(cp));
}

// The code point of an escape's `digits` hex digits at s[i] (YAML's and TOML's \xXX,
// \uXXXX, \UXXXXXXXX), appended to `out` as UTF-8; i moves past them. False when they
// are cut short or not hex.
bool append_hex_escape(std::string_view s, std::size_t& i, int digits, std::string& out) {
    std::uint32_t cp = 0;
    for (int k = 0; k < digits; ++k) {
        if (i >= s.size()) return false;
        int v = text::hex_value(s[i++]);
        if (v < 0) return false;
        cp = cp * 16 + static_cast<std::uint32_t>(v);
    }
    append_utf8(out, cp);
    return true;
}

// A YAML double-quoted scalar starting at s[i] == '"'. On success, `i` is past the
// closing quote. Fails on a missing closing quote or a malformed escape.
bool parse_double_quoted(std::string_view s, std::size_t& i, std::string& out) {
    ++i;
    while (i < s.size()) {
        char c = s[i++];
        if (c == '"') return true;
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i >= s.size()) return false;
        char e = s[i++];
        int digits = 0;
        switch (e) {
            case '0': out += '\0'; break;
            case 'a': out += '\a'; break;
            case 'b': out += '\b'; break;
            case 't': case '\t': out += '\t'; break;
            case 'n': out += '\n'; break;
            case 'v': out += '\v'; break;
            case 'f': out += '\f'; break;
            case 'r': out += '\r'; break;
            case 'e': out += '\x1B'; break;
            case ' ': out += ' '; break;
            case '"': out += '"'; break;
            case '/': out += '/'; break;
            case '\\': out += '\\'; break;
            case 'N': append_utf8(out, 0x85); break;
            case '_': append_utf8(out, 0xA0); break;
            case 'L': append_utf8(out, 0x2028); break;
            case 'P': append_utf8(out, 0x2029); break;
            case 'x': digits = 2; break;
            case 'u': digits = 4; break;
            case 'U': digits = 8; break;
            default: return false;
        }
        if (digits != 0 && !append_hex_escape(s, i, digits, out)) return false;
    }
    return false;
}

// A YAML single-quoted scalar starting at s[i] == '\''; "''" is a quote.
bool parse_single_quoted(std::string_view s, std::size_t& i, std::string& out) {
    ++i;
    while (i < s.size()) {
        char c = s[i++];
        if (c != '\'') {
            out += c;
            continue;
        }
        if (i < s.size() && s[i] == '\'') {
            out += '\'';
            ++i;
            continue;
        }
        return true;
    }
    return false;
}

// A plain scalar ends at a comment (" #") and its trailing white space.
std::string_view plain_scalar(std::string_view s) {
    for (std::size_t i = 1; i < s.size(); ++i)
        if (s[i] == '#' && (s[i - 1] == ' ' || s[i - 1] == '\t')) return trim(s.substr(0, i));
    return trim(s);
}

bool only_comment(std::string_view rest) {
    rest = trim(rest);
    return rest.empty() || rest.front() == '#';
}

// One scalar value (already trimmed): quoted or plain. Fails on a broken quoted string.
bool parse_scalar(std::string_view s, std::string& out, bool& trailing_garbage) {
    trailing_garbage = false;
    out.clear();
    if (s.empty()) return true;
    std::size_t i = 0;
    if (s.front() == '"' || s.front() == '\'') {
        bool ok = s.front() == '"' ? parse_double_quoted(s, i, out) : parse_single_quoted(s, i, out);
        if (!ok) return false;
        trailing_garbage = !only_comment(s.substr(i));
        return true;
    }
    out = std::string(plain_scalar(s));
    return true;
}

// "[a, 'b', "c"]": a flow sequence of scalars, no nesting.
bool parse_flow_list(std::string_view s, std::vector<std::string>& items) {
    std::size_t i = 1;  // past '['
    for (;;) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        if (i >= s.size()) return false;
        if (s[i] == ']') return only_comment(s.substr(i + 1));  // "[]", or "[a, ]"
        std::string item;
        if (s[i] == '"' || s[i] == '\'') {
            if (!(s[i] == '"' ? parse_double_quoted(s, i, item) : parse_single_quoted(s, i, item)))
                return false;
            while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        } else {
            std::size_t end = s.find_first_of(",]", i);
            if (end == std::string_view::npos) return false;
            item = std::string(trim(s.substr(i, end - i)));
            i = end;
        }
        items.push_back(std::move(item));
        if (i >= s.size()) return false;
        if (s[i] == ']') return only_comment(s.substr(i + 1));
        if (s[i] != ',') return false;
        ++i;
    }
}

// A TOML basic ("...") or literal ('...') string starting at s[i]; `i` ends past its
// closing quote. Basic strings take TOML's escapes (\b \t \n \f \r \" \\ \uXXXX
// \UXXXXXXXX); a literal string takes none.
bool parse_toml_string(std::string_view s, std::size_t& i, std::string& out) {
    out.clear();
    if (s[i] == '\'') {
        std::size_t end = s.find('\'', i + 1);
        if (end == std::string_view::npos || s.substr(i, end - i).find('\n') != std::string_view::npos) return false;
        out = std::string(s.substr(i + 1, end - i - 1));
        i = end + 1;
        return true;
    }
    ++i;
    while (i < s.size()) {
        char c = s[i++];
        if (c == '"') return true;
        if (c == '\n') return false;  // a basic string is one line
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i >= s.size()) return false;
        char e = s[i++];
        int digits = 0;
        switch (e) {
            case 'b': out += '\b'; break;
            case 't': out += '\t'; break;
            case 'n': out += '\n'; break;
            case 'f': out += '\f'; break;
            case 'r': out += '\r'; break;
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case 'u': digits = 4; break;
            case 'U': digits = 8; break;
            default: return false;
        }
        if (digits != 0 && !append_hex_escape(s, i, digits, out)) return false;
    }
    return false;
}

// What follows a TOML value on its line: nothing, or a comment.
bool toml_line_ends(std::string_view rest) {
    rest = trim(rest);
    return rest.empty() || rest.front() == '#';
}

// "[ "a", 'b', ]" (its lines joined): an array of strings. Fails on anything else in it
// (numbers, nested arrays, tables), which the caller reports.
bool parse_toml_string_array(std::string_view s, std::vector<std::string>& items) {
    std::size_t i = 1;  // past '['
    for (;;) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == ',' || s[i] == '#')) {
            if (s[i] == '#') {  // a comment, to the end of its line
                std::size_t nl = s.find('\n', i);
                i = nl == std::string_view::npos ? s.size() : nl;
                continue;
            }
            ++i;
        }
        if (i >= s.size()) return false;
        if (s[i] == ']') return toml_line_ends(s.substr(i + 1));
        if (s[i] != '"' && s[i] != '\'') return false;
        if (s.substr(i, 3) == "\"\"\"" || s.substr(i, 3) == "'''") return false;
        std::string item;
        if (!parse_toml_string(s, i, item)) return false;
        items.push_back(std::move(item));
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        if (i < s.size() && s[i] != ',' && s[i] != ']' && s[i] != '\n' && s[i] != '\r' && s[i] != '#') return false;
    }
}

// Whether the brackets of a TOML array opened on one line are all closed (quotes and
// comments respected), fed a line at a time: a multi-line array is read once they are.
// Quotes and comments end with their line, so the open brackets are all the state kept;
// rescanning the growing array at each line made a 40,000-line array take 20 s.
class TomlArrayScan {
public:
    // Scans `line`; true once the array's opening bracket is closed.
    bool closes_on(std::string_view line) {
        for (std::size_t i = 0; i < line.size(); ++i) {
            char c = line[i];
            if (c == '"' || c == '\'') {
                std::size_t j = i + 1;
                while (j < line.size() && line[j] != c) j += (c == '"' && line[j] == '\\') ? 2 : 1;
                i = j;
            } else if (c == '#') {
                break;
            } else if (c == '[') {
                ++depth_;
            } else if (c == ']' && --depth_ == 0) {
                return true;
            }
        }
        return false;
    }

private:
    int depth_ = 0;
};

bool is_toml_bare_key(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

class FrontMatterParser {
public:
    FrontMatterParser(Meta& meta, Diagnostics& diag) : meta_(meta), diag_(diag) {}

    void parse(std::string_view content) {
        std::size_t pos = 0;
        std::uint32_t line_no = 1;  // the opening fence
        while (pos < content.size()) {
            std::string_view raw = next_line(content, pos);
            ++line_no;
            std::string_view line = trim_right(raw);
            std::string_view body = trim_left(line);
            if (body.empty() || body.front() == '#') continue;
            if (body.front() == '-' && (body.size() == 1 || body[1] == ' ' || body[1] == '\t')) {
                if (list_key_.empty()) {
                    warn(line_no, "list item without a key", raw);
                    continue;
                }
                std::string value;
                bool garbage = false;
                if (!parse_scalar(trim(body.substr(1)), value, garbage)) {
                    warn(line_no, "unterminated or malformed quoted string", raw);
                    continue;
                }
                if (garbage) warn(line_no, "text after a quoted string ignored", raw);
                list_items_.push_back(std::move(value));
                continue;
            }
            flush_list();
            if (body.size() != line.size()) {  // indented, not a list item
                warn(line_no, "nested YAML is not supported", raw);
                continue;
            }
            std::size_t colon = line.find(':');
            while (colon != std::string_view::npos && colon + 1 < line.size() &&
                   line[colon + 1] != ' ' && line[colon + 1] != '\t')
                colon = line.find(':', colon + 1);
            std::string_view key = colon == std::string_view::npos ? std::string_view()
                                                                   : trim(line.substr(0, colon));
            if (key.empty()) {
                warn(line_no, "not a `key: value` line", raw);
                continue;
            }
            std::string_view value_text = trim(line.substr(colon + 1));
            if (value_text.empty() || value_text.front() == '#') {
                list_key_ = std::string(key);  // `key:` then `- item` lines
                list_line_ = line_no;
                continue;
            }
            if (value_text.front() == '|' || value_text.front() == '>') {
                warn(line_no, "block scalars are not supported", raw);
                skip_indented(content, pos, line_no);
                continue;
            }
            if (value_text.front() == '[') {
                std::vector<std::string> items;
                if (!parse_flow_list(value_text, items)) {
                    warn(line_no, "malformed flow list", raw);
                    continue;
                }
                assign_list(key, std::move(items), line_no);
                continue;
            }
            if (value_text.front() == '{') {
                warn(line_no, "mappings are not supported", raw);
                continue;
            }
            std::string value;
            bool garbage = false;
            if (!parse_scalar(value_text, value, garbage)) {
                warn(line_no, "unterminated or malformed quoted string", raw);
                continue;
            }
            if (garbage) warn(line_no, "text after a quoted string ignored", raw);
            assign(key, std::move(value));
        }
        flush_list();
        report_skipped();
    }

    void report_skipped() {
        if (warnings_ > kMaxFrontMatterWarnings) {
            Diagnostic d;
            d.pass = std::string(kPass);
            d.action = "front matter";
            d.reason = std::to_string(warnings_ - kMaxFrontMatterWarnings) +
                       " more front matter lines skipped";
            diag_.warn(std::move(d));
        }
    }

    // TOML front matter ("+++"): `key = value` lines to the same fields as YAML's.
    void parse_toml(std::string_view content) {
        std::size_t pos = 0;
        std::uint32_t line_no = 1;  // the opening fence
        bool in_table = false;      // the keys under a [table] are the table's, not the page's
        while (pos < content.size()) {
            std::string_view raw = next_line(content, pos);
            ++line_no;
            std::string_view line = trim(raw);
            if (line.empty() || line.front() == '#') continue;
            if (line.front() == '[') {  // [table] or [[array of tables]]
                in_table = true;
                warn(line_no, "TOML tables are not supported (the keys under it are skipped too)", raw);
                continue;
            }
            if (in_table) continue;
            std::size_t equals = line.find('=');
            std::string_view key_text = equals == std::string_view::npos ? std::string_view()
                                                                          : trim(line.substr(0, equals));
            std::string key;
            if (!key_text.empty() && (key_text.front() == '"' || key_text.front() == '\'')) {
                std::size_t i = 0;
                if (!parse_toml_string(key_text, i, key) || i != key_text.size()) key.clear();
            } else if (is_toml_bare_key(key_text)) {
                key = std::string(key_text);
            } else if (key_text.find('.') != std::string_view::npos) {
                warn(line_no, "dotted TOML keys are not supported", raw);
                continue;
            }
            if (key.empty()) {
                warn(line_no, "not a TOML `key = value` line", raw);
                continue;
            }
            std::string_view value_text = trim(line.substr(equals + 1));
            if (value_text.empty()) {
                warn(line_no, "a TOML key without a value", raw);
                continue;
            }
            if (value_text.substr(0, 3) == "\"\"\"" || value_text.substr(0, 3) == "'''") {
                warn(line_no, "multi-line TOML strings are not supported", raw);
                skip_toml_multiline_string(content, pos, line_no, value_text);
                continue;
            }
            if (value_text.front() == '[') {
                std::uint32_t first_line = line_no;
                std::string array(value_text);
                TomlArrayScan scan;
                bool closed = scan.closes_on(value_text);
                while (!closed && pos < content.size()) {  // over several lines
                    std::string_view next = next_line(content, pos);
                    array += '\n';
                    array += next;
                    ++line_no;
                    closed = scan.closes_on(next);
                }
                std::vector<std::string> items;
                if (!parse_toml_string_array(array, items)) {
                    warn(first_line, "not a TOML array of strings", raw);
                    continue;
                }
                assign_list(key, std::move(items), first_line);
                continue;
            }
            if (value_text.front() == '{') {
                warn(line_no, "TOML inline tables are not supported", raw);
                continue;
            }
            std::string value;
            if (value_text.front() == '"' || value_text.front() == '\'') {
                std::size_t i = 0;
                if (!parse_toml_string(value_text, i, value)) {
                    warn(line_no, "unterminated or malformed TOML string", raw);
                    continue;
                }
                if (!toml_line_ends(value_text.substr(i))) warn(line_no, "text after a TOML string ignored", raw);
            } else {  // a date, number or boolean, as written, without its comment
                std::size_t hash = value_text.find('#');
                value = std::string(trim(value_text.substr(0, hash)));
            }
            assign(key, std::move(value));
        }
        report_skipped();
    }

private:
    // Past a multi-line string opened on the current line (`value_text`), to the line
    // that closes it.
    static void skip_toml_multiline_string(std::string_view content, std::size_t& pos, std::uint32_t& line_no,
                                           std::string_view value_text) {
        std::string_view quotes = value_text.substr(0, 3);
        if (value_text.find(quotes, 3) != std::string_view::npos) return;  // closed on its line
        while (pos < content.size()) {
            std::string_view line = next_line(content, pos);
            ++line_no;
            if (line.find(quotes) != std::string_view::npos) return;
        }
    }

    void warn(std::uint32_t line, std::string_view message, std::string_view raw) {
        if (++warnings_ > kMaxFrontMatterWarnings) return;
        Diagnostic d;
        d.pass = std::string(kPass);
        d.first_line = d.last_line = line;
        d.action = "front matter";
        d.reason = std::string(message) + "; line skipped";
        d.excerpt = std::string(raw.substr(0, kMaxExcerpt));
        diag_.warn(std::move(d));
    }

    // A block scalar's lines are the indented (or blank) lines after its key.
    static void skip_indented(std::string_view content, std::size_t& pos, std::uint32_t& line_no) {
        while (pos < content.size()) {
            std::size_t at = pos;
            std::string_view line = next_line(content, at);
            if (!trim(line).empty() && line.front() != ' ' && line.front() != '\t') return;
            pos = at;
            ++line_no;
        }
    }

    void flush_list() {
        if (list_key_.empty()) return;
        if (!list_items_.empty()) assign_list(list_key_, std::move(list_items_), list_line_);
        list_key_.clear();
        list_items_.clear();
    }

    // Keys are matched without regard to case, with the aliases --metadata takes
    // (set_meta_field, book.hpp): "Title", "creator", "publisher". Other keys go to
    // Meta::extra in lower case, as --metadata puts them (description, rights, subject
    // and keywords are what the EPUB writer makes Dublin Core of).
    void assign(std::string_view raw_key, std::string value) {
        if (value.empty()) return;
        std::string key = text::lower_ascii(raw_key);
        if (key == "title") meta_.title = std::move(value);
        else if (key == "subtitle") meta_.subtitle = std::move(value);
        else if (is_author_key(key)) meta_.authors = {std::move(value)};
        else if (key == "date") meta_.date = iso_date(std::move(value));
        else if (key == "site" || key == "publisher") meta_.site = std::move(value);
        else if (key == "lang" || key == "language") meta_.language = std::move(value);
        else if (key == "source") meta_.source = std::move(value);
        else {
            meta_.lists.erase(key);
            meta_.extra[key] = std::move(value);
        }
    }

    static bool is_author_key(std::string_view key) {
        return key == "author" || key == "authors" || key == "creator";
    }

    // Meta::date is ISO 8601. A date written otherwise ("March 5, 2021", "2021/03/05")
    // is read as the cleaner reads dates; one it cannot read is kept as written.
    static std::string iso_date(std::string value) {
        bool iso = value.size() >= 10 && value[4] == '-' && value[7] == '-' &&
                   std::all_of(value.begin(), value.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
        if (iso) return value;
        std::string found = find_date(value);
        return found.empty() ? value : found;
    }

    void assign_list(std::string_view key, std::vector<std::string> items, std::uint32_t line) {
        if (is_author_key(text::lower_ascii(key))) {
            meta_.authors.clear();
            for (std::string& a : items)
                if (!a.empty()) meta_.authors.push_back(std::move(a));
            return;
        }
        // A list stays a list (Meta::lists: tags, keywords), except for the fields that
        // are one string in the model (title, date, ...): those take the items joined
        // by ", ", with a note, since the value changed shape.
        std::string lower = text::lower_ascii(key);
        std::vector<std::string> kept;
        for (std::string& item : items)
            if (!item.empty()) kept.push_back(std::move(item));
        if (kept.empty()) return;
        static constexpr std::string_view kScalarFields[] = {"title", "subtitle", "date", "site", "publisher",
                                                             "lang", "language", "source"};
        if (std::find(std::begin(kScalarFields), std::end(kScalarFields), lower) == std::end(kScalarFields)) {
            meta_.extra.erase(lower);
            meta_.lists[lower] = std::move(kept);
            return;
        }
        std::string joined;
        for (const std::string& item : kept) {
            if (!joined.empty()) joined += ", ";
            joined += item;
        }
        assign(key, std::move(joined));
        if (kept.size() > 1) {
            Diagnostic d;
            d.pass = std::string(kPass);
            d.first_line = d.last_line = line;
            d.action = "front matter";
            d.reason = "list value of '" + std::string(key.substr(0, kMaxExcerpt)) + "' kept as one string";
            diag_.note(std::move(d));
        }
    }

    Meta& meta_;
    Diagnostics& diag_;
    std::string list_key_;
    std::uint32_t list_line_ = 0;
    std::vector<std::string> list_items_;
    std::size_t warnings_ = 0;
};

// --------------------------------------------------------------------- the body

using CmarkIterator = std::unique_ptr<cmark_iter, void (*)(cmark_iter*)>;

std::string literal(cmark_node* node) {
    const char* s = cmark_node_get_literal(node);
    return s ? std::string(s) : std::string();
}

// Code block and HTML block literals end with a newline; the model's do not.
std::string without_final_newline(std::string s) {
    if (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

bool is_comment_only(std::string_view html) {
    html = trim(html);
    while (!html.empty() && (html.back() == '\n' || html.back() == '\r' || html.back() == ' '))
        html.remove_suffix(1);
    if (html.substr(0, 4) != "<!--" || html.size() < 7) return false;
    return html.find("-->", 4) == html.size() - 3;
}

// Lines holding nothing but white space and block quote markers: cmark ends a block
// where the next one starts, so a block closed by a blank line "ends" on it.
bool is_blank_line(std::string_view line) {
    return line.find_first_not_of(" \t\r>") == std::string_view::npos;
}

// Moves the source lines of blocks read from a fragment (its line 1: `first`) to the file's.
void shift_sources(Blocks& blocks, std::uint32_t first) {
    for (Block& b : blocks) {
        if (b.source.known()) b.source = {b.source.first + first - 1, b.source.last + first - 1};
        if (auto* q = std::get_if<BlockQuote>(&b.node)) shift_sources(q->children, first);
        else if (auto* l = std::get_if<List>(&b.node))
            for (Blocks& item : l->items) shift_sources(item, first);
        else if (auto* f = std::get_if<Figure>(&b.node)) shift_sources(f->content, first);
        else if (auto* d = std::get_if<DefinitionList>(&b.node)) {
            for (DefinitionItem& item : d->items)
                for (Blocks& definition : item.definitions) shift_sources(definition, first);
        } else if (auto* t = std::get_if<Table>(&b.node)) {
            for (auto* section : {&t->head, &t->body})
                for (TableRow& row : *section)
                    for (TableCell& cell : row.cells) shift_sources(cell.content, first);
        }
    }
}

// An HTML block that is one <table>, as the Markdown writer writes a table GFM cannot
// express (spans, several header rows or none, blocks in cells) and as authors write
// one: that Table, read by the HTML reader's block builder (head, body, spans,
// alignments, a <caption>), not cleaned. A block holding more than the table stays
// a code block.
bool opens_table(std::string_view html) {
    std::string_view start = trim_left(html);
    return start.size() >= 7 && text::lower_ascii(start.substr(0, 6)) == "<table" &&
           std::string_view(" \t\r\n>/").find(start[6]) != std::string_view::npos;
}

// An HTML block that goes on with a table the Markdown writer wrote in pieces: it starts
// with a tag of the table's own (<tr>, </td>, <tbody>, <caption>, <col>...), where an HTML
// block of a cell's Markdown (the <img> of an image with a width, alone on its line)
// starts with another.
bool is_table_piece(std::string_view html) {
    std::string start = text::lower_ascii(trim_left(html).substr(0, 10));
    if (start.starts_with("</")) start.erase(1, 1);
    for (std::string_view tag : {"<t", "<caption", "<col"})
        if (start.starts_with(tag)) return true;
    return false;
}

bool closes_table(std::string_view html) {
    while (!html.empty() && (html.back() == '\n' || html.back() == ' ' || html.back() == '\t' || html.back() == '\r'))
        html.remove_suffix(1);
    return html.size() >= 8 && text::lower_ascii(html.substr(html.size() - 8)) == "</table>";
}

// Whether `html` is only opening and closing tags of elements that wrap blocks (white
// space between them): the <div> and </div> an author puts around Markdown.
bool wrapper_tags_only(std::string_view html) {
    static constexpr std::string_view kWrappers[] = {"div",    "section", "article", "aside",   "main",
                                                     "header", "footer",  "center",  "details", "summary",
                                                     "figure", "span",    "p",       "nav",     "blockquote"};
    bool any = false;
    for (std::size_t i = 0; i < html.size();) {
        if (html[i] == ' ' || html[i] == '\t' || html[i] == '\n' || html[i] == '\r') {
            ++i;
            continue;
        }
        if (html[i] != '<') return false;
        std::size_t close = html.find('>', i);
        if (close == std::string_view::npos) return false;
        std::optional<html_text::Tag> tag = html_text::parse_tag(html.substr(i, close + 1 - i));
        if (!tag || std::find(std::begin(kWrappers), std::end(kWrappers), tag->name) == std::end(kWrappers))
            return false;
        any = true;
        i = close + 1;
    }
    return any;
}

// Whether `html` holds an element whose content is no text (a <script>, an <iframe>, a
// <video>): a block of those the HTML reader reads nothing from stays code, where one
// of other tags alone (a <br>, an anchor, a hidden <div>) shows nothing and goes.
bool holds_content_without_text(std::string_view html) {
    static constexpr std::string_view kNotText[] = {"script", "style",  "template", "iframe",   "object", "embed",
                                                    "video",  "audio",  "svg",      "math",     "canvas", "noscript",
                                                    "img",    "picture", "select",  "textarea", "input",  "button",
                                                    "form",   "frameset", "frame",  "applet"};
    for (std::size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
        std::size_t close = html.find('>', i);
        if (close == std::string_view::npos) return false;
        std::optional<html_text::Tag> tag = html_text::parse_tag(html.substr(i, close + 1 - i));
        if (tag && std::find(std::begin(kNotText), std::end(kNotText), tag->name) != std::end(kNotText)) return true;
    }
    return false;
}

std::optional<Block> table_of_html_block(const std::string& html, SourceRange where) {
    // the whole table: an HTML block ends at a blank line, so one between its rows leaves
    // the rest for another block (a code block then, as before), not half a table
    if (!opens_table(html) || !closes_table(html)) return std::nullopt;
    Blocks blocks = read_html_fragment(html);
    if (blocks.size() != 1 || !std::holds_alternative<Table>(blocks.front().node)) return std::nullopt;
    if (where.known()) shift_sources(blocks, where.first);
    blocks.front().source = where;
    return std::move(blocks.front());
}

bool type_is(cmark_node* node, const char* name) {
    const char* type = cmark_node_get_type_string(node);
    return type && std::strcmp(type, name) == 0;
}

class TreeConverter : public NoteSource {
public:
    // `body`: the text cmark parsed; its line 1 is the file's line `line_offset` + 1.
    // `root`: the document, whose footnote definitions cmark-gfm put at its end, in the
    // order of their first reference (a reference's literal is that number).
    TreeConverter(std::string_view body, std::uint32_t line_offset, cmark_node* root, Diagnostics& diag)
        : line_offset_(line_offset), diag_(diag) {
        for (std::size_t pos = 0; pos < body.size();) lines_.push_back(next_line(body, pos));
        for (cmark_node* n = cmark_node_first_child(root); n; n = cmark_node_next(n))
            if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION) definitions_.push_back(n);
        // Which reference holds each note's content, and how often each is referenced:
        // the text's references first, then those in the notes they reach, note by note
        // (a breadth-first walk, each definition once: linear, and a note citing itself or
        // one that cites it back ends the walk). The note is written at its first
        // reference in that order, the order in which writers number notes (the text's,
        // then those its notes cite); a note referenced again gets a label that its later
        // references repeat. A reference deeper than kMaxNoteNesting notes stays as text.
        holders_.assign(definitions_.size(), nullptr);
        levels_.assign(definitions_.size(), 0);
        references_.assign(definitions_.size(), 0);
        std::vector<std::size_t> reached;
        auto walk = [&](cmark_node* from, bool skip_definitions, int level) {
            CmarkIterator iter(cmark_iter_new(from), cmark_iter_free);
            cmark_event_type ev;
            while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
                cmark_node* node = cmark_iter_get_node(iter.get());
                if (ev != CMARK_EVENT_ENTER) continue;
                if (skip_definitions && cmark_node_get_type(node) == CMARK_NODE_FOOTNOTE_DEFINITION) {
                    cmark_iter_reset(iter.get(), node, CMARK_EVENT_EXIT);
                } else if (cmark_node_get_type(node) == CMARK_NODE_FOOTNOTE_REFERENCE) {
                    std::optional<std::size_t> index = definition_index(node);
                    if (!index) continue;
                    live_references_.insert(node);
                    ++references_[*index];
                    if (holders_[*index]) continue;
                    holders_[*index] = node;
                    levels_[*index] = level;
                    reached.push_back(*index);
                }
            }
        };
        walk(root, true, 1);
        std::vector<std::size_t> deepest;  // reached at kMaxNoteNesting: their citations stay text
        for (std::size_t next = 0; next < reached.size(); ++next) {
            const std::size_t index = reached[next];
            if (levels_[index] < kMaxNoteNesting) walk(definitions_[index], false, levels_[index] + 1);
            else deepest.push_back(index);
        }
        warn_too_deep(deepest);
        warn_unreferenced(root);
    }

    // The label of a footnote definition's line ("[^note]: ..." after at most three
    // spaces: "note"), empty when the line is none.
    static std::string_view definition_label(std::string_view line) {
        std::size_t at = 0;
        while (at < 3 && at < line.size() && line[at] == ' ') ++at;
        if (line.substr(at, 2) != "[^") return {};
        std::size_t end = line.find("]:", at + 2);
        if (end == std::string_view::npos || end == at + 2) return {};
        std::string_view label = line.substr(at + 2, end - at - 2);
        if (label.find_first_of(" \t[]") != std::string_view::npos) return {};
        return label;
    }

    // cmark-gfm drops a footnote definition that no reference reaches, and a second one
    // of the same label, without a word: each such definition's line (outside code and
    // HTML blocks) gets a warning. Those it kept are in definitions_.
    void warn_unreferenced(cmark_node* root) {
        std::vector<bool> kept(lines_.size() + 1, false), verbatim(lines_.size() + 1, false);
        std::unordered_set<std::string_view> kept_labels;
        for (cmark_node* definition : definitions_) {
            int line = cmark_node_get_start_line(definition);
            if (line <= 0 || static_cast<std::size_t>(line) > lines_.size()) continue;
            kept[static_cast<std::size_t>(line)] = true;
            kept_labels.insert(definition_label(lines_[static_cast<std::size_t>(line) - 1]));
        }
        bool any = false;  // a definition's line that is not kept: rare, and only then is the tree walked
        for (std::size_t line = 1; line <= lines_.size() && !any; ++line)
            any = !kept[line] && !definition_label(lines_[line - 1]).empty();
        if (!any) return;
        CmarkIterator iter(cmark_iter_new(root), cmark_iter_free);
        cmark_event_type ev;
        while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
            cmark_node* node = cmark_iter_get_node(iter.get());
            cmark_node_type type = cmark_node_get_type(node);
            if (ev != CMARK_EVENT_ENTER || (type != CMARK_NODE_CODE_BLOCK && type != CMARK_NODE_HTML_BLOCK)) continue;
            int first = std::max(cmark_node_get_start_line(node), 1);
            int last = std::min(cmark_node_get_end_line(node), static_cast<int>(lines_.size()));
            for (int line = first; line <= last; ++line) verbatim[static_cast<std::size_t>(line)] = true;
        }
        for (std::size_t line = 1; line <= lines_.size(); ++line) {
            std::string_view label = definition_label(lines_[line - 1]);
            if (label.empty() || kept[line] || verbatim[line]) continue;
            std::string why = kept_labels.count(label) ? " is defined again: the first definition is used, this one dropped"
                                                       : " is never referenced: dropped";
            diag_.warn(std::string(kPass), "footnote [^" + std::string(label) + "]" + why,
                       static_cast<std::uint32_t>(line) + line_offset_);
        }
    }

    // One warning for the citations that notes kMaxNoteNesting deep make, kept as text,
    // and the notes lost with them: those they cite that the walk did not reach, and the
    // notes only those cite (as the other truncations say what they cut). Each
    // definition is read once.
    void warn_too_deep(const std::vector<std::size_t>& deepest) {
        std::size_t citations = 0;
        std::vector<bool> lost(definitions_.size(), false);
        std::vector<std::size_t> dropped;
        std::uint32_t first_line = 0;
        auto cited_by = [&](std::size_t index, bool at_the_cut) {
            CmarkIterator iter(cmark_iter_new(definitions_[index]), cmark_iter_free);
            cmark_event_type ev;
            while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
                cmark_node* node = cmark_iter_get_node(iter.get());
                if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_FOOTNOTE_REFERENCE) continue;
                std::optional<std::size_t> cited = definition_index(node);
                if (!cited) continue;
                if (at_the_cut) {
                    ++citations;
                    if (!first_line) first_line = range(node).first;
                }
                if (!holders_[*cited] && !lost[*cited]) {
                    lost[*cited] = true;
                    dropped.push_back(*cited);
                }
            }
        };
        for (std::size_t index : deepest) cited_by(index, true);
        for (std::size_t next = 0; next < dropped.size(); ++next) cited_by(dropped[next], false);
        if (!citations) return;
        diag_.warn(std::string(kPass),
                   "notes cited from notes nested " + std::to_string(kMaxNoteNesting) + " deep (the most kept): " +
                       std::to_string(citations) + (citations == 1 ? " citation" : " citations") +
                       " kept as text, " + std::to_string(dropped.size()) + (dropped.size() == 1 ? " note" : " notes") +
                       " dropped",
                   first_line);
    }

    // Converts the children of `parent`, whose own blocks sit `depth` containers deep.
    void blocks(cmark_node* parent, int depth, Blocks& out, cmark_node* skip = nullptr) {
        for (cmark_node* n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
            if (n == skip || cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION) continue;
            if (cmark_node* last = split_table(n, depth, out)) {
                n = last;
                continue;
            }
            block(n, depth, out);
        }
    }

    // A table the Markdown writer wrote in pieces (html_table: a cell that cites a note
    // is Markdown between blank lines, so its reference is one): an HTML block that opens
    // a <table> and does not close it, then Markdown blocks and HTML blocks up to the one
    // that closes it. Read as the one table, each run of Markdown blocks converted as the
    // cell it stands in; returns the last block taken, or nullptr when the blocks are not
    // such a table (no closing block, a table inside, a run that is not a whole cell), and
    // they are read one by one as before.
    cmark_node* split_table(cmark_node* first, int depth, Blocks& out) {
        if (cmark_node_get_type(first) != CMARK_NODE_HTML_BLOCK) return nullptr;
        std::string html = literal(first);
        if (!opens_table(html) || closes_table(html)) return nullptr;
        // A run of Markdown blocks stands in the HTML as a token no text holds (private
        // use characters around a number), found again in the cells the HTML reader builds.
        static constexpr std::string_view kTokenOpen = "\uE000dconv-cell-", kTokenClose = "\uE000";
        auto token = [](std::size_t k) { return std::string(kTokenOpen) + std::to_string(k) + std::string(kTokenClose); };
        // The run a cell's text stands for, read from the token itself (one pass over the
        // cells, not every cell against every run: a table of thousands of rows citing
        // notes is what the Markdown writer emits); nullopt: not a token.
        auto run_of = [&token](std::string_view text) -> std::optional<std::size_t> {
            if (!text.starts_with(kTokenOpen) || !text.ends_with(kTokenClose)) return std::nullopt;
            std::string_view digits = text.substr(kTokenOpen.size(), text.size() - kTokenOpen.size() - kTokenClose.size());
            std::size_t k = 0;
            auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), k);
            if (error != std::errc() || end != digits.data() + digits.size() || token(k) != text) return std::nullopt;
            return k;
        };
        std::vector<std::vector<cmark_node*>> runs;
        cmark_node* last = nullptr;
        bool in_run = false;
        for (cmark_node* n = cmark_node_next(first); n && !last; n = cmark_node_next(n)) {
            check_deadline();
            if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION) return nullptr;
            if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK || !is_table_piece(literal(n))) {
                if (!in_run) {
                    html += token(runs.size());
                    runs.emplace_back();
                }
                in_run = true;
                runs.back().push_back(n);
                continue;
            }
            std::string piece = literal(n);
            if (text::lower_ascii(piece).find("<table") != std::string::npos) return nullptr;
            html += piece;
            in_run = false;
            if (closes_table(piece)) last = n;
        }
        if (!last || runs.empty()) return nullptr;
        Blocks parsed = read_html_fragment(html);
        if (parsed.size() != 1) return nullptr;
        auto* table = std::get_if<Table>(&parsed.front().node);
        if (!table) return nullptr;
        std::vector<TableCell*> cells(runs.size(), nullptr);
        for (auto* section : {&table->head, &table->body})
            for (TableRow& row : *section) {
                check_deadline();
                for (TableCell& cell : row.cells) {
                    if (cell.content.size() != 1) continue;
                    const auto* p = std::get_if<Paragraph>(&cell.content.front().node);
                    const auto* t = p && p->content.size() == 1 ? std::get_if<Text>(&p->content.front()) : nullptr;
                    if (!t) continue;
                    if (std::optional<std::size_t> k = run_of(t->text); k && *k < runs.size() && !cells[*k])
                        cells[*k] = &cell;
                }
            }
        if (std::find(cells.begin(), cells.end(), nullptr) != cells.end()) return nullptr;
        const SourceRange where{range(first).first, range(last).last};
        if (where.known()) shift_sources(parsed, where.first);
        for (std::size_t k = 0; k < runs.size(); ++k) {
            Blocks content;
            for (cmark_node* n : runs[k]) block(n, std::min(depth + 1, kMaxNesting), content);
            cells[k]->content = std::move(content);
        }
        depth_ = depth;
        parsed.front().source = where;
        out.push_back(std::move(parsed.front()));
        return last;
    }

    // A footnote reference: the note, its definition's blocks converted here when this
    // is the reference that holds it (see the constructor), else one more reference to
    // it, labelled with its number. A reference the walk did not reach stays as text.
    std::optional<Inline> note(cmark_node* reference) override {
        std::optional<std::size_t> index = definition_index(reference);
        if (!index || !live_references_.count(reference)) return std::nullopt;
        Note note;
        if (references_[*index] > 1) note.label = std::to_string(*index + 1);
        if (holders_[*index] != reference) return Inline{std::move(note)};
        const int saved = depth_;
        blocks(definitions_[*index], std::min(depth_ + 1, kMaxNesting), note.content);
        depth_ = saved;
        return Inline{std::move(note)};
    }

    // The definition a reference points at: its literal is the definition's number.
    std::optional<std::size_t> definition_index(cmark_node* reference) const {
        const char* label = cmark_node_get_literal(reference);
        char* end = nullptr;
        long number = label ? std::strtol(label, &end, 10) : 0;
        if (!label || *end != '\0' || number < 1 || static_cast<std::size_t>(number) > definitions_.size())
            return std::nullopt;
        return static_cast<std::size_t>(number) - 1;
    }

private:
    SourceRange range(cmark_node* node) const {
        int first = cmark_node_get_start_line(node);
        int last = cmark_node_get_end_line(node);
        if (first <= 0) return {};
        if (last < first) last = first;
        while (last > first && static_cast<std::size_t>(last) <= lines_.size() &&
               is_blank_line(lines_[static_cast<std::size_t>(last) - 1]))
            --last;
        return {static_cast<std::uint32_t>(first) + line_offset_,
                static_cast<std::uint32_t>(last) + line_offset_};
    }

    void block(cmark_node* node, int depth, Blocks& out) {
        check_deadline();
        depth_ = depth;
        switch (cmark_node_get_type(node)) {
            case CMARK_NODE_BLOCK_QUOTE:
            case CMARK_NODE_LIST:
                if (depth >= kMaxNesting) {
                    flatten(node, out);
                    return;
                }
                container(node, depth, out);
                return;
            default:
                leaf(node, out);
                return;
        }
    }

    void container(cmark_node* node, int depth, Blocks& out) {
        if (cmark_node_get_type(node) == CMARK_NODE_BLOCK_QUOTE) {
            BlockQuote quote;
            blocks(node, depth + 1, quote.children);
            out.push_back(Block{std::move(quote), range(node)});
            return;
        }
        List list;
        list.ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
        list.start = list.ordered ? cmark_node_get_list_start(node) : 1;
        list.tight = cmark_node_get_list_tight(node) != 0;
        bool any_task = false;
        for (cmark_node* item = cmark_node_first_child(node); item; item = cmark_node_next(item)) {
            list.items.emplace_back();
            blocks(item, depth + 1, list.items.back());
            bool task = type_is(item, "tasklist");
            any_task = any_task || task;
            list.tasks.push_back(!task                                                ? TaskState::None
                                 : cmark_gfm_extensions_get_tasklist_item_checked(item) ? TaskState::Done
                                                                                      : TaskState::Open);
        }
        if (!any_task) list.tasks.clear();
        out.push_back(Block{std::move(list), range(node)});
    }

    // Converts a leaf block; false if `node` is a container.
    bool leaf(cmark_node* node, Blocks& out) {
        switch (cmark_node_get_type(node)) {
            case CMARK_NODE_PARAGRAPH: {
                Inlines content = inlines_from_cmark(node, this, RawHtml::markup);
                if (caption(node, content, out)) return true;
                if (definition_entry(node, content, out)) return true;
                // a paragraph of only empty text, say: nothing left to show
                if (!content.empty()) out.push_back(Block{Paragraph{std::move(content)}, range(node)});
                return true;
            }
            case CMARK_NODE_HEADING:
                out.push_back(Block{
                    Heading{cmark_node_get_heading_level(node), inlines_from_cmark(node, this, RawHtml::markup)},
                    range(node)});
                return true;
            case CMARK_NODE_CODE_BLOCK: {
                const char* info = cmark_node_get_fence_info(node);
                out.push_back(Block{CodeBlock{info ? info : "", without_final_newline(literal(node))},
                                    range(node)});
                return true;
            }
            case CMARK_NODE_HTML_BLOCK: {
                std::string html = literal(node);
                auto removed = [&](const char* reason) {  // a note for a block that goes
                    SourceRange r = range(node);
                    Diagnostic d;
                    d.pass = std::string(kPass);
                    d.first_line = r.first;
                    d.last_line = r.last;
                    d.action = "removed";
                    d.reason = reason;
                    d.excerpt = html.substr(0, kMaxExcerpt);
                    diag_.note(std::move(d));
                    return true;
                };
                if (is_comment_only(html)) return removed("HTML comment");
                if (std::optional<Block> table = table_of_html_block(html, range(node))) {
                    out.push_back(std::move(*table));
                    return true;
                }
                if (std::optional<BlockNode> images = images_of_html_block(html)) {
                    if (auto* figure = std::get_if<Figure>(&*images))
                        for (Block& b : figure->content) b.source = range(node);
                    out.push_back(Block{std::move(*images), range(node)});
                    return true;
                }
                // Other markup is read as the HTML reader reads a page (<div>, <p>, lists,
                // headings, ...). A block of wrappers' tags alone (the <div> and </div>
                // around Markdown, which a blank line parts from them) holds no text: it
                // goes, as does one that shows none (a lone <br>, a hidden <div>), with a
                // note. What holds content that is no text (a <script>, an <iframe>, a
                // <video>, a <textarea>) stays as it was written, in an "html" code block.
                // (A part of a table a blank line cut stays code: not half a table.)
                const bool table_part = opens_table(html) || is_table_piece(html);
                Blocks read = table_part ? Blocks{} : read_html_fragment(html);
                if (!read.empty()) {
                    SourceRange where = range(node);
                    if (where.known()) shift_sources(read, where.first);
                    for (Block& b : read) out.push_back(std::move(b));
                    return true;
                }
                if (!table_part && (wrapper_tags_only(html) || !holds_content_without_text(html)))
                    return removed(wrapper_tags_only(html) ? "HTML tags without text around Markdown"
                                                           : "HTML that shows no text (hidden, or tags alone)");
                out.push_back(Block{CodeBlock{"html", without_final_newline(std::move(html))}, range(node)});
                return true;
            }
            case CMARK_NODE_THEMATIC_BREAK:
                out.push_back(Block{ThematicBreak{}, range(node)});
                return true;
            case CMARK_NODE_BLOCK_QUOTE:
            case CMARK_NODE_LIST:
            case CMARK_NODE_ITEM:
                return false;
            default:  // extensions' blocks: tables; footnote definitions are notes
                if (type_is(node, "table")) out.push_back(Block{table(node), range(node)});
                return true;
        }
    }

    // Captions, as the Markdown writer writes them (after pandoc): a paragraph whose
    // source starts "Table: " right after a table is its caption; one that starts
    // "Figure:" after a table or after paragraphs of only images makes them a Figure with
    // that caption. Written "Table\: ", such a paragraph is text.
    bool caption(cmark_node* node, Inlines& content, Blocks& out) {
        int line = cmark_node_get_start_line(node);
        int column = cmark_node_get_start_column(node);
        if (out.empty() || line <= 0 || column <= 0 || static_cast<std::size_t>(line) > lines_.size()) return false;
        std::string_view source = lines_[static_cast<std::size_t>(line) - 1];
        if (static_cast<std::size_t>(column) > source.size()) return false;
        source.remove_prefix(static_cast<std::size_t>(column) - 1);
        bool table_caption = source.starts_with("Table: ");
        bool figure_caption = source.starts_with("Figure:");
        if (!table_caption && !figure_caption) return false;
        auto* text = content.empty() ? nullptr : std::get_if<Text>(&content.front());
        std::string_view word = table_caption ? "Table:" : "Figure:";
        if (!text || !std::string_view(text->text).starts_with(word)) return false;
        auto strip = [&] {
            std::string& t = std::get<Text>(content.front()).text;
            t.erase(0, word.size());
            if (!t.empty() && t.front() == ' ') t.erase(0, 1);
            normalize(content);
        };
        if (table_caption) {
            auto* table = std::get_if<Table>(&out.back().node);
            if (!table || !table->caption.empty()) return false;
            strip();
            table->caption = std::move(content);
            return true;
        }
        // The one block before: the writer writes a figure's content, one paragraph of
        // images or a table, right before its caption.
        std::size_t first = out.size() - 1;
        if (!std::holds_alternative<Table>(out.back().node) && !images_only(out.back())) return false;
        strip();
        Figure figure;
        SourceRange where{out[first].source.first, range(node).last};
        for (std::size_t i = first; i < out.size(); ++i) figure.content.push_back(std::move(out[i]));
        out.resize(first);
        figure.caption = std::move(content);
        out.push_back(Block{std::move(figure), where});
        return true;
    }

    // Definition lists, as the Markdown writer writes them (pandoc's form for GFM, the
    // terms in strong): a paragraph whose first line is `**term**\` is an entry when
    // it goes on with a line of text: its leading strong terms, each followed by a line
    // break, and the rest of the paragraph its one definition. Entries in a row make one
    // list. Markdown cannot say where a definition ends, so the blocks of a definition
    // after its first paragraph, and further definitions, are read as blocks after the
    // list; a term without a definition is a paragraph in strong.
    bool definition_entry(cmark_node* node, Inlines& content, Blocks& out) {
        int line = cmark_node_get_start_line(node);
        int column = cmark_node_get_start_column(node);
        if (line <= 0 || column <= 0 || static_cast<std::size_t>(line) > lines_.size()) return false;
        std::string_view source = lines_[static_cast<std::size_t>(line) - 1];
        if (static_cast<std::size_t>(column) > source.size()) return false;
        source = trim_right(source.substr(static_cast<std::size_t>(column) - 1));
        if (!source.starts_with("**") || !source.ends_with("**\\")) return false;
        std::size_t i = 0;  // past the leading terms, each a strong and a line break
        while (i + 1 < content.size() && std::holds_alternative<Strong>(content[i]) &&
               std::holds_alternative<LineBreak>(content[i + 1]))
            i += 2;
        if (i == 0 || i == content.size()) return false;  // before anything is moved out
        DefinitionItem item;
        for (std::size_t t = 0; t < i; t += 2) item.terms.push_back(std::move(std::get<Strong>(content[t]).children));
        Inlines definition(std::make_move_iterator(content.begin() + static_cast<std::ptrdiff_t>(i)),
                           std::make_move_iterator(content.end()));
        SourceRange where = range(node);
        item.definitions.push_back({Block{Paragraph{std::move(definition)}, where}});
        if (auto* list = out.empty() ? nullptr : std::get_if<DefinitionList>(&out.back().node)) {
            list->items.push_back(std::move(item));
            out.back().source.last = where.last;
            return true;
        }
        out.push_back(Block{DefinitionList{{std::move(item)}}, where});
        return true;
    }

    // A paragraph of images (linked or not) and spaces, at least one image.
    static bool images_only(const Block& b) {
        const auto* p = std::get_if<Paragraph>(&b.node);
        return p && images_only(p->content) == 1;
    }

    // 1: images and spaces only, with an image; 0: nothing but spaces; -1: other content.
    static int images_only(const Inlines& inlines) {
        int found = 0;
        for (const Inline& in : inlines) {
            if (std::holds_alternative<Image>(in)) {
                found = 1;
            } else if (const auto* link = std::get_if<Link>(&in)) {
                int inner = images_only(link->children);
                if (inner != 1) return -1;
                found = 1;
            } else if (const auto* t = std::get_if<Text>(&in); !t || t->text.find_first_not_of(' ') != std::string::npos) {
                return -1;
            }
        }
        return found;
    }

    // A GFM table: its first row is the header, alignments from the delimiter row, a
    // cell's inlines one paragraph (an empty cell, no block).
    Table table(cmark_node* node) {
        Table t;
        std::uint16_t columns = cmark_gfm_extensions_get_table_columns(node);
        const std::uint8_t* align = cmark_gfm_extensions_get_table_alignments(node);
        for (std::uint16_t c = 0; c < columns; ++c) {
            char a = align ? static_cast<char>(align[c]) : 0;
            t.columns.push_back(a == 'l' ? Alignment::Left : a == 'c' ? Alignment::Center
                                : a == 'r' ? Alignment::Right : Alignment::Default);
        }
        for (cmark_node* row = cmark_node_first_child(node); row; row = cmark_node_next(row)) {
            check_deadline();
            TableRow r;
            for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
                TableCell c;
                Inlines content = inlines_from_cmark(cell, this, RawHtml::markup);
                if (!content.empty()) c.content.push_back(Block{Paragraph{std::move(content)}, range(row)});
                r.cells.push_back(std::move(c));
            }
            (type_is(row, "table_header") ? t.head : t.body).push_back(std::move(r));
        }
        if (std::size_t dropped = normalize_table(t))
            diag_.warn(std::string(kPass), "a table wider than " + std::to_string(kMaxTableColumns) +
                                               " columns: " + std::to_string(dropped) + " cells dropped",
                       range(node).first);
        return t;
    }

    // Containers nested deeper than the model allows: keep their leaf blocks, in order,
    // at the current level. Iterative, as the nesting may be hostile (100k "> ").
    void flatten(cmark_node* root, Blocks& out) {
        CmarkIterator iter(cmark_iter_new(root), cmark_iter_free);
        cmark_event_type ev;
        bool reported = false;
        while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
            if (ev != CMARK_EVENT_ENTER) continue;
            cmark_node* node = cmark_iter_get_node(iter.get());
            if (leaf(node, out)) {
                cmark_iter_reset(iter.get(), node, CMARK_EVENT_EXIT);  // skip its inlines
            } else if (!reported) {
                reported = true;
                SourceRange r = range(root);
                Diagnostic d;
                d.pass = std::string(kPass);
                d.first_line = r.first;
                d.last_line = r.last;
                d.action = "flattened";
                d.reason = "nested deeper than " + std::to_string(kMaxNesting) + " levels";
                diag_.warn(std::move(d));
            }
        }
    }

    std::uint32_t line_offset_;
    Diagnostics& diag_;
    std::vector<std::string_view> lines_;  // of the body, for range()
    std::vector<cmark_node*> definitions_;  // footnotes, in cmark-gfm's numbering
    std::vector<cmark_node*> holders_;      // per definition: the reference that holds it
    std::vector<int> levels_;               // per definition: how many notes deep it sits
    std::vector<std::size_t> references_;   // per definition: references reached
    std::unordered_set<cmark_node*> live_references_;  // the references reached
    int depth_ = 0;  // of the block being converted
};

// After parse_gfm escaped "<?" as "\\<?": the literals that keep backslashes (code, code
// blocks, raw HTML kept as text or as an "html" code block) get "<?" back.
void restore_instructions(std::string& s) {
    for (std::size_t at = s.find("\\<?"); at != std::string::npos; at = s.find("\\<?", at + 1)) s.erase(at, 1);
}

void restore_instructions(Blocks& blocks);

void restore_instructions(Inlines& inlines) {
    for (Inline& in : inlines) {
        if (auto* t = std::get_if<Text>(&in)) restore_instructions(t->text);
        else if (auto* c = std::get_if<Code>(&in)) restore_instructions(c->text);
        else if (auto* n = std::get_if<Note>(&in)) restore_instructions(n->content);
        else if (Inlines* children = inline_children(in)) restore_instructions(*children);
    }
}

void restore_instructions(Blocks& blocks) {
    for (Block& b : blocks) {
        if (Inlines* content = inline_content(b)) restore_instructions(*content);
        else if (auto* c = std::get_if<CodeBlock>(&b.node)) restore_instructions(c->text);
        else if (auto* q = std::get_if<BlockQuote>(&b.node)) restore_instructions(q->children);
        else if (auto* l = std::get_if<List>(&b.node))
            for (Blocks& item : l->items) restore_instructions(item);
        else if (auto* f = std::get_if<Figure>(&b.node)) {
            restore_instructions(f->content);
            restore_instructions(f->caption);
        } else if (auto* t = std::get_if<Table>(&b.node)) {
            restore_instructions(t->caption);
            for (auto* section : {&t->head, &t->body})
                for (TableRow& row : *section)
                    for (TableCell& cell : row.cells) restore_instructions(cell.content);
        }
    }
}

}  // namespace

Document read_markdown(std::string_view text, const ReadOptions& /*options: cleaned by read_document*/, Diagnostics& diag) {
    Document doc;
    FrontMatterBlock front = find_front_matter(text);
    std::string_view body = text;
    if (front.found && (front.lines > kMaxFrontMatterLines || front.content.size() > kMaxFrontMatterBytes)) {
        diag.warn(std::string(kPass), "front matter of " + std::to_string(front.lines) + " lines, " +
                                          std::to_string(front.content.size()) +
                                          " bytes skipped (dconv reads front matter of at most " +
                                          std::to_string(kMaxFrontMatterLines) + " lines and " +
                                          std::to_string(kMaxFrontMatterBytes >> 10) + " KiB)");
        body = text.substr(front.body);
    } else if (front.found) {
        if (front.toml)
            FrontMatterParser(doc.meta, diag).parse_toml(front.content);
        else
            FrontMatterParser(doc.meta, diag).parse(front.content);
        body = text.substr(front.body);
    }
    GfmHazards hazards;
    CmarkTree root = parse_gfm(body, &hazards);
    if (hazards.tables_off)
        diag.warn(std::string(kPass), "a line with more than " + std::to_string(kMaxTableColumns + 1) +
                                          " '|': tables not read in this document (a table has at most " +
                                          std::to_string(kMaxTableColumns) + " columns)");
    if (hazards.autolinks_off)
        diag.warn(std::string(kPass), "thousands of URLs: bare URLs not made links in this document");

    // The title heading the writer puts right after the front matter.
    cmark_node* title = cmark_node_first_child(root.get());
    if (doc.meta.title.empty() || !title || cmark_node_get_type(title) != CMARK_NODE_HEADING ||
        cmark_node_get_heading_level(title) != 1 || plain_text(inlines_from_cmark(title)) != doc.meta.title)
        title = nullptr;

    TreeConverter(body, front.lines, root.get(), diag).blocks(root.get(), 0, doc.blocks, title);
    root.reset();
    if (hazards.instructions_escaped) restore_instructions(doc.blocks);
    // Authored Markdown is content as its author chose it: cleaned only when asked
    // (--clean), and then by read_document (convert.cpp), by the same passes as a page.
    // What the front matter set, the metadata pass leaves alone: it fills empty fields.
    return doc;
}

}  // namespace dconv
