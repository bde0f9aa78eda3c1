// markdown_writer.cpp: the model as CommonMark, with a YAML front matter block.
//
// The contract is read_markdown(write_markdown(doc)) == doc for every normalised document
// (see normalize() in model.hpp) that CommonMark can express. Escaping is therefore driven
// by what cmark would read, not by habit: a character is escaped only where it could start
// a block, open or close an inline construct, or form an entity.
//
// What CommonMark cannot express, and what this writer does instead. The round trip
// holds for documents without these; with them, writing is still stable
// (write(read(write(doc))) == write(doc)):
//   - a LineBreak at the end of a paragraph or heading: dropped;
//   - a LineBreak inside a heading of level 3-6: written as a space (levels 1-2 with a
//     line break are written as setext headings, which can span lines);
//   - an empty Emphasis, Strong or Code, and a paragraph with no visible content: dropped;
//   - a Link inside a Link: only its text is written (CommonMark links do not nest);
//   - adjacent Code spans: merged into one (their fences would run together);
//   - Emphasis or Strong that no delimiter can open and close where it stands
//     ("a*(b)*c", or hemmed in by other emphasis): its content is written without it;
//   - white space at the ends of a code block's info string: dropped (cmark trims it);
//   - ordered list numbers are clamped to 0..999999999 (at most nine digits); a list's
//     numbering style (a. b., i. ii.) is written in decimal (CommonMark has no other
//     markers; its start number, 3 for c., is kept), and a reversed list's items are
//     numbered down (the source reads as the page did; a renderer counts up from the
//     first number, as CommonMark has no reversed list);
//   - a definition list (GFM has none): as pandoc writes one for gfm, each entry's
//     terms, each ending in a line break, with its first definition's paragraph on the
//     next line, the rest of its definitions after it, entries apart; the terms are
//     strong (pandoc leaves them plain), so that they stand out from the definition
//     they are joined to, and so that the reader reads the entries back; what it cannot
//     tell apart is a definition's blocks after its first paragraph, and a term's
//     definitions after its first, which read back as blocks after the list;
//   - front matter: empty values, empty authors, and extra keys that are not
//     [A-Za-z_][A-Za-z0-9_-]* or that name a known field (title, author, lang, ...) are
//     left out;
//   - NUL anywhere, and a carriage return inside inline code or a code block;
//   - rare inline soups, where an emphasis written without its delimiters sits right after
//     one written with them, may write differently a second time (about 1 in 20,000
//     random delimiter-heavy inputs).
// List tightness is not part of Document equality; the writer writes a list loose only
// when cmark will read it as loose (see looseness_visible) or when it cannot be tight.
// Leading and trailing white space of a paragraph line, which cmark would strip, is kept
// by writing its first (last) character as a numeric character reference (&#32;).
#include "markdown/markdown_writer.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/text.hpp"
#include "dconv/model.hpp"
#include "dconv/limits.hpp"

namespace dconv {

namespace {

// CommonMark: an ordered list marker has at most nine digits.
constexpr long long kMaxListNumber = 999'999'999;
// A code fence is at least three characters long.
constexpr std::size_t kMinFence = 3;
// An entity reference is at most 32 characters between '&' and ';' (HTML5's longest is 31).
constexpr std::size_t kMaxEntityName = 32;

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

bool is_ascii_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space_or_tab(char c) { return c == ' ' || c == '\t'; }
bool is_control(unsigned char c) { return c < 0x20 && c != '\t'; }

void append_char_reference(std::string& out, unsigned char c) {
    out += "&#";
    out += std::to_string(c);
    out += ';';
}

// Does the '&' at s[amp] begin something cmark could decode as an entity or a numeric
// character reference ("&amp;", "&#35;", "&#x23;")? A superset is fine: a needless
// backslash before '&' reads back as '&'.
bool forms_entity(std::string_view s, std::size_t amp) {
    std::size_t i = amp + 1;
    std::size_t n = 0;
    while (i < s.size() && n <= kMaxEntityName && (is_ascii_alnum(s[i]) || s[i] == '#')) {
        ++i;
        ++n;
    }
    return n > 0 && i < s.size() && s[i] == ';';
}

// Written between two characters of text that Markdown must not read together (an
// e-mail address, which GFM's autolink extension finds in parsed text); the reader drops it.
constexpr std::string_view kTextSeparator = "<!---->";

// Characters of Text that may need attention inside a line.
constexpr std::array<bool, 256> kInlineSpecial = [] {
    std::array<bool, 256> t{};
    for (unsigned c = 0; c < 0x20; ++c) t[c] = c != '\t';
    for (unsigned char c : std::string_view("\\`*_[]<&!~|w:@")) t[c] = true;
    return t;
}();

// Where a run of text starts, for what its first characters could mean.
enum class TextStart {
    mid_line,  // inside a line: only inline syntax matters
    heading,   // right after "## ": leading white space would be stripped
    line,      // at the start of a paragraph line: block syntax matters too
};

// Escapes the block-start syntax at the beginning of `s` (a list marker, "#", ">", a
// thematic break or setext underline, a "~~~" fence), appending what it consumed.
// Returns how many characters of `s` it wrote. Characters the inline rules escape anyway
// at the start of a run ('*', '_', '`', '<', '[') are left to them.
std::size_t escape_block_start(std::string_view s, std::string& out) {
    auto blank_after = [&](std::size_t at) { return at >= s.size() || is_space_or_tab(s[at]); };
    auto only = [&](char mark) {
        return std::all_of(s.begin(), s.end(), [&](char c) { return c == mark || is_space_or_tab(c); });
    };
    char c = s[0];
    bool escape = false;
    switch (c) {
        case '#': {
            std::size_t n = 0;
            while (n < s.size() && s[n] == '#') ++n;
            escape = n <= 6 && blank_after(n);
            break;
        }
        case '>':
            escape = true;
            break;
        case '+':
            escape = blank_after(1);
            break;
        case '-':  // bullet, thematic break, or setext underline after a hard line break
            escape = blank_after(1) || only('-');
            break;
        case '=':
            escape = only('=');
            break;
        case '~':
            escape = s.substr(0, 3) == "~~~";
            break;
        default:
            if (is_ascii_digit(c)) {
                std::size_t n = 0;
                while (n < s.size() && n < 10 && is_ascii_digit(s[n])) ++n;
                if (n <= 9 && n < s.size() && (s[n] == '.' || s[n] == ')') && blank_after(n + 1)) {
                    out.append(s.substr(0, n));
                    out += '\\';
                    out += s[n];
                    return n + 1;
                }
            }
            return 0;
    }
    if (!escape) return 0;
    out += '\\';
    out += c;
    return 1;
}

// Appends `s` escaped so that cmark reads it back as the same text. `before_link`: a
// Link follows, so a final '!' would turn it into an image.
// What else the text around `s` decides about escaping it.
struct EscapeContext {
    // Every '|' is escaped, or GFM would end the cell there. Elsewhere a '|' matters only
    // in a line that GFM could take for a table's delimiter row ("| --- |", after a hard
    // line break): there it is escaped too.
    bool in_table_cell = false;
    // Inside a link's text GFM makes no autolinks: "www.", "://" and '@' stay as they are.
    bool in_link = false;
    // A '~' can only strike through with another: a paragraph (heading, cell) with one
    // tilde at most keeps it unescaped ("~5 km").
    bool tildes_pair = true;
};

void escape_text(std::string_view s, TextStart start, bool before_link, std::string& out,
                 EscapeContext context = {}) {
    bool in_table_cell = context.in_table_cell;
    if (s.empty()) return;
    bool escape_pipes = in_table_cell ||
                        (start == TextStart::line && s.find('|') != std::string_view::npos &&
                         s.find_first_not_of("|:- \t") == std::string_view::npos);
    std::size_t i = 0;
    if (start != TextStart::mid_line && is_space_or_tab(s[0])) {
        append_char_reference(out, static_cast<unsigned char>(s[0]));
        i = 1;
    } else if (start == TextStart::line) {
        i = escape_block_start(s, out);
    }
    std::size_t run = i;  // start of the characters not yet appended
    auto flush = [&](std::size_t to) { out.append(s.data() + run, to - run); };
    for (; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (!kInlineSpecial[c]) continue;
        bool has_neighbours = i > 0 && i + 1 < s.size();
        bool escape = true;
        switch (c) {
            case '*':
                // " * " can neither open nor close emphasis ("2 * 3").
                escape = !(has_neighbours && is_space_or_tab(s[i - 1]) && is_space_or_tab(s[i + 1]));
                break;
            case '_':
                // Intraword underscores never delimit emphasis ("snake_case").
                escape = !(has_neighbours &&
                           ((is_ascii_alnum(s[i - 1]) && is_ascii_alnum(s[i + 1])) ||
                            (is_space_or_tab(s[i - 1]) && is_space_or_tab(s[i + 1]))));
                break;
            case '&':
                escape = forms_entity(s, i);
                break;
            case '!':
                escape = before_link && i + 1 == s.size();
                break;
            case '|':
                escape = escape_pipes;
                break;
            case '~':
                escape = context.tildes_pair;
                break;
            case 'w':
            case ':':
            case '@': {
                if (context.in_link) continue;
                // GFM's autolink extension would make a link of "www.x", "http://x" or
                // "a@b.c" in text: one character of the trigger written as a numeric
                // reference breaks it (the extension sees the source, and a reference is
                // its own text node).
                bool trigger = false;
                if (c == 'w') {
                    char before = i > 0 ? s[i - 1] : ' ';
                    trigger = s.substr(i, 4) == "www." &&
                              (is_space_or_tab(before) || std::string_view("*_~(").find(before) != std::string_view::npos);
                } else if (c == ':') {
                    trigger = i > 0 && std::isalpha(static_cast<unsigned char>(s[i - 1])) && s.substr(i + 1, 2) == "//";
                } else {
                    // The extension takes the letters, digits and ".+-_" before the '@',
                    // and after it letters, digits, '-', '_' and a '.' before a letter or
                    // digit ("a@.b.c" is a link too): the same characters trigger here.
                    auto address_char = [](char ch) {
                        return is_ascii_alnum(ch) || std::string_view(".-_").find(ch) != std::string_view::npos;
                    };
                    trigger = i > 0 && i + 1 < s.size() &&
                              (is_ascii_alnum(s[i - 1]) || std::string_view(".+-_").find(s[i - 1]) != std::string_view::npos) &&
                              address_char(s[i + 1]);
                }
                if (!trigger) continue;
                flush(i);
                if (c == '@') {
                    // An e-mail address is found in the text once parsed, whatever wrote
                    // its characters: an empty HTML comment splits the text there (the
                    // reader drops it; HTML renderers show nothing).
                    out += kTextSeparator;
                    out += '@';
                } else {
                    append_char_reference(out, c);
                }
                run = i + 1;
                continue;
            }
            default:
                if (is_control(c)) {
                    flush(i);
                    append_char_reference(out, c);
                    run = i + 1;
                    continue;
                }
                break;
        }
        if (!escape) continue;
        flush(i);
        out += '\\';
        run = i;  // the character itself goes out with the next flush
    }
    flush(s.size());
}

// Double-quoted YAML scalar: backslash, quote and every control character escaped, and
// the characters YAML treats as line breaks (NEL, LS, PS) too.
void append_yaml_string(std::string_view s, std::string& out) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '\\': out += "\\\\"; continue;
            case '"': out += "\\\""; continue;
            case '\n': out += "\\n"; continue;
            case '\t': out += "\\t"; continue;
            case '\r': out += "\\r"; continue;
            default: break;
        }
        if (c < 0x20 || c == 0x7F) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9F) {  // C1 controls, NEL
            auto d = static_cast<unsigned char>(s[++i]);
            out += "\\u00";
            out += kHex[d >> 4];
            out += kHex[d & 0xF];
        } else if (c == 0xE2 && i + 2 < s.size() && s[i + 1] == '\x80' &&
                   (s[i + 2] == '\xA8' || s[i + 2] == '\xA9')) {  // LS, PS
            out += s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += '"';
}

