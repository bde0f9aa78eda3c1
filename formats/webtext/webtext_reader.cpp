#include "webtext/webtext_reader.hpp"

#include <algorithm>
#include <string>

#include "core/text.hpp"
#include "dconv/clean.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"
#include "markdown/cmark_inlines.hpp"

namespace dconv {

namespace {

// Hostile-input limit: list indentation deeper than this is read as this deep, so a
// 100k-level staircase of bullets cannot build a 100k-deep tree.
constexpr int kMaxListDepth = 16;
// An indented block is probed this far to tell code from indented prose.
constexpr std::size_t kCodeProbeLines = 20;
constexpr std::size_t kMaxCodeLineBytes = 200;
// html2text writes a link around blocks (a teaser card: picture, headline, date, blurb)
// as "[" ... "](target)" over several lines; the opening "[" is looked for this many
// lines above the closing "](": a card is a few lines, and farther back the "[" is
// more likely an unrelated bracket.
constexpr std::size_t kMaxBlockLinkLines = 15;
// Strong emphasis a scraper spread over several lines (Segmenter::find_block_strong)
// closes within this many lines of its opening: a bold subtitle of a few lines.
constexpr std::size_t kMaxStrongSpanLines = 15;

struct ListMarker {
    std::size_t indent = 0;   // columns before the marker
    bool ordered = false;
    int number = 1;
    std::string_view content;  // the text after the marker
};

std::size_t leading_columns(std::string_view line) {
    std::size_t cols = 0;
    for (char c : line) {
        if (c == ' ') ++cols;
        else if (c == '\t') cols += 4 - cols % 4;
        else break;
    }
    return cols;
}

// The line without its first `columns` columns of indentation (tabs expand to 4).
std::string_view strip_columns(std::string_view line, std::size_t columns) {
    std::size_t cols = 0, i = 0;
    while (i < line.size() && cols < columns && (line[i] == ' ' || line[i] == '\t')) {
        cols += line[i] == '\t' ? 4 - cols % 4 : 1;
        ++i;
    }
    return line.substr(i);
}

std::string_view skip_indent(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    return line.substr(i);
}

// Bullets of CommonMark (- + *) and of web text (• · ▪ ● ◦ ‣), or "12." / "12)".
bool parse_list_marker(std::string_view line, ListMarker& m) {
    std::string_view rest = skip_indent(line);
    m.indent = leading_columns(line);
    if (rest.empty()) return false;
    std::size_t after = 0;
    char c = rest[0];
    if (c == '-' || c == '+' || c == '*') {
        after = 1;
        m.ordered = false;
    } else if (c >= '0' && c <= '9') {
        std::size_t n = 0;
        while (n < rest.size() && n < 10 && rest[n] >= '0' && rest[n] <= '9') ++n;
        if (n > 9 || n >= rest.size() || (rest[n] != '.' && rest[n] != ')')) return false;
        m.ordered = true;
        m.number = std::stoi(std::string(rest.substr(0, n)));
        after = n + 1;
    } else {
        static constexpr std::string_view bullets[] = {"•", "·", "▪", "●", "◦", "‣", "■", "□", "◆"};
        for (auto b : bullets)
            if (rest.substr(0, b.size()) == b) after = b.size();
        if (!after) return false;
        m.ordered = false;
        // web-text bullets need no space after them ("•Item")
        m.content = text::trim(rest.substr(after));
        return !m.content.empty();
    }
    if (after < rest.size() && rest[after] != ' ' && rest[after] != '\t') return false;
    m.content = text::trim(rest.substr(after));
    return !m.content.empty();
}

bool is_thematic_break(std::string_view line) {
    std::string_view s = text::trim(line);
    if (s.size() < 3) return false;
    char mark = s[0];
    if (mark != '-' && mark != '*' && mark != '_') return false;
    std::size_t n = 0;
    for (char c : s) {
        if (c == mark) ++n;
        else if (c != ' ' && c != '\t') return false;
    }
    return n >= 3;
}

bool is_setext_underline(std::string_view line, int& level) {
    std::string_view s = text::trim(line);
    if (s.empty()) return false;
    char mark = s[0];
    if (mark != '=' && mark != '-') return false;
    for (char c : s)
        if (c != mark) return false;
    level = mark == '=' ? 1 : 2;
    return true;
}

// "## Title ##" → level 2, "Title"; false if the line is not an ATX heading.
bool parse_atx(std::string_view line, int& level, std::string_view& content) {
    std::string_view s = line;
    std::size_t ind = 0;
    while (ind < s.size() && ind < 4 && s[ind] == ' ') ++ind;
    if (ind > 3) return false;
    s = s.substr(ind);
    std::size_t n = 0;
    while (n < s.size() && s[n] == '#') ++n;
    if (n == 0 || n > 6 || (n < s.size() && s[n] != ' ' && s[n] != '\t')) return false;
    std::string_view rest = text::trim(s.substr(n));
    // optional closing sequence
    std::size_t end = rest.size();
    while (end > 0 && rest[end - 1] == '#') --end;
    if (end == 0 || rest[end - 1] == ' ' || rest[end - 1] == '\t') rest = text::trim(rest.substr(0, end));
    level = static_cast<int>(n);
    content = rest;
    return true;
}

// The inline content of a list item line: an item that is itself a heading ("* ## x")
// keeps the heading's text.
Inlines item_inlines(std::string_view content) {
    int level;
    std::string_view inner;
    if (parse_atx(content, level, inner)) content = inner;
    return parse_inline_markdown(content);
}

// The target of a line that closes a block link ("](/news/123) ...", "Author 12 ](/news/123)"),
// or empty: a "](" with no "[" before it on the line.
std::string_view block_link_close(std::string_view line) {
    std::size_t at = line.find("](");
    if (at == std::string_view::npos || line.substr(0, at).find('[') != std::string_view::npos) return {};
    std::size_t end = line.find(')', at + 2);
    if (end == std::string_view::npos || end == at + 2) return {};
    std::string_view target = line.substr(at + 2, end - at - 2);
    std::size_t space = target.find(' ');  // a title after the target ("](/x "Title")")
    return space == std::string_view::npos ? target : target.substr(0, space);
}

// The line ends a link's text open: a '[' with no ']' after it.
bool opens_block_link(std::string_view line) {
    std::size_t open = line.rfind('[');
    return open != std::string_view::npos && line.find(']', open) == std::string_view::npos;
}

// ------------------------------------------------------------ pipe tables (GFM)

// The cells of a table row: the line split at '|' not escaped by a backslash nor inside
// a code span, less one leading and one trailing pipe; each cell trimmed.
std::vector<std::string_view> row_cells(std::string_view line) {
    line = text::trim(line);
    if (!line.empty() && line.front() == '|') line.remove_prefix(1);
    if (!line.empty() && line.back() == '|' && (line.size() < 2 || line[line.size() - 2] != '\\'))
        line.remove_suffix(1);
    std::vector<std::string_view> cells;
    std::size_t start = 0;
    bool code = false;
    for (std::size_t k = 0; k < line.size(); ++k) {
        if (line[k] == '\\') {
            ++k;
            continue;
        }
        if (line[k] == '`') code = !code;
        if (line[k] == '|' && !code) {
            cells.push_back(text::trim(line.substr(start, k - start)));
            start = k + 1;
        }
    }
    cells.push_back(text::trim(line.substr(start)));
    return cells;
}

// A delimiter row ("|:---|---:|", "--- | ---"): its alignments, or none when it is not one.
std::vector<Alignment> delimiter_row(std::string_view line) {
    if (line.find('-') == std::string_view::npos) return {};
    std::vector<Alignment> out;
    for (std::string_view cell : row_cells(line)) {
        if (cell.empty()) return {};
        bool left = cell.front() == ':', right = cell.back() == ':';
        std::string_view dashes = cell.substr(left ? 1 : 0);
        if (right && !dashes.empty()) dashes.remove_suffix(1);
        if (dashes.empty() || dashes.find_first_not_of('-') != std::string_view::npos) return {};
        out.push_back(left && right ? Alignment::Center : right ? Alignment::Right : left ? Alignment::Left
                                                                                      : Alignment::Default);
    }
    return out;
}

class Segmenter {
public:
    explicit Segmenter(std::string_view text) : lines_(text::split_lines(text)) {
        find_block_links();
        find_block_strong();
    }

