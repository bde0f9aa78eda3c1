// dconv/document.hpp: the document model every reader produces and every writer consumes.
//
// A Document is metadata plus a sequence of blocks, after pandoc's `Pandoc Meta [Block]`.
// Blocks and inlines are std::variants of small structs; each block remembers the source
// lines it came from, so cleaning passes can explain themselves and tests can point at
// the input. Tree rules (what may contain what) live in validate(), in model.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace dconv {

// ---------------------------------------------------------------------------- inlines

struct Inline;
using Inlines = std::vector<Inline>;

struct Text {
    std::string text;  // UTF-8, NFC; never contains a newline
    bool operator==(const Text&) const = default;
};

struct Emphasis {
    Inlines children;
    bool operator==(const Emphasis&) const;
};

struct Strong {
    Inlines children;
    bool operator==(const Strong&) const;
};

struct Code {
    std::string text;
    bool operator==(const Code&) const = default;
};

struct Link {
    Inlines children;
    std::string url;
    std::string title;
    bool operator==(const Link&) const;
};

struct LineBreak {
    bool operator==(const LineBreak&) const = default;
};

struct Inline : std::variant<Text, Emphasis, Strong, Code, Link, LineBreak> {
    using variant::variant;
    const variant& base() const { return *this; }
    variant& base() { return *this; }
};

inline bool Emphasis::operator==(const Emphasis& o) const { return children == o.children; }
inline bool Strong::operator==(const Strong& o) const { return children == o.children; }
inline bool Link::operator==(const Link& o) const {
    return children == o.children && url == o.url && title == o.title;
}

// ----------------------------------------------------------------------------- blocks

// Provenance: the 1-based, inclusive range of source lines a block came from.
// {0, 0} means unknown (a block built by a program rather than read).
struct SourceRange {
    std::uint32_t first = 0;
    std::uint32_t last = 0;
    bool known() const { return first != 0; }
    bool operator==(const SourceRange&) const = default;
};

struct Block;
using Blocks = std::vector<Block>;

struct Heading {
    int level = 1;  // 1..6
    Inlines content;
    bool operator==(const Heading&) const = default;
};

struct Paragraph {
    Inlines content;
    bool operator==(const Paragraph&) const = default;
};

struct List {
    bool ordered = false;
    int start = 1;  // first number of an ordered list
    bool tight = true;
    std::vector<Blocks> items;
    bool operator==(const List&) const;
};

struct BlockQuote {
    Blocks children;
    bool operator==(const BlockQuote&) const;
};

struct CodeBlock {
    std::string info;  // the fence's info string ("cpp"), may be empty
    std::string text;  // verbatim, lines joined by '\n', no final newline
    bool operator==(const CodeBlock&) const = default;
};

struct ThematicBreak {
    bool operator==(const ThematicBreak&) const = default;
};

using BlockNode = std::variant<Heading, Paragraph, List, BlockQuote, CodeBlock, ThematicBreak>;

struct Block {
    BlockNode node;
    SourceRange source;

    // Equality compares structure and text, not provenance: a document written and read
    // back is "the same" though its line numbers moved.
    bool operator==(const Block& o) const { return node == o.node; }
};

inline bool List::operator==(const List& o) const {
    return ordered == o.ordered && (!ordered || start == o.start) && items == o.items;
}
inline bool BlockQuote::operator==(const BlockQuote& o) const { return children == o.children; }

// --------------------------------------------------------------------------- metadata

struct Meta {
    std::string title;
    std::string subtitle;
    std::vector<std::string> authors;
    std::string date;      // ISO 8601: YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss] when a time is known
    std::string site;      // the publishing site or masthead
    std::string language;  // BCP 47 ("en", "zh", "zh-Hans")
    std::string source;    // the input's path or URL
    std::map<std::string, std::string> extra;  // anything else, key → value

    bool empty() const {
        return title.empty() && subtitle.empty() && authors.empty() && date.empty() &&
               site.empty() && language.empty() && source.empty() && extra.empty();
    }
    bool operator==(const Meta&) const = default;
};

struct Document {
    Meta meta;
    Blocks blocks;
    bool operator==(const Document&) const = default;
};

}  // namespace dconv
