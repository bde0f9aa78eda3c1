// pdf_writer.cpp: the PDF writer's entry points (pdf_writer.hpp).
#include "pdf/pdf_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>

#include "core/date_time.hpp"
#include "dconv/limits.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/resources.hpp"
#include "core/text.hpp"
#include "pdf/fonts.hpp"
#include "pdf/print_style.hpp"
#include "pdf/render.hpp"
#include "pdf/typeset.hpp"

namespace dconv {

namespace {

// The edition's date: SOURCE_DATE_EPOCH, else the latest document date, else none.
std::optional<std::int64_t> edition_time(const WriteOptions& options, const std::vector<const Meta*>& metas) {
    if (options.source_date_epoch) return options.source_date_epoch;
    std::int64_t latest = -1;
    for (const Meta* meta : metas) latest = std::max(latest, date_time::date_seconds(text::trim(meta->date)));
    if (latest < 0) return std::nullopt;
    return latest;
}

void report(const pdf::TypesetReport& r, const WriteOptions& options) {
    if (!options.diagnostics) return;
    auto warn = [&](std::string message) { options.diagnostics->warn("pdf", std::move(message)); };
    if (r.missing_glyphs) {
        // Once per document, naming the characters (the first few of many).
        constexpr std::size_t kListed = 12;
        std::string which;
        std::size_t listed = 0;
        for (char32_t c : r.missing_characters) {
            if (listed++ == kListed) {
                which += ", ...";
                break;
            }
            char code[16];
            std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
            which += (which.empty() ? "" : ", ") + std::string(code);
        }
        warn(std::to_string(r.missing_glyphs) + " characters no installed PDF font has (" +
             std::to_string(r.missing_characters.size()) + " distinct: " + which + "), drawn as '?'");
    }
    if (r.images_as_text) {
        std::string names;
        for (const std::string& name : r.images_as_text_names) names += (names.empty() ? "" : ", ") + name;
        if (r.images_as_text > r.images_as_text_names.size()) names += ", ...";
        warn(std::to_string(r.images_as_text) + " images shown as their alt text (PDF draws no SVG, nor an image that does not decode): " + names);
    }
    if (r.inline_images_as_text) {
        std::string names;
        for (const std::string& name : r.inline_images_as_text_names) names += (names.empty() ? "" : ", ") + name;
        if (r.inline_images_as_text > r.inline_images_as_text_names.size()) names += ", ...";
        warn(std::to_string(r.inline_images_as_text) +
             " images inside running text or table cells shown as their alt text (PDF draws one in a line only "
             "when it is about icon-sized, and draws no SVG): " + names);
    }
    if (r.tables_shrunk)
        warn(std::to_string(r.tables_shrunk) + " tables too wide for the page set in smaller type");
    if (r.tables_as_text)
        warn(std::to_string(r.tables_as_text) +
             " tables too wide or too tall for a page (hundreds of columns, a cell longer than a page) set as text, "
             "a paragraph per row");
    if (r.overfull_lines)
        warn(std::to_string(r.overfull_lines) + " lines hold a part wider than the page's measure");
}

// The cover image's bytes: a JPEG or PNG file, at most kMaxCoverBytes.
std::string read_cover(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::io, path, 0, std::string("cannot read the cover image: ") + std::strerror(errno));
    std::string bytes;
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (bytes.size() > kMaxCoverBytes)
            throw Error(ErrorKind::usage, path, 0, "cover image larger than " + std::to_string(kMaxCoverBytes >> 20) + " MiB");
    }
    if (in.bad()) throw Error(ErrorKind::io, path, 0, "cannot read the cover image");
    if (!bytes.starts_with("\x89PNG\r\n\x1A\n") && !bytes.starts_with("\xFF\xD8\xFF"))
        throw Error(ErrorKind::usage, path, 0,
                    "the cover image must be a JPEG or PNG file, and this one is " + image_kind_in_words(bytes));
    if (bytes.starts_with("\x89PNG") && bytes.size() >= 24) {
        // IHDR's width and height, big-endian at 16 and 20: libpng aborts on either past
        // kMaxPdfImageSide (limits.hpp).
        auto side = [&bytes](std::size_t at) {
            std::uint64_t v = 0;
            for (std::size_t i = at; i < at + 4; ++i) v = v << 8 | static_cast<unsigned char>(bytes[i]);
            return v;
        };
        if (side(16) > kMaxPdfImageSide || side(20) > kMaxPdfImageSide)
            throw Error(ErrorKind::usage, path, 0,
                        "the cover image is wider or taller than " + std::to_string(kMaxPdfImageSide) +
                            " pixels, the most a PDF's PNG may be");
    }
    return bytes;
}

// Whether `message` is said for the first time in this process: a style's ignored
// declarations are reported once per run, not once per document of a batch.
bool first_time(const std::string& message) {
    static std::mutex mutex;
    static std::set<std::string> said;
    std::lock_guard<std::mutex> lock(mutex);
    return said.insert(message).second;
}

template <class Source>
std::string write(const Source& source, const WriteOptions& options, std::optional<std::int64_t> date) {
    pdf::PrintStyle style = pdf::print_style_for(options.style, options.paper);
    if (!style.ignored.empty() && options.diagnostics && first_time(style.ignored))
        options.diagnostics->warn("pdf", style.ignored);
    pdf::SystemFonts fonts;
    pdf::TypesetOptions typeset_options;
    typeset_options.style = &style;
    typeset_options.fonts = &fonts;
    typeset_options.faces = pdf::FontFaces::of(fonts);
    typeset_options.creator = "dconv " DCONV_VERSION;
    typeset_options.smart_quotes = options.smart;  // block by block (the registry's typographic_by_block)
    typeset_options.toc_depth = toc_depth_or_default(options.toc_depth, true);  // only books have one
    pdf::TypesetReport typeset_report;
    // Each page is drawn as soon as it is set, and freed: memory holds the file's
    // deflated pages, not the document's layout (see limits.hpp).
    std::string cover = options.cover_image.empty() ? std::string() : read_cover(options.cover_image);
    pdf::PdfBuilder builder(fonts, style.paper.width, style.paper.height, cover);
    cover = std::string();
    pdf::Layout layout = pdf::typeset(
        source, typeset_options, [&builder](std::size_t index, pdf::Page&& page) { builder.add_page(index, page); },
        &typeset_report);
    layout.info.created = layout.info.modified = date;
    report(typeset_report, options);
    return builder.finish(layout);
}

}  // namespace

std::string write_pdf(const Document& doc, const WriteOptions& options) {
    return write(doc, options, edition_time(options, {&doc.meta}));
}

std::string write_pdf_book(const Book& book, const WriteOptions& options) {
    std::vector<const Meta*> metas{&book.meta};
    for (const Document& chapter : book.chapters) metas.push_back(&chapter.meta);
    return write(book, options, edition_time(options, metas));
}

}  // namespace dconv