    Document run() {
        Document doc;
        // about one block per run of non-blank lines: reserved, so that a long page's
        // blocks are not moved (and their memory touched) at each doubling
        std::size_t runs = 0;
        for (std::size_t k = 0; k < lines_.size(); ++k)
            runs += !text::trim(lines_[k]).empty() && (k == 0 || text::trim(lines_[k - 1]).empty());
        doc.blocks.reserve(std::min(runs, kMaxBlocks + 1));
        std::size_t i = 0;
        while (i < lines_.size()) {
            std::string_view line = lines_[i];
            auto no = static_cast<std::uint32_t>(i + 1);
            check_deadline();
            // kMaxBlocks, before the cleaner scores them all (convert.cpp counts nested ones)
            if (doc.blocks.size() > kMaxBlocks)
                throw Error(ErrorKind::limit, "", no,
                            "more than " + std::to_string(kMaxBlocks) + " blocks, not converted");
            if (text::trim(line).empty()) {
                ++i;
                continue;
            }
            std::string_view body = skip_indent(line);
            int level = 0;
            std::string_view content;
            ListMarker marker;
            if ((body.substr(0, 3) == "```" || body.substr(0, 3) == "~~~")) {
                i = fenced_code(i, doc);
            } else if (leading_columns(line) >= 4 && (i == 0 || text::trim(lines_[i - 1]).empty()) &&
                       !parse_list_marker(line, marker) && looks_like_code(i)) {
                i = indented_code(i, doc);
            } else if (parse_atx(line, level, content)) {
                if (!content.empty())
                    doc.blocks.push_back(
                        Block{Heading{level, line_inlines(i, parse_inline_markdown(content))}, {no, no}});
                ++i;
            } else if (is_thematic_break(line) && !is_setext_for_previous(i, doc, level)) {
                doc.blocks.push_back(Block{ThematicBreak{}, {no, no}});
                ++i;
            } else if (is_setext_for_previous(i, doc, level)) {
                Block& prev = doc.blocks.back();
                auto& para = std::get<Paragraph>(prev.node);
                prev.node = Heading{level, std::move(para.content)};
                prev.source.last = no;
                ++i;
            } else if (starts_table(i)) {
                i = table(i, doc);
            } else if (body[0] == '>') {
                i = block_quote(i, doc);
            } else if (parse_list_marker(line, marker)) {
                i = list(i, doc);
            } else {
                Inlines content_inlines = line_inlines(i, strong_inlines(i, line));
                if (!content_inlines.empty())
                    doc.blocks.push_back(Block{Paragraph{std::move(content_inlines)}, {no, no}});
                ++i;
            }
        }
        return doc;
    }

private:
    // Marks the lines inside "[" ... "](target)" spans with their target, so that their
    // text counts as link text: a card's headline is a link, not a heading of the page.
    void find_block_links() {
        for (std::size_t j = 1; j < lines_.size(); ++j) {
            std::string_view target = block_link_close(lines_[j]);
            if (target.empty()) continue;
            std::size_t floor = j > kMaxBlockLinkLines ? j - kMaxBlockLinkLines : 0;
            for (std::size_t i = j; i-- > floor;) {
                bool closes = !block_link_close(lines_[i]).empty();
                if (!opens_block_link(lines_[i])) {
                    if (closes) break;  // another card's end
                    continue;
                }
                // the opening line is link text too when nothing but the bracket (or
                // the end of the card before) stands before its text
                std::string_view before = text::trim(lines_[i].substr(0, lines_[i].rfind('[')));
                bool whole = before.empty() || before == "*" || before == "-" || closes;
                std::size_t first = whole ? i : i + 1;
                if (first < j) {
                    if (link_target_.empty()) link_target_.resize(lines_.size());
                    for (std::size_t k = first; k < j; ++k) link_target_[k] = target;
                }
                break;
            }
        }
    }

