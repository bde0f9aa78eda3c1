// markdown_reader.cpp: CommonMark (via cmark) with an optional YAML front matter block.
//
// Front matter is recognised only when the file starts with a "---" line followed by a
// non-blank line, and a later "---" or "..." line closes it (so a document opening with a
// thematic break and a blank line is not mistaken for one). The YAML understood is the
// small subset front matter uses: `key: value` with plain, "double" or 'single' quoted
// scalars, `key:` followed by `- item` lines, and `[a, b]` flow lists. A line outside that
// subset is reported and skipped; the block never becomes body text.
//
// Raw HTML: the model has no raw node, and dconv's writers must not pass markup through
// (an EPUB must stay valid XHTML; a PDF cannot render it). So an HTML block becomes a
// CodeBlock with info "html" holding its text verbatim: nothing is lost, nothing is
// rendered as markup, and written back as Markdown it is a fenced "html" block. A block
// that is only an HTML comment is dropped with a note, as a renderer would hide it.
// Inline HTML ("<kbd>", "<br>") stays in its paragraph as literal text (cmark_inlines).
//
// Images: an Image inline, its alt text the description's text (markup dropped, as
// cmark's HTML renderer does); the bytes are loaded later, by resolve_resources().
// Link reference definitions are resolved by cmark and leave no block.
#include "markdown/markdown_reader.hpp"

#include <cmark.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "dconv/clean.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"
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
    std::string_view content;  // the lines between the fences
    std::size_t body = 0;      // offset of the first byte after the closing fence line
    std::uint32_t lines = 0;   // lines taken by the block, fences included
};

FrontMatterBlock find_front_matter(std::string_view text) {
    FrontMatterBlock block;
    std::size_t pos = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // a byte order mark
    if (trim_right(next_line(text, pos)) != "---" || pos >= text.size()) return block;
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

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
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
        if (digits == 0) continue;
        std::uint32_t cp = 0;
        for (int k = 0; k < digits; ++k) {
            if (i >= s.size()) return false;
            int v = hex_value(s[i++]);
            if (v < 0) return false;
            cp = cp * 16 + static_cast<std::uint32_t>(v);
        }
        append_utf8(out, cp);
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
        if (warnings_ > kMaxFrontMatterWarnings) {
            Diagnostic d;
            d.pass = std::string(kPass);
            d.action = "front matter";
            d.reason = std::to_string(warnings_ - kMaxFrontMatterWarnings) +
                       " more front matter lines skipped";
            diag_.warn(std::move(d));
        }
    }

private:
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
        else meta_.extra[key] = std::move(value);
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
        // Meta::extra holds strings: a list (tags, keywords) is kept as its items joined
        // by ", " rather than lost. A list is valid front matter, so this is a note, not
        // a warning: the value only changed shape.
        std::string joined;
        for (std::string& item : items) {
            if (item.empty()) continue;
            if (!joined.empty()) joined += ", ";
            joined += item;
        }
        assign(key, std::move(joined));
        if (items.size() > 1) {
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

using CmarkTree = std::unique_ptr<cmark_node, void (*)(cmark_node*)>;
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

class TreeConverter {
public:
    // `body`: the text cmark parsed; its line 1 is the file's line `line_offset` + 1.
    TreeConverter(std::string_view body, std::uint32_t line_offset, Diagnostics& diag)
        : line_offset_(line_offset), diag_(diag) {
        for (std::size_t pos = 0; pos < body.size();) lines_.push_back(next_line(body, pos));
    }

    // Converts the children of `parent`, whose own blocks sit `depth` containers deep.
    void blocks(cmark_node* parent, int depth, Blocks& out, cmark_node* skip = nullptr) {
        for (cmark_node* n = cmark_node_first_child(parent); n; n = cmark_node_next(n))
            if (n != skip) block(n, depth, out);
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
        for (cmark_node* item = cmark_node_first_child(node); item; item = cmark_node_next(item)) {
            list.items.emplace_back();
            blocks(item, depth + 1, list.items.back());
        }
        out.push_back(Block{std::move(list), range(node)});
    }

    // Converts a leaf block; false if `node` is a container.
    bool leaf(cmark_node* node, Blocks& out) {
        switch (cmark_node_get_type(node)) {
            case CMARK_NODE_PARAGRAPH: {
                Inlines content = inlines_from_cmark(node);
                // a paragraph of only empty text, say: nothing left to show
                if (!content.empty()) out.push_back(Block{Paragraph{std::move(content)}, range(node)});
                return true;
            }
            case CMARK_NODE_HEADING:
                out.push_back(Block{Heading{cmark_node_get_heading_level(node), inlines_from_cmark(node)},
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
                if (is_comment_only(html)) {
                    SourceRange r = range(node);
                    Diagnostic d;
                    d.pass = std::string(kPass);
                    d.first_line = r.first;
                    d.last_line = r.last;
                    d.action = "removed";
                    d.reason = "HTML comment";
                    d.excerpt = html.substr(0, kMaxExcerpt);
                    diag_.note(std::move(d));
                    return true;
                }
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
            default:  // custom blocks: cmark's parser makes none
                return true;
        }
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
};

}  // namespace

Document read_markdown(std::string_view text, const ReadOptions& options, Diagnostics& diag) {
    Document doc;
    FrontMatterBlock front = find_front_matter(text);
    std::string_view body = text;
    if (front.found) {
        FrontMatterParser(doc.meta, diag).parse(front.content);
        body = text.substr(front.body);
    }
    CmarkTree root(cmark_parse_document(body.data(), body.size(), CMARK_OPT_DEFAULT), cmark_node_free);
    if (!root) throw Error(ErrorKind::internal, "", 0, "cmark could not parse the document");

    // The title heading the writer puts right after the front matter.
    cmark_node* title = cmark_node_first_child(root.get());
    if (doc.meta.title.empty() || !title || cmark_node_get_type(title) != CMARK_NODE_HEADING ||
        cmark_node_get_heading_level(title) != 1 || plain_text(inlines_from_cmark(title)) != doc.meta.title)
        title = nullptr;

    TreeConverter(body, front.lines, diag).blocks(root.get(), 0, doc.blocks, title);
    root.reset();
    // Authored Markdown is content as its author chose it: cleaned only when asked
    // (--clean), and then by the same passes as a page, on the model read here. What the
    // front matter set, the metadata pass leaves alone: it fills empty fields only.
    if (cleaning_wanted(options.clean, false)) {
        CleanOptions clean;
        clean.batch = options.batch;
        clean_document(doc, clean, diag);
    }
    return doc;
}

}  // namespace dconv
