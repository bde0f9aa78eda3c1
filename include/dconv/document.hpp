// dconv/document.hpp: the document model every reader produces and every writer consumes.
//
// A Document is metadata plus a sequence of blocks, after pandoc's `Pandoc Meta [Block]`.
// Blocks and inlines are std::variants of small structs; each block remembers the source
// lines it came from, so cleaning passes can explain themselves and tests can point at
// the input. Tree rules (what may contain what) live in validate(), in model.hpp.
//
// Images are inlines that name a resource: the bytes, media type and pixel size of each
// image are loaded once per document (Document::resources) and shared by every writer.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace dconv {

// ---------------------------------------------------------------------------- inlines

struct Block;
using Blocks = std::vector<Block>;
struct Inline;
using Inlines = std::vector<Inline>;

// A rarely set part of a model struct, kept on the heap: a Block or an Inline is as large
// as its largest alternative, and a document holds hundreds of thousands of them, so a
// field most tables or images never set costs one pointer, not its size, in every one
// (scaling_test's cleaned-text memory bound). A value: copies copy it, == compares it,
// and an unset one reads (and compares) as a default T.
template <class T>
class Rare {
public:
    Rare() = default;
    Rare(T value) : value_(std::make_unique<T>(std::move(value))) {}
    Rare(const Rare& o) : value_(o.value_ ? std::make_unique<T>(*o.value_) : nullptr) {}
    Rare(Rare&&) noexcept = default;
    Rare& operator=(const Rare& o) {
        if (this != &o) value_ = o.value_ ? std::make_unique<T>(*o.value_) : nullptr;
        return *this;
    }
    Rare& operator=(Rare&&) noexcept = default;
    const T& operator*() const { return value_ ? *value_ : unset(); }
    const T* operator->() const { return &**this; }
    T& edit() {  // set it, to a default T first when unset
        if (!value_) value_ = std::make_unique<T>();
        return *value_;
    }
    bool operator==(const Rare& o) const { return **this == *o; }

private:
    static const T& unset() {
        static const T none{};
        return none;
    }
    std::unique_ptr<T> value_;
};

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

struct Strikeout {  // <s>, <del>, ~~text~~: text struck through, which changes its meaning
    Inlines children;
    bool operator==(const Strikeout&) const;
};

struct Superscript {
    Inlines children;
    bool operator==(const Superscript&) const;
};