    // Strong emphasis over several lines ("**Work starts in the autumn", "Budget of two
    // million", "... while the station is built**"): a scraper kept a bold subtitle's line
    // breaks. Each line of such a span is a strong line of its own, its markers gone. The
    // span's first line opens with "**" (or "__") and holds no other, its last line ends
    // with one and holds no other, the lines between hold none, and no blank line or more
    // than kMaxStrongSpanLines lines part them. Each line is looked at once or twice.
    void find_block_strong() {
        auto count = [](std::string_view line, std::string_view mark) {
            std::size_t n = 0;
            for (std::size_t at = line.find(mark); at != std::string_view::npos; at = line.find(mark, at + 2)) ++n;
            return n;
        };
        for (std::size_t i = 0; i + 1 < lines_.size(); ++i) {
            std::string_view first = text::trim(lines_[i]);
            std::string_view mark = first.substr(0, 2);
            if ((mark != "**" && mark != "__") || first.size() <= 2 || count(first, mark) != 1) continue;
            for (std::size_t j = i + 1; j < lines_.size() && j <= i + kMaxStrongSpanLines; ++j) {
                std::string_view line = text::trim(lines_[j]);
                if (line.empty()) break;
                std::size_t n = count(line, mark);
                if (n == 0) continue;
                if (n == 1 && line.size() > 2 && line.ends_with(mark)) {
                    if (strong_.empty()) strong_.resize(lines_.size(), 0);
                    for (std::size_t k = i; k <= j; ++k) strong_[k] = kStrongLine;
                    strong_[i] |= kStrongOpens;
                    strong_[j] |= kStrongCloses;
                    i = j;
                }
                break;
            }
        }
    }

