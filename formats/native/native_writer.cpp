// native_writer.cpp: the document model as JSON, for tests and debugging.
//
//   {"dconv-native": 1,                                   (kNativeFormatVersion, the header)
//    "meta": {"title": ..., "subtitle": ..., "authors": [...], "date": ..., "site": ...,
//             "language": ..., "source": ..., "extra": {...}},      (empty fields left out)
//    "blocks": [{"type": "heading", "level": 2, "lines": [3, 3], "content": [...]},
//               {"type": "paragraph", "lines": [5, 7], "content": [...]},
//               {"type": "list", "ordered": false, "start": 1, "tight": true,
//                "lines": [9, 12], "items": [[blocks], ...]},
//               {"type": "quote", "lines": [...], "blocks": [...]},
//               {"type": "code", "info": "cpp", "lines": [...], "text": "..."},
//               {"type": "rule", "lines": [...]},
//               {"type": "figure", "lines": [...], "blocks": [...], "caption": [...]},
//               {"type": "table", "columns": ["default", "left", "center", "right"],
//                "language": "ar", "direction": "rtl",                 (when set)
//                "lines": [...], "caption": [...], "head": [rows], "body": [rows]},
//               {"type": "definitions", "lines": [...],
//                "items": [{"terms": [[inlines], ...], "definitions": [[blocks], ...]}]}],
//    "resources": {"key": {"media_type": "image/png", "width": 40, "height": 30,
//                  "bytes": 1234, "fnv1a": "...", "origin": "page_files/a.png"}}}
// A table row is an array of cells, a cell {"blocks": [...]} with "rowspan" and
// "colspan" when not 1. A list with task states has "tasks": ["open", "done", "none"]
// after "tight". An ordered list numbered otherwise than 1. 2. has "style" after "tight"
// ("lower-alpha", "upper-alpha", "lower-roman", "upper-roman", as CSS names them), and
// one that counts down "reversed": true; "start" is its first item's number either way. "resources" is left out when there are none; bytes are shown by count
// and an FNV-1a hash, not content.
// Keys in each block: the type, its attributes, the source lines, then the content, so a
// dump reads top-down. "lines" is left out when the range is unknown.
// Inlines: text is a bare JSON string (most of any dump, and easiest to read);
// {"emph": [...]}, {"strong": [...]}, {"code": "..."},
// {"link": [...], "url": "...", "title": "..."}, {"break": true},
// {"image": "src", "alt": "...", "title": "...", "resource": "..."} (and "width": 200
// when the source asks for one),
// {"strike": [...]}, {"sup": [...]}, {"sub": [...]}, {"note": [blocks]} (with "label": "..."
// after it for a note referenced more than once: its later references are
// {"note": [], "label": "..."}).
#include "native/native_writer.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <variant>