struct Subscript {
    Inlines children;
    bool operator==(const Subscript&) const;
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

// An image, as written in the source. `resource` is the key of its loaded bytes in
// Document::resources, or empty when it was not resolved (remote, unreadable, over a
// limit): writers then show the alt text.
struct Image {
    std::string src;       // the URL or path as written (for a data: URI, a short label)
    std::string alt;       // alternative text, one line
    std::string title;
    std::string resource;  // key into Document::resources; empty when unresolved
    struct Extra {
        // Other sources of the same picture, in order (a web page's src and the rest of
        // its srcset): when src is a local file that is not there (a saved page keeps one
        // size), resolve_resources loads the first of these that is, and makes it the src.
        std::vector<std::string> fallbacks;
        // The width the source asks the picture to be shown at, in CSS pixels (a raw
        // <img width="200"> in Markdown); 0: its own. Writers that size images honour it.
        int width = 0;
        bool operator==(const Extra&) const = default;
    };
    Rare<Extra> extra;  // most images have neither
    bool operator==(const Image&) const = default;
};

// A footnote, its content placed at its reference, as pandoc's Note. Writers number
// notes in order of appearance and put the content where their format wants it (the
// page foot, the end of the document, an EPUB pop-up). A note may cite another note
// (Markdown's `[^a]: see also[^b].`): the cited note sits in the citing note's content,
// and writers number it after the notes of the text, as they meet it in the notes they
// write (at most kMaxNoteNesting deep; validate() checks).
// A note referenced more than once has a label: its first reference holds its content,
// and each later Note with the same label in the document is one more reference to it,
// with no content, written with the same number (Markdown's `[^n]` again, a second link
// to the one note). The first Note of a label is the note, whatever it holds; when the
// cleaner removes the reference that held the content, the next remaining one is given
// it (restore_note_contents in model.hpp).
struct Note {
    Blocks content;
    std::string label;  // empty: referenced once
    bool operator==(const Note&) const;
};

struct Inline : std::variant<Text, Emphasis, Strong, Code, Link, LineBreak, Image, Strikeout,
                             Superscript, Subscript, Note> {
    using variant::variant;
    const variant& base() const { return *this; }
    variant& base() { return *this; }
};

inline bool Emphasis::operator==(const Emphasis& o) const { return children == o.children; }
inline bool Strong::operator==(const Strong& o) const { return children == o.children; }
inline bool Strikeout::operator==(const Strikeout& o) const { return children == o.children; }
inline bool Superscript::operator==(const Superscript& o) const { return children == o.children; }
inline bool Subscript::operator==(const Subscript& o) const { return children == o.children; }
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

struct Heading {
    int level = 1;  // 1..6
    Inlines content;
    bool operator==(const Heading&) const = default;
};

struct Paragraph {
    Inlines content;
    bool operator==(const Paragraph&) const = default;
};

// The check box of a task-list item ("- [ ] todo", "- [x] done").
enum class TaskState { None, Open, Done };

// How an ordered list's items are numbered (HTML's <ol type>): 1. 2., a. b., A. B.,
// i. ii., I. II. Writers that cannot express a style write decimal numbers.
enum class NumberStyle { Decimal, LowerAlpha, UpperAlpha, LowerRoman, UpperRoman };

struct List {
    bool ordered = false;
    int start = 1;  // number of an ordered list's first item (in any style: 3 is c.)
    bool tight = true;
    NumberStyle style = NumberStyle::Decimal;  // ordered lists only
    bool reversed = false;  // ordered lists only: items count down from start (<ol reversed>)
    std::vector<Blocks> items;
    // Empty for an ordinary list; otherwise one state per item (a task list may mix
    // items with and without boxes). Code that removes items removes their states too.
    std::vector<TaskState> tasks;
    TaskState task(std::size_t item) const {
        return item < tasks.size() ? tasks[item] : TaskState::None;
    }
    bool operator==(const List&) const;
};

struct BlockQuote {
    Blocks children;
    bool operator==(const BlockQuote&) const;
};

// One entry of a definition list: its terms (one or more <dt>, each inlines) and their
// definitions (zero or more <dd>, each blocks), after pandoc's DefinitionList, which
// allows one term; HTML allows several terms to share definitions.
struct DefinitionItem {
    std::vector<Inlines> terms;      // never empty
    std::vector<Blocks> definitions;  // may be empty (a term without a definition)
    bool operator==(const DefinitionItem&) const;
};

// A definition list (<dl>): a glossary, a list of names and values, a FAQ.
struct DefinitionList {
    std::vector<DefinitionItem> items;  // never empty
    bool operator==(const DefinitionList&) const;
};

struct CodeBlock {
    std::string info;  // the fence's info string ("cpp"), may be empty
    std::string text;  // verbatim, lines joined by '\n', no final newline
    bool operator==(const CodeBlock&) const = default;
};

struct ThematicBreak {
    bool operator==(const ThematicBreak&) const = default;
};

// A figure: images (usually one Paragraph of them) or a table, with a caption.
// The caption is inlines (a photo credit is part of it); it may be empty.
struct Figure {
    Blocks content;  // never empty
    Inlines caption;
    bool operator==(const Figure&) const;
};

enum class Alignment { Default, Left, Center, Right };

// A cell holds blocks; a cell of inlines is one Paragraph. A span covers cells to the
// right (col_span) and below (row_span, within the cell's own head or body section).
struct TableCell {
    Blocks content;
    int row_span = 1;
    int col_span = 1;
    bool operator==(const TableCell&) const;
};

struct TableRow {
    std::vector<TableCell> cells;
    bool operator==(const TableRow&) const = default;
};

// A table, after pandoc's but smaller: a caption, one alignment per column, header rows
// and body rows. Every row covers exactly columns.size() columns, counting spans and the
// cells of rows above that reach into it (validate() checks; normalize_table() in
// model.hpp pads and clips a reader's ragged rows to that shape).
// A table in another language or direction than the document's (an Arabic table in an
// English page: <table dir="rtl" lang="ar">) says so; writers set it so (HTML's dir and
// lang, the PDF's columns from the right).
struct Table {
    Inlines caption;
    std::vector<Alignment> columns;
    std::vector<TableRow> head;
    std::vector<TableRow> body;
    struct Locale {
        std::string language;   // BCP 47; empty: the document's
        std::string direction;  // "rtl" or "ltr"; empty: the language's (the document's)
        bool operator==(const Locale&) const = default;
    };
    Rare<Locale> locale;  // most tables are in the document's
    bool operator==(const Table&) const = default;
};

using BlockNode = std::variant<Heading, Paragraph, List, BlockQuote, CodeBlock, ThematicBreak,
                               Figure, Table, DefinitionList>;

struct Block {
    BlockNode node;
    SourceRange source;

