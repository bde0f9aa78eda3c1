#include "dconv/model.hpp"

#include <algorithm>
#include <set>
#include <type_traits>

namespace dconv {

namespace {

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

void append_plain(const Inlines& inlines, std::string& out) {
    for (const Inline& in : inlines) {
        std::visit(Overload{
                       [&](const Text& t) { out += t.text; },
                       [&](const Code& c) { out += c.text; },
                       [&](const LineBreak&) { out += ' '; },
                       [&](const Image& i) { out += i.alt; },
                       [&](const Note&) {},  // not running text: plain_text(Block) adds it
                       [&](const auto& container) { append_plain(container.children, out); },
                   },
                   in.base());
    }
}

void append_plain(const Block& block, std::string& out);

// Notes' content, in order, after the block that holds their references.
void collect_notes(const Inlines& inlines, std::vector<const Note*>& notes) {
    for (const Inline& in : inlines) {
        if (const auto* n = std::get_if<Note>(&in)) notes.push_back(n);
        else if (const Inlines* children = inline_children(in)) collect_notes(*children, notes);
    }
}

void append_plain_with_notes(const Inlines& inlines, std::string& out) {
    append_plain(inlines, out);
    std::vector<const Note*> notes;
    collect_notes(inlines, notes);
    for (const Note* n : notes)
        for (const Block& b : n->content) append_plain(b, out);
}

void append_plain(const Block& block, std::string& out) {
    auto sep = [&] {
        if (!out.empty() && out.back() != '\n') out += '\n';
    };
    auto rows = [&](const std::vector<TableRow>& section) {
        for (const TableRow& row : section) {
            sep();
            for (std::size_t c = 0; c < row.cells.size(); ++c) {
                if (c > 0) out += '\t';
                std::string cell;
                for (const Block& b : row.cells[c].content) append_plain(b, cell);
                for (char& ch : cell)
                    if (ch == '\n') ch = ' ';
                out += cell;
            }
        }
    };
    std::visit(Overload{
                   [&](const Heading& h) { sep(); append_plain_with_notes(h.content, out); },
                   [&](const Paragraph& p) { sep(); append_plain_with_notes(p.content, out); },
                   [&](const CodeBlock& c) { sep(); out += c.text; },
                   [&](const ThematicBreak&) {},
                   [&](const BlockQuote& q) {
                       for (const Block& b : q.children) append_plain(b, out);
                   },
                   [&](const List& l) {
                       for (const Blocks& item : l.items)
                           for (const Block& b : item) append_plain(b, out);
                   },
                   [&](const Figure& f) {
                       for (const Block& b : f.content) append_plain(b, out);
                       if (!f.caption.empty()) { sep(); append_plain_with_notes(f.caption, out); }
                   },
                   [&](const Table& t) {
                       if (!t.caption.empty()) { sep(); append_plain_with_notes(t.caption, out); }
                       rows(t.head);
                       rows(t.body);
                   },
                   [&](const DefinitionList& d) {
                       for (const DefinitionItem& item : d.items) {
                           for (const Inlines& term : item.terms) { sep(); append_plain_with_notes(term, out); }
                           for (const Blocks& definition : item.definitions)
                               for (const Block& b : definition) append_plain(b, out);
                       }
                   },
               },
               block.node);
}

struct Validator {
    const Document& doc;
    std::vector<std::string> problems;

    void inlines(const Inlines& list, const std::string& where, int depth, int notes_deep) {
        for (const Inline& in : list) {
            std::visit(Overload{
                           [&](const Text& t) {
                               if (t.text.find('\n') != std::string::npos)
                                   problems.push_back(where + ": newline inside text");
                           },
                           [&](const Code& c) {
                               if (c.text.find('\n') != std::string::npos)
                                   problems.push_back(where + ": newline inside inline code");
                           },
                           [&](const LineBreak&) {},
                           [&](const Image& i) {
                               if (i.alt.find('\n') != std::string::npos)
                                   problems.push_back(where + ": newline inside image alt text");
                               if (!i.resource.empty() && !doc.resources.count(i.resource))
                                   problems.push_back(where + ": image resource \"" + i.resource +
                                                      "\" not in the document's resources");
                           },
                           [&](const Note& n) {
                               // a note may cite notes, kMaxNoteNesting deep at most
                               if (notes_deep >= kMaxNoteNesting)
                                   problems.push_back(where + ": notes nested deeper than " +
                                                      std::to_string(kMaxNoteNesting) + " notes");
                               blocks(n.content, depth + 1, where + "/note", notes_deep + 1);
                           },
                           [&](const auto& container) {
                               inlines(container.children, where, depth, notes_deep);
                           },
                       },
                       in.base());
        }
    }

