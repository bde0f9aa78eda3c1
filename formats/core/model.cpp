#include "dconv/model.hpp"

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
                       [&](const Emphasis& e) { append_plain(e.children, out); },
                       [&](const Strong& s) { append_plain(s.children, out); },
                       [&](const Link& l) { append_plain(l.children, out); },
                   },
                   in.base());
    }
}

void append_plain(const Block& block, std::string& out) {
    auto sep = [&] {
        if (!out.empty() && out.back() != '\n') out += '\n';
    };
    std::visit(Overload{
                   [&](const Heading& h) { sep(); append_plain(h.content, out); },
                   [&](const Paragraph& p) { sep(); append_plain(p.content, out); },
                   [&](const CodeBlock& c) { sep(); out += c.text; },
                   [&](const ThematicBreak&) {},
                   [&](const BlockQuote& q) {
                       for (const Block& b : q.children) append_plain(b, out);
                   },
                   [&](const List& l) {
                       for (const Blocks& item : l.items)
                           for (const Block& b : item) append_plain(b, out);
                   },
               },
               block.node);
}

void validate_inlines(const Inlines& inlines, const std::string& where,
                      std::vector<std::string>& problems) {
    for (const Inline& in : inlines) {
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
                       [&](const Emphasis& e) { validate_inlines(e.children, where, problems); },
                       [&](const Strong& s) { validate_inlines(s.children, where, problems); },
                       [&](const Link& l) { validate_inlines(l.children, where, problems); },
                   },
                   in.base());
    }
}

void validate_blocks(const Blocks& blocks, int depth, const std::string& where,
                     std::vector<std::string>& problems) {
    if (depth > kMaxNesting) {
        problems.push_back(where + ": nested deeper than " + std::to_string(kMaxNesting));
        return;
    }
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const Block& b = blocks[i];
        std::string here = where + "/" + std::to_string(i);
        if (b.source.known() && b.source.last < b.source.first)
            problems.push_back(here + ": source range ends before it starts");
        std::visit(Overload{
                       [&](const Heading& h) {
                           if (h.level < 1 || h.level > 6)
                               problems.push_back(here + ": heading level " +
                                                  std::to_string(h.level));
                           validate_inlines(h.content, here, problems);
                       },
                       [&](const Paragraph& p) { validate_inlines(p.content, here, problems); },
                       [&](const CodeBlock&) {},
                       [&](const ThematicBreak&) {},
                       [&](const BlockQuote& q) {
                           validate_blocks(q.children, depth + 1, here, problems);
                       },
                       [&](const List& l) {
                           if (l.items.empty()) problems.push_back(here + ": empty list");
                           for (const Blocks& item : l.items)
                               validate_blocks(item, depth + 1, here, problems);
                       },
                   },
                   b.node);
    }
}

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
        if (auto* e = std::get_if<Emphasis>(&in)) normalize(e->children);
        if (auto* s = std::get_if<Strong>(&in)) normalize(s->children);
        if (auto* l = std::get_if<Link>(&in)) normalize(l->children);
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
    std::vector<std::string> problems;
    validate_blocks(doc.blocks, 0, "blocks", problems);
    return problems;
}

}  // namespace dconv
