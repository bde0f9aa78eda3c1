// markdown_test_support.hpp: shared by the Markdown writer, reader and round-trip tests:
// a compact native dump of the model (so a failed comparison shows the trees), document
// builders, and file helpers.
#pragma once

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>

#include "dconv/document.hpp"
#include "dconv/model.hpp"

namespace dconv::test {

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

inline void quote(std::string_view s, std::string& out) {
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    out += '"';
}

inline void describe(const Blocks& blocks, std::string& out, int indent, bool tightness);

inline void describe(const Inlines& inlines, std::string& out) {
    out += '[';
    bool first = true;
    for (const Inline& in : inlines) {
        if (!first) out += ", ";
        first = false;
        std::visit(Overload{
                       [&](const Text& t) { out += "Str "; quote(t.text, out); },
                       [&](const Code& c) { out += "Code "; quote(c.text, out); },
                       [&](const LineBreak&) { out += "LineBreak"; },
                       [&](const Emphasis& e) { out += "Emph "; describe(e.children, out); },
                       [&](const Strong& s) { out += "Strong "; describe(s.children, out); },
                       [&](const Link& l) {
                           out += "Link ";
                           describe(l.children, out);
                           out += ' ';
                           quote(l.url, out);
                           out += ' ';
                           quote(l.title, out);
                       },
                       [&](const Strikeout& s) { out += "Strikeout "; describe(s.children, out); },
                       [&](const Superscript& s) { out += "Superscript "; describe(s.children, out); },
                       [&](const Subscript& s) { out += "Subscript "; describe(s.children, out); },
                       [&](const Image& i) {
                           out += "Image ";
                           quote(i.alt, out);
                           out += ' ';
                           quote(i.src, out);
                           out += ' ';
                           quote(i.title, out);
                           out += " resource=";
                           quote(i.resource, out);
                       },
                       [&](const Note& n) {
                           std::string inner;
                           describe(n.content, inner, 0, false);
                           while (!inner.empty() && inner.back() == '\n') inner.pop_back();
                           for (char& c : inner)
                               if (c == '\n') c = ';';
                           out += "Note ";
                           if (!n.label.empty()) {  // referenced more than once
                               quote(n.label, out);
                               out += ' ';
                           }
                           out += "{" + inner + "}";
                       },
                   },
                   in.base());
    }
    out += ']';
}

inline void describe(const Blocks& blocks, std::string& out, int indent, bool tightness) {
    for (const Block& b : blocks) {
        out.append(static_cast<std::size_t>(indent) * 2, ' ');
        std::visit(Overload{
                       [&](const Heading& h) {
                           out += "Header " + std::to_string(h.level) + ' ';
                           describe(h.content, out);
                           out += '\n';
                       },
                       [&](const Paragraph& p) {
                           out += "Para ";
                           describe(p.content, out);
                           out += '\n';
                       },
                       [&](const CodeBlock& c) {
                           out += "CodeBlock ";
                           quote(c.info, out);
                           out += ' ';
                           quote(c.text, out);
                           out += '\n';
                       },
                       [&](const ThematicBreak&) { out += "HorizontalRule\n"; },
                       [&](const BlockQuote& q) {
                           out += "BlockQuote\n";
                           describe(q.children, out, indent + 1, tightness);
                       },
                       [&](const List& l) {
                           out += l.ordered ? "OrderedList " + std::to_string(l.start) : "BulletList";
                           if (l.ordered && l.style != NumberStyle::Decimal) out += " style " + list_number(1, l.style);
                           if (l.ordered && l.reversed) out += " reversed";
                           if (tightness) out += l.tight ? " tight" : " loose";
                           out += '\n';
                           for (std::size_t i = 0; i < l.items.size(); ++i) {
                               out.append(static_cast<std::size_t>(indent + 1) * 2, ' ');
                               TaskState t = l.task(i);
                               out += t == TaskState::Done ? "item [x]\n" : t == TaskState::Open ? "item [ ]\n" : "item\n";
                               describe(l.items[i], out, indent + 2, tightness);
                           }
                       },
                       [&](const Figure& f) {
                           out += "Figure ";
                           describe(f.caption, out);
                           out += '\n';
                           describe(f.content, out, indent + 1, tightness);
                       },
                       [&](const DefinitionList& d) {
                           out += "DefinitionList\n";
                           for (const DefinitionItem& item : d.items) {
                               for (const Inlines& term : item.terms) {
                                   out.append(static_cast<std::size_t>(indent + 1) * 2, ' ');
                                   out += "term ";
                                   describe(term, out);
                                   out += '\n';
                               }
                               for (const Blocks& definition : item.definitions) {
                                   out.append(static_cast<std::size_t>(indent + 1) * 2, ' ');
                                   out += "definition\n";
                                   describe(definition, out, indent + 2, tightness);
                               }
                           }
                       },
                       [&](const Table& t) {
                           out += "Table ";
                           describe(t.caption, out);
                           out += " [";
                           for (Alignment a : t.columns)
                               out += a == Alignment::Left ? 'L' : a == Alignment::Center ? 'C' : a == Alignment::Right ? 'R' : 'D';
                           out += "]\n";
                           for (const auto* section : {&t.head, &t.body}) {
                               for (const TableRow& row : *section) {
                                   out.append(static_cast<std::size_t>(indent + 1) * 2, ' ');
                                   out += section == &t.head ? "head row\n" : "row\n";
                                   for (const TableCell& cell : row.cells) {
                                       out.append(static_cast<std::size_t>(indent + 2) * 2, ' ');
                                       out += "cell " + std::to_string(cell.row_span) + "x" +
                                              std::to_string(cell.col_span) + "\n";
                                       describe(cell.content, out, indent + 3, tightness);
                                   }
                               }
                           }
                       },
                   },
                   b.node);
    }
}

// The model as readable text, for failure messages. `tightness`: show whether lists are
// tight (Document equality ignores it).
inline std::string describe(const Document& doc, bool tightness = true) {
    std::string out = "Meta title=";
    quote(doc.meta.title, out);
    out += " subtitle=";
    quote(doc.meta.subtitle, out);
    out += " authors=[";
    for (const auto& a : doc.meta.authors) {
        quote(a, out);
        out += ' ';
    }
    out += "] date=";
    quote(doc.meta.date, out);
    out += " site=";
    quote(doc.meta.site, out);
    out += " lang=";
    quote(doc.meta.language, out);
    out += " source=";
    quote(doc.meta.source, out);
    for (const auto& [k, v] : doc.meta.extra) {
        out += ' ' + k + '=';
        quote(v, out);
    }
    for (const auto& [k, items] : doc.meta.lists) {
        out += ' ' + k + "=[";
        for (const auto& item : items) {
            quote(item, out);
            out += ' ';
        }
        out += ']';
    }
    out += '\n';
    describe(doc.blocks, out, 0, tightness);
    return out;
}

// ------------------------------------------------------------------------ builders

inline Block para(Inlines content) { return Block{Paragraph{std::move(content)}, {}}; }
inline Block para(std::string text) { return Block{Paragraph{{Text{std::move(text)}}}, {}}; }
inline Block heading(int level, Inlines content) { return Block{Heading{level, std::move(content)}, {}}; }
inline Block code_block(std::string info, std::string text) {
    return Block{CodeBlock{std::move(info), std::move(text)}, {}};
}
inline Block quote_block(Blocks children) { return Block{BlockQuote{std::move(children)}, {}}; }
inline Block rule() { return Block{ThematicBreak{}, {}}; }
inline Block list(bool ordered, std::vector<Blocks> items, bool tight = true, int start = 1) {
    List l;
    l.ordered = ordered;
    l.start = start;
    l.tight = tight;
    l.items = std::move(items);
    return Block{std::move(l), {}};
}
inline Inline emph(Inlines children) { return Emphasis{std::move(children)}; }
inline Inline strong(Inlines children) { return Strong{std::move(children)}; }
inline Inline link(Inlines children, std::string url, std::string title = {}) {
    return Link{std::move(children), std::move(url), std::move(title)};
}

inline Document body(Blocks blocks) {
    Document doc;
    doc.blocks = std::move(blocks);
    return doc;
}

// -------------------------------------------------------------------------- files

inline std::string source_path(std::string_view relative) {
    return std::string(DCONV_SOURCE_DIR) + "/" + std::string(relative);
}

inline bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

}  // namespace dconv::test
