// plain_writer.cpp: the document as plain text, for a terminal or a mail.
//
// Layout, block by block (a blank line between blocks):
//   title block   the title, a line of '=' as wide as it; the subtitle; one line with
//                 authors, date and site joined by " · "
//   heading       levels 1-2 underlined with '=' / '-' as wide as the text, 3-6 plain
//   paragraph     wrapped at the columns (line_breaker.hpp), inline markup dropped:
//                 emphasis and links keep their text only, a line break breaks the line
//   list          "  * " or "  1. " markers, continuation lines hang under the text,
//                 nested lists indented further; tight lists have no blank lines
//   block quote   "> " before each line, wrapped that much narrower
//   code block    indented 4 spaces, never wrapped
//   rule          "* * *" centred
//   figure        its content, then its caption as a paragraph
//   table         the caption, then the rows as aligned columns two spaces apart (East
//                 Asian wide characters counted as two), a rule under the header, cells
//                 wrapped in their column when the table is wider than the text; a
//                 list in a cell one item a line, with its marker
// Inlines: an image as "[Image: alt]", strikeout as ~~text~~, superscript and subscript
// in Unicode super- and subscript characters when all have one, else ^(x) and _(x); a
// note as "[n]", numbered in order of appearance, its text at the end of the document
// after a rule ("[1] The note."); a task-list item's box as "[ ] " or "[x] ".
// No line ends in a space; the text ends with one newline.
#include "plain/plain_writer.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <string_view>
#include <variant>
#include <vector>

#include "core/text.hpp"
#include "dconv/model.hpp"
#include "plain/line_breaker.hpp"
#include "dconv/limits.hpp"

