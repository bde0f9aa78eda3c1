// absolute_urls.cpp: a fetched document's links and image sources made absolute against
// the URL it came from, whatever its reader kept, so that they still lead somewhere once
// the document is an EPUB or a Markdown file on a disk.
#include "dconv/fetch.hpp"
#include "dconv/model.hpp"

namespace dconv {

namespace {

struct Absolutizer {
    const std::string& base;

    void inlines(Inlines& list) {
        for (Inline& in : list) {
            if (auto* link = std::get_if<Link>(&in.base())) link->url = absolute_url(base, link->url);
            if (auto* image = std::get_if<Image>(&in.base())) image->src = absolute_url(base, image->src);
            if (auto* note = std::get_if<Note>(&in.base())) blocks(note->content);
            if (Inlines* children = inline_children(in)) inlines(*children);
        }
    }

    void blocks(Blocks& list) {
        for (Block& block : list) {
            if (Inlines* content = inline_content(block)) inlines(*content);
            if (auto* l = std::get_if<List>(&block.node))
                for (Blocks& item : l->items) blocks(item);
            if (auto* d = std::get_if<DefinitionList>(&block.node))
                for (DefinitionItem& item : d->items) {
                    for (Inlines& term : item.terms) inlines(term);
                    for (Blocks& definition : item.definitions) blocks(definition);
                }
            if (auto* quote = std::get_if<BlockQuote>(&block.node)) blocks(quote->children);
            if (auto* figure = std::get_if<Figure>(&block.node)) {
                blocks(figure->content);
                inlines(figure->caption);
            }
            if (auto* table = std::get_if<Table>(&block.node)) {
                inlines(table->caption);
                for (auto* rows : {&table->head, &table->body})
                    for (TableRow& row : *rows)
                        for (TableCell& cell : row.cells) blocks(cell.content);
            }
        }
    }
};

}  // namespace

void make_urls_absolute(Document& doc, const std::string& base) {
    if (!is_web_url(base)) return;
    Absolutizer{base}.blocks(doc.blocks);
}

}  // namespace dconv