namespace dconv {

namespace {

using Json = nlohmann::ordered_json;

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

constexpr int kIndent = 2;

Json blocks_json(const Blocks& blocks);

Json inlines_json(const Inlines& inlines) {
    Json out = Json::array();
    for (const Inline& in : inlines) {
        out.push_back(std::visit(
            Overload{
                [](const Text& t) { return Json(t.text); },
                [](const Emphasis& e) { return Json{{"emph", inlines_json(e.children)}}; },
                [](const Strong& s) { return Json{{"strong", inlines_json(s.children)}}; },
                [](const Code& c) { return Json{{"code", c.text}}; },
                [](const Link& l) {
                    Json link;
                    link["link"] = inlines_json(l.children);
                    link["url"] = l.url;
                    link["title"] = l.title;
                    return link;
                },
                [](const LineBreak&) { return Json{{"break", true}}; },
                [](const Image& i) {
                    Json image;
                    image["image"] = i.src;
                    image["alt"] = i.alt;
                    image["title"] = i.title;
                    image["resource"] = i.resource;
                    if (i.extra->width > 0) image["width"] = i.extra->width;  // asked for by the source
                    return image;
                },
                [](const Strikeout& s) { return Json{{"strike", inlines_json(s.children)}}; },
                [](const Superscript& s) { return Json{{"sup", inlines_json(s.children)}}; },
                [](const Subscript& s) { return Json{{"sub", inlines_json(s.children)}}; },
                [](const Note& n) {
                    Json note{{"note", blocks_json(n.content)}};
                    if (!n.label.empty()) note["label"] = n.label;  // referenced more than once
                    return note;
                },
            },
            in.base()));
    }
    return out;
}

const char* alignment_name(Alignment a) {
    switch (a) {
        case Alignment::Left: return "left";
        case Alignment::Center: return "center";
        case Alignment::Right: return "right";
        case Alignment::Default: break;
    }
    return "default";
}

const char* task_name(TaskState t) {
    switch (t) {
        case TaskState::Open: return "open";
        case TaskState::Done: return "done";
        case TaskState::None: break;
    }
    return "none";
}

const char* style_name(NumberStyle style) {
    switch (style) {
        case NumberStyle::LowerAlpha: return "lower-alpha";
        case NumberStyle::UpperAlpha: return "upper-alpha";
        case NumberStyle::LowerRoman: return "lower-roman";
        case NumberStyle::UpperRoman: return "upper-roman";
        case NumberStyle::Decimal: break;
    }
    return "decimal";
}

Json rows_json(const std::vector<TableRow>& rows) {
    Json out = Json::array();
    for (const TableRow& row : rows) {
        Json cells = Json::array();
        for (const TableCell& cell : row.cells) {
            Json c;
            if (cell.row_span != 1) c["rowspan"] = cell.row_span;
            if (cell.col_span != 1) c["colspan"] = cell.col_span;
            c["blocks"] = blocks_json(cell.content);
            cells.push_back(std::move(c));
        }
        out.push_back(std::move(cells));
    }
    return out;
}

Json block_json(const Block& block) {
    Json out;
    auto lines = [&] {
        if (block.source.known()) out["lines"] = Json::array({block.source.first, block.source.last});
    };
    std::visit(Overload{
                   [&](const Heading& h) {
                       out["type"] = "heading";
                       out["level"] = h.level;
                       lines();
                       out["content"] = inlines_json(h.content);
                   },
                   [&](const Paragraph& p) {
                       out["type"] = "paragraph";
                       lines();
                       out["content"] = inlines_json(p.content);
                   },
                   [&](const List& l) {
                       out["type"] = "list";
                       out["ordered"] = l.ordered;
                       out["start"] = l.start;
                       out["tight"] = l.tight;
                       if (l.ordered && l.style != NumberStyle::Decimal) out["style"] = style_name(l.style);
                       if (l.ordered && l.reversed) out["reversed"] = true;
                       if (!l.tasks.empty()) {
                           Json tasks = Json::array();
                           for (TaskState t : l.tasks) tasks.push_back(task_name(t));
                           out["tasks"] = std::move(tasks);
                       }
                       lines();
                       Json items = Json::array();
                       for (const Blocks& item : l.items) items.push_back(blocks_json(item));
                       out["items"] = std::move(items);
                   },
                   [&](const BlockQuote& q) {
                       out["type"] = "quote";
                       lines();
                       out["blocks"] = blocks_json(q.children);
                   },
                   [&](const CodeBlock& c) {
                       out["type"] = "code";
                       out["info"] = c.info;
                       lines();
                       out["text"] = c.text;
                   },
                   [&](const ThematicBreak&) {
                       out["type"] = "rule";
                       lines();
                   },
                   [&](const Figure& f) {
                       out["type"] = "figure";
                       lines();
                       out["blocks"] = blocks_json(f.content);
                       out["caption"] = inlines_json(f.caption);
                   },
                   [&](const Table& t) {
                       out["type"] = "table";
                       Json columns = Json::array();
                       for (Alignment a : t.columns) columns.push_back(alignment_name(a));
                       out["columns"] = std::move(columns);
                       if (!t.locale->language.empty()) out["language"] = t.locale->language;
                       if (!t.locale->direction.empty()) out["direction"] = t.locale->direction;
                       lines();
                       out["caption"] = inlines_json(t.caption);
                       out["head"] = rows_json(t.head);
                       out["body"] = rows_json(t.body);
                   },
                   [&](const DefinitionList& d) {
                       out["type"] = "definitions";
                       lines();
                       Json items = Json::array();
                       for (const DefinitionItem& item : d.items) {
                           Json terms = Json::array();
                           for (const Inlines& term : item.terms) terms.push_back(inlines_json(term));
                           Json definitions = Json::array();
                           for (const Blocks& definition : item.definitions) definitions.push_back(blocks_json(definition));
                           Json entry;
                           entry["terms"] = std::move(terms);
                           entry["definitions"] = std::move(definitions);
                           items.push_back(std::move(entry));
                       }
                       out["items"] = std::move(items);
                   },
               },
               block.node);
    return out;
}

Json blocks_json(const Blocks& blocks) {
    Json out = Json::array();
    for (const Block& b : blocks) out.push_back(block_json(b));
    return out;
}


// FNV-1a, 64 bits, in hex: tells two resources' bytes apart in a dump (not security).
std::string fnv1a_hex(const std::string& bytes) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char b : bytes) {
        hash ^= b;
        hash *= 0x100000001b3ULL;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, hash >>= 4) out[static_cast<std::size_t>(i)] = kHex[hash & 15];
    return out;
}

Json resources_json(const Resources& resources) {
    Json out = Json::object();
    for (const auto& [key, resource] : resources) {  // std::map: sorted
        Json r;
        if (resource) {
            r["media_type"] = resource->media_type;
            r["width"] = resource->width;
            r["height"] = resource->height;
            r["bytes"] = resource->bytes.size();
            r["fnv1a"] = fnv1a_hex(resource->bytes);
            r["origin"] = resource->origin;
        }
        out[key] = std::move(r);
    }
    return out;
}

}  // namespace

std::string write_native(const Document& doc, const WriteOptions& /*options*/) {
    Json root;
    root["dconv-native"] = kNativeFormatVersion;  // first: a consumer reads it before the rest
    root["meta"] = native_meta(doc.meta);
    root["blocks"] = blocks_json(doc.blocks);
    if (!doc.resources.empty()) root["resources"] = resources_json(doc.resources);
    // UTF-8 written as is (ensure_ascii off). The model promises valid UTF-8, but a
    // debugging dump must not throw on a broken document: invalid bytes become U+FFFD.
    return root.dump(kIndent, ' ', false, Json::error_handler_t::replace) + "\n";
}

nlohmann::ordered_json native_meta(const Meta& meta) {
    Json out = Json::object();
    auto field = [&](const char* key, const std::string& value) {
        if (!value.empty()) out[key] = value;
    };
    field("title", meta.title);
    field("subtitle", meta.subtitle);
    if (!meta.authors.empty()) out["authors"] = meta.authors;
    field("date", meta.date);
    field("site", meta.site);
    field("language", meta.language);
    field("source", meta.source);
    if (!meta.extra.empty()) {
        Json extra = Json::object();
        for (const auto& [key, value] : meta.extra) extra[key] = value;  // std::map: sorted
        out["extra"] = std::move(extra);
    }
    if (!meta.lists.empty()) {
        Json lists = Json::object();
        for (const auto& [key, items] : meta.lists) lists[key] = items;
        out["lists"] = std::move(lists);
    }
    return out;
}

}  // namespace dconv