    void caption(const Inlines& list, const std::string& where, int depth, int notes_deep) {
        for (const Inline& in : list)
            if (std::holds_alternative<LineBreak>(in))
                problems.push_back(where + ": line break inside a caption");
        inlines(list, where, depth, notes_deep);
    }

    // Places the cells of one section (head or body) on a grid of `width` columns, as
    // HTML does: each cell takes the leftmost column no span from above covers.
    void section(const std::vector<TableRow>& rows, std::size_t width, const std::string& where,
                 int depth, int notes_deep) {
        std::vector<std::size_t> covered(width, 0);  // rows each column is still covered for
        for (std::size_t r = 0; r < rows.size(); ++r) {
            std::string row_where = where + "/" + std::to_string(r);
            std::size_t col = 0;
            bool reported = false;
            for (std::size_t c = 0; c < rows[r].cells.size(); ++c) {
                const TableCell& cell = rows[r].cells[c];
                std::string cell_where = row_where + "/" + std::to_string(c);
                blocks(cell.content, depth + 1, cell_where, notes_deep);
                if (cell.row_span < 1 || cell.col_span < 1) {
                    problems.push_back(cell_where + ": span below 1");
                    reported = true;
                    continue;
                }
                while (col < width && covered[col] > 0) ++col;
                std::size_t span = static_cast<std::size_t>(cell.col_span);
                if (cell.row_span > 1 && static_cast<std::size_t>(cell.row_span) > rows.size() - r)
                    problems.push_back(cell_where + ": row span past the end of its section");
                if (col + span > width) {
                    if (!reported)
                        problems.push_back(row_where + ": row wider than the table's " +
                                           std::to_string(width) + " columns");
                    reported = true;
                    col = width;
                    continue;
                }
                for (std::size_t k = col; k < col + span; ++k) {
                    if (covered[k] > 0 && !reported) {
                        problems.push_back(cell_where + ": cell overlaps a row span from above");
                        reported = true;
                    }
                    covered[k] = static_cast<std::size_t>(cell.row_span);
                }
                col += span;
            }
            for (std::size_t k = 0; k < width && !reported; ++k)
                if (covered[k] == 0) {
                    problems.push_back(row_where + ": row narrower than the table's " +
                                       std::to_string(width) + " columns");
                    reported = true;
                }
            for (std::size_t& n : covered)
                if (n > 0) --n;
        }
    }

    void table(const Table& t, const std::string& here, int depth, int notes_deep) {
        caption(t.caption, here + "/caption", depth, notes_deep);
        if (t.columns.empty()) problems.push_back(here + ": table without columns");
        if (t.columns.size() > kMaxTableColumns)
            problems.push_back(here + ": table wider than " + std::to_string(kMaxTableColumns) +
                               " columns");
        if (t.head.empty() && t.body.empty()) problems.push_back(here + ": table without rows");
        if (const std::string& direction = t.locale->direction; !direction.empty() && direction != "rtl" && direction != "ltr")
            problems.push_back(here + ": table direction \"" + direction + "\" (not rtl or ltr)");
        if (t.columns.empty() || t.columns.size() > kMaxTableColumns) return;
        section(t.head, t.columns.size(), here + "/head", depth, notes_deep);
        section(t.body, t.columns.size(), here + "/body", depth, notes_deep);
    }