    // Equality compares structure and text, not provenance: a document written and read
    // back is "the same" though its line numbers moved.
    bool operator==(const Block& o) const { return node == o.node; }
};

inline bool List::operator==(const List& o) const {
    if (ordered != o.ordered || items != o.items) return false;
    if (ordered && (start != o.start || style != o.style || reversed != o.reversed)) return false;
    for (std::size_t i = 0; i < items.size(); ++i)  // no states == all TaskState::None
        if (task(i) != o.task(i)) return false;
    return true;
}
inline bool BlockQuote::operator==(const BlockQuote& o) const { return children == o.children; }
inline bool DefinitionItem::operator==(const DefinitionItem& o) const {
    return terms == o.terms && definitions == o.definitions;
}
inline bool DefinitionList::operator==(const DefinitionList& o) const { return items == o.items; }
inline bool Note::operator==(const Note& o) const { return content == o.content && label == o.label; }
inline bool Figure::operator==(const Figure& o) const {
    return content == o.content && caption == o.caption;
}
inline bool TableCell::operator==(const TableCell& o) const {
    return content == o.content && row_span == o.row_span && col_span == o.col_span;
}

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
    // List-valued fields (front matter "tags: [a, b]", keywords), key → items; a key is
    // in `extra` or here, not both.
    std::map<std::string, std::vector<std::string>> lists;

    bool empty() const {
        return title.empty() && subtitle.empty() && authors.empty() && date.empty() &&
               site.empty() && language.empty() && source.empty() && extra.empty() && lists.empty();
    }
    bool operator==(const Meta&) const = default;
};

// ------------------------------------------------------------------------- resources

// An image's bytes, loaded once (formats/resources) and shared by every writer.
struct Resource {
    std::string media_type;  // "image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"
    std::string bytes;       // the file as read, not re-encoded
    int width = 0;           // pixels (for SVG, its user units); 0 when unknown
    int height = 0;
    std::string origin;      // where it was read from: a path, "data:", or a URL
    bool operator==(const Resource&) const = default;
};

// Resources by key (Image::resource). Held through shared_ptr<const>: a document is
// copied cheaply and every writer (and every copy) sees the same bytes.
using Resources = std::map<std::string, std::shared_ptr<const Resource>>;

struct Document {
    Meta meta;
    Blocks blocks;
    Resources resources;
    // Equal documents have equal metadata, blocks and resource contents (not pointers).
    bool operator==(const Document& o) const {
        if (!(meta == o.meta && blocks == o.blocks) || resources.size() != o.resources.size())
            return false;
        for (auto a = resources.begin(), b = o.resources.begin(); a != resources.end(); ++a, ++b) {
            if (a->first != b->first || !a->second != !b->second) return false;
            if (a->second && !(*a->second == *b->second)) return false;
        }
        return true;
    }
};

}  // namespace dconv
