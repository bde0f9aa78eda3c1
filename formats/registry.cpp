// registry.cpp: the one table of formats. Adding a format is one module plus one line here.
#include "dconv/registry.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "epub/epub_writer.hpp"
#include "html/html_reader.hpp"
#include "pdf/pdf_writer.hpp"
#include "markdown/markdown_reader.hpp"
#include "markdown/markdown_writer.hpp"
#include "native/native_writer.hpp"
#include "plain/plain_writer.hpp"
#include "webtext/webtext_reader.hpp"
#include "xhtml/xhtml_writer.hpp"

namespace dconv {

const std::vector<ReaderEntry>& readers() {
    static const std::vector<ReaderEntry> table = {
        {"webtext", {"txt", "text"}, "text dump of a web page, cleaned of boilerplate (default)",
         read_webtext, nullptr, nullptr, true},
        {"html", {"html", "htm", "xhtml"}, "HTML page, parsed with gumbo, its content chosen and cleaned",
         read_html, html_declared_encoding, html_template_text, true, true},
        {"markdown", {"md", "markdown", "mkd"}, "GitHub Flavored Markdown (cmark-gfm) with optional YAML front matter, not cleaned unless --clean",
         [](std::string text, const ReadOptions& options, Diagnostics& diag) {
             return read_markdown(text, options, diag);
         }},
    };
    return table;
}

const std::vector<WriterEntry>& writers() {
    static const std::vector<WriterEntry> table = {
        {"md", {"markdown", "commonmark"}, "md", "GitHub Flavored Markdown (tables, footnotes, task lists) with YAML front matter",
         write_markdown},
        {"txt", {"plain", "text"}, "txt", "plain text wrapped at --columns", write_plain},
        {"native", {"json"}, "json", "the document model as JSON, for debugging",
         write_native, nullptr, false, false, ImageUse::recorded},
        {"html", {"xhtml", "html5", "htm"}, "html", "standalone XHTML5 page, the --style CSS inline", write_xhtml,
         nullptr, true, false, ImageUse::shown},
        {"epub", {"epub3"}, "epub", "EPUB 3 book: title page, nested contents, --style, --cover",
         write_epub, write_epub_book, true, false, ImageUse::shown},
        {"pdf", {}, "pdf", "PDF for print: justified, hyphenated, bookmarks, --style, --paper",
         write_pdf, write_pdf_book, true, true, ImageUse::shown},
    };
    return table;
}

// Names are matched without regard to case ("--to PDF"), as file endings are.
const ReaderEntry* find_reader(std::string_view given) {
    const std::string name = text::lower_ascii(given);
    for (const auto& r : readers())
        if (r.name == name) return &r;
    for (const auto& r : readers())
        if (std::find(r.extensions.begin(), r.extensions.end(), name) != r.extensions.end())
            return &r;
    return nullptr;
}

const WriterEntry* find_writer(std::string_view given) {
    const std::string name = text::lower_ascii(given);
    for (const auto& w : writers())
        if (w.name == name || std::find(w.aliases.begin(), w.aliases.end(), name) != w.aliases.end())
            return &w;
    return nullptr;
}

namespace {

const ReaderEntry* reader_for_ending(std::string_view path) {
    auto slash = path.find_last_of('/');
    auto dot = path.find_last_of('.');
    if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)) {
        std::string ext = text::lower_ascii(path.substr(dot + 1));
        for (const auto& r : readers())
            if (std::find(r.extensions.begin(), r.extensions.end(), ext) != r.extensions.end())
                return &r;
    }
    return nullptr;
}

}  // namespace

const ReaderEntry& reader_for_path(std::string_view path) {
    const ReaderEntry* r = reader_for_ending(path);
    return r ? *r : readers().front();
}

bool looks_like_html(std::string_view bytes) {
    std::string_view head = bytes.substr(0, kHtmlSniffBytes);
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    std::size_t start = head.find_first_not_of(" \t\r\n\f");
    // Markup from its first character: a doctype, a comment, an XML declaration or a tag.
    if (start == std::string_view::npos || head[start] != '<') return false;
    std::string lower = text::lower_ascii(head.substr(start));
    return lower.find("<!doctype html") != std::string::npos || lower.find("<html") != std::string::npos ||
           lower.find("<head") != std::string::npos || lower.find("<body") != std::string::npos;
}

const ReaderEntry& reader_for(std::string_view path, std::string_view bytes) {
    if (const ReaderEntry* r = reader_for_ending(path)) return *r;
    if (looks_like_html(bytes))
        if (const ReaderEntry* html = find_reader("html")) return *html;
    return readers().front();
}

}  // namespace dconv