    void blocks(const Blocks& list, int depth, const std::string& where, int notes_deep) {
        if (depth > kMaxNesting) {
            problems.push_back(where + ": nested deeper than " + std::to_string(kMaxNesting));
            return;
        }
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Block& b = list[i];
            std::string here = where + "/" + std::to_string(i);
            if (b.source.known() && b.source.last < b.source.first)
                problems.push_back(here + ": source range ends before it starts");
            std::visit(Overload{
                           [&](const Heading& h) {
                               if (h.level < 1 || h.level > 6)
                                   problems.push_back(here + ": heading level " +
                                                      std::to_string(h.level));
                               inlines(h.content, here, depth, notes_deep);
                           },
                           [&](const Paragraph& p) { inlines(p.content, here, depth, notes_deep); },
                           [&](const CodeBlock&) {},
                           [&](const ThematicBreak&) {},
                           [&](const BlockQuote& q) { blocks(q.children, depth + 1, here, notes_deep); },
                           [&](const List& l) {
                               if (l.items.empty()) problems.push_back(here + ": empty list");
                               if (!l.tasks.empty() && l.tasks.size() != l.items.size())
                                   problems.push_back(here + ": " + std::to_string(l.tasks.size()) +
                                                      " task states for " +
                                                      std::to_string(l.items.size()) + " items");
                               for (const Blocks& item : l.items) blocks(item, depth + 1, here, notes_deep);
                           },
                           [&](const Figure& f) {
                               if (f.content.empty()) problems.push_back(here + ": figure without content");
                               blocks(f.content, depth + 1, here, notes_deep);
                               caption(f.caption, here + "/caption", depth, notes_deep);
                           },
                           [&](const Table& t) { table(t, here, depth, notes_deep); },
                           [&](const DefinitionList& d) {
                               if (d.items.empty()) problems.push_back(here + ": empty definition list");
                               for (const DefinitionItem& item : d.items) {
                                   if (item.terms.empty())
                                       problems.push_back(here + ": definition without a term");
                                   for (const Inlines& term : item.terms) inlines(term, here, depth, notes_deep);
                                   for (const Blocks& definition : item.definitions)
                                       blocks(definition, depth + 1, here, notes_deep);
                               }
                           },
                       },
                       b.node);
        }
    }

    void resources() {
        if (doc.resources.size() > kMaxImages)
            problems.push_back("resources: more than " + std::to_string(kMaxImages) + " images");
        for (const auto& [key, resource] : doc.resources) {
            if (!resource) problems.push_back("resources/" + key + ": null");
            else if (resource->bytes.size() > kMaxImageBytes)
                problems.push_back("resources/" + key + ": larger than " +
                                   std::to_string(kMaxImageBytes) + " bytes");
        }
    }
};

void normalize_blocks(Blocks& blocks);

}  // namespace

std::string plain_text(const Inlines& inlines) {
    std::string out;
    append_plain(inlines, out);
    return out;
}

std::string plain_text(const Block& block) {
    std::string out;
    append_plain(block, out);
    return out;
}

void normalize(Inlines& inlines) {
    Inlines out;
    out.reserve(inlines.size());
    for (Inline& in : inlines) {
        if (Inlines* children = inline_children(in)) normalize(*children);
        if (auto* n = std::get_if<Note>(&in)) normalize_blocks(n->content);
        if (auto* t = std::get_if<Text>(&in)) {
            if (t->text.empty()) continue;
            if (!out.empty())
                if (auto* prev = std::get_if<Text>(&out.back())) {
                    prev->text += t->text;
                    continue;
                }
        }
        out.push_back(std::move(in));
    }
    inlines = std::move(out);
}