bool is_yaml_key(std::string_view key) {
    if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_'))
        return false;
    return std::all_of(key.begin(), key.end(),
                       [](char c) { return is_ascii_alnum(c) || c == '_' || c == '-'; });
}

// Keys the reader maps to Meta fields: an extra key spelled like one would not come back
// as an extra key.
bool is_reserved_key(std::string_view key) {
    static constexpr std::string_view kReserved[] = {"title", "subtitle", "author", "authors",
                                                     "date",  "site",     "lang",   "language",
                                                     "source"};
    return std::find(std::begin(kReserved), std::end(kReserved), key) != std::end(kReserved);
}

// ------------------------------------------------------------------ what gets written

bool visible(const Inline& in);

bool any_visible(const Inlines& inlines) {
    return std::any_of(inlines.begin(), inlines.end(), [](const Inline& i) { return visible(i); });
}

// Would the inline write anything? Empty text, code and emphasis cannot be expressed and
// a line break alone has no text.
bool visible(const Inline& in) {
    return std::visit(Overload{
                          [](const Text& t) { return !t.text.empty(); },
                          [](const Code& c) { return !c.text.empty(); },
                          [](const Link&) { return true; },
                          [](const LineBreak&) { return false; },
                          [](const Image&) { return true; },
                          [](const Note&) { return true; },
                          [](const auto& container) { return any_visible(container.children); },
                      },
                      in.base());
}

// One past the last visible inline: line breaks after it are not written.
std::size_t visible_end(const Inlines& inlines) {
    std::size_t end = inlines.size();
    while (end > 0 && !visible(inlines[end - 1])) --end;
    return end;
}

// An inline that writes nothing at all (a line break writes "\\" and a newline).
bool writes_nothing(const Inline& in) { return !std::holds_alternative<LineBreak>(in) && !visible(in); }

bool written(const Block& b) {
    if (const auto* p = std::get_if<Paragraph>(&b.node)) return any_visible(p->content);
    if (const auto* l = std::get_if<List>(&b.node)) return !l->items.empty();
    return true;
}

// Does a line break get written (one with visible content after it, at any depth)?
bool has_written_break(const Inlines& inlines) {
    std::size_t end = visible_end(inlines);
    for (std::size_t i = 0; i < end; ++i) {
        const Inline& in = inlines[i];
        if (std::holds_alternative<LineBreak>(in)) return true;
        if (const Inlines* children = inline_children(in); children && has_written_break(*children))
            return true;
    }
    return false;
}

// A heading of level 1 or 2 with a line break inside is written in setext form.
bool is_setext(const Heading& h) { return h.level <= 2 && has_written_break(h.content); }

const Block* first_written(const Blocks& blocks) {
    for (const Block& b : blocks)
        if (written(b)) return &b;
    return nullptr;
}

// Can a list start on the line after a paragraph? CommonMark lets only a non-empty
// bullet item or an ordered item numbered 1 interrupt a paragraph.
bool can_interrupt_paragraph(const List& l) {
    if (l.items.empty() || !first_written(l.items.front())) return false;
    return !l.ordered || l.start == 1;
}

// In a tight list the blocks of an item follow each other without a blank line. That is
// only safe where the second block cannot be read as a continuation of the first (a
// paragraph after a paragraph, a lazy line after a quote, a non-interrupting list).
bool can_follow_directly(const Block& a, const Block& b) {
    bool a_closed = std::holds_alternative<CodeBlock>(a.node) ||
                    std::holds_alternative<ThematicBreak>(a.node) ||
                    std::holds_alternative<Heading>(a.node);
    return std::visit(Overload{
                          [&](const Paragraph&) { return a_closed; },
                          [&](const Heading& h) { return a_closed || !is_setext(h); },
                          [&](const BlockQuote&) {
                              return !std::holds_alternative<BlockQuote>(a.node);
                          },
                          [&](const List& l) { return a_closed || can_interrupt_paragraph(l); },
                          [](const CodeBlock&) { return true; },
                          [](const ThematicBreak&) { return true; },
                          [&](const Figure&) { return a_closed; },
                          [&](const Table&) { return a_closed; },
                          [&](const DefinitionList&) { return a_closed; },  // opens with a paragraph
                      },
                      b.node);
}