namespace dconv {

namespace {

using plain_detail::LineBreaker;

// Text never gets narrower than this (or the columns, if fewer), however deep the
// indentation: past that point lines overflow the columns rather than shrink to a word
// per line.
constexpr std::size_t kMinTextColumns = 10;
// With wrapping off (columns 0) a rule is centred as if on the default 72 columns.
constexpr std::size_t kUnwrappedRuleColumns = 72;
constexpr std::string_view kRule = "* * *";
constexpr std::string_view kCodeIndent = "    ";
constexpr std::string_view kBullet = "  * ";
constexpr std::string_view kOrderedMarkerIndent = "  ";
constexpr std::string_view kQuotePrefix = "> ";
// A definition under its term (as pandoc's plain writer indents it).
constexpr std::string_view kDefinitionIndent = "    ";
constexpr std::string_view kMetaSeparator = " \u00B7 ";  // " · "
// Between the columns of a table.
constexpr std::string_view kTableGap = "  ";
// A table column is not narrowed below this many columns to fit the width (or below its
// widest cell, if narrower): past that, the table overflows rather than wrap a word a line.
constexpr std::size_t kMinTableColumn = 8;

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

// Unicode's superscript and subscript forms of the characters that have both (digits,
// + - = ( ) and a few letters), as pandoc's plain writer uses them.
struct ScriptForm {
    char32_t c;
    std::string_view super;
    std::string_view sub;
};
constexpr ScriptForm kScriptForms[] = {
    {'0', "\u2070", "\u2080"}, {'1', "\u00B9", "\u2081"}, {'2', "\u00B2", "\u2082"},
    {'3', "\u00B3", "\u2083"}, {'4', "\u2074", "\u2084"}, {'5', "\u2075", "\u2085"},
    {'6', "\u2076", "\u2086"}, {'7', "\u2077", "\u2087"}, {'8', "\u2078", "\u2088"},
    {'9', "\u2079", "\u2089"}, {'+', "\u207A", "\u208A"}, {'-', "\u207B", "\u208B"},
    {'=', "\u207C", "\u208C"}, {'(', "\u207D", "\u208D"}, {')', "\u207E", "\u208E"},
    {'n', "\u207F", ""},       {'i', "\u2071", ""},       {'a', "", "\u2090"},
    {'e', "", "\u2091"},       {'o', "", "\u2092"},       {'x', "", "\u2093"},
};

// `text` in superscript (or subscript) characters, or ^(text) / _(text) when one of its
// characters has no such form.
std::string script(const std::string& text, bool super) {
    std::string out;
    for (char ch : text) {
        const ScriptForm* form = nullptr;
        for (const ScriptForm& f : kScriptForms)
            if (f.c == static_cast<unsigned char>(ch)) form = &f;
        std::string_view mapped = form ? (super ? form->super : form->sub) : std::string_view{};
        if (mapped.empty()) return std::string(super ? "^(" : "_(") + text + ")";
        out += mapped;
    }
    return out;
}

// The notes referenced so far, in order, and their references' numbers.
struct NoteList {
    std::vector<const Note*> notes;
    NoteNumbers numbers;
    // A reference's number: a note at its first reference is added (NoteNumbers).
    int number(const Note& n) {
        NoteNumbers::Reference ref = numbers.reference(n);
        if (ref.first) notes.push_back(&n);
        return ref.number;
    }
};

// The visible text of inlines for wrapping: markup dropped, a line break as '\n',
// tabs as spaces (a tab inside a wrapped paragraph has no meaningful width). Notes are
// written as "[n]" and added to `notes`.
void flatten(const Inlines& inlines, std::string& out, NoteList& notes) {
    auto append = [&](const std::string& s) {
        std::size_t from = out.size();
        out += s;
        if (s.find('\t') != std::string::npos)
            std::replace(out.begin() + static_cast<std::ptrdiff_t>(from), out.end(), '\t', ' ');
    };
    // Pictures side by side (a figure's two images, linked or not) are apart by a space,
    // as a page shows them apart, not "[Image: a][Image: b]".
    bool after_picture = false;
    auto picture = [](const Inline& in) {
        if (std::holds_alternative<Image>(in.base())) return true;
        const auto* link = std::get_if<Link>(&in.base());
        return link && !link->children.empty() && std::all_of(link->children.begin(), link->children.end(), [](const Inline& c) {
                   return std::holds_alternative<Image>(c.base());
               });
    };
    for (const Inline& in : inlines) {
        const bool is_picture = picture(in);
        if (is_picture && after_picture && !out.empty() && out.back() == ']') out += ' ';
        after_picture = is_picture;
        std::visit(Overload{
                       [&](const Text& t) { append(t.text); },
                       [&](const Code& c) { append(c.text); },
                       [&](const LineBreak&) { out += '\n'; },
                       [&](const Emphasis& e) { flatten(e.children, out, notes); },
                       [&](const Strong& s) { flatten(s.children, out, notes); },
                       [&](const Link& l) { flatten(l.children, out, notes); },
                       [&](const Image& i) { append(i.alt.empty() ? "[Image]" : "[Image: " + i.alt + "]"); },
                       [&](const Strikeout& s) {
                           out += "~~";
                           flatten(s.children, out, notes);
                           out += "~~";
                       },
                       [&](const Superscript& s) {
                           std::string inner;
                           flatten(s.children, inner, notes);
                           append(script(inner, true));
                       },
                       [&](const Subscript& s) {
                           std::string inner;
                           flatten(s.children, inner, notes);
                           append(script(inner, false));
                       },
                       [&](const Note& n) {
                           out += '[';
                           out += std::to_string(notes.number(n));
                           out += ']';
                       },
                   },
                   in.base());
    }
}

bool blank_text(std::string_view s) {
    return s.find_first_not_of(" \t\n") == std::string_view::npos;
}

// True when inlines show no text (checked without building the text).
bool blank_inlines(const Inlines& inlines) {
    return std::all_of(inlines.begin(), inlines.end(), [](const Inline& in) {
        return std::visit(Overload{
                              [](const Text& t) { return blank_text(t.text); },
                              [](const Code& c) { return blank_text(c.text); },
                              [](const LineBreak&) { return true; },
                              [](const Image&) { return false; },
                              [](const Note&) { return false; },
                              [](const auto& container) { return blank_inlines(container.children); },
                          },
                          in.base());
    });
}

// Blocks that would print nothing (an empty paragraph, a list without items) are
// skipped, so they leave no stray blank line.
bool renders_nothing(const Block& block) {
    return std::visit(Overload{
                          [](const Heading& h) { return blank_inlines(h.content); },
                          [](const Paragraph& p) { return blank_inlines(p.content); },
                          [](const List& l) { return l.items.empty(); },
                          [](const BlockQuote& q) {
                              return std::all_of(q.children.begin(), q.children.end(),
                                                 renders_nothing);
                          },
                          [](const CodeBlock& c) { return c.text.empty(); },
                          [](const ThematicBreak&) { return false; },
                          [](const Figure& f) {
                              return blank_inlines(f.caption) &&
                                     std::all_of(f.content.begin(), f.content.end(), renders_nothing);
                          },
                          [](const Table&) { return false; },
                          [](const DefinitionList& d) { return d.items.empty(); },
                      },
                      block.node);
}

// A line of a table cell before wrapping: a list item's marker ("* ", "1. ", indented
// under its list's item when nested; empty outside lists) and its text on one line.
struct CellLine {
    std::string marker;
    std::string text;
    std::size_t width() const { return text::display_width(marker) + text::display_width(text); }
};

// A table cell placed on the grid of columns, its text flattened to lines.
struct PlacedCell {
    std::size_t column = 0;
    std::size_t span = 1;
    std::vector<CellLine> lines;
    std::size_t width() const {
        std::size_t widest = 0;
        for (const CellLine& l : lines) widest = std::max(widest, l.width());
        return widest;
    }
};

class PlainWriter {
public:
    PlainWriter(const Document& doc, const WriteOptions& options)
        : doc_(doc), columns_(options.columns > 0 ? static_cast<std::size_t>(options.columns) : 0),
          breaker_(doc.meta.language) {}