namespace {

void normalize_blocks(Blocks& blocks) {
    for (Block& b : blocks) {
        std::visit(Overload{
                       [](Heading& h) { normalize(h.content); },
                       [](Paragraph& p) { normalize(p.content); },
                       [](CodeBlock&) {},
                       [](ThematicBreak&) {},
                       [](BlockQuote& q) { normalize_blocks(q.children); },
                       [](List& l) {
                           for (Blocks& item : l.items) normalize_blocks(item);
                       },
                       [](Figure& f) {
                           normalize_blocks(f.content);
                           normalize(f.caption);
                       },
                       [](Table& t) {
                           normalize(t.caption);
                           for (auto* section : {&t.head, &t.body})
                               for (TableRow& row : *section)
                                   for (TableCell& cell : row.cells) normalize_blocks(cell.content);
                       },
                       [](DefinitionList& d) {
                           for (DefinitionItem& item : d.items) {
                               for (Inlines& term : item.terms) normalize(term);
                               for (Blocks& definition : item.definitions) normalize_blocks(definition);
                           }
                       },
                   },
                   b.node);
    }
}

// One pass of HTML's table placement over a section, clipping spans as it goes.
// `limit` caps the width (cells starting beyond it are dropped and counted); returns the
// width the section needs.
std::size_t place_section(std::vector<TableRow>& rows, std::size_t limit, std::size_t& dropped) {
    std::vector<std::size_t> covered;  // grows as cells reach further right
    std::size_t width = 0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::vector<TableCell>& cells = rows[r].cells;
        std::size_t col = 0;
        std::size_t kept = 0;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            TableCell& cell = cells[c];
            cell.row_span = std::clamp(cell.row_span, 1, static_cast<int>(rows.size() - r));
            cell.col_span = std::clamp(cell.col_span, 1, static_cast<int>(kMaxTableColumns));
            while (col < covered.size() && covered[col] > 0) ++col;
            if (col >= limit) {
                ++dropped;
                continue;
            }
            std::size_t span = 0;  // free columns from col, up to the wanted span and limit
            while (span < static_cast<std::size_t>(cell.col_span) && col + span < limit &&
                   (col + span >= covered.size() || covered[col + span] == 0))
                ++span;
            cell.col_span = static_cast<int>(span);
            if (covered.size() < col + span) covered.resize(col + span, 0);
            for (std::size_t k = col; k < col + span; ++k)
                covered[k] = static_cast<std::size_t>(cell.row_span);
            col += span;
            if (kept != c) cells[kept] = std::move(cell);
            ++kept;
        }
        cells.resize(kept);
        width = std::max(width, covered.size());
        for (std::size_t& n : covered)
            if (n > 0) --n;
    }
    return width;
}

// Pads each row of a section placed within `width` columns with empty cells where
// nothing covers it. Placement fills the leftmost free columns first, so the free ones
// are all to the right of the row's last cell.
void pad_section(std::vector<TableRow>& rows, std::size_t width) {
    std::vector<std::size_t> covered(width, 0);
    for (TableRow& row : rows) {
        std::size_t col = 0;
        for (const TableCell& cell : row.cells) {
            while (col < width && covered[col] > 0) ++col;
            for (std::size_t k = col; k < col + static_cast<std::size_t>(cell.col_span) && k < width; ++k)
                covered[k] = static_cast<std::size_t>(cell.row_span);
            col += static_cast<std::size_t>(cell.col_span);
        }
        for (std::size_t k = 0; k < width; ++k)
            if (covered[k] == 0) {
                row.cells.push_back(TableCell{});
                covered[k] = 1;
            }
        for (std::size_t& n : covered)
            if (n > 0) --n;
    }
}

}  // namespace

Inlines* inline_children(Inline& in) {
    if (auto* e = std::get_if<Emphasis>(&in)) return &e->children;
    if (auto* s = std::get_if<Strong>(&in)) return &s->children;
    if (auto* l = std::get_if<Link>(&in)) return &l->children;
    if (auto* s = std::get_if<Strikeout>(&in)) return &s->children;
    if (auto* s = std::get_if<Superscript>(&in)) return &s->children;
    if (auto* s = std::get_if<Subscript>(&in)) return &s->children;
    return nullptr;
}

const Inlines* inline_children(const Inline& in) { return inline_children(const_cast<Inline&>(in)); }

bool contains_image(const Inlines& inlines, bool or_link) {
    for (const Inline& in : inlines) {
        if (std::holds_alternative<Image>(in) || (or_link && std::holds_alternative<Link>(in))) return true;
        if (const Inlines* children = inline_children(in); children && contains_image(*children, or_link)) return true;
    }
    return false;
}

