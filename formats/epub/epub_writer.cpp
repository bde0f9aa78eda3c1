// epub_writer.cpp: EPUB 3 editions (epub_writer.hpp): pages from the XHTML writer, the
// package document, both tables of contents, and the container.
#include "epub/epub_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>

#include <stb_image.h>

#include "core/date_time.hpp"
#include "core/regular_file.hpp"
#include "core/text.hpp"
#include "dconv/fetch.hpp"
#include "dconv/resources.hpp"
#include "dconv/styles.hpp"
#include "epub/identifier.hpp"
#include "epub/style_references.hpp"
#include "epub/zip_archive.hpp"
#include "xhtml/images.hpp"
#include "xhtml/xhtml_writer.hpp"
#include "xhtml/xml_writer.hpp"

namespace dconv {

namespace epub {

namespace {

using xml::XmlWriter;

constexpr const char* kMimetype = "application/epub+zip";
constexpr const char* kXhtmlType = "application/xhtml+xml";
constexpr const char* kOpfNamespace = "http://www.idpf.org/2007/opf";
constexpr const char* kDcNamespace = "http://purl.org/dc/elements/1.1/";
constexpr const char* kNcxNamespace = "http://www.daisy.org/z3986/2005/ncx/";
constexpr const char* kContainerNamespace = "urn:oasis:names:tc:opendocument:xmlns:container";
constexpr const char* kIdAttribute = "book-id";
// Without a date of any kind, an edition is dated at the start of zip time.
constexpr std::int64_t kDefaultEditionTime = 315532800;  // 1980-01-01T00:00:00Z
// The latest time dcterms:modified can write (four-digit years).
constexpr std::int64_t kLastWritableTime = 253402300799;  // 9999-12-31T23:59:59Z
// dc:language when the document's is unknown: "undetermined" (ISO 639-2).
constexpr std::string_view kUndeterminedLanguage = "und";
constexpr int kMaxHeadingLevel = 6;

// Metadata keys (--metadata KEY=VALUE) that are Dublin Core elements of their own.
constexpr std::string_view kDublinCoreKeys[] = {"contributor", "coverage", "description", "format",
                                                "relation",    "rights",   "subject",     "type"};

// ------------------------------------------------------------------- the few words

// The words the book itself says, in the book's language where known; English
// otherwise (and then marked as English).
struct Labels {
    std::string_view language;
    std::string_view contents, landmarks, cover, title_page, start;
};

constexpr Labels kLabels[] = {
    {"en", "Contents", "Landmarks", "Cover", "Title page", "Start"},
    {"zh", "目录", "导览", "封面", "书名页", "正文"},
    {"ja", "目次", "ランドマーク", "表紙", "扉", "本文"},
    {"ko", "목차", "랜드마크", "표지", "속표지", "본문"},
    {"fr", "Table des matières", "Repères", "Couverture", "Page de titre", "Début"},
    {"de", "Inhalt", "Orientierung", "Umschlag", "Titelseite", "Beginn"},
    {"es", "Índice", "Puntos de referencia", "Cubierta", "Portada", "Inicio"},
};

const Labels& labels_for(std::string_view language) {
    std::string primary = xhtml::primary_language(language);
    for (const Labels& l : kLabels)
        if (l.language == primary) return l;
    return kLabels[0];
}

// --------------------------------------------------------------------------- dates

using date_time::date_seconds;

// W3CDTF as dc:date takes it: YYYY, YYYY-MM or YYYY-MM-DD (a time would need a zone).
std::string publication_date(std::string_view date) {
    std::string_view d = text::trim(date);
    auto digits = [&](std::size_t from, std::size_t to) {
        return std::all_of(d.begin() + static_cast<std::ptrdiff_t>(from), d.begin() + static_cast<std::ptrdiff_t>(to),
                           [](char c) { return c >= '0' && c <= '9'; });
    };
    if (d.size() >= 10 && d[4] == '-' && d[7] == '-' && digits(0, 4) && digits(5, 7) && digits(8, 10) &&
        date_seconds(d) >= 0)
        return std::string(d.substr(0, 10));
    if (d.size() == 7 && d[4] == '-' && digits(0, 4) && digits(5, 7)) return std::string(d);
    if (d.size() == 4 && digits(0, 4)) return std::string(d);
    return {};
}

std::string iso_timestamp(std::int64_t seconds) {
    auto t = static_cast<std::time_t>(std::clamp<std::int64_t>(seconds, 0, kLastWritableTime));
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

// --------------------------------------------------------------------------- pages

struct NavItem {
    int level = 0;  // 0: a chapter
    std::string text;
    std::string href;  // relative to OEBPS/
};

struct NavNode {
    std::string text;
    std::string href;
    std::vector<NavNode> children;
};

struct ManifestItem {
    std::string id, href, media_type, properties;
};

struct Page {
    std::string id;    // manifest id
    std::string href;  // relative to OEBPS/
    std::string xhtml;
};

struct Chapter {
    std::vector<Page> pages;
    std::vector<NavItem> headings;  // level >= 1
    std::string title;
};

// Everything the writer works from, settled once.
struct Edition {
    const Meta& meta;
    const std::vector<const Document*>& chapters;
    bool is_bundle;
    std::string language;  // well formed, or "und"
    std::string title;
    std::string identifier;
    std::int64_t time;
    const Labels& labels;
};

std::string number3(std::size_t n) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%03zu", n);
    return buffer;
}

std::string page_language(const Document& doc, const Edition& edition) {
    std::string_view own = xhtml::well_formed_language(doc.meta.language);
    return own.empty() ? edition.language : std::string(own);
}

// A page's head: its language, title and the style sheet.
xhtml::PageHead head_for(std::string language, std::string title) {
    xhtml::PageHead head;
    head.language = std::move(language);
    head.title = std::move(title);
    head.epub = true;
    head.stylesheets = {"../styles/style.css"};
    return head;
}

std::string chapter_meta_line(const Meta& m) {
    std::vector<std::string> parts;
    std::string authors;
    for (const std::string& a : m.authors) {
        std::string name = text::squeeze_spaces(a);
        if (name.empty()) continue;
        authors += (authors.empty() ? "" : ", ") + name;
    }
    for (const std::string& part : {authors, text::squeeze_spaces(m.date), text::squeeze_spaces(m.site)})
        if (!part.empty()) parts.push_back(part);
    std::string line;
    for (const std::string& p : parts) line += (line.empty() ? "" : " \u00B7 ") + p;
    return line;
}

// ------------------------------------------------------------------------- images

// The book's images: each resource the pages show, embedded once however many pages,
// chapters or keys name it, in order of first appearance (images/image-001.png, ...).
// Pages show them with <img>, SVG too: a page gets the manifest's "svg" property only
// when it embeds SVG markup itself (inline <svg>; EPUB 3.2), which dconv never writes.
class ImageStore {
public:
    explicit ImageStore(Diagnostics* diagnostics) : diagnostics_(diagnostics) {}