    std::string run() {
        const Blocks& blocks = doc_.blocks;
        std::size_t first = 0;
        if (title_block()) {
            // A reader may keep the title as the first heading too: print it once.
            if (!blocks.empty() && same_as_title(blocks.front())) first = 1;
            if (std::any_of(blocks.begin() + static_cast<std::ptrdiff_t>(first), blocks.end(),
                            [](const Block& b) { return !renders_nothing(b); }))
                blank_line();
        }
        write_blocks(blocks, first, false);
        write_notes();
        return std::move(out_);
    }

private:
    // A level of indentation: what goes before the first line written inside it (a list
    // marker) and before every later line.
    struct Frame {
        std::string first;
        std::string rest;
        bool used = false;
    };

    // ------------------------------------------------------------------- lines

    void line(std::string_view text) {
        std::size_t start = out_.size();
        for (Frame& f : frames_) {
            out_ += f.used ? f.rest : f.first;
            f.used = true;
        }
        out_ += text;
        std::size_t end = out_.find_last_not_of(" \t");
        out_.resize(end == std::string::npos || end < start ? start : end + 1);
        out_ += '\n';
    }

    void blank_line() { line({}); }

    // Columns left for text inside the current frames; 0 when not wrapping.
    std::size_t text_columns() const {
        if (columns_ == 0) return 0;
        std::size_t indent = 0;
        for (const Frame& f : frames_) indent += text::display_width(f.rest);
        std::size_t floor = std::min(kMinTextColumns, columns_);
        return columns_ > indent + floor ? columns_ - indent : floor;
    }

    // Writes `text` wrapped for the current frames. With `measure`, returns the widest
    // line's columns (for an underline); otherwise 0, sparing paragraphs the count.
    std::size_t wrapped(std::string_view text, bool measure = false) {
        lines_.clear();
        breaker_.wrap(text, text_columns(), lines_);
        while (!lines_.empty() && lines_.back().empty()) lines_.pop_back();
        std::size_t first = 0;
        while (first < lines_.size() && lines_[first].empty()) ++first;
        std::size_t widest = 0;
        for (std::size_t i = first; i < lines_.size(); ++i) {
            line(lines_[i]);
            if (measure) widest = std::max(widest, text::display_width(lines_[i]));
        }
        return widest;
    }

    void underline(char c, std::size_t width) {
        std::size_t limit = text_columns();
        if (limit) width = std::min(width, limit);
        line(std::string(width, c));
    }

    // ------------------------------------------------------------------ title block

    bool title_block() {
        const Meta& meta = doc_.meta;
        std::vector<std::string> byline;
        std::string authors;
        for (const std::string& a : meta.authors) {
            if (a.empty()) continue;
            if (!authors.empty()) authors += ", ";
            authors += a;
        }
        for (const std::string* part : {&std::as_const(authors), &meta.date, &meta.site})
            if (!part->empty()) byline.push_back(*part);
        if (meta.title.empty() && meta.subtitle.empty() && byline.empty()) return false;
        if (!meta.title.empty()) underline('=', wrapped(meta.title, true));
        if (!meta.subtitle.empty()) wrapped(meta.subtitle);
        write_byline(byline);
        return true;
    }