// Does a figure or table (whose caption is a paragraph of its own, after a blank line)
// sit anywhere in these blocks?
bool holds_captioned(const Blocks& blocks) {
    for (const Block& b : blocks) {
        if (std::holds_alternative<Figure>(b.node) || std::holds_alternative<Table>(b.node) ||
            std::holds_alternative<DefinitionList>(b.node))  // its entries stand apart
            return true;
        if (const auto* q = std::get_if<BlockQuote>(&b.node); q && holds_captioned(q->children)) return true;
        if (const auto* l = std::get_if<List>(&b.node))
            for (const Blocks& item : l->items)
                if (holds_captioned(item)) return true;
    }
    return false;
}

bool can_be_tight(const List& l) {
    for (const Blocks& item : l.items) {
        if (holds_captioned(item)) return false;
        const Block* previous = nullptr;
        for (const Block& b : item) {
            if (!written(b)) continue;
            if (previous && !can_follow_directly(*previous, b)) return false;
            previous = &b;
        }
    }
    return true;
}

// Tight or loose, as cmark 0.30 will read it back. cmark remembers a blank line only
// after some blocks: not after a thematic break or a fenced code block directly in an
// item, though it does after code that ends a nested list's last item (measured; newer
// cmark differs). A loose list whose blank lines would all go unnoticed is read as tight,
// so it is written tight in the first place, which keeps writing stable.
bool blank_after_item_end_counts(const Blocks& item);

bool blank_after_counts(const Block& b) {  // b: a block directly in a list item
    if (std::holds_alternative<ThematicBreak>(b.node) || std::holds_alternative<CodeBlock>(b.node))
        return false;
    if (const auto* l = std::get_if<List>(&b.node)) return blank_after_item_end_counts(l->items.back());
    return true;
}

bool blank_after_item_end_counts(const Blocks& item) {  // item: the last of a nested list
    const Block* last = nullptr;
    for (const Block& b : item)
        if (written(b)) last = &b;
    if (!last) return true;  // an empty item
    if (std::holds_alternative<ThematicBreak>(last->node)) return false;
    if (const auto* l = std::get_if<List>(&last->node)) return blank_after_item_end_counts(l->items.back());
    return true;
}

bool looseness_visible(const List& l) {
    for (std::size_t i = 0; i < l.items.size(); ++i) {
        const Block* previous = nullptr;
        for (const Block& b : l.items[i]) {
            if (!written(b)) continue;
            if (previous && blank_after_counts(*previous)) return true;
            previous = &b;
        }
        if (i + 1 < l.items.size() && (!previous || blank_after_counts(*previous))) return true;
    }
    return false;
}

std::size_t longest_run(std::string_view s, char c) {
    std::size_t longest = 0, run = 0;
    for (char ch : s) {
        run = ch == c ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

// ---------------------------------------------------------------- emphasis flanking

// How CommonMark classifies the characters around a delimiter run.
enum class CharClass { space, punctuation, other };

CharClass classify(char32_t c) {
    if (c < 0x80) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') return CharClass::space;
        return std::ispunct(static_cast<int>(c)) ? CharClass::punctuation : CharClass::other;
    }
    // cmark's Unicode white space: Zs and the ASCII ones above
    if (c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
        c == 0x3000)
        return CharClass::space;
    return u_ispunct(static_cast<UChar32>(c)) ? CharClass::punctuation : CharClass::other;
}

// The class of the first character an inline writes (mid-line).
CharClass first_class(const Inline& in) {
    if (const auto* t = std::get_if<Text>(&in)) {
        auto c = static_cast<unsigned char>(t->text[0]);
        if (c < 0x80) return kInlineSpecial[c] ? CharClass::punctuation : classify(c);
        std::size_t i = 0;
        return classify(text::next(t->text, i));
    }
    return CharClass::punctuation;  // '`', '[', '*', '_', or the '\\' of a line break
}


// The class of the last character an inline run writes.
CharClass last_class(const Inlines& inlines) {
    std::size_t end = visible_end(inlines);
    if (end == 0) return CharClass::space;
    if (const auto* t = std::get_if<Text>(&inlines[end - 1])) {
        std::size_t i = t->text.size();
        char32_t c = text::prev(t->text, i);
        return c < 0x20 ? CharClass::punctuation : classify(c);  // a control: "&#1;"
    }
    return CharClass::punctuation;  // '`', ')', or a closing delimiter
}

// Whether a delimiter run can open before content starting with `first` (after
// `before`) and close after content ending with `last` (before `after`), and whether
// the opener could as well close: CommonMark's left- and right-flanking rules, with the
// extra conditions for '_'.
struct Flanking {
    bool opens = false;
    bool closes = false;
    bool opener_can_close = false;
};

Flanking flanking(char delimiter, CharClass before, CharClass first, CharClass last, CharClass after) {
    using C = CharClass;
    bool opener_left = first != C::space && (first != C::punctuation || before != C::other);
    bool opener_right = before != C::space && (before != C::punctuation || first != C::other);
    bool closer_right = last != C::space && (last != C::punctuation || after != C::other);
    bool closer_left = after != C::space && (after != C::punctuation || last != C::other);
    Flanking f;
    if (delimiter == '*') {
        f.opens = opener_left;
        f.closes = closer_right;
        f.opener_can_close = opener_right;
    } else {
        f.opens = opener_left && (!opener_right || before == C::punctuation);
        f.closes = closer_right && (!closer_left || after == C::punctuation);
        f.opener_can_close = opener_right && (!opener_left || first == C::punctuation);
    }
    return f;
}

// The class of the first and last characters of emphasis content, as written: white
// space at either end is written as a reference ("&#32;"), punctuation.
CharClass content_first_class(const Inlines& inlines) {
    for (const Inline& in : inlines) {
        if (writes_nothing(in)) continue;
        const auto* t = std::get_if<Text>(&in);
        if (t && is_space_or_tab(t->text[0])) return CharClass::punctuation;
        return first_class(in);
    }
    return CharClass::space;
}

CharClass content_last_class(const Inlines& inlines) {
    std::size_t end = visible_end(inlines);
    if (end > 0)
        if (const auto* t = std::get_if<Text>(&inlines[end - 1]); t && is_space_or_tab(t->text.back()))
            return CharClass::punctuation;
    return last_class(inlines);
}

// The Strong that is the only thing `inlines` writes, if it is.
const Strong* lone_strong(const Inlines& inlines) {
    const Strong* found = nullptr;
    for (const Inline& in : inlines) {
        if (writes_nothing(in)) continue;
        if (found) return nullptr;
        found = std::get_if<Strong>(&in);
        if (!found) return nullptr;
    }
    return found;
}

// ------------------------------------------------------------------------ the writer

class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}

    void document(const Document& doc, const WriteOptions& options) {
        bool separate = false;
        if (options.front_matter && !doc.meta.empty()) separate = front_matter(doc.meta);
        // The front matter's title is the page title for the programs that read front
        // matter (pandoc -s, Jekyll, Hugo, Obsidian): a "# Title" under it would show
        // twice. Without front matter the title is the first heading. One exception keeps
        // the round trip: the reader takes a first "# Title" under front matter for the
        // title's own heading, so a body that opens with that same heading gets one more.
        if (!doc.meta.title.empty() && (!separate || opens_with_title(doc))) {
            if (separate) blank_line();
            heading(Heading{1, {Text{doc.meta.title}}});
            separate = true;
        }
        blocks(doc.blocks, false, separate);
        notes();
    }