    // The src, relative to a page in text/, of `resource`; "" when it cannot be in the
    // book (its alt text then stands in, with a warning naming it).
    std::string page_src(const std::string& key, const Resource& resource) {
        if (auto known = by_resource_.find(&resource); known != by_resource_.end()) return known->second;
        std::string href = add(key, resource);
        by_resource_.emplace(&resource, href.empty() ? std::string() : "../" + href);
        return by_resource_[&resource];
    }

    std::vector<ManifestItem>& manifest() { return manifest_; }
    std::vector<EpubFile>& files() { return files_; }

private:
    std::string add(const std::string& key, const Resource& resource) {
        std::string problem = xhtml::image_problem(resource.media_type, resource.bytes);
        // EPUB 3.2's core media types (what epubcheck and every reading system accept
        // without a fallback) are PNG, JPEG, GIF and SVG; WebP came only with EPUB 3.3,
        // so a WebP goes in as PNG.
        std::string bytes;
        std::string media_type = resource.media_type;
        if (problem.empty() && resource.media_type == "image/webp") {
            std::string why;
            if (auto png = image_as_png(resource, &why)) {
                bytes = std::move(*png);
                media_type = "image/png";
            } else {
                problem = "a WebP image, which EPUB 3.2 does not take and which could not be made PNG: " + why;
            }
        }
        if (!problem.empty()) {
            if (diagnostics_)
                diagnostics_->warn("epub", "image " + (resource.origin.empty() ? key : resource.origin) +
                                               " not embedded (" + problem + "): its alt text stands in");
            return {};
        }
        // The same bytes under two keys (two chapters of a bundle) are one file.
        std::size_t hash = std::hash<std::string_view>{}(resource.bytes);
        for (auto [at, end] = by_hash_.equal_range(hash); at != end; ++at)
            if (at->second.first->bytes == resource.bytes) return at->second.second;
        std::string extension = media_type == "image/png"    ? "png"
                                : media_type == "image/jpeg" ? "jpg"
                                : media_type == "image/gif"  ? "gif"
                                                             : "svg";
        std::string id = "image-" + number3(manifest_.size() + 1);
        std::string href = "images/" + id + "." + extension;
        manifest_.push_back({id, href, media_type, ""});
        // PNG, JPEG and GIF are compressed already; SVG is text, and deflates well.
        files_.push_back({"OEBPS/" + href, bytes.empty() ? resource.bytes : std::move(bytes), extension == "svg"});
        by_hash_.emplace(hash, std::make_pair(&resource, href));
        return href;
    }