    // The byline's parts joined by " · ", breaking between parts rather than inside
    // one, so that no line ends with a dangling separator.
    void write_byline(const std::vector<std::string>& parts) {
        std::size_t limit = text_columns();
        std::string current;
        std::size_t current_columns = 0;
        for (const std::string& part : parts) {
            std::size_t columns = text::display_width(part);
            std::size_t joined = current_columns + text::display_width(kMetaSeparator) + columns;
            if (!current.empty() && (limit == 0 || joined <= limit)) {
                current += kMetaSeparator;
                current += part;
                current_columns = joined;
                continue;
            }
            if (!current.empty()) wrapped(current);
            current = part;
            current_columns = columns;
        }
        if (!current.empty()) wrapped(current);
    }

    bool same_as_title(const Block& block) const {
        const auto* heading = std::get_if<Heading>(&block.node);
        return heading && !doc_.meta.title.empty() &&
               text::squeeze_spaces(plain_text(heading->content)) ==
                   text::squeeze_spaces(doc_.meta.title);
    }

    // ----------------------------------------------------------------------- blocks

    void write_blocks(const Blocks& blocks, std::size_t from, bool tight) {
        bool any = false;
        for (std::size_t i = from; i < blocks.size(); ++i) {
            if (renders_nothing(blocks[i])) continue;
            if (any && !tight) blank_line();
            write_block(blocks[i]);
            any = true;
        }
    }

    void write_block(const Block& block) {
        check_deadline();  // --timeout (dconv/limits.hpp)
        std::visit(Overload{
                       [&](const Heading& h) { write_heading(h); },
                       [&](const Paragraph& p) { write_inlines(p.content); },
                       [&](const List& l) { write_list(l); },
                       [&](const BlockQuote& q) { write_quote(q); },
                       [&](const CodeBlock& c) { write_code(c); },
                       [&](const ThematicBreak&) { write_rule(); },
                       [&](const Figure& f) { write_figure(f); },
                       [&](const Table& t) { write_table(t); },
                       [&](const DefinitionList& d) { write_definitions(d); },
                   },
                   block.node);
    }

    // Each term on a line of its own, its definitions under it, indented; entries apart.
    void write_definitions(const DefinitionList& list) {
        bool any = false;
        for (const DefinitionItem& item : list.items) {
            if (any) blank_line();
            any = true;
            for (const Inlines& term : item.terms) write_inlines(term);
            frames_.push_back({std::string(kDefinitionIndent), std::string(kDefinitionIndent)});
            for (std::size_t d = 0; d < item.definitions.size(); ++d) {
                if (d > 0) blank_line();
                write_blocks(item.definitions[d], 0, false);
            }
            frames_.pop_back();
        }
    }

    std::size_t write_inlines(const Inlines& inlines, bool measure = false) {
        scratch_.clear();
        flatten(inlines, scratch_, notes_);
        return wrapped(scratch_, measure);
    }

    void write_figure(const Figure& figure) {
        write_blocks(figure.content, 0, false);
        if (blank_inlines(figure.caption)) return;
        if (std::any_of(figure.content.begin(), figure.content.end(),
                        [](const Block& b) { return !renders_nothing(b); }))
            blank_line();
        write_inlines(figure.caption);
    }

    // ------------------------------------------------------------------------ tables

    // A cell's text: its blocks' text joined by spaces on one line, tabs as spaces, except
    // that each item of a list starts a line of its own with its marker, as the list would
    // outside the table (07:00 and 12:00 of a <ul> are two lines, not "07:00 12:00").
    std::vector<CellLine> cell_text(const TableCell& cell) {
        std::vector<CellLine> lines;
        cell_lines(cell.content, "", "", lines);
        if (lines.empty()) lines.emplace_back();
        for (CellLine& l : lines) {
            std::replace(l.text.begin(), l.text.end(), '\n', ' ');
            std::replace(l.text.begin(), l.text.end(), '\t', ' ');
            l.text = text::squeeze_spaces(l.text);
        }
        return lines;
    }