private:
    static bool opens_with_title(const Document& doc) {
        if (doc.blocks.empty()) return false;
        const auto* h = std::get_if<Heading>(&doc.blocks.front().node);
        return h && h->level == 1 && plain_text(h->content) == doc.meta.title;
    }

    // -------------------------------------------------------------------- lines

    // Starts a line: the container prefix ("> ", list indentation), or, on the first
    // line of a list item or quote, its markers ("- ", "1. > ").
    void begin_line() {
        if (marker_pending_) {
            out_ += marker_line_;
            marker_pending_ = false;
        } else {
            out_ += prefix_;
        }
    }
    void end_line() {
        out_ += '\n';
        last_line_blank_ = false;
    }
    void blank_line() {
        std::string_view p = prefix_;
        while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
        out_.append(p);
        out_ += '\n';
        last_line_blank_ = true;
    }

    // Opens a container whose first line starts with `first` and whose other lines start
    // with `rest`. Returns what close_container needs.
    std::size_t open_container(std::string_view first, std::string_view rest) {
        if (!marker_pending_) marker_line_ = prefix_;
        marker_line_ += first;
        marker_pending_ = true;
        std::size_t saved = prefix_.size();
        prefix_ += rest;
        return saved;
    }
    void close_container(std::size_t saved) {
        if (marker_pending_) {  // an empty item or quote: its markers alone
            std::string_view m = marker_line_;
            while (!m.empty() && m.back() == ' ') m.remove_suffix(1);
            out_.append(m);
            marker_pending_ = false;
            end_line();
        }
        prefix_.resize(saved);
    }

    // ------------------------------------------------------------------- blocks

    bool front_matter(const Meta& meta) {
        std::size_t start = out_.size();
        out_ += "---\n";
        std::size_t fields = out_.size();
        auto field = [&](std::string_view key, std::string_view value) {
            if (value.empty()) return;
            out_.append(key);
            out_ += ": ";
            append_yaml_string(value, out_);
            out_ += '\n';
        };
        field("title", meta.title);
        field("subtitle", meta.subtitle);
        std::vector<std::string_view> authors;
        for (const std::string& a : meta.authors)
            if (!a.empty()) authors.push_back(a);
        if (authors.size() == 1) {
            field("author", authors.front());
        } else if (authors.size() > 1) {
            out_ += "author:\n";
            for (std::string_view a : authors) {
                out_ += "  - ";
                append_yaml_string(a, out_);
                out_ += '\n';
            }
        }
        field("date", meta.date);
        field("site", meta.site);
        field("lang", meta.language);
        field("source", meta.source);
        for (const auto& [key, value] : meta.extra)  // std::map: sorted
            if (is_yaml_key(key) && !is_reserved_key(key)) field(key, value);
        for (const auto& [key, items] : meta.lists) {  // as block sequences
            if (!is_yaml_key(key) || is_reserved_key(key) || meta.extra.count(key)) continue;
            std::size_t before = out_.size();
            out_.append(key);
            out_ += ":\n";
            std::size_t header = out_.size();
            for (const std::string& item : items) {
                if (item.empty()) continue;
                out_ += "  - ";
                append_yaml_string(item, out_);
                out_ += '\n';
            }
            if (out_.size() == header) out_.resize(before);  // no item: no key
        }
        if (out_.size() == fields) {  // nothing worth a block
            out_.resize(start);
            return false;
        }
        out_ += "---\n";
        last_line_blank_ = false;
        return true;
    }

    // What the last block written at a container's level ended with, for the next list:
    // a list, or a definition list whose entries end with one (they are written at the
    // same level, so a list after the <dl> would merge with it).
    struct TrailingList {
        bool ordered = false;
        char delimiter = 0;  // 0: no list
    };

    void blocks(const Blocks& list, bool tight, bool separate_first) { blocks(list, tight, separate_first, {}); }

    // `before`: what the blocks written just before these at the same level ended with.
    TrailingList blocks(const Blocks& list, bool tight, bool separate_first, TrailingList before) {
        const Block* previous = nullptr;
        TrailingList trailing = before;
        for (const Block& b : list) {
            if (!written(b)) continue;
            if (previous ? !tight : separate_first) blank_line();
            char delimiter = 0;
            if (const auto* l = std::get_if<List>(&b.node)) {
                // Two lists in a row would merge into one unless the second changes its
                // bullet or delimiter. A bullet list opening on its parent item's line
                // changes bullet too: "- - -" (empty innermost item) is a thematic break.
                char usual = l->ordered ? '.' : '-';
                char other = l->ordered ? ')' : '*';
                bool follows_same = trailing.delimiter == usual && trailing.ordered == l->ordered;
                bool nested_on_dash = !previous && marker_pending_ && !l->ordered &&
                                      marker_line_.size() >= 2 &&
                                      marker_line_.compare(marker_line_.size() - 2, 2, "- ") == 0;
                delimiter = follows_same || nested_on_dash ? other : usual;
            }
            // cmark-gfm finds no task box in an item that starts on its parent item's line
            // ("1. - [x] a"), and no table that starts on a list marker's line: such a
            // block starts on the next line ("1.", then "   - [x] a").
            const auto* l = std::get_if<List>(&b.node);
            bool boxes = l && std::any_of(l->tasks.begin(), l->tasks.end(),
                                          [](TaskState t) { return t != TaskState::None; });
            bool table = std::holds_alternative<Table>(b.node) ||
                         (std::holds_alternative<Figure>(b.node) && !std::get<Figure>(b.node).content.empty() &&
                          std::holds_alternative<Table>(std::get<Figure>(b.node).content.front().node));
            if ((boxes || table) && marker_pending_ && !previous) {
                std::string_view m = marker_line_;
                while (!m.empty() && m.back() == ' ') m.remove_suffix(1);
                out_.append(m);
                marker_pending_ = false;
                end_line();
            }
            trailing_ = trailing;
            block(b, delimiter);
            previous = &b;
            if (l) trailing = {l->ordered, delimiter};
            else if (std::holds_alternative<DefinitionList>(b.node)) trailing = trailing_;
            else trailing = {};
        }
        return trailing;
    }

    void block(const Block& b, char list_delimiter) {
        check_deadline();  // --timeout (dconv/limits.hpp)
        std::visit(Overload{
                       [&](const Heading& h) { heading(h); },
                       [&](const Paragraph& p) { paragraph(p.content, definition_entries_.count(&b) > 0); },
                       [&](const List& l) { list(l, list_delimiter); },
                       [&](const BlockQuote& q) {
                           std::size_t saved = open_container("> ", "> ");
                           blocks(q.children, false, false);
                           close_container(saved);
                       },
                       [&](const CodeBlock& c) { code_block(c); },
                       [&](const ThematicBreak&) { thematic_break(); },
                       [&](const Figure& f) { figure(f); },
                       [&](const Table& t) { table(t); },
                       [&](const DefinitionList& d) { definition_list(d); },
                   },
                   b.node);
    }

    // A definition list as blocks CommonMark has (see the top of the file): per entry,
    // a paragraph of its terms in strong, each followed by a line break, and its first
    // definition's first paragraph; then the rest of its definitions.
    void definition_list(const DefinitionList& d) {
        const TrailingList before = trailing_;
        Blocks entries;
        std::vector<std::size_t> leads;  // the entries the reader reads back (definition_entries_)
        for (const DefinitionItem& item : d.items) {
            Inlines lead;
            for (const Inlines& term : item.terms) {
                if (!lead.empty()) lead.push_back(LineBreak{});
                lead.push_back(Strong{term});
            }
            std::size_t definition = 0, block = 0;
            if (!item.definitions.empty() && !item.definitions.front().empty())
                if (const auto* p = std::get_if<Paragraph>(&item.definitions.front().front().node)) {
                    lead.push_back(LineBreak{});
                    lead.insert(lead.end(), p->content.begin(), p->content.end());
                    block = 1;
                }
            entries.push_back(Block{Paragraph{std::move(lead)}, {}});
            if (block == 1) leads.push_back(entries.size() - 1);
            for (; definition < item.definitions.size(); ++definition, block = 0)
                for (; block < item.definitions[definition].size(); ++block)
                    entries.push_back(item.definitions[definition][block]);
        }
        for (std::size_t i : leads) definition_entries_.insert(&entries[i]);
        trailing_ = blocks(entries, false, false, before);
        for (std::size_t i : leads) definition_entries_.erase(&entries[i]);
    }

    // A figure: its content, then its caption as a paragraph that starts "Figure: "
    // (the reader takes such a paragraph, right after image paragraphs or a table, for
    // their caption; a paragraph of text that starts so is written "Figure\: "). A
    // figure of tables alone without a caption of its own is its tables: a bare
    // "Figure:" line would be an empty caption under them (a table's caption is its
    // "Table: " line), while images keep theirs, which makes them a figure.
    void figure(const Figure& f) {
        blocks(f.content, false, false);
        if (!any_visible(f.caption) && !f.content.empty() &&
            std::all_of(f.content.begin(), f.content.end(),
                        [](const Block& b) { return std::holds_alternative<Table>(b.node); }))
            return;
        blank_line();
        begin_line();
        out_ += "Figure:";
        if (any_visible(f.caption)) {
            out_ += ' ';
            std::size_t start = out_.size();
            line_text(f.caption, TextStart::heading, true);
            keep_trailing_space(start);
        }
        end_line();
    }

    // Can a GFM pipe table hold this one? One header row, no spans, every cell empty or
    // one paragraph without line breaks, and the document's language and direction (a
    // pipe table has no attributes: html_table writes lang and dir).
    static bool pipe_table_fits(const Table& t) {
        if (t.head.size() != 1 || t.columns.empty()) return false;
        if (!t.locale->language.empty() || !t.locale->direction.empty()) return false;
        for (const auto* section : {&t.head, &t.body})
            for (const TableRow& row : *section) {
                if (row.cells.size() != t.columns.size()) return false;
                for (const TableCell& cell : row.cells) {
                    if (cell.row_span != 1 || cell.col_span != 1 || cell.content.size() > 1) return false;
                    if (cell.content.empty()) continue;
                    const auto* p = std::get_if<Paragraph>(&cell.content.front().node);
                    if (!p || has_written_break(p->content)) return false;
                }
            }
        return true;
    }

    void table(const Table& t) {
        if (pipe_table_fits(t)) pipe_table(t);
        else html_table(t);
        if (any_visible(t.caption)) {  // pandoc's form: "Table: caption" after the table
            blank_line();
            begin_line();
            out_ += "Table: ";
            std::size_t start = out_.size();
            line_text(t.caption, TextStart::heading, true);
            keep_trailing_space(start);
            end_line();
        }
    }

    // A pipe table, its columns padded to a common width (East Asian characters counted
    // as two) so that the source reads as a table too; padding is white space GFM trims.
    void pipe_table(const Table& t) {
        std::size_t count = t.columns.size();
        std::vector<std::vector<std::string>> cells;  // written Markdown of each cell
        std::vector<std::size_t> widths(count, 3);    // a delimiter needs three dashes
        for (const auto* section : {&t.head, &t.body})
            for (const TableRow& r : *section) {
                if (section == &t.head && &r != &t.head.front()) continue;
                cells.emplace_back();
                for (std::size_t c = 0; c < count; ++c) {
                    cells.back().push_back(cell_markdown(r.cells[c]));
                    widths[c] = std::max(widths[c], text::display_width(cells.back().back()));
                }
            }
        auto padded = [&](const std::string& s, std::size_t c) {
            std::size_t have = text::display_width(s);
            std::string out = s;
            if (t.columns[c] == Alignment::Right) out.insert(0, widths[c] - have, ' ');
            else out.append(widths[c] - have, ' ');
            return out;
        };
        auto row = [&](const std::vector<std::string>& r) {
            begin_line();
            out_ += '|';
            for (std::size_t c = 0; c < count; ++c) {
                out_ += ' ';
                out_ += padded(r[c], c);
                out_ += " |";
            }
            while (!out_.empty() && out_.back() == ' ') out_.pop_back();
            end_line();
        };
        row(cells.front());
        begin_line();
        out_ += '|';
        for (std::size_t c = 0; c < count; ++c) {
            Alignment a = t.columns[c];
            std::size_t dashes = widths[c] - (a == Alignment::Center ? 2 : a == Alignment::Default ? 0 : 1);
            out_ += ' ';
            if (a == Alignment::Left || a == Alignment::Center) out_ += ':';
            out_.append(dashes, '-');
            if (a == Alignment::Right || a == Alignment::Center) out_ += ':';
            out_ += " |";
        }
        end_line();
        for (std::size_t r = 1; r < cells.size(); ++r) row(cells[r]);
    }

    // A cell's inlines as Markdown, written apart from the output (a cell starts after
    // "| ", white space for the flanking rules, as an empty output is).
    std::string cell_markdown(const TableCell& cell) {
        if (cell.content.empty()) return {};
        std::string saved;
        saved.swap(out_);
        in_table_cell_ = true;
        line_text(std::get<Paragraph>(cell.content.front().node).content, TextStart::heading, true);
        keep_trailing_space(0);
        in_table_cell_ = false;
        std::string written;
        written.swap(out_);
        out_.swap(saved);
        return written;
    }

    // The align attribute of a cell in a column so aligned (cmark-gfm writes its own
    // tables' alignment so); nothing for the default.
    static std::string html_alignment(Alignment a) {
        switch (a) {
            case Alignment::Left: return " align=\"left\"";
            case Alignment::Center: return " align=\"center\"";
            case Alignment::Right: return " align=\"right\"";
            case Alignment::Default: break;
        }
        return {};
    }

    // A table GFM cannot express (spans, several header rows or none, blocks in cells):
    // an HTML block, which GitHub and pandoc render, and which the Markdown reader reads
    // back as the table (table_of_html_block). A cell that cites a note is written as
    // Markdown between blank lines, which ends the HTML block there and starts another
    // at the next tag: a note reference inside HTML would be no reference (GFM renders
    // no note only an HTML link cites, and numbers the others without it), while the
    // cell's `[^1]` is one, numbered in order and rendered as a link by GFM; the reader
    // joins the pieces back into the one table (table_of_html_blocks).
    void html_table(const Table& t) {
        std::string html = "<table";
        if (!t.locale->direction.empty()) {
            html += " dir=\"";
            html_text(t.locale->direction, html);
            html += '"';
        }
        if (!t.locale->language.empty()) {
            html += " lang=\"";
            html_text(t.locale->language, html);
            html += '"';
        }
        html += ">\n";
        auto flush = [&] {  // an HTML block ends at a blank line: the lines are written without any
            for (std::string_view line : text::split_lines(html)) {
                if (line.empty()) continue;
                begin_line();
                out_.append(line);
                end_line();
            }
            html.clear();
        };
        auto rows = [&](const std::vector<TableRow>& section, const char* tag, const char* cell_tag) {
            if (section.empty()) return;
            html += std::string("<") + tag + ">\n";
            // A cell's column, for its alignment: the first one that no row span from a
            // row above covers (rows_covered: how many more rows each column is taken for).
            std::vector<int> rows_covered(t.columns.size(), 0);
            for (const TableRow& r : section) {
                html += "<tr>";
                std::size_t column = 0;
                for (const TableCell& cell : r.cells) {
                    while (column < rows_covered.size() && rows_covered[column] > 0) ++column;
                    html += std::string("<") + cell_tag;
                    if (cell.row_span > 1) html += " rowspan=\"" + std::to_string(cell.row_span) + "\"";
                    if (cell.col_span > 1) html += " colspan=\"" + std::to_string(cell.col_span) + "\"";
                    // a spanning cell takes its first column's alignment, as the HTML writer does
                    if (column < t.columns.size()) html += html_alignment(t.columns[column]);
                    for (int k = 0; k < std::max(cell.col_span, 1) && column < rows_covered.size(); ++k)
                        rows_covered[column++] = std::max(cell.row_span, 1);
                    html += '>';
                    if (cites_note(cell.content)) {
                        flush();
                        blank_line();
                        blocks(cell.content, false, false);
                        blank_line();
                    } else {
                        html_blocks(cell.content, html);
                    }
                    html += std::string("</") + cell_tag + ">";
                }
                html += "</tr>\n";
                for (int& covered : rows_covered) covered = std::max(covered - 1, 0);
            }
            html += std::string("</") + tag + ">\n";
        };
        rows(t.head, "thead", "th");
        rows(t.body, "tbody", "td");
        html += "</table>";
        flush();
    }

    static bool cites_note(const Blocks& content) {
        bool found = false;
        each_inline(content, [&](const Inline& in, const Block&) { found = found || std::holds_alternative<Note>(in.base()); });
        return found;
    }

    // A cell's blocks: paragraphs as their inlines, apart by <br/>; lists as <ul> or <ol>
    // with their items (the README's promise: a table with lists in cells keeps them, and
    // the Markdown reader reads them back as lists); other blocks as their text.
    void html_blocks(const Blocks& list, std::string& html) {
        bool first = true;
        for (const Block& b : list) {
            const auto* l = std::get_if<List>(&b.node);
            if (!first && !l) html += "<br/>";
            if (const auto* p = std::get_if<Paragraph>(&b.node)) {
                html_inlines(p->content, html);
            } else if (l) {
                html_list(*l, html);
            } else {
                html_text(plain_text(b), html);
            }
            first = false;
        }
    }

    void html_list(const List& l, std::string& html) {
        if (l.ordered) {
            html += "<ol";
            if (l.start != 1) html += " start=\"" + std::to_string(l.start) + "\"";
            if (l.reversed) html += " reversed";
            html += ">";
        } else {
            html += "<ul>";
        }
        for (std::size_t i = 0; i < l.items.size(); ++i) {
            html += "<li>";
            if (l.task(i) == TaskState::Done) html += "<input type=\"checkbox\" checked disabled/> ";
            else if (l.task(i) == TaskState::Open) html += "<input type=\"checkbox\" disabled/> ";
            html_blocks(l.items[i], html);
            html += "</li>";
        }
        html += l.ordered ? "</ol>" : "</ul>";
    }

    // An <img>: in an HTML table's cell (src, alt and a width, as before), and in text
    // for a width Markdown cannot say (with its title).
    static void html_image(const Image& i, std::string& html, bool with_title = false) {
        html += "<img src=\"";
        html_text(i.src, html);
        html += "\" alt=\"";
        html_text(i.alt, html);
        if (with_title && !i.title.empty()) {
            html += "\" title=\"";
            html_text(i.title, html);
        }
        if (i.extra->width > 0) html += "\" width=\"" + std::to_string(i.extra->width);
        html += "\"/>";
    }

    static void html_text(std::string_view s, std::string& html) {
        for (char c : s) {
            switch (c) {
                case '&': html += "&amp;"; break;
                case '<': html += "&lt;"; break;
                case '>': html += "&gt;"; break;
                case '"': html += "&quot;"; break;
                case '\n': html += ' '; break;
                default: html += c;
            }
        }
    }

    void html_inlines(const Inlines& list, std::string& html) {
        auto wrap = [&](const char* tag, const Inlines& children) {
            html += std::string("<") + tag + ">";
            html_inlines(children, html);
            html += std::string("</") + tag + ">";
        };
        for (const Inline& in : list) {
            std::visit(Overload{
                           [&](const Text& t) { html_text(t.text, html); },
                           [&](const Code& c) {
                               html += "<code>";
                               html_text(c.text, html);
                               html += "</code>";
                           },
                           [&](const LineBreak&) { html += "<br/>"; },
                           [&](const Emphasis& e) { wrap("em", e.children); },
                           [&](const Strong& s) { wrap("strong", s.children); },
                           [&](const Strikeout& s) { wrap("del", s.children); },
                           [&](const Superscript& s) { wrap("sup", s.children); },
                           [&](const Subscript& s) { wrap("sub", s.children); },
                           [&](const Link& l) {
                               html += "<a href=\"";
                               html_text(l.url, html);
                               html += "\">";
                               html_inlines(l.children, html);
                               html += "</a>";
                           },
                           [&](const Image& i) { html_image(i, html); },
                           [&](const Note& n) {
                               // defined at the end, as the others
                               html += "<sup>" + std::to_string(note_number(n)) + "</sup>";
                           },
                       },
                       in.base());
        }
    }

    // The number of a note's reference: a new note is added to those defined at the end;
    // a later reference to a labelled one (Note::label) takes its number.
    int note_number(const Note& n) {
        NoteNumbers::Reference ref = note_numbers_.reference(n);
        if (ref.first) notes_.push_back(n);
        return ref.number;
    }

    // The definitions of the notes referenced so far, "[^n]: " and the note's blocks
    // indented under it, after the document's last block.
    void notes() {
        for (std::size_t i = 0; i < notes_.size(); ++i) {
            blank_line();
            std::size_t saved = open_container("[^" + std::to_string(i + 1) + "]: ", "    ");
            Blocks content = notes_[i].content;  // notes_ may grow meanwhile
            blocks(content, false, false);
            close_container(saved);
        }
    }

    void heading(const Heading& h) {
        if (is_setext(h)) {
            begin_line();
            std::size_t start = out_.size();
            line_text(h.content, TextStart::line, false);
            keep_trailing_space(start);
            end_line();
            begin_line();
            out_ += h.level == 1 ? "===" : "---";
            end_line();
            return;
        }
        begin_line();
        out_.append(static_cast<std::size_t>(std::clamp(h.level, 1, 6)), '#');
        out_ += ' ';
        std::size_t start = out_.size();
        line_text(h.content, TextStart::heading, true);
        if (out_.size() == start) {
            out_.pop_back();  // an empty heading: "##"
        } else {
            keep_trailing_space(start);
            // A final run of '#' after a space would be read as a closing sequence.
            std::size_t run = out_.size();
            while (run > start && out_[run - 1] == '#') --run;
            if (run < out_.size() && (run == start || is_space_or_tab(out_[run - 1])))
                out_.insert(run, 1, '\\');
        }
        end_line();
    }

    // `entry`: a definition list's entry (definition_list()). Another paragraph of that
    // shape, strong text then a line break then more (a page's "<b>Note</b><br>text"),
    // has that line break written as two spaces, so that the reader, which takes a first
    // line ending in `**\` for a term, reads it as the paragraph it is.
    void paragraph(const Inlines& content, bool entry = false) {
        spaced_break_ = !entry && content.size() > 2 && std::holds_alternative<Strong>(content[0]) &&
                        std::holds_alternative<LineBreak>(content[1]);
        paragraph_lines(content);
        spaced_break_ = false;
    }

    void paragraph_lines(const Inlines& content) {
        begin_line();
        std::size_t start = out_.size();
        // "Figure: " and "Table: " open the captions the reader attaches to the blocks
        // before them: a paragraph that starts so is written with the colon escaped.
        const auto* first = content.empty() ? nullptr : std::get_if<Text>(&content.front());
        for (std::string_view word : {"Figure:", "Table:"}) {
            if (!first || !std::string_view(first->text).starts_with(word)) continue;
            Inlines rest = content;
            std::get<Text>(rest.front()).text.erase(0, word.size());
            if (std::get<Text>(rest.front()).text.empty()) rest.erase(rest.begin());
            out_.append(word.substr(0, word.size() - 1));
            out_ += "\\:";
            line_text(rest, TextStart::mid_line, false);
            keep_trailing_space(start);
            end_line();
            return;
        }
        line_text(content, TextStart::line, false);
        keep_trailing_space(start);
        end_line();
    }

    // cmark strips white space at the end of a paragraph or heading: write the last
    // character as a character reference. Only Text can end a line in white space.
    void keep_trailing_space(std::size_t start) {
        if (out_.size() > start && is_space_or_tab(out_.back())) {
            auto c = static_cast<unsigned char>(out_.back());
            out_.pop_back();
            append_char_reference(out_, c);
        }
    }

    void code_block(const CodeBlock& c) {
        // A backtick fence cannot carry an info string with a backtick in it.
        char mark = c.info.find('`') == std::string::npos ? '`' : '~';
        std::string fence(std::max(kMinFence, longest_run(c.text, mark) + 1), mark);
        begin_line();
        out_ += fence;
        // cmark trims the info string (after decoding it): white space at its ends is
        // lost either way, and not writing it keeps the output stable.
        std::string_view info = c.info;
        while (!info.empty() && is_space_or_tab(info.front())) info.remove_prefix(1);
        while (!info.empty() && is_space_or_tab(info.back())) info.remove_suffix(1);
        if (!info.empty() && info.front() == mark) out_ += '\\';  // "~~~" + "~x" is a longer fence
        escape_attribute(info, "");
        end_line();
        // Lines of the text; an empty text has none, "\n" has two empty ones.
        std::string_view text = c.text;
        for (bool more = !text.empty(); more;) {
            std::size_t nl = text.find('\n');
            std::string_view line = text.substr(0, nl);
            if (line.empty()) {
                blank_line();
            } else {
                begin_line();
                out_.append(line);
                end_line();
            }
            more = nl != std::string_view::npos;
            if (more) text.remove_prefix(nl + 1);
        }
        begin_line();
        out_ += fence;
        end_line();
    }

    // Info strings, link destinations and titles: cmark decodes entities *before* it
    // removes backslash escapes there (cmark_clean_url, cmark_clean_title), so "\\&amp;"
    // would still become "&"; an '&' that would form an entity is written "&amp;".
    void escape_attribute(std::string_view s, std::string_view also_escaped) {
        for (std::size_t i = 0; i < s.size(); ++i) {
            auto c = static_cast<unsigned char>(s[i]);
            if (is_control(c)) {
                append_char_reference(out_, c);
            } else if (c == '&' && forms_entity(s, i)) {
                out_ += "&amp;";
            } else {
                if (c == '\\' || also_escaped.find(static_cast<char>(c)) != std::string_view::npos)
                    out_ += '\\';
                out_ += static_cast<char>(c);
            }
        }
    }

    void thematic_break() {
        // "---" right under a line of text would be a setext underline, on a list
        // marker's line ("- ---") a thematic break of its own, and as the first line of
        // the file a front matter fence: use "___" there.
        bool plain = last_line_blank_ && !marker_pending_ && !out_.empty();
        begin_line();
        out_ += plain ? "---" : "___";
        end_line();
    }

    void list(const List& l, char delimiter) {
        bool tight = can_be_tight(l) && (l.tight || !looseness_visible(l));
        std::string marker;
        std::string indent;
        for (std::size_t i = 0; i < l.items.size(); ++i) {
            if (i > 0 && !tight) blank_line();
            marker.clear();
            if (l.ordered) {
                long long n = std::clamp(item_number(l, i), 0LL, kMaxListNumber);
                marker = std::to_string(n);
            }
            marker += delimiter;
            marker += ' ';
            indent.assign(marker.size(), ' ');
            // A task's box goes before its first paragraph ("- [x] done"); an item that
            // does not open with a paragraph cannot show one, and loses its state.
            if (l.task(i) != TaskState::None && !l.items[i].empty() &&
                std::holds_alternative<Paragraph>(l.items[i].front().node) && written(l.items[i].front()))
                marker += l.task(i) == TaskState::Done ? "[x] " : "[ ] ";
            std::size_t saved = open_container(marker, indent);
            blocks(l.items[i], tight, false);
            close_container(saved);
        }
    }

    // ------------------------------------------------------------------ inlines

    // Writes the inline content of one paragraph or heading.
    void line_text(const Inlines& content, TextStart start, bool break_as_space) {
        next_start_ = start;
        break_as_space_ = break_as_space;
        tildes_pair_ = tildes(content) > 1;
        inlines(content, 0, CharClass::space);
        tildes_pair_ = true;
        next_start_ = TextStart::mid_line;
    }

    // The tildes a run of inlines may write: in its text, and two per Strikeout.
    static std::size_t tildes(const Inlines& content) {
        std::size_t n = 0;
        for (const Inline& in : content) {
            if (const auto* t = std::get_if<Text>(&in)) n += static_cast<std::size_t>(std::count(t->text.begin(), t->text.end(), '~'));
            else if (const auto* i = std::get_if<Image>(&in)) n += static_cast<std::size_t>(std::count(i->alt.begin(), i->alt.end(), '~'));
            if (std::holds_alternative<Strikeout>(in)) n += 2;
            if (const Inlines* children = inline_children(in)) n += tildes(*children);
            if (n > 1) return n;
        }
        return n;
    }

    EscapeContext escape_context() const { return EscapeContext{in_table_cell_, in_link_, tildes_pair_}; }

    // Writes a run of inlines. `parent_delimiter`: the emphasis character of the
    // enclosing Emphasis or Strong (0 if none), which a first or last child must not
    // repeat, or "*" + "**" would read as one run. `end_class`: what follows the run.
    void inlines(const Inlines& list, char parent_delimiter, CharClass end_class) {
        std::size_t end = visible_end(list);
        char previous_delimiter = 0;
        bool first = true;
        std::size_t i = 0;
        auto skip_silent = [&](std::size_t k) {
            while (k < end && writes_nothing(list[k])) ++k;
            return k;
        };
        for (i = skip_silent(0); i < end; i = skip_silent(i + 1)) {
            const Inline& in = list[i];
            std::size_t next = skip_silent(i + 1);
            // An emphasis next to this one is taken to write its delimiter (punctuation);
            // should it be written without, this one's closer may not read back the same.
            CharClass after = next < end ? first_class(list[next]) : end_class;
            char left = first ? parent_delimiter : previous_delimiter;
            char right = next == end ? parent_delimiter : 0;
            char delimiter = 0;
            std::visit(
                Overload{
                    [&](const Text& t) {
                        bool before_link = next < end && std::holds_alternative<Link>(list[next]);
                        escape_text(t.text, next_start_, before_link, out_, escape_context());
                        next_start_ = TextStart::mid_line;
                    },
                    [&](const Code& c) {
                        // Adjacent code spans would run their fences together: one span.
                        if (next < end && std::holds_alternative<Code>(list[next])) {
                            std::string merged = c.text;
                            for (; next < end && std::holds_alternative<Code>(list[next]); next = skip_silent(next + 1))
                                merged += std::get<Code>(list[next]).text;
                            code_span(merged);
                            i = next - 1;  // the loop resumes at `next`
                        } else {
                            code_span(c.text);
                        }
                        next_start_ = TextStart::mid_line;
                    },
                    [&](const LineBreak&) {
                        if (break_as_space_) {
                            out_ += ' ';
                            return;
                        }
                        out_ += spaced_break_ ? "  \n" : "\\\n";
                        spaced_break_ = false;
                        begin_line();
                        next_start_ = TextStart::line;
                    },
                    [&](const Emphasis& e) { delimiter = emphasis(e.children, 1, left, right, after); },
                    [&](const Strong& s) { delimiter = emphasis(s.children, 2, left, right, after); },
                    [&](const Link& l) { link(l, after); },
                    // TODO(issue 12, milestone 3): delimiters that read back the same.
                    [&](const Strikeout& s) { strikeout(s.children, left, right, after); },
                    [&](const Superscript& s) { wrapped_inlines("<sup>", s.children, "</sup>"); },
                    [&](const Subscript& s) { wrapped_inlines("<sub>", s.children, "</sub>"); },
                    [&](const Image& image) { this->image(image); },
                    [&](const Note& n) {
                        out_ += "[^" + std::to_string(note_number(n)) + "]";
                        next_start_ = TextStart::mid_line;
                    },
                },
                in.base());
            previous_delimiter = delimiter;
            first = false;
        }
    }

    // Writes Emphasis (count 1) or Strong (count 2) with a delimiter that CommonMark's
    // flanking rules accept here, avoiding `left`/`right` (the delimiters next to it).
    // White space at the ends of the content is written as a reference (&#32;), which
    // cmark reads as punctuation for flanking, so "* a *" becomes "*&#32;a&#32;*".
    // When neither '*' nor '_' can work ("a*(b)*c"), writes the content without the
    // emphasis, so that what is written reads back the same every time. Returns the
    // delimiter used, or 0.
    char emphasis(const Inlines& children, std::size_t count, char left, char right, CharClass after) {
        CharClass before = class_before();
        // "***x***" reads as emphasis around strong: one run of three, flanked by the
        // strong's content.
        if (count == 1 && left != '*' && right != '*') {
            if (const Strong* lone = lone_strong(children);
                lone && usable('*', before, content_first_class(lone->children),
                               content_last_class(lone->children), after)) {
                delimited("***", lone->children, '*');
                return '*';
            }
        }
        CharClass first = content_first_class(children);
        CharClass last = content_last_class(children);
        for (char candidate : {'*', '_'}) {
            if (candidate == left || candidate == right) continue;
            if (!usable(candidate, before, first, last, after)) continue;
            delimited(std::string(count, candidate), children, candidate);
            return candidate;
        }
        inlines(children, left, after);
        return 0;
    }

    // Can `delimiter` open and close here, without its opener being taken for the closer
    // of an enclosing emphasis that uses the same character?
    bool usable(char delimiter, CharClass before, CharClass first, CharClass last, CharClass after) const {
        Flanking f = flanking(delimiter, before, first, last, after);
        if (!f.opens || !f.closes) return false;
        return !f.opener_can_close || open_delimiters_.find(delimiter) == std::string::npos;
    }

    void delimited(const std::string& run, const Inlines& children, char delimiter) {
        out_ += run;
        open_delimiters_ += delimiter;
        next_start_ = TextStart::heading;  // a leading space becomes &#32;
        std::size_t start = out_.size();
        inlines(children, delimiter, CharClass::punctuation);
        next_start_ = TextStart::mid_line;
        keep_trailing_space(start);
        open_delimiters_.pop_back();
        out_ += run;
    }

    // The class of the character written last (a line start counts as white space).
    CharClass class_before() const {
        if (out_.empty()) return CharClass::space;
        std::size_t at = out_.size();
        return classify(text::prev(out_, at));
    }

    void code_span(std::string_view s) {
        if (in_table_cell_ && s.find('|') != std::string_view::npos) {
            // GFM splits a row at every unescaped '|', code spans included, and turns
            // "\|" into "|" before reading the cell.
            std::string escaped;
            for (char c : s) {
                if (c == '|') escaped += '\\';
                escaped += c;
            }
            bool saved = in_table_cell_;
            in_table_cell_ = false;
            code_span(escaped);
            in_table_cell_ = saved;
            return;
        }
        std::string fence(longest_run(s, '`') + 1, '`');
        // cmark strips one space from each end when both are there (and the content is
        // not all spaces): pad so that content starting or ending with '`' or ' ' survives.
        bool pad = s.front() == '`' || s.back() == '`' ||
                   (s.front() == ' ' && s.back() == ' ' &&
                    s.find_first_not_of(' ') != std::string_view::npos);
        out_ += fence;
        if (pad) out_ += ' ';
        out_.append(s);
        if (pad) out_ += ' ';
        out_ += fence;
    }

    // "~~" flanks as '*' does (cmark-gfm scans it with the same rules); where it cannot
    // open and close, <del>...</del>, which the reader reads back as Strikeout too.
    void strikeout(const Inlines& children, char left, char right, CharClass after) {
        CharClass before = class_before();
        CharClass first = content_first_class(children);
        CharClass last = content_last_class(children);
        if (left != '~' && right != '~' && usable('*', before, first, last, after)) {
            out_ += "~~";
            next_start_ = TextStart::heading;  // a leading space becomes &#32;
            std::size_t start = out_.size();
            inlines(children, '~', CharClass::punctuation);
            next_start_ = TextStart::mid_line;
            keep_trailing_space(start);
            out_ += "~~";
            return;
        }
        wrapped_inlines("<del>", children, "</del>");
    }

    void wrapped_inlines(std::string_view open, const Inlines& children, std::string_view close) {
        out_ += open;
        next_start_ = TextStart::mid_line;
        inlines(children, 0, CharClass::punctuation);
        out_ += close;
        next_start_ = TextStart::mid_line;
    }

    void image(const Image& i) {
        if (i.extra->width > 0) {  // a width Markdown cannot say: the <img> tag GFM renders, read back the same
            std::string html;
            html_image(i, html, true);
            if (in_table_cell_)
                for (std::size_t at = html.find('|'); at != std::string::npos; at = html.find('|', at))
                    html.replace(at, 1, "&#124;");
            out_ += html;
            next_start_ = TextStart::mid_line;
            return;
        }
        out_ += "![";
        escape_text(i.alt, TextStart::mid_line, false, out_, escape_context());
        out_ += "](";
        link_destination(i.src, !i.title.empty());
        if (!i.title.empty()) {
            out_ += " \"";
            escape_attribute(i.title, in_table_cell_ ? "\"|" : "\"");
            out_ += '"';
        }
        out_ += ')';
        next_start_ = TextStart::mid_line;
    }

    void link(const Link& l, CharClass after) {
        // Links do not nest: keep the inner link's text. A link to script is written as it
        // is in the model (the readers of HTML and raw <a> tags drop such targets; a
        // Markdown link's stays, as cmark reads it), so that Markdown dconv writes reads
        // back to the same document (the roundtrip fuzz harness).
        if (in_link_) {
            inlines(l.children, 0, after);
            return;
        }
        in_link_ = true;
        out_ += '[';
        next_start_ = TextStart::mid_line;
        inlines(l.children, 0, CharClass::punctuation);
        out_ += "](";
        link_destination(l.url, !l.title.empty());
        if (!l.title.empty()) {
            out_ += " \"";
            escape_attribute(l.title, in_table_cell_ ? "\"|" : "\"");
            out_ += '"';
        }
        out_ += ')';
        in_link_ = false;
        next_start_ = TextStart::mid_line;
    }

    // A bare destination may not contain spaces or control characters and needs balanced
    // parentheses; otherwise, or when it is empty and a title follows (the title would be
    // read as the destination), it goes in <...>.
    void link_destination(std::string_view url, bool has_title) {
        int depth = 0;
        bool bare = url.empty() ? !has_title : url.front() != '<';
        for (char ch : url) {
            auto c = static_cast<unsigned char>(ch);
            if (c <= ' ' || c == 0x7F) bare = false;
            if (ch == '(') ++depth;
            if (ch == ')' && --depth < 0) bare = false;
        }
        if (depth != 0) bare = false;
        if (!bare) out_ += '<';
        // cmark trims white space inside <...>, before decoding references
        std::string_view inner = url;
        std::size_t lead = 0, trail = 0;
        while (lead < inner.size() && is_space_or_tab(inner[lead])) ++lead;
        while (trail < inner.size() - lead && is_space_or_tab(inner[inner.size() - 1 - trail])) ++trail;
        for (std::size_t k = 0; k < lead; ++k) append_char_reference(out_, static_cast<unsigned char>(inner[k]));
        // In a table cell every '|' is escaped, or GFM would end the cell there.
        escape_attribute(inner.substr(lead, inner.size() - lead - trail),
                         bare ? (in_table_cell_ ? "|" : "") : (in_table_cell_ ? "<>|" : "<>"));
        for (std::size_t k = inner.size() - trail; k < inner.size(); ++k)
            append_char_reference(out_, static_cast<unsigned char>(inner[k]));
        if (!bare) out_ += '>';
    }

    std::string& out_;
    std::string prefix_;        // what every line in the current container starts with
    std::string marker_line_;   // the first line's start, markers included, while pending
    bool marker_pending_ = false;
    TrailingList trailing_;  // blocks() to and from definition_list(): see TrailingList
    bool last_line_blank_ = true;
    TextStart next_start_ = TextStart::mid_line;
    bool break_as_space_ = false;
    bool spaced_break_ = false;  // the next line break as two spaces (paragraph())
    // The paragraphs being written that are definition list entries (definition_list()).
    std::unordered_set<const Block*> definition_entries_;
    bool in_link_ = false;
    bool in_table_cell_ = false;
    bool tildes_pair_ = true;  // the paragraph being written has two tildes or more
    std::string open_delimiters_;  // of the emphasis being written, outermost first
    // Referenced so far, in order; defined at the end. Copies: a paragraph may be written
    // from a modified copy of its inlines (paragraph()), which does not outlive it.
    std::vector<Note> notes_;
    NoteNumbers note_numbers_;  // of notes_, in order, and of their later references
};

}  // namespace

std::string escape_markdown(std::string_view text, bool at_line_start) {
    std::string out;
    out.reserve(text.size() + text.size() / 8 + 8);
    escape_text(text, at_line_start ? TextStart::line : TextStart::mid_line, false, out);
    return out;
}

std::string write_markdown(const Document& doc, const WriteOptions& options) {
    std::string out;
    out.reserve(4096);
    Writer(out).document(doc, options);
    return out;
}

}  // namespace dconv
