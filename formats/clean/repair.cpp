// repair.cpp: the repair-structure pass. Puts back what hard wrapping and scraping broke:
// paragraphs split mid-sentence across blank lines are rejoined (no space between CJK
// characters), headings split over lines are assembled, section headings are recognised
// (numbered, short title-case lines, ordinal lead lines standing alone), and a title
// repeated mid-page is dropped.
#include <string>

#include "clean/cues.hpp"
#include "clean/features.hpp"
#include "clean/language.hpp"
#include "clean/units.hpp"
#include "core/text.hpp"
#include "dconv/clean.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"

namespace dconv {

namespace {

using clean::Features;

constexpr double kMaxHeadingLength = 160;   // a heading line longer than this is a paragraph

// A note of the repair pass, with its excerpt made already.
void report_excerpt(Diagnostics& diag, const Block& b, const char* action, const std::string& reason,
                    const std::string& excerpt) {
    Diagnostic d;
    d.pass = "repair";
    d.action = action;
    d.first_line = b.source.first;
    d.last_line = b.source.last;
    d.reason = reason;
    d.excerpt = excerpt;
    diag.note(std::move(d));
}

void report(Diagnostics& diag, const Block& b, const char* action, const std::string& reason,
            std::string_view text) {
    report_excerpt(diag, b, action, reason, clean::excerpt(text));
}

char32_t first_char(std::string_view s) {
    std::size_t i = 0;
    return s.empty() ? 0 : text::next(s, i);
}

char32_t last_char(std::string_view s) {
    std::size_t i = s.size();
    return s.empty() ? 0 : text::prev(s, i);
}

// "Dear Friends," is a salutation, not a heading: a clause mark at the end continues.
bool ends_clause(std::string_view s) {
    char32_t c = last_char(s);
    return c == ',' || c == ';' || c == 0xFF0C || c == 0xFF1B || c == 0x3001;
}

bool is_paragraph(const Block& b) { return std::holds_alternative<Paragraph>(b.node); }

// Title case: most words that are not stop words start with a capital.
bool title_case(const Features& f, std::string_view lang) {
    if (f.cjk > 0 || f.words == 0) return false;
    int content = 0, capitals = 0;
    std::string_view s = f.text;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        std::size_t start = i;
        while (i < s.size() && s[i] != ' ') ++i;
        std::string_view w = s.substr(start, i - start);
        if (w.empty()) break;
        std::string low = text::lower_ascii(w);
        while (!low.empty() && !std::isalnum(static_cast<unsigned char>(low.back()))) low.pop_back();
        if (clean::is_stopword(lang, low) || low.empty()) continue;
        ++content;
        std::size_t k = 0;
        char32_t c = text::next(w, k);
        if (text::is_upper(c) || text::is_digit(c)) ++capitals;
    }
    return content > 0 && capitals * 10 >= content * 7;
}

std::size_t text_bytes(const Inlines& inlines) {
    std::size_t n = 0;
    for (const Inline& in : inlines) {
        poll_deadline();
        if (auto* t = std::get_if<Text>(&in)) n += t->text.size();
        else if (auto* c = std::get_if<Code>(&in)) n += c->text.size();
        else if (const Inlines* children = inline_children(in)) n += text_bytes(*children);
    }
    return n;
}

// The first or last visible character of inline content, without flattening it.
char32_t edge_char(const Inlines& inlines, bool last) {
    for (std::size_t k = 0; k < inlines.size(); ++k) {
        poll_deadline();
        const Inline& in = inlines[last ? inlines.size() - 1 - k : k];
        std::string_view s;
        if (auto* t = std::get_if<Text>(&in)) s = t->text;
        else if (auto* c = std::get_if<Code>(&in)) s = c->text;
        char32_t c = 0;
        if (const Inlines* children = inline_children(in)) c = edge_char(*children, last);
        else if (!s.empty()) c = last ? last_char(s) : first_char(s);
        if (c) return c;
    }
    return 0;
}

// A paragraph holding a link or an image is no heading: its text is a link's, or an
// image's alt text ("![The Old Keeper](keeper.jpg)" alone between paragraphs is a picture,
// emphasised or not)
bool has_link_or_image(const Block& b) {
    const Inlines* in = inline_content(b);
    return in && contains_image(*in, /*or_link=*/true);
}

void append_inlines(Inlines& into, Inlines&& more, bool space) {
    if (space) into.push_back(Text{" "});
    for (Inline& i : more) into.push_back(std::move(i));
    normalize(into);
}

void drop_repeated_title(Document& doc, Diagnostics& diag) {
    if (doc.meta.title.empty()) return;
    std::string title = clean::fold(doc.meta.title);
    if (title.empty()) return;
    Blocks kept;
    for (Block& b : doc.blocks) {
        poll_deadline();
        const Inlines* in = inline_content(b);
        if (in && clean::fold(plain_text(*in), title.size()) == title) {  // a longer fold is not read whole
            report(diag, b, "removed", "the title repeated", plain_text(*in));
            continue;
        }
        kept.push_back(std::move(b));
    }
    doc.blocks = std::move(kept);
}

void assemble_headings(Document& doc, std::string_view lang, Diagnostics& diag) {
    Blocks& blocks = doc.blocks;
    auto features = [&](const Block& b) { return clean::measure(*inline_content(b), lang); };
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        poll_deadline();
        if (!is_paragraph(blocks[i]) || has_link_or_image(blocks[i])) continue;
        // every character weighs at most as many Latin-equivalents as it has bytes, and
        // at least a quarter: longer text cannot be a heading, measuring it is waste
        if (text_bytes(*inline_content(blocks[i])) > 4 * kMaxHeadingLength) continue;
        if (clean::length_exceeds(*inline_content(blocks[i]), kMaxHeadingLength)) continue;
        Features f = features(blocks[i]);
        if (f.length > kMaxHeadingLength) continue;
        bool prev_para = i == 0 || is_paragraph(blocks[i - 1]) || std::holds_alternative<Heading>(blocks[i - 1].node);
        bool next_para = i + 1 < blocks.size() && is_paragraph(blocks[i + 1]);

        // numbered: "2.Pursuing mutually beneficial" + "cooperation and common development"
        if (clean::numbered_heading_shape(f)) {
            auto& content = std::get<Paragraph>(blocks[i].node).content;
            Heading h{2, std::move(content)};
            SourceRange src = blocks[i].source;
            while (i + 1 < blocks.size() && is_paragraph(blocks[i + 1]) && !has_link_or_image(blocks[i + 1])) {
                if (clean::length_exceeds(*inline_content(blocks[i + 1]), 100)) break;  // as g.length > 100 below
                Features g = features(blocks[i + 1]);
                char32_t c = first_char(g.text);
                if (g.length > 100 || g.ends_sentence || !text::is_lower(c)) break;
                append_inlines(h.content, std::move(std::get<Paragraph>(blocks[i + 1].node).content), true);
                src.last = blocks[i + 1].source.last;
                blocks.erase(blocks.begin() + static_cast<long>(i) + 1);
            }
            blocks[i].node = std::move(h);
            blocks[i].source = src;
            report(diag, blocks[i], "heading", "numbered section heading", f.text);
            continue;
        }

        // ordinal lead line standing alone: "First, we have carried out robust ..."
        if (clean::starts_with_ordinal(f.text) && f.sentence_ends <= 1 && prev_para && next_para &&
            clean::length_exceeds(*inline_content(blocks[i + 1]), f.length)) {
            blocks[i].node = Heading{2, std::move(std::get<Paragraph>(blocks[i].node).content)};
            report(diag, blocks[i], "heading", "ordinal lead line standing alone", f.text);
            continue;
        }

        // a run of short title-case lines between paragraphs is one heading; a remark in
        // parentheses or brackets is not, nor a row of table cells ("Fuel | Price")
        bool bracketed = !f.text.empty() && (f.text.front() == '(' || f.text.front() == '[');
        auto cells = [](std::string_view t) { return t.find(" | ") != std::string_view::npos; };
        if (!f.ends_sentence && !bracketed && !cells(f.text) && !ends_clause(f.text) && title_case(f, lang) &&
            prev_para && f.words >= 2) {
            std::size_t j = i + 1;
            double total = f.length;
            while (j < blocks.size() && is_paragraph(blocks[j]) && !has_link_or_image(blocks[j])) {
                if (clean::length_exceeds(*inline_content(blocks[j]), kMaxHeadingLength)) break;  // as below
                Features g = features(blocks[j]);
                if (g.ends_sentence || g.length > kMaxHeadingLength || cells(g.text) || !title_case(g, lang)) break;
                total += g.length;
                ++j;
            }
            bool followed = j < blocks.size() && is_paragraph(blocks[j]) &&
                            clean::length_exceeds(*inline_content(blocks[j]), total);
            if (!followed || total > 2 * kMaxHeadingLength) continue;
            Heading h{2, std::move(std::get<Paragraph>(blocks[i].node).content)};
            SourceRange src = blocks[i].source;
            for (std::size_t k = i + 1; k < j; ++k) {
                append_inlines(h.content, std::move(std::get<Paragraph>(blocks[k].node).content), true);
                src.last = blocks[k].source.last;
            }
            blocks.erase(blocks.begin() + static_cast<long>(i) + 1, blocks.begin() + static_cast<long>(j));
            blocks[i].node = std::move(h);
            blocks[i].source = src;
            report(diag, blocks[i], "heading",
                   j - i > 1 ? "title-case lines assembled into one heading" : "standalone title-case line",
                   plain_text(std::get<Heading>(blocks[i].node).content));
        }
    }
}

