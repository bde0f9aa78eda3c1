// pdf_writer.cpp: the PDF writer's entry points (pdf_writer.hpp).
#include "pdf/pdf_writer.hpp"

#include <algorithm>
#include <cstdio>

#include "core/date_time.hpp"
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
    if (r.overfull_lines)
        warn(std::to_string(r.overfull_lines) + " lines hold a part wider than the page's measure");
}

template <class Source>
std::string write(const Source& source, const WriteOptions& options, std::optional<std::int64_t> date) {
    pdf::PrintStyle style = pdf::print_style_for(options.style, options.paper);
    pdf::SystemFonts fonts;
    pdf::TypesetOptions typeset_options;
    typeset_options.style = &style;
    typeset_options.fonts = &fonts;
    typeset_options.faces = pdf::FontFaces::of(fonts);
    typeset_options.creator = "dconv " DCONV_VERSION;
    pdf::TypesetReport typeset_report;
    pdf::Layout layout = pdf::typeset(source, typeset_options, &typeset_report);
    layout.info.created = layout.info.modified = date;
    report(typeset_report, options);
    return pdf::render_pdf(layout, fonts);
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
