// native_writer.cpp: the document model as JSON, for tests and debugging.
//
//   {"meta": {"title": ..., "subtitle": ..., "authors": [...], "date": ..., "site": ...,
//             "language": ..., "source": ..., "extra": {...}},      (empty fields left out)
//    "blocks": [{"type": "heading", "level": 2, "lines": [3, 3], "content": [...]},
//               {"type": "paragraph", "lines": [5, 7], "content": [...]},
//               {"type": "list", "ordered": false, "start": 1, "tight": true,
//                "lines": [9, 12], "items": [[blocks], ...]},
//               {"type": "quote", "lines": [...], "blocks": [...]},
//               {"type": "code", "info": "cpp", "lines": [...], "text": "..."},
//               {"type": "rule", "lines": [...]}]}
// Keys in each block: the type, its attributes, the source lines, then the content, so a
// dump reads top-down. "lines" is left out when the range is unknown.
// Inlines: text is a bare JSON string (most of any dump, and easiest to read);
// {"emph": [...]}, {"strong": [...]}, {"code": "..."},
// {"link": [...], "url": "...", "title": "..."}, {"break": true}.
#include "native/native_writer.hpp"

#include <nlohmann/json.hpp>

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
            },
            in.base()));
    }
    return out;
}

Json blocks_json(const Blocks& blocks);

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
               },
               block.node);
    return out;
}

Json blocks_json(const Blocks& blocks) {
    Json out = Json::array();
    for (const Block& b : blocks) out.push_back(block_json(b));
    return out;
}


}  // namespace

std::string write_native(const Document& doc, const WriteOptions& /*options*/) {
    Json root;
    root["meta"] = native_meta(doc.meta);
    root["blocks"] = blocks_json(doc.blocks);
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
    return out;
}

}  // namespace dconv