    // Line `i`'s inlines: its Markdown, or, on a line of a strong span, its text less the
    // span's markers, strong.
    Inlines strong_inlines(std::size_t i, std::string_view line) const {
        if (strong_.empty() || !strong_[i]) return parse_inline_markdown(line);
        std::string_view inner = text::trim(line);
        if (strong_[i] & kStrongOpens) inner.remove_prefix(2);
        if (strong_[i] & kStrongCloses) inner.remove_suffix(2);
        Inlines content = parse_inline_markdown(text::trim(inner));
        if (content.empty()) return content;
        Inlines wrapped;
        wrapped.push_back(Strong{std::move(content)});
        return wrapped;
    }

    // The inline content of line `i`'s text, as a link when the line is inside a block link.
    Inlines line_inlines(std::size_t i, Inlines content) const {
        if (link_target_.empty() || link_target_[i].empty() || content.empty()) return content;
        Link link;
        link.children = std::move(content);
        link.url = std::string(link_target_[i]);
        Inlines wrapped;
        wrapped.push_back(std::move(link));
        return wrapped;
    }

    bool is_setext_for_previous(std::size_t i, const Document& doc, int& level) const {
        if (i == 0 || doc.blocks.empty()) return false;
        const Block& prev = doc.blocks.back();
        if (!std::holds_alternative<Paragraph>(prev.node)) return false;
        if (prev.source.last != i) return false;  // the paragraph must be on the line above
        return is_setext_underline(lines_[i], level);
    }