    // The lines of `blocks`, the first starting with `first_marker` (a list item's), the
    // others with `rest_marker` (as much white space, under the item's text).
    void cell_lines(const Blocks& blocks, const std::string& first_marker, const std::string& rest_marker,
                    std::vector<CellLine>& out) {
        bool first = true;
        bool open = false;  // the last line takes the next block's text, after a space
        auto start_line = [&] {
            out.push_back(CellLine{first ? first_marker : rest_marker, {}});
            first = false;
        };
        for (const Block& b : blocks) {
            if (const auto* list = std::get_if<List>(&b.node)) {
                if (first && !first_marker.empty()) start_line();  // an item opening with a list
                for (std::size_t i = 0; i < list->items.size(); ++i) {
                    std::string marker = rest_marker;
                    marker += list->ordered ? list_number(item_number(*list, i), list->style) + ". "
                                            : std::string(text::trim(kBullet)) + " ";
                    if (list->task(i) != TaskState::None) marker += list->task(i) == TaskState::Done ? "[x] " : "[ ] ";
                    std::size_t before = out.size();
                    cell_lines(list->items[i], marker, std::string(text::display_width(marker), ' '), out);
                    if (out.size() == before) out.push_back(CellLine{marker, {}});  // an empty item
                }
                first = false;
                open = false;
                continue;
            }
            if (!open) start_line();
            std::string& text = out.back().text;
            if (!text.empty()) text += ' ';
            if (const Inlines* content = inline_content(b)) flatten(*content, text, notes_);
            else text += plain_text(b);
            open = true;
        }
    }

    // The widest run of a cell's text that has no break opportunity (its longest word),
    // with the marker before it in a list item.
    std::size_t longest_word(const PlacedCell& cell) {
        std::size_t widest = 0;
        for (const CellLine& l : cell.lines) {
            lines_.clear();
            breaker_.wrap(l.text, 1, lines_);
            // a list item's words stand after its marker
            const std::size_t marker = text::display_width(l.marker);
            widest = std::max(widest, marker);
            for (std::string_view word : lines_) widest = std::max(widest, marker + text::display_width(word));
        }
        return widest;
    }

    // Column widths: each column as wide as its widest cell (a spanning cell counts only
    // where it is wider than the columns it spans); when they do not fit the text width,
    // the widest are narrowed to a common cap, never below kMinTableColumn nor their
    // longest word (words are not cut: a table whose words do not fit overflows the
    // width, its columns still aligned), and their cells wrapped.
    std::vector<std::size_t> column_widths(const std::vector<std::vector<PlacedCell>>& rows, std::size_t count) {
        std::vector<std::size_t> natural(count, 0), least(count, kMinTableColumn);
        for (const auto& row : rows)
            for (const PlacedCell& c : row)
                if (c.span == 1) {
                    natural[c.column] = std::max(natural[c.column], c.width());
                    if (text_columns() > 0) least[c.column] = std::max(least[c.column], longest_word(c));
                }
        for (const auto& row : rows)
            for (const PlacedCell& c : row) {
                if (c.span == 1) continue;
                std::size_t have = kTableGap.size() * (c.span - 1);
                for (std::size_t k = c.column; k < c.column + c.span; ++k) have += natural[k];
                std::size_t want = c.width();
                if (want > have) natural[c.column + c.span - 1] += want - have;
            }
        std::size_t limit = text_columns();
        std::size_t gaps = kTableGap.size() * (count - 1);
        // A floor is capped at what leaves every other column kMinTableColumn: a wider word
        // (a long URL) overflows its own lines instead of widening every row.
        if (limit > gaps + (count - 1) * kMinTableColumn) {
            const std::size_t most = std::max(kMinTableColumn, limit - gaps - (count - 1) * kMinTableColumn);
            for (std::size_t& floor : least) floor = std::min(floor, std::max(most, kMinTableColumn));
        }
        auto total = [&](std::size_t cap) {
            std::size_t sum = gaps;
            for (std::size_t k = 0; k < count; ++k) sum += std::min(natural[k], std::max(cap, least[k]));
            return sum;
        };
        if (limit == 0 || total(SIZE_MAX) <= limit) return natural;
        std::size_t low = 0, high = *std::max_element(natural.begin(), natural.end());
        while (low < high) {  // the largest cap that fits
            std::size_t mid = (low + high + 1) / 2;
            if (total(mid) <= limit) low = mid;
            else high = mid - 1;
        }
        std::vector<std::size_t> widths(count);
        for (std::size_t k = 0; k < count; ++k) widths[k] = std::min(natural[k], std::max(low, least[k]));
        return widths;
    }

