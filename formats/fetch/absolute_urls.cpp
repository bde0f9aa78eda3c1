// absolute_urls.cpp: a fetched document's links and image sources made absolute against
// the URL it came from, whatever its reader kept, so that they still lead somewhere once
// the document is an EPUB or a Markdown file on a disk.
#include "dconv/fetch.hpp"
#include "dconv/model.hpp"

namespace dconv {

void make_urls_absolute(Document& doc, const std::string& base) {
    if (!is_web_url(base)) return;
    each_inline(doc.blocks, [&base](Inline& in, const Block&) {
        if (auto* link = std::get_if<Link>(&in.base())) link->url = absolute_url(base, link->url);
        else if (auto* image = std::get_if<Image>(&in.base())) image->src = absolute_url(base, image->src);
    });
}

}  // namespace dconv