    std::size_t fenced_code(std::size_t i, Document& doc) {
        std::string_view open = skip_indent(lines_[i]);
        char mark = open[0];
        std::size_t fence = 0;
        while (fence < open.size() && open[fence] == mark) ++fence;
        CodeBlock code;
        code.info = std::string(text::trim(open.substr(fence)));
        std::size_t j = i + 1;
        for (; j < lines_.size(); ++j) {
            std::string_view body = skip_indent(lines_[j]);
            std::size_t n = 0;
            while (n < body.size() && body[n] == mark) ++n;
            if (n >= fence && text::trim(body.substr(n)).empty()) break;
            if (j > i + 1) code.text += '\n';
            code.text.append(lines_[j]);
        }
        auto last = static_cast<std::uint32_t>(std::min(j, lines_.size() - 1) + 1);
        doc.blocks.push_back(Block{std::move(code), {static_cast<std::uint32_t>(i + 1), last}});
        return j + 1;
    }

    // Text dumps indent for layout too (lynx indents every paragraph): an indented block
    // is code only when it reads like code: most of its lines short and carrying the
    // symbols of code, none a long line of prose.
    bool looks_like_code(std::size_t i) const {
        std::size_t lines = 0, coded = 0;
        for (std::size_t j = i; j < lines_.size() && lines < kCodeProbeLines; ++j) {
            std::string_view line = lines_[j];
            if (text::trim(line).empty()) continue;
            if (leading_columns(line) < 4) break;
            if (line.size() > kMaxCodeLineBytes) return false;
            ++lines;
            if (line.find_first_of("{};=$#<>()/\\|&*[]") != std::string_view::npos) ++coded;
        }
        return lines > 0 && coded * 2 >= lines;
    }

    // CommonMark's indented code: four columns of indentation after a blank line, up to
    // the first line indented less (blank lines inside are kept).
    std::size_t indented_code(std::size_t i, Document& doc) {
        CodeBlock code;
        std::size_t j = i, last = i;
        for (; j < lines_.size(); ++j) {
            std::string_view line = lines_[j];
            if (text::trim(line).empty()) continue;
            if (leading_columns(line) < 4) break;
            for (std::size_t k = last + (j == i ? 0 : 1); k < j; ++k) code.text += '\n';
            if (j != i) code.text += '\n';
            code.text.append(strip_columns(line, 4));
            last = j;
        }
        doc.blocks.push_back(Block{std::move(code), {static_cast<std::uint32_t>(i + 1),
                                                     static_cast<std::uint32_t>(last + 1)}});
        return last + 1;
    }

    // A GFM table starts at a row with a pipe over a delimiter row of as many cells,
    // at most kMaxTableColumns (wider stays text: no cell is lost to the cap).
    bool starts_table(std::size_t i) const {
        if (i + 1 >= lines_.size() || lines_[i].find('|') == std::string_view::npos) return false;
        std::vector<Alignment> alignments = delimiter_row(lines_[i + 1]);
        if (alignments.empty() || alignments.size() > kMaxTableColumns) return false;
        if (alignments.size() == 1 && lines_[i + 1].find('|') == std::string_view::npos) return false;  // a setext underline
        return row_cells(lines_[i]).size() == alignments.size();
    }

    // The table's rows run to a blank line or a line without a pipe.
    std::size_t table(std::size_t i, Document& doc) {
        Table table;
        table.columns = delimiter_row(lines_[i + 1]);
        auto row = [&](std::size_t j) {
            TableRow r;
            auto no = static_cast<std::uint32_t>(j + 1);
            for (std::string_view cell : row_cells(lines_[j])) {
                TableCell c;
                if (Inlines content = parse_inline_markdown(cell); !content.empty())
                    c.content.push_back(Block{Paragraph{std::move(content)}, {no, no}});
                r.cells.push_back(std::move(c));
                if (r.cells.size() == table.columns.size()) break;  // GFM: the excess is ignored
            }
            return r;
        };
        table.head.push_back(row(i));
        std::size_t j = i + 2;
        for (; j < lines_.size(); ++j) {
            check_deadline();
            if (text::trim(lines_[j]).empty() || lines_[j].find('|') == std::string_view::npos) break;
            table.body.push_back(row(j));
        }
        normalize_table(table);  // short rows padded
        doc.blocks.push_back(Block{std::move(table), {static_cast<std::uint32_t>(i + 1), static_cast<std::uint32_t>(j)}});
        return j;
    }