    static std::string aligned(std::string_view text, std::size_t width, Alignment a) {
        std::size_t have = text::display_width(text);
        std::size_t pad = width > have ? width - have : 0;
        std::size_t left = a == Alignment::Right ? pad : a == Alignment::Center ? pad / 2 : 0;
        return std::string(left, ' ') + std::string(text) + std::string(pad - left, ' ');
    }

    // A table as aligned columns: the caption above, cells separated by two spaces,
    // aligned as the columns say, a rule of '-' under the header rows, long cells
    // wrapped within their column; a cell spanning rows is written in its first row.
    void write_table(const Table& table) {
        if (!blank_inlines(table.caption)) write_inlines(table.caption);
        std::size_t count = table.columns.size();
        if (count == 0) return;
        std::vector<std::vector<PlacedCell>> rows;
        std::size_t head_rows = table.head.size();
        for (const auto* section : {&table.head, &table.body}) {
            std::vector<std::size_t> covered(count, 0);
            for (const TableRow& row : *section) {
                std::vector<PlacedCell> placed;
                std::size_t column = 0;
                for (const TableCell& cell : row.cells) {
                    while (column < count && covered[column] > 0) ++column;
                    if (column >= count) break;
                    std::size_t span = std::min<std::size_t>(std::max(cell.col_span, 1), count - column);
                    for (std::size_t k = column; k < column + span; ++k)
                        covered[k] = static_cast<std::size_t>(std::max(cell.row_span, 1));
                    placed.push_back(PlacedCell{column, span, cell_text(cell)});
                    column += span;
                }
                for (std::size_t& n : covered)
                    if (n > 0) --n;
                rows.push_back(std::move(placed));
            }
        }
        std::vector<std::size_t> widths = column_widths(rows, count);
        auto align_of = [&](std::size_t column, bool head) {
            Alignment a = table.columns[column];
            return head && a == Alignment::Default ? Alignment::Left : a;
        };
        for (std::size_t r = 0; r < rows.size(); ++r) {
            bool head = r < head_rows;
            // each cell's wrapped lines
            std::vector<std::vector<std::string>> cell_lines(rows[r].size());
            std::size_t height = 1;
            for (std::size_t c = 0; c < rows[r].size(); ++c) {
                const PlacedCell& cell = rows[r][c];
                std::size_t width = kTableGap.size() * (cell.span - 1);
                for (std::size_t k = cell.column; k < cell.column + cell.span; ++k) width += widths[k];
                for (const CellLine& cell_line : cell.lines) {
                    // a list item's lines hang under its text, where the column leaves room
                    std::size_t hang = text::display_width(cell_line.marker);
                    if (hang >= width) hang = 0;
                    std::string unhung = hang > 0 ? std::string() : cell_line.marker + cell_line.text;
                    lines_.clear();  // views into the text wrapped
                    breaker_.wrap(hang > 0 ? std::string_view(cell_line.text) : unhung, width - hang, lines_);
                    if (lines_.empty()) lines_.emplace_back();
                    for (std::size_t k = 0; k < lines_.size(); ++k) {
                        std::string wrapped = hang == 0 ? std::string() : k == 0 ? cell_line.marker : std::string(hang, ' ');
                        cell_lines[c].push_back(wrapped.append(lines_[k]));
                    }
                }
                height = std::max(height, cell_lines[c].size());
            }
            for (std::size_t l = 0; l < height; ++l) {
                std::string text;
                std::size_t column = 0;
                for (std::size_t c = 0; c < rows[r].size(); ++c) {
                    const PlacedCell& cell = rows[r][c];
                    for (; column < cell.column; ++column) {  // columns covered from above
                        if (column > 0) text += kTableGap;
                        text += std::string(widths[column], ' ');
                    }
                    if (column > 0) text += kTableGap;
                    std::size_t width = kTableGap.size() * (cell.span - 1);
                    for (std::size_t k = cell.column; k < cell.column + cell.span; ++k) width += widths[k];
                    std::string_view content = l < cell_lines[c].size() ? std::string_view(cell_lines[c][l]) : "";
                    text += aligned(content, width, align_of(cell.column, head));
                    column = cell.column + cell.span;
                }
                line(text);
            }
            if (head && r + 1 == head_rows) {
                std::string rule;
                for (std::size_t k = 0; k < count; ++k) {
                    if (k > 0) rule += kTableGap;
                    rule += std::string(widths[k], '-');
                }
                line(rule);
            }
        }
    }