void remove_list_items(List& list, const std::vector<bool>& drop) {
    bool tasks = list.tasks.size() == list.items.size();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < list.items.size(); ++i) {
        if (i < drop.size() && drop[i]) continue;
        if (kept != i) {
            list.items[kept] = std::move(list.items[i]);
            if (tasks) list.tasks[kept] = list.tasks[i];
        }
        ++kept;
    }
    list.items.resize(kept);
    if (tasks) list.tasks.resize(kept);
}

std::size_t normalize_table(Table& table) {
    std::size_t dropped = 0;
    std::size_t width = std::max(place_section(table.head, kMaxTableColumns, dropped),
                                 place_section(table.body, kMaxTableColumns, dropped));
    width = std::clamp<std::size_t>(std::max(width, table.columns.size()), 1, kMaxTableColumns);
    table.columns.resize(width, Alignment::Default);
    pad_section(table.head, width);
    pad_section(table.body, width);
    return dropped;
}

std::string list_number(long long number, NumberStyle style) {
    switch (style) {
        case NumberStyle::Decimal: break;
        case NumberStyle::LowerAlpha:
        case NumberStyle::UpperAlpha: {
            if (number <= 0) break;
            const char a = style == NumberStyle::LowerAlpha ? 'a' : 'A';
            std::string out;
            for (long long n = number; n > 0; n = (n - 1) / 26) out.insert(out.begin(), static_cast<char>(a + (n - 1) % 26));
            return out;
        }
        case NumberStyle::LowerRoman:
        case NumberStyle::UpperRoman: {
            if (number <= 0 || number > 3999) break;
            static constexpr struct { int value; const char* digits; } kRoman[] = {
                {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
                {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}};
            std::string out;
            long long n = number;
            for (const auto& r : kRoman)
                for (; n >= r.value; n -= r.value) out += r.digits;
            if (style == NumberStyle::UpperRoman)
                for (char& c : out) c = static_cast<char>(c - 'a' + 'A');
            return out;
        }
    }
    return std::to_string(number);
}

long long item_number(const List& list, std::size_t index) {
    const long long i = static_cast<long long>(index);
    return list.reversed ? static_cast<long long>(list.start) - i : static_cast<long long>(list.start) + i;
}

NoteContents labelled_note_contents(const Document& doc) {
    NoteContents contents;
    each_inline(doc.blocks, [&](const Inline& in, const Block&) {
        if (const auto* note = std::get_if<Note>(&in.base()); note && !note->label.empty() && !note->content.empty())
            contents.try_emplace(note->label, note->content);
    });
    return contents;
}

void restore_note_contents(Document& doc, NoteContents kept) {
    std::set<std::string, std::less<>> seen;
    each_inline(doc.blocks, [&](Inline& in, const Block&) {
        auto* note = std::get_if<Note>(&in.base());
        if (!note || note->label.empty()) return;
        if (!seen.insert(note->label).second) {
            note->content.clear();  // a later reference
            return;
        }
        if (!note->content.empty()) return;
        if (auto from = kept.find(note->label); from != kept.end()) note->content = std::move(from->second);
    });
}

NoteNumbers::Reference NoteNumbers::reference(const Note& note) {
    if (!note.label.empty()) {
        auto [at, added] = labels_.try_emplace(note.label, last_ + 1);
        if (!added) return {at->second, false};
    }
    return {++last_, true};
}

Inlines* inline_content(Block& block) {
    if (auto* h = std::get_if<Heading>(&block.node)) return &h->content;
    if (auto* p = std::get_if<Paragraph>(&block.node)) return &p->content;
    return nullptr;
}

const Inlines* inline_content(const Block& block) {
    return inline_content(const_cast<Block&>(block));
}

Block make_heading(int level, std::string text, SourceRange source) {
    return Block{Heading{level, {Text{std::move(text)}}}, source};
}

Block make_paragraph(std::string text, SourceRange source) {
    return Block{Paragraph{{Text{std::move(text)}}}, source};
}

Block make_paragraph(Inlines content, SourceRange source) {
    return Block{Paragraph{std::move(content)}, source};
}

std::vector<std::string> validate(const Document& doc) {
    Validator v{doc, {}};
    v.blocks(doc.blocks, 0, "blocks", 0);
    v.resources();
    return std::move(v.problems);
}

}  // namespace dconv