void join_broken_paragraphs(Document& doc, std::string_view lang, Diagnostics& diag) {
    Blocks& blocks = doc.blocks;
    Blocks out;
    out.reserve(blocks.size());
    // A paragraph that grows by many joins is measured and quoted once, not at each join
    // (that would be quadratic in its length): its length only grows, and its excerpt,
    // the start of its text, stays once it is as long as an excerpt.
    std::size_t grown = SIZE_MAX;   // the index in `out` of the paragraph being joined to
    bool grown_is_long = false;     // it reached kMinWrappedCjkLength
    std::string grown_excerpt;
    for (Block& b : blocks) {
        poll_deadline();
        if (!out.empty() && is_paragraph(out.back()) && is_paragraph(b) && b.source.known() &&
            out.back().source.known() && b.source.first > out.back().source.last &&
            b.source.first - out.back().source.last <= clean::kMaxJoinGap) {
            auto& prev = std::get<Paragraph>(out.back().node).content;
            auto& next = std::get<Paragraph>(b.node).content;
            if (grown != out.size() - 1) {
                grown = out.size() - 1;
                grown_is_long = false;
                grown_excerpt.clear();
            }
            char32_t end = edge_char(prev, true), start = edge_char(next, false);
            const clean::LineWrap wrap = clean::line_wrap(end, start);
            if (wrap == clean::LineWrap::cjk_if_long && !grown_is_long)
                grown_is_long = clean::measure(prev, lang).length >= clean::kMinWrappedCjkLength;
            const bool join = wrap == clean::LineWrap::spaced || wrap == clean::LineWrap::cjk ||
                              (wrap == clean::LineWrap::cjk_if_long && grown_is_long);
            const bool space = wrap == clean::LineWrap::spaced;
            if (join) {
                append_inlines(prev, std::move(next), space);
                out.back().source.last = b.source.last;
                if (diag.keeps_notes()) {
                    if (grown_excerpt.empty() || !grown_excerpt.ends_with("…"))
                        grown_excerpt = clean::excerpt(plain_text(prev));
                    report_excerpt(diag, out.back(), "joined", "paragraph broken mid-sentence", grown_excerpt);
                }
                poll_deadline();
                continue;
            }
        }
        out.push_back(std::move(b));
    }
    blocks = std::move(out);
}

void drop_trailing_headings(Document& doc, Diagnostics& diag) {
    while (!doc.blocks.empty() && std::holds_alternative<Heading>(doc.blocks.back().node)) {
        report(diag, doc.blocks.back(), "removed", "heading with nothing after it",
               plain_text(doc.blocks.back()));
        doc.blocks.pop_back();
    }
}

}  // namespace

void repair_structure(Document& doc, Diagnostics& diag) {
    std::string lang = clean::document_language(doc);
    drop_repeated_title(doc, diag);
    assemble_headings(doc, lang, diag);
    join_broken_paragraphs(doc, lang, diag);
    drop_trailing_headings(doc, diag);
}

}  // namespace dconv