    // The notes' text, numbered as their references, after a rule. A note that cites a
    // note adds it to the list being written, numbered after the others.
    void write_notes() {
        if (notes_.notes.empty()) return;
        blank_line();
        write_rule();
        for (std::size_t i = 0; i < notes_.notes.size(); ++i) {  // notes_ may grow meanwhile
            const Note* note = notes_.notes[i];
            blank_line();
            Frame frame;
            frame.first = '[';
            frame.first += std::to_string(i + 1);
            frame.first += "] ";
            frame.rest = std::string(frame.first.size(), ' ');
            frames_.push_back(std::move(frame));
            if (std::all_of(note->content.begin(), note->content.end(), renders_nothing))
                line({});
            else
                write_blocks(note->content, 0, false);
            frames_.pop_back();
        }
        notes_ = {};
    }

    void write_heading(const Heading& h) {
        std::size_t width = write_inlines(h.content, h.level <= 2);
        if (h.level == 1) underline('=', width);
        if (h.level == 2) underline('-', width);
    }

    void write_list(const List& list) {
        // an ordered list's markers, right-aligned to the widest (a. b., i. ii., 10. 9.)
        std::vector<std::string> numbers;
        std::size_t marker_width = 0;
        if (list.ordered) {
            numbers.reserve(list.items.size());
            for (std::size_t i = 0; i < list.items.size(); ++i) {
                numbers.push_back(list_number(item_number(list, i), list.style));
                marker_width = std::max(marker_width, numbers.back().size());
            }
        }
        bool any = false;
        for (std::size_t i = 0; i < list.items.size(); ++i) {
            const Blocks& item = list.items[i];
            if (any && !list.tight) blank_line();
            any = true;
            Frame frame;
            if (list.ordered) {
                const std::string& digits = numbers[i];
                frame.first = std::string(kOrderedMarkerIndent) +
                              std::string(marker_width - digits.size(), ' ') + digits + ". ";
            } else {
                frame.first = std::string(kBullet);
            }
            frame.rest = std::string(frame.first.size(), ' ');
            if (list.task(i) != TaskState::None) {
                frame.first += list.task(i) == TaskState::Done ? "[x] " : "[ ] ";
                frame.rest += "    ";
            }
            frames_.push_back(std::move(frame));
            if (std::all_of(item.begin(), item.end(), renders_nothing))
                line({});  // an empty item still shows its marker
            else
                write_blocks(item, 0, list.tight);
            frames_.pop_back();
        }
    }

    void write_quote(const BlockQuote& quote) {
        frames_.push_back({std::string(kQuotePrefix), std::string(kQuotePrefix)});
        write_blocks(quote.children, 0, false);
        frames_.pop_back();
    }

    void write_code(const CodeBlock& code) {
        for (std::string_view l : text::split_lines(code.text)) {
            if (blank_text(l))
                line({});
            else
                line(std::string(kCodeIndent) + std::string(l));
        }
    }

    void write_rule() {
        std::size_t width = columns_ ? text_columns() : kUnwrappedRuleColumns;
        std::size_t pad = width > kRule.size() ? (width - kRule.size()) / 2 : 0;
        line(std::string(pad, ' ') + std::string(kRule));
    }

    const Document& doc_;
    std::size_t columns_;
    LineBreaker breaker_;
    std::vector<Frame> frames_;
    NoteList notes_;  // referenced so far, in order
    std::string out_;
    std::string scratch_;                 // a paragraph's flattened text, reused
    std::vector<std::string_view> lines_;  // its wrapped lines, reused
};

}  // namespace

std::string write_plain(const Document& doc, const WriteOptions& options) {
    return PlainWriter(doc, options).run();
}

}  // namespace dconv
