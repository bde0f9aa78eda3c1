// book.cpp: binding documents into a book, and metadata the user gives (book.hpp).
#include "dconv/book.hpp"

#include <algorithm>
#include <map>
#include <span>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/model.hpp"

namespace dconv {

namespace {

// Said on a bundle's title page when neither the user nor the chapters name the book.
constexpr std::string_view kCollectionTitle = "Collected articles";
constexpr int kMaxHeadingLevel = 6;

// The value every chapter has for a field, or "" when they differ or one lacks it.
template <class Field>
std::string shared(const std::vector<Document>& chapters, Field field) {
    if (chapters.empty()) return {};
    const std::string& first = field(chapters.front().meta);
    for (const Document& d : chapters)
        if (field(d.meta) != first) return {};
    return first;
}

// A chapter's byline, as the PDF and the EPUB set it under its title: its authors and
// its date (the day), " · " between them; empty when it has neither, or in a book of one
// chapter, whose metadata already gives them. Chapters of a longer book that share the
// book's authors and date (the latest) keep theirs: each is that chapter's.
std::string chapter_byline(const Meta& chapter, bool only_chapter) {
    std::string date = chapter.date.substr(0, std::min<std::size_t>(chapter.date.size(), 10));
    if (only_chapter) return {};
    std::string authors;
    for (const std::string& a : chapter.authors)
        if (!a.empty()) authors += (authors.empty() ? "" : ", ") + a;
    if (authors.empty() || date.empty()) return authors + date;
    return authors + " \u00B7 " + date;
}

}  // namespace

Book make_book(std::vector<Document> chapters, const Meta& given) {
    Book book;
    book.chapters = std::move(chapters);
    Meta& m = book.meta;
    const auto& cs = book.chapters;

    std::string site = shared(cs, [](const Meta& x) -> const std::string& { return x.site; });
    if (cs.size() == 1 && !cs.front().meta.title.empty()) m.title = cs.front().meta.title;
    else if (!site.empty()) m.title = site;
    else m.title = kCollectionTitle;
    if (cs.size() == 1) m.subtitle = cs.front().meta.subtitle;
    m.site = site;

    for (const Document& d : cs)
        for (const std::string& a : d.meta.authors)
            if (!a.empty() && std::find(m.authors.begin(), m.authors.end(), a) == m.authors.end())
                m.authors.push_back(a);

    std::map<std::string, std::size_t> votes;
    std::size_t best = 0;
    for (const Document& d : cs) {
        if (d.meta.language.empty()) continue;
        std::size_t n = ++votes[d.meta.language];
        if (n > best) {  // strictly more: the earliest language keeps a tie
            best = n;
            m.language = d.meta.language;
        }
    }
    for (const Document& d : cs)  // ISO 8601 dates compare as strings
        if (d.meta.date > m.date) m.date = d.meta.date;

    apply_meta(m, given);
    return book;
}

Document flatten(const Book& book) {
    Document out;
    out.meta = book.meta;
    for (std::size_t i = 0; i < book.chapters.size(); ++i) {
        const Document& chapter = book.chapters[i];
        out.blocks.push_back(make_heading(1, chapter_title(chapter, "Chapter " + std::to_string(i + 1))));
        if (std::string byline = chapter_byline(chapter.meta, book.chapters.size() == 1); !byline.empty())
            out.blocks.push_back(make_paragraph(Inlines{Emphasis{Inlines{Text{std::move(byline)}}}}));
        // Each chapter keyed its images on its own: a key another chapter already uses
        // for other bytes is renamed ("c2-img-1.png"), and this chapter's images with it.
        std::map<std::string, std::string> renamed;
        for (const auto& [key, resource] : chapter.resources) {
            auto [at, added] = out.resources.try_emplace(key, resource);
            if (added || at->second == resource || (at->second && resource && *at->second == *resource)) continue;
            std::string prefix = "c";
            prefix += std::to_string(i + 1);
            prefix += '-';
            std::string fresh = prefix;
            fresh += key;
            for (int n = 2; out.resources.count(fresh); ++n) {
                fresh = prefix;
                fresh += std::to_string(n);
                fresh += '-';
                fresh += key;
            }
            out.resources.emplace(fresh, resource);
            renamed.emplace(key, fresh);
        }
        // The chapter's sections one level under its title: its highest headings become
        // level 2 whatever their level in the source (an article whose h1 became its
        // title starts its sections at h2, one in Markdown may start at ###), the others
        // keep their distance from them, as the EPUB's nav and the PDF's bookmarks nest.
        int top = kMaxHeadingLevel;
        for (const Block& b : chapter.blocks)
            if (const auto* h = std::get_if<Heading>(&b.node)) top = std::min(top, std::max(h->level, 1));
        const int shift = 2 - top;
        std::size_t first = out.blocks.size();
        for (const Block& b : chapter.blocks) {
            out.blocks.push_back(b);
            if (auto* h = std::get_if<Heading>(&out.blocks.back().node))
                h->level = std::clamp(h->level + shift, 2, kMaxHeadingLevel);
        }
        // Each image whose key was renamed points at its new key; each note label (unique
        // in its chapter, Note::label) gets the chapter's prefix, unique in the book.
        const std::string chapter_prefix = "c" + std::to_string(i + 1) + "-";
        auto rename = [&](Inline& in, const Block&) {
            if (auto* image = std::get_if<Image>(&in.base())) {
                if (auto to = renamed.find(image->resource); to != renamed.end()) image->resource = to->second;
            } else if (auto* note = std::get_if<Note>(&in.base()); note && !note->label.empty()) {
                note->label = chapter_prefix + note->label;
            }
        };
        std::span<Block> added = std::span(out.blocks).subspan(first);
        each_inline(added, rename);
    }
    return out;
}

std::string chapter_title(const Document& chapter, std::string_view fallback) {
    std::string title = text::squeeze_spaces(chapter.meta.title);
    if (!title.empty()) return title;
    for (const Block& b : chapter.blocks) {
        if (const auto* h = std::get_if<Heading>(&b.node)) {
            title = text::squeeze_spaces(plain_text(h->content));
            if (!title.empty()) return title;
        }
    }
    return std::string(fallback);
}

void set_meta_field(Meta& meta, std::string_view key, std::string_view value) {
    std::string name = text::lower_ascii(text::trim(key));
    std::string v(text::trim(value));
    if (name.empty()) throw Error(ErrorKind::usage, "", 0, "metadata needs a key: KEY=VALUE");
    if (name == "title") meta.title = v;
    else if (name == "subtitle") meta.subtitle = v;
    else if (name == "author" || name == "creator") meta.authors.push_back(v);
    else if (name == "date") meta.date = v;
    else if (name == "site" || name == "publisher") meta.site = v;
    else if (name == "language" || name == "lang") meta.language = v;
    else if (name == "source") meta.source = v;
    else {
        meta.extra[name] = v;
        meta.lists.erase(name);
    }
}

void apply_meta(Meta& meta, const Meta& given) {
    auto lay = [](std::string& field, const std::string& over) {
        if (!over.empty()) field = over;
    };
    lay(meta.title, given.title);
    lay(meta.subtitle, given.subtitle);
    lay(meta.date, given.date);
    lay(meta.site, given.site);
    lay(meta.language, given.language);
    lay(meta.source, given.source);
    if (!given.authors.empty()) meta.authors = given.authors;
    for (const auto& [key, value] : given.extra) {
        meta.extra[key] = value;
        meta.lists.erase(key);
    }
    for (const auto& [key, items] : given.lists) {
        meta.lists[key] = items;
        meta.extra.erase(key);
    }
}

}  // namespace dconv