    std::size_t block_quote(std::size_t i, Document& doc) {
        BlockQuote quote;
        std::size_t j = i;
        for (; j < lines_.size(); ++j) {
            std::string_view body = skip_indent(lines_[j]);
            if (body.empty() || body[0] != '>') break;
            body.remove_prefix(1);
            while (!body.empty() && body[0] == '>') body.remove_prefix(1);  // nested: flatten
            Inlines content = parse_inline_markdown(body);
            auto no = static_cast<std::uint32_t>(j + 1);
            if (!content.empty()) quote.children.push_back(Block{Paragraph{std::move(content)}, {no, no}});
        }
        if (!quote.children.empty())
            doc.blocks.push_back(Block{std::move(quote), {static_cast<std::uint32_t>(i + 1),
                                                          static_cast<std::uint32_t>(j)}});
        return j;
    }

    // A run of list item lines, blank lines allowed between items; deeper indentation
    // nests. Each item holds one paragraph (its line) and maybe a nested list.
    std::size_t list(std::size_t i, Document& doc) {
        struct Open {
            std::size_t indent;
            List list;
            std::uint32_t first;
        };
        std::vector<Open> stack;
        std::uint32_t last_line = 0;
        auto close_top = [&]() {
            Open top = std::move(stack.back());
            stack.pop_back();
            Block block{std::move(top.list), {top.first, last_line}};
            if (stack.empty()) doc.blocks.push_back(std::move(block));
            else stack.back().list.items.back().push_back(std::move(block));
        };
        std::size_t j = i;
        while (j < lines_.size()) {
            ListMarker m;
            if (text::trim(lines_[j]).empty()) {
                std::size_t k = j;
                while (k < lines_.size() && text::trim(lines_[k]).empty()) ++k;
                if (k < lines_.size() && parse_list_marker(lines_[k], m) && !is_thematic_break(lines_[k])) {
                    j = k;
                    if (!stack.empty()) stack.front().list.tight = false;
                    continue;
                }
                break;
            }
            if (!parse_list_marker(lines_[j], m) || is_thematic_break(lines_[j])) break;
            auto no = static_cast<std::uint32_t>(j + 1);
            while (!stack.empty() && m.indent < stack.back().indent) close_top();
            if (!stack.empty() && m.indent == stack.back().indent && m.ordered != stack.back().list.ordered)
                close_top();
            if (stack.empty() || m.indent > stack.back().indent) {
                if (!stack.empty() && (stack.size() >= kMaxListDepth || stack.back().list.items.empty())) {
                    m.indent = stack.back().indent;  // too deep: flatten into the current list
                } else {
                    List l;
                    l.ordered = m.ordered;
                    l.start = m.number;
                    stack.push_back(Open{m.indent, std::move(l), no});
                }
            }
            Blocks item;
            Inlines content = line_inlines(j, item_inlines(m.content));
            if (!content.empty()) item.push_back(Block{Paragraph{std::move(content)}, {no, no}});
            stack.back().list.items.push_back(std::move(item));
            last_line = no;
            ++j;
        }
        while (!stack.empty()) close_top();
        return j;
    }

    std::vector<std::string_view> lines_;
    std::vector<std::string_view> link_target_;  // per line; empty unless some block link was found
    static constexpr std::uint8_t kStrongLine = 1, kStrongOpens = 2, kStrongCloses = 4;
    std::vector<std::uint8_t> strong_;  // per line; empty unless some strong span was found
};

}  // namespace

Document segment_webtext(std::string_view text, Diagnostics&) {
    return Segmenter(text).run();
}

Document read_webtext(std::string text, const ReadOptions& /*options: cleaned by read_document*/,
                      Diagnostics& diag) {
    Document doc = segment_webtext(text, diag);
    std::string().swap(text);
    return doc;
}

}  // namespace dconv