    Diagnostics* diagnostics_;
    std::map<const Resource*, std::string> by_resource_;  // → page src, or "" when refused
    // hash of the bytes → a resource with them and its href
    std::multimap<std::size_t, std::pair<const Resource*, std::string>> by_hash_;
    std::vector<ManifestItem> manifest_;
    std::vector<EpubFile> files_;
};

Chapter render_chapter(const Document& doc, std::size_t number, const Edition& edition, ImageStore& images) {
    Chapter chapter;
    std::string base = "chapter-" + number3(number);
    chapter.title = edition.is_bundle ? chapter_title(doc, "Chapter " + std::to_string(number))
                                      : xhtml::page_title(doc);
    std::string language = page_language(doc, edition);
    xhtml::BlockRenderer renderer(language, xhtml::Links::absolute_only, xhtml::Markup::epub);
    renderer.set_images(&doc.resources, [&images](const std::string& key, const Resource& resource) {
        return images.page_src(key, resource);
    });
    XmlWriter out(xml::Syntax::html);
    std::string href;

    auto begin_part = [&] {
        std::size_t part = chapter.pages.size() + 1;
        std::string id = part == 1 ? base : base + "-" + std::to_string(part);
        href = "text/" + id + ".xhtml";
        chapter.pages.push_back({id, href, {}});
        xhtml::begin_page(out, head_for(language, chapter.title));
        out.open("section");
        out.attribute("class", "chapter");
        if (part == 1) out.attribute("epub:type", "chapter");
        out.newline();
    };
    auto end_part = [&] {
        renderer.notes(out);  // a page's notes stay on it: the pop-ups need them there
        out.close();  // section
        out.newline();
        xhtml::end_page(out);
        chapter.pages.back().xhtml = out.take();
    };

    begin_part();
    if (!text::trim(doc.meta.title).empty()) {
        out.open("h1");
        out.attribute("class", "chapter-title");
        renderer.text(out, text::squeeze_spaces(doc.meta.title));
        out.close();
        out.newline();
        std::string line = edition.is_bundle ? chapter_meta_line(doc.meta) : std::string();
        if (!line.empty()) {
            out.open("p");
            out.attribute("class", "chapter-meta");
            renderer.text(out, line);
            out.close();
            out.newline();
        }
    }
    for (const Block& b : doc.blocks) {
        bool heading = std::holds_alternative<Heading>(b.node);
        if ((heading && out.size() >= kPartTargetBytes) || out.size() >= kPartMaxBytes) {
            end_part();
            begin_part();
        }
        if (auto entry = renderer.top_block(out, b))
            chapter.headings.push_back({std::min(entry->level, kMaxHeadingLevel), entry->text, href + "#" + entry->id});
    }
    end_part();
    return chapter;
}

// Headings nest under the nearest earlier heading of a higher level; those `levels_left`
// or more below are passed over (--toc-depth).
std::vector<NavNode> nest(const std::vector<NavItem>& items, std::size_t& i, int parent_level, int levels_left) {
    std::vector<NavNode> out;
    while (i < items.size() && items[i].level > parent_level) {
        NavNode node{items[i].text, items[i].href, {}};
        int level = items[i].level;
        ++i;
        std::vector<NavNode> children = nest(items, i, level, levels_left - 1);
        if (levels_left > 1) node.children = std::move(children);
        if (levels_left > 0) out.push_back(std::move(node));
    }
    return out;
}

// Each chapter with its headings, `depth` levels in all (the chapter is the first).
std::vector<NavNode> table_of_contents(const std::vector<Chapter>& chapters, int depth) {
    std::vector<NavNode> toc;
    for (const Chapter& c : chapters) {
        std::size_t i = 0;
        toc.push_back({c.title, c.pages.front().href, nest(c.headings, i, 0, depth - 1)});
    }
    return toc;
}

int depth(const std::vector<NavNode>& nodes) {
    int deepest = 0;
    for (const NavNode& n : nodes) deepest = std::max(deepest, 1 + depth(n.children));
    return deepest;
}

// Text of the book's own words: marked as English when the labels fell back to it.
void label(XmlWriter& out, const Edition& edition, std::string_view words) {
    if (edition.labels.language == xhtml::primary_language(edition.language)) {
        out.text(words);
        return;
    }
    out.open("span");
    out.attribute("lang", edition.labels.language);
    out.attribute("xml:lang", edition.labels.language);
    out.text(words);
    out.close();
}

void nav_list(XmlWriter& out, xhtml::BlockRenderer& renderer, const std::vector<NavNode>& nodes) {
    out.open("ol");
    out.newline();
    for (const NavNode& n : nodes) {
        out.open("li");
        out.open("a");
        out.attribute("href", n.href);
        renderer.text(out, n.text);
        out.close();
        if (!n.children.empty()) {
            out.newline();
            nav_list(out, renderer, n.children);
        }
        out.close();
        out.newline();
    }
    out.close();
    out.newline();
}

std::string nav_page(const Edition& edition, const std::vector<NavNode>& toc, bool has_cover,
                     const std::string& first_chapter) {
    XmlWriter out(xml::Syntax::html);
    xhtml::PageHead head = head_for(edition.language, std::string(edition.labels.contents));
    head.stylesheets = {"styles/style.css"};
    xhtml::begin_page(out, head);
    xhtml::BlockRenderer renderer(edition.language, xhtml::Links::absolute_only);

    out.open("nav");
    out.attribute("epub:type", "toc");
    out.attribute("id", "toc");
    out.newline();
    out.open("h1");
    label(out, edition, edition.labels.contents);
    out.close();
    out.newline();
    nav_list(out, renderer, toc);
    out.close();
    out.newline();

    out.open("nav");
    out.attribute("epub:type", "landmarks");
    out.attribute("id", "landmarks");
    out.attribute("hidden", "hidden");
    out.newline();
    out.open("h2");
    label(out, edition, edition.labels.landmarks);
    out.close();
    out.newline();
    out.open("ol");
    out.newline();
    auto landmark = [&](const char* type, const std::string& href, std::string_view words) {
        out.open("li");
        out.open("a");
        out.attribute("epub:type", type);
        out.attribute("href", href);
        label(out, edition, words);
        out.close();
        out.close();
        out.newline();
    };
    if (has_cover) landmark("cover", "text/cover.xhtml", edition.labels.cover);
    landmark("titlepage", "text/title.xhtml", edition.labels.title_page);
    if (edition.is_bundle) landmark("toc", "nav.xhtml#toc", edition.labels.contents);  // in the spine
    landmark("bodymatter", first_chapter, edition.labels.start);
    out.close();
    out.newline();
    out.close();
    out.newline();
    xhtml::end_page(out);
    return out.take();
}

void ncx_points(XmlWriter& out, const std::vector<NavNode>& nodes, int& order) {
    for (const NavNode& n : nodes) {
        int here = order++;
        out.open("navPoint");
        out.attribute("id", "nav-" + std::to_string(here));
        out.attribute("playOrder", std::to_string(here));
        out.open("navLabel");
        out.element("text", n.text);
        out.close();
        out.open("content");
        out.attribute("src", n.href);
        out.close();
        if (!n.children.empty()) {
            out.newline();
            ncx_points(out, n.children, order);
        }
        out.close();
        out.newline();
    }
}

std::string ncx(const Edition& edition, const std::vector<NavNode>& toc) {
    XmlWriter out;
    out.declaration();
    out.open("ncx");
    out.attribute("xmlns", kNcxNamespace);
    out.attribute("version", "2005-1");
    out.attribute("xml:lang", edition.language);
    out.newline();
    out.open("head");
    out.newline();
    auto meta = [&](const char* name, const std::string& content) {
        out.open("meta");
        out.attribute("name", name);
        out.attribute("content", content);
        out.close();
        out.newline();
    };
    meta("dtb:uid", edition.identifier);
    meta("dtb:depth", std::to_string(std::max(1, depth(toc))));
    meta("dtb:totalPageCount", "0");
    meta("dtb:maxPageNumber", "0");
    out.close();
    out.newline();
    out.open("docTitle");
    out.element("text", edition.title);
    out.close();
    out.newline();
    out.open("navMap");
    out.newline();
    int order = 1;
    ncx_points(out, toc, order);
    out.close();
    out.newline();
    out.close();
    out.newline();
    return out.take();
}

std::string title_page(const Edition& edition) {
    XmlWriter out(xml::Syntax::html);
    xhtml::begin_page(out, head_for(edition.language, edition.title));
    xhtml::BlockRenderer renderer(edition.language, xhtml::Links::absolute_only);
    out.open("section");
    out.attribute("epub:type", "titlepage");
    out.attribute("class", "titlepage");
    out.newline();
    xhtml::title_block(out, renderer, edition.meta, edition.title);
    out.close();
    out.newline();
    xhtml::end_page(out);
    return out.take();
}

std::string cover_page(const Edition& edition, const std::string& image_href) {
    XmlWriter out(xml::Syntax::html);
    xhtml::begin_page(out, head_for(edition.language, edition.title));
    out.open("section");
    out.attribute("epub:type", "cover");
    out.attribute("class", "cover");
    out.newline();
    out.open("img");
    out.attribute("src", "../" + image_href);
    out.attribute("alt", edition.title);
    out.close();
    out.newline();
    out.close();
    out.newline();
    xhtml::end_page(out);
    return out.take();
}

std::string container_xml() {
    XmlWriter out;
    out.declaration();
    out.open("container");
    out.attribute("version", "1.0");
    out.attribute("xmlns", kContainerNamespace);
    out.newline();
    out.open("rootfiles");
    out.newline();
    out.open("rootfile");
    out.attribute("full-path", "OEBPS/content.opf");
    out.attribute("media-type", "application/oebps-package+xml");
    out.close();
    out.newline();
    out.close();
    out.newline();
    out.close();
    out.newline();
    return out.take();
}

std::string package_document(const Edition& edition, const std::vector<ManifestItem>& manifest,
                             const std::vector<std::string>& spine, bool has_cover, bool source_given) {
    const Meta& m = edition.meta;
    XmlWriter out;
    out.declaration();
    out.open("package");
    out.attribute("xmlns", kOpfNamespace);
    out.attribute("version", "3.0");
    out.attribute("unique-identifier", kIdAttribute);
    out.attribute("xml:lang", edition.language);
    out.newline();

    out.open("metadata");
    out.attribute("xmlns:dc", kDcNamespace);
    out.newline();
    auto dc = [&](const char* name, std::string_view value, const std::string& id = {}) {
        std::string v = text::squeeze_spaces(value);
        if (v.empty()) return false;
        out.open(name);
        if (!id.empty()) out.attribute("id", id);
        out.text(v);
        out.close();
        out.newline();
        return true;
    };
    auto refine = [&](const std::string& id, const char* property, std::string_view value,
                      const char* scheme = nullptr) {
        out.open("meta");
        out.attribute("refines", "#" + id);
        out.attribute("property", property);
        if (scheme) out.attribute("scheme", scheme);
        out.text(value);
        out.close();
        out.newline();
    };
    dc("dc:identifier", edition.identifier, kIdAttribute);
    dc("dc:title", edition.title, "title");
    refine("title", "title-type", "main");
    if (dc("dc:title", m.subtitle, "subtitle")) refine("subtitle", "title-type", "subtitle");
    int creators = 0;
    for (const std::string& a : m.authors) {
        std::string id = "creator-" + std::to_string(creators + 1);
        if (dc("dc:creator", a, id)) {
            refine(id, "role", "aut", "marc:relators");
            ++creators;
        }
    }
    dc("dc:language", edition.language);
    dc("dc:date", publication_date(m.date));
    dc("dc:publisher", m.site);
    // Web addresses only, unless the user gave the source: a local file's path
    // ("d/notes.txt") names nothing a reader of the book can reach, and tells where its
    // maker kept their files. A bundle's own source is the user's (--metadata source=).
    if (!text::trim(m.source).empty() && (edition.is_bundle || source_given || is_web_url(m.source))) {
        dc("dc:source", m.source);
    } else if (edition.is_bundle) {
        for (const Document* chapter : edition.chapters)
            if (is_web_url(chapter->meta.source)) dc("dc:source", chapter->meta.source);
    }
    for (const auto& [key, value] : m.extra) {
        std::string squeezed = text::squeeze_spaces(value);
        if (squeezed.empty()) continue;
        if (std::find(std::begin(kDublinCoreKeys), std::end(kDublinCoreKeys), key) != std::end(kDublinCoreKeys)) {
            dc(("dc:" + key).c_str(), squeezed);
            continue;
        }
        // Other keys have no EPUB 3 property: the package's OPF 2 form keeps them.
        out.open("meta");
        out.attribute("name", key);
        out.attribute("content", squeezed);
        out.close();
        out.newline();
    }
    out.open("meta");
    out.attribute("property", "dcterms:modified");
    out.text(iso_timestamp(edition.time));
    out.close();
    out.newline();
    if (has_cover) {  // for EPUB 2 readers, which do not know the cover-image property
        out.open("meta");
        out.attribute("name", "cover");
        out.attribute("content", "cover-image");
        out.close();
        out.newline();
    }
    out.close();  // metadata
    out.newline();

    out.open("manifest");
    out.newline();
    for (const ManifestItem& item : manifest) {
        out.open("item");
        out.attribute("id", item.id);
        out.attribute("href", item.href);
        out.attribute("media-type", item.media_type);
        if (!item.properties.empty()) out.attribute("properties", item.properties);
        out.close();
        out.newline();
    }
    out.close();
    out.newline();

    out.open("spine");
    out.attribute("toc", "ncx");
    if (xhtml::is_rtl_language(edition.language)) out.attribute("page-progression-direction", "rtl");
    out.newline();
    for (const std::string& id : spine) {
        out.open("itemref");
        out.attribute("idref", id);
        out.close();
        out.newline();
    }
    out.close();
    out.newline();
    out.close();  // package
    out.newline();
    return out.take();
}

std::string book_title(const Meta& meta, const std::vector<const Document*>& chapters, bool is_bundle) {
    std::string title = text::squeeze_spaces(meta.title);
    if (!title.empty()) return title;
    if (!is_bundle && !chapters.empty()) return xhtml::page_title(*chapters.front());
    return "Untitled";
}

}  // namespace

// -------------------------------------------------------------------- public helpers

std::string_view cover_media_type(std::string_view bytes) {
    if (bytes.starts_with("\x89PNG\r\n\x1A\n")) return "image/png";
    if (bytes.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
    return {};
}

// Why stb_image refused a cover, in words: its reasons are terse codes ("outofdata",
// "no IDAT", "bad huffman code"), sometimes empty. The code is kept in the message, in
// quotes, for a bug report.
static std::string cover_failure(std::string_view bytes, const char* stb_reason) {
    // stb names an unknown chunk by its type, four bytes of the file: printable ASCII only
    std::string code = stb_reason ? stb_reason : "";
    for (char& c : code)
        if (c < 0x20 || c > 0x7E) c = '?';
    const bool png = cover_media_type(bytes) == "image/png";
    const std::string kind = png ? "PNG" : "JPEG";
    // stb tests a file for PNG before JPEG and keeps the test's reason ("bad png sig")
    // when the JPEG decoder then fails without one of its own: a code naming PNG is
    // stale for a JPEG, and would send the reader looking for the wrong fault
    if (!png && text::lower_ascii(code).find("png") != std::string::npos) code.clear();
    // a whole file holds its last chunk (PNG) or its end-of-image marker (JPEG), maybe
    // with bytes after it: one without is cut short; one with them is damaged otherwise,
    // and stb's code says how
    const bool holds_end = png ? bytes.find(std::string_view("IEND\xAE\x42\x60\x82", 8)) != bytes.npos
                               : bytes.find("\xFF\xD9") != bytes.npos;
    auto is = [&code](std::initializer_list<std::string_view> codes) {
        return std::find(codes.begin(), codes.end(), code) != codes.end();
    };
    std::string why;
    // a file cut short fails wherever the cut falls, with whatever code: said first
    if (is({"outofdata", "read past buffer", "unexpected end"}) || !holds_end)
        why = "the file ends in the middle of the image (truncated)";
    else if (is({"no IDAT"}))
        why = "the file holds no pixel data (no IDAT chunk)";
    else if (is({"zlib corrupt", "bad zlib header", "bad compression", "bad codelengths", "bad sizes", "bad dist",
                 "no preset dict", "output buffer limit", "not enough pixels", "invalid filter"}) ||
             (kind == "PNG" && code == "bad huffman code"))
        why = "its compressed pixel data is corrupt";
    else if (code.ends_with("PNG chunk not known"))
        why = "it holds a chunk of an unknown type that a reader may not skip";
    else if (is({"unknown image type"}))
        why = "its header is not a valid " + kind + " header";
    else if (is({"outofmem"}))
        why = "it is too large to decode in memory";
    else if (is({"1/2/4/8/16-bit only", "only 8-bit", "no header height", "progressive jpeg"}))
        why = "it is a kind of " + kind + " that cannot be read";
    else if (!code.empty())
        why = "its " + kind + " data is corrupt";
    else
        why = "it cannot be decoded";
    std::string message = "the cover image, a " + kind + " file, is damaged: " + why;
    if (!code.empty()) message += " (stb_image: \"" + code + "\")";
    return message;
}

// The cover decoded in full (its pixels then dropped): a file with a JPEG or PNG header
// but broken data would otherwise go into the book, where a reader shows nothing. Its
// size is checked from the header first, against kMaxImagePixels.
static void check_cover_decodes(const std::string& bytes, const std::string& path) {
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int size = static_cast<int>(bytes.size());
    int width = 0, height = 0, channels = 0;
    if (!stbi_info_from_memory(data, size, &width, &height, &channels))
        throw Error(ErrorKind::usage, path, 0, cover_failure(bytes, stbi_failure_reason()));
    if (static_cast<std::size_t>(width) * static_cast<std::size_t>(height) > kMaxImagePixels)
        throw Error(ErrorKind::usage, path, 0,
                    "the cover image is " + std::to_string(width) + "x" + std::to_string(height) +
                        " pixels, more than " + std::to_string(kMaxImagePixels) + " in all");
    stbi_uc* pixels = stbi_load_from_memory(data, size, &width, &height, &channels, 0);
    if (!pixels)
        throw Error(ErrorKind::usage, path, 0, cover_failure(bytes, stbi_failure_reason()));
    stbi_image_free(pixels);
}

std::string read_cover(const std::string& path) {
    std::string bytes = read_regular_file(path, kMaxCoverBytes, "cover image");
    if (cover_media_type(bytes).empty())
        throw Error(ErrorKind::usage, path, 0,
                    "the cover image must be a JPEG or PNG file, and this one is " + image_kind_in_words(bytes));
    check_cover_decodes(bytes, path);
    return bytes;
}

std::int64_t edition_time(const WriteOptions& options, const Meta& meta,
                          const std::vector<const Document*>& chapters) {
    if (options.source_date_epoch) return *options.source_date_epoch;
    std::int64_t latest = date_seconds(text::trim(meta.date));
    for (const Document* chapter : chapters) latest = std::max(latest, date_seconds(text::trim(chapter->meta.date)));
    return latest >= 0 ? latest : kDefaultEditionTime;
}

std::vector<EpubFile> epub_files(const Meta& meta, const std::vector<const Document*>& chapters,
                                 bool is_bundle, const WriteOptions& options,
                                 const std::vector<bool>& named_chapters) {
    std::string language(xhtml::well_formed_language(meta.language));
    if (language.empty() && !chapters.empty())
        language = xhtml::well_formed_language(chapters.front()->meta.language);
    if (language.empty()) language = kUndeterminedLanguage;
    Edition edition{meta,
                    chapters,
                    is_bundle,
                    language,
                    book_title(meta, chapters, is_bundle),
                    content_identifier(meta, chapters, named_chapters),
                    edition_time(options, meta, chapters),
                    labels_for(language)};

    std::string css = without_outside_references(load_style(options.style), options.style, options.diagnostics);
    std::string cover;
    std::string cover_href;
    if (!options.cover_image.empty()) {
        cover = read_cover(options.cover_image);
        cover_href = cover_media_type(cover) == "image/png" ? "images/cover.png" : "images/cover.jpg";
    }
    bool has_cover = !cover.empty();

    std::vector<Chapter> rendered;
    rendered.reserve(chapters.size());
    ImageStore images(options.diagnostics);
    for (std::size_t i = 0; i < chapters.size(); ++i)
        rendered.push_back(render_chapter(*chapters[i], i + 1, edition, images));
    if (rendered.empty()) {  // a book needs a page in its spine: an empty chapter
        Document empty;
        rendered.push_back(render_chapter(empty, 1, edition, images));
    }
    std::vector<NavNode> toc = table_of_contents(
        rendered, toc_depth_or_default(options.toc_depth, is_bundle));

    std::vector<ManifestItem> manifest = {
        {"nav", "nav.xhtml", kXhtmlType, "nav"},
        {"ncx", "toc.ncx", "application/x-dtbncx+xml", ""},
        {"style", "styles/style.css", "text/css", ""},
    };
    std::vector<std::string> spine;
    if (has_cover) {
        manifest.push_back({"cover-image", cover_href, std::string(cover_media_type(cover)), "cover-image"});
        manifest.push_back({"cover", "text/cover.xhtml", kXhtmlType, ""});
        spine.push_back("cover");
    }
    for (ManifestItem& item : images.manifest()) manifest.push_back(std::move(item));
    manifest.push_back({"titlepage", "text/title.xhtml", kXhtmlType, ""});
    spine.push_back("titlepage");
    // A book of several chapters gets a contents page, as a printed one would.
    if (is_bundle) spine.push_back("nav");
    for (const Chapter& c : rendered) {
        for (const Page& p : c.pages) {
            manifest.push_back({p.id, p.href, kXhtmlType, ""});
            spine.push_back(p.id);
        }
    }

    std::vector<EpubFile> files;
    files.push_back({"mimetype", kMimetype, false});
    files.push_back({"META-INF/container.xml", container_xml(), true});
    files.push_back({"OEBPS/content.opf", package_document(edition, manifest, spine, has_cover, options.source_given), true});
    files.push_back({"OEBPS/nav.xhtml", nav_page(edition, toc, has_cover, rendered.front().pages.front().href), true});
    files.push_back({"OEBPS/toc.ncx", ncx(edition, toc), true});
    files.push_back({"OEBPS/styles/style.css", std::move(css), true});
    if (has_cover) {
        files.push_back({"OEBPS/" + cover_href, std::move(cover), false});  // already compressed
        files.push_back({"OEBPS/text/cover.xhtml", cover_page(edition, cover_href), true});
    }
    for (EpubFile& f : images.files()) files.push_back(std::move(f));
    files.push_back({"OEBPS/text/title.xhtml", title_page(edition), true});
    for (Chapter& c : rendered)
        for (Page& p : c.pages) files.push_back({"OEBPS/" + p.href, std::move(p.xhtml), true});
    return files;
}

namespace {

std::string zip(std::vector<EpubFile> files, std::int64_t time) {
    ZipArchive archive(time);
    for (EpubFile& f : files)
        archive.add(f.path, std::move(f.data), f.compressed ? Compression::deflate : Compression::store);
    return archive.finish();
}

}  // namespace

}  // namespace epub

std::string write_epub(const Document& doc, const WriteOptions& options) {
    std::vector<const Document*> chapters = {&doc};
    std::int64_t time = epub::edition_time(options, doc.meta, chapters);
    return epub::zip(epub::epub_files(doc.meta, chapters, false, options), time);
}

std::string write_epub_book(const Book& book, const WriteOptions& options) {
    std::vector<const Document*> chapters;
    for (const Document& d : book.chapters) chapters.push_back(&d);
    std::int64_t time = epub::edition_time(options, book.meta, chapters);
    return epub::zip(epub::epub_files(book.meta, chapters, true, options, book.named_chapters), time);
}

}  // namespace dconv
