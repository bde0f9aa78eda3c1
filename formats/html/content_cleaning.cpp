#include "html/content_cleaning.hpp"

#include <span>
#include <unordered_map>
#include <unordered_set>

#include "clean/cues.hpp"
#include "core/text.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"
#include "html/html_tree.hpp"

namespace dconv::html {

namespace {

struct ProseMeasure {
    double chars = 0, link_chars = 0;
    int marks = 0;  // commas and sentence ends
};

void measure(std::string_view s, bool link, ProseMeasure& m) {
    double chars = 0;
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = text::next(s, i);
        chars += text::is_cjk(c) ? 3 : 1;
        if (c == ',' || c == 0xFF0C || c == 0x3001 || c == 0x060C || text::is_sentence_end(c)) ++m.marks;
    }
    m.chars += chars;
    if (link) m.link_chars += chars;
}

void measure(const Inlines& inlines, bool link, ProseMeasure& m) {
    for (const Inline& in : inlines) {
        poll_deadline();
        if (const auto* t = std::get_if<Text>(&in)) measure(t->text, link, m);
        else if (const auto* c = std::get_if<Code>(&in)) measure(c->text, link, m);
        else if (const auto* l = std::get_if<Link>(&in)) measure(l->children, true, m);
        else if (const Inlines* children = inline_children(in)) measure(*children, link, m);
    }
}

// One unit as the classifier counts them: a top-level block, or an item of a top-level list.
struct Unit {
    std::size_t block;
    int item;  // -1: the whole block
    SourceRange source;
    bool prose = false;
};

// Gathers the text of paragraphs (in quotes too); false at a heading, list, code or rule,
// which are never running prose.
bool gather_paragraphs(std::span<const Block> blocks, ProseMeasure& m, std::string& text) {
    for (const Block& b : blocks) {
        poll_deadline();
        if (const auto* p = std::get_if<Paragraph>(&b.node)) {
            measure(p->content, false, m);
            text += plain_text(p->content);
            text += ' ';
        } else if (const auto* q = std::get_if<BlockQuote>(&b.node)) {
            if (!gather_paragraphs(q->children, m, text)) return false;
        } else {
            return false;
        }
    }
    return true;
}

bool is_running_prose(std::span<const Block> blocks, std::string_view lang, std::unordered_set<std::string>& seen) {
    ProseMeasure m;
    std::string text;
    if (!gather_paragraphs(blocks, m, text)) return false;
    if (m.chars < kProtectedProseChars || m.link_chars > kProtectedLinkDensity * m.chars || m.marks < 2)
        return false;
    if (clean::is_legal_line(text) || clean::is_privacy_notice(text, lang)) return false;
    // the same paragraph twice is a widget shown twice: the classifier decides
    return seen.insert(text::squeeze_spaces(text)).second;
}

std::vector<Unit> units_of(const Document& doc, std::string_view lang) {
    std::vector<Unit> units;
    std::unordered_set<std::string> seen;
    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
        poll_deadline();
        const Block& block = doc.blocks[b];
        if (const auto* list = std::get_if<List>(&block.node)) {
            for (std::size_t i = 0; i < list->items.size(); ++i) {
                Unit u{b, static_cast<int>(i), block.source};
                for (const Block& child : list->items[i])
                    if (child.source.known()) {
                        u.source = child.source;
                        break;
                    }
                u.prose = is_running_prose(list->items[i], lang, seen);
                units.push_back(u);
            }
            continue;
        }
        Unit u{b, -1, block.source};
        u.prose = is_running_prose(std::span<const Block>(&block, 1), lang, seen);
        units.push_back(u);
    }
    return units;
}

// The document with each unit's source range replaced by its number (1-based).
Document numbered_copy(const Document& doc, const std::vector<Unit>& units) {
    Document copy = doc;
    for (std::size_t k = 0; k < units.size(); ++k) {
        poll_deadline();
        auto line = static_cast<std::uint32_t>(k + 1);
        const Unit& u = units[k];
        Block& block = copy.blocks[u.block];
        if (u.item < 0) {
            block.source = {line, line};
            continue;
        }
        auto& item = std::get<List>(block.node).items[static_cast<std::size_t>(u.item)];
        for (Block& child : item) child.source = {line, line};
        if (u.item == 0) block.source.first = line;
        block.source.last = line;
    }
    return copy;
}

// The unit numbers the classifier kept.
std::vector<bool> surviving(const Document& copy, std::size_t units) {
    std::vector<bool> kept(units, false);
    auto mark = [&](SourceRange s) {
        if (s.first >= 1 && s.first <= units) kept[s.first - 1] = true;
    };
    for (const Block& b : copy.blocks) {
        poll_deadline();
        if (const auto* list = std::get_if<List>(&b.node)) {
            for (const Blocks& item : list->items) {
                SourceRange s = b.source;
                for (const Block& child : item)
                    if (child.source.known()) {
                        s = child.source;
                        break;
                    }
                mark(s);
            }
            continue;
        }
        mark(b.source);
    }
    return kept;
}

void drop(Document& doc, const std::vector<Unit>& units, const std::vector<bool>& gone) {
    std::vector<bool> drop_block(doc.blocks.size(), false);
    std::vector<std::vector<bool>> drop_item(doc.blocks.size());
    for (std::size_t k = 0; k < units.size(); ++k) {
        poll_deadline();
        if (!gone[k]) continue;
        const Unit& u = units[k];
        if (u.item < 0) {
            drop_block[u.block] = true;
            continue;
        }
        auto& items = drop_item[u.block];
        if (items.empty()) items.assign(std::get<List>(doc.blocks[u.block].node).items.size(), false);
        items[static_cast<std::size_t>(u.item)] = true;
    }
    Blocks kept;
    kept.reserve(doc.blocks.size());
    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
        poll_deadline();
        if (drop_block[b]) continue;
        Block& block = doc.blocks[b];
        if (!drop_item[b].empty()) {
            auto& list = std::get<List>(block.node);
            remove_list_items(list, drop_item[b]);
            if (list.items.empty()) continue;
        }
        kept.push_back(std::move(block));
    }
    doc.blocks = std::move(kept);
}

// ------------------------------------------------------------------ the block filter

struct UnitText {
    std::string text;
    ProseMeasure m;
    int letters = 0, digits = 0;
    bool heading = false, code = false, rule = false;
    int heading_level = 0;
};

UnitText unit_text(const Document& doc, const Unit& u) {
    UnitText t;
    auto add_block = [&](const Block& b) {
        if (const Inlines* in = inline_content(b)) {
            measure(*in, false, t.m);
            if (!t.text.empty()) t.text += ' ';
            t.text += plain_text(*in);
            if (const auto* h = std::get_if<Heading>(&b.node)) {
                t.heading = true;
                t.heading_level = h->level;
            }
        } else if (const auto* c = std::get_if<CodeBlock>(&b.node)) {
            t.code = true;
            measure(c->text, false, t.m);
            t.text += c->text;
        } else if (std::holds_alternative<ThematicBreak>(b.node)) {
            t.rule = true;
        } else {
            std::string all = plain_text(b);
            measure(all, false, t.m);
            t.text += all;
        }
    };
    if (u.item < 0) add_block(doc.blocks[u.block]);
    else
        for (const Block& b : std::get<List>(doc.blocks[u.block].node).items[static_cast<std::size_t>(u.item)])
            add_block(b);
    for (std::size_t i = 0; i < t.text.size();) {
        char32_t c = text::next(t.text, i);
        if (text::is_digit(c)) ++t.digits;
        else if (text::is_letter(c) || text::is_cjk(c)) ++t.letters;
    }
    return t;
}

// Letters only, lower-cased (digits and punctuation aside).
std::string folded_key(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t start = i;
        char32_t c = text::next(s, i);
        if (!text::is_letter(c) && !text::is_cjk(c)) continue;
        if (c < 0x80) out += static_cast<char>(c | 0x20);
        else out.append(s.substr(start, i - start));
    }
    return out;
}

bool ends_sentence(std::string_view s) {
    s = text::trim(s);
    if (s.empty()) return false;
    std::size_t i = s.size();
    char32_t c = text::prev(s, i);
    while ((c == '"' || c == ')' || c == 0x201D || c == 0x300D || c == 0xFF09) && i > 0) c = text::prev(s, i);
    return text::is_sentence_end(c);
}

// The block filter's thresholds. Lengths as above (a CJK character counts three).
constexpr double kShortLine = 45;          // shorter units are judged by their neighbours
constexpr double kMaxNumbersLine = 40;     // numbers and dates only: a date line, a counter
constexpr double kMaxLinkDensity = 0.5;    // more link text than this: navigation...
constexpr double kSentenceLinkDensity = 0.65;  // ...or this much in a full sentence
constexpr double kMaxWidgetLine = 120;     // longer text is not a widget's label
constexpr double kWidgetShare = 0.5;       // share of widget words (share, login, 分享)
constexpr double kMaxLegalLine = 400;      // a copyright line; longer text is prose about it
constexpr double kMinNotice = 80;          // a cookie notice is prose; shorter is a label
constexpr double kMaxLabel = 60;           // a label repeated...
constexpr int kLabelRepeats = 3;           // ...this often on the page is furniture
constexpr double kMaxSectionOpener = 60;   // "Related articles" as a line, not a heading
constexpr double kMinRepeatedParagraph = 100;  // shorter text may well recur ("Thank you!")

// What the page's own words say a unit is: the reason it is furniture, or empty.
std::vector<std::string> filter_units(const Document& doc, const std::vector<Unit>& units, std::string_view lang) {
    const std::size_t n = units.size();
    std::vector<UnitText> texts;
    texts.reserve(n);
    // labels compare by their letters only: "Posts: 22" and "Posts: 24" are one label
    std::unordered_map<std::string, int> repeats;
    for (const Unit& u : units) {
        poll_deadline();
        texts.push_back(unit_text(doc, u));
        std::string key = folded_key(texts.back().text);
        if (!key.empty()) ++repeats[key];
    }
    std::vector<std::string> why(n);
    for (std::size_t k = 0; k < n; ++k) {
        poll_deadline();
        const UnitText& t = texts[k];
        if (units[k].prose || t.code || t.rule) continue;
        double chars = t.m.chars, ld = chars > 0 ? t.m.link_chars / chars : 0;
        bool sentence = ends_sentence(t.text) && chars >= kShortLine;
        if (t.letters < 2) why[k] = "no words";
        else if (t.digits > t.letters && chars < kMaxNumbersLine) why[k] = "numbers and dates only";
        else if (ld > (sentence ? kSentenceLinkDensity : kMaxLinkDensity)) why[k] = "link density";
        else if (chars < kMaxWidgetLine && clean::widget_share(t.text) >= kWidgetShare) why[k] = "widget words";
        else if (chars < kMaxLegalLine && clean::is_legal_line(t.text)) why[k] = "copyright or legal line";
        else if (chars >= kMinNotice && clean::is_privacy_notice(t.text, lang)) why[k] = "cookie or privacy notice";
        else if (!t.heading && chars < kMaxLabel && !ends_sentence(t.text) &&
                 repeats[folded_key(t.text)] >= kLabelRepeats)
            why[k] = "a label repeated on the page";
    }
    // a paragraph shown twice (an author's box above and below the article) is kept once
    std::unordered_set<std::string> seen;
    for (std::size_t k = 0; k < n; ++k) {
        poll_deadline();
        const UnitText& t = texts[k];
        if (t.m.chars < kMinRepeatedParagraph || t.code) continue;
        if (!seen.insert(folded_key(t.text)).second && why[k].empty()) why[k] = "the same paragraph again";
    }
    // a furniture section ("Related articles", "Comments") runs to the next heading of
    // its rank, or to running prose
    bool in_section = false;
    int section_level = 0;
    for (std::size_t k = 0; k < n; ++k) {
        poll_deadline();
        const UnitText& t = texts[k];
        if ((t.heading || t.m.chars < kMaxSectionOpener) && !units[k].prose &&
            clean::opens_furniture_section(t.text)) {
            why[k] = "opens a section of page furniture";
            in_section = true;
            section_level = t.heading ? t.heading_level : 7;
            continue;
        }
        if (!in_section) continue;
        if ((t.heading && t.heading_level <= section_level) || units[k].prose) {
            in_section = false;
            continue;
        }
        if (why[k].empty()) why[k] = "inside a section of page furniture";
    }
    // short lines between furniture are furniture; a heading needs content after it
    auto dropped = [&](std::size_t j) { return !why[j].empty(); };
    for (std::size_t k = 0; k < n; ++k) {
        poll_deadline();
        if (!why[k].empty() || units[k].prose) continue;
        const UnitText& t = texts[k];
        bool before = k == 0 || dropped(k - 1);
        bool after = k + 1 == n || dropped(k + 1);
        if (t.heading) {
            if (after) why[k] = "heading not followed by content";
        } else if (t.m.chars < kShortLine && before && after && !ends_sentence(t.text)) {
            why[k] = "a short line between furniture";
        }
    }
    return why;
}

}  // namespace

void clean_content(Document& doc, const CleanOptions& options, bool records, Diagnostics& diag) {
    const bool had_text = !doc.blocks.empty();
    strip_fragments(doc, diag);
    std::uint32_t title_line = extract_metadata(doc, diag);
    const std::string lang = doc.meta.language;
    const std::vector<Unit> units = units_of(doc, lang);
    const std::size_t n = units.size();

    // what the page's own words say about each unit
    std::vector<std::string> own = filter_units(doc, units, lang);
    std::vector<bool> gone(n, false);
    for (std::size_t k = 0; k < n; ++k) gone[k] = !own[k].empty();

    // the classifier, on a numbered copy; what it removes before the first block of
    // running prose or after the last goes too (the edges of the content: a player's
    // controls, a lead-in of labels), never what lies between
    Diagnostics verdicts(diag.keeps_notes());
    std::vector<bool> classified(n, false);
    if (!records) {
        Document copy = numbered_copy(doc, units);
        CleanOptions classify = options;
        classify.title_line = 0;  // the headline's place in unit numbers: the units up to it
        if (title_line)
            for (const Unit& u : units)
                if (u.source.known() && u.source.first <= title_line) ++classify.title_line;
        classify_boilerplate(copy, classify, verdicts);
        std::vector<bool> kept = surviving(copy, n);
        std::size_t first = n, last = 0;
        for (std::size_t k = 0; k < n; ++k)
            if (units[k].prose) {
                first = std::min(first, k);
                last = k;
            }
        for (std::size_t k = 0; k < n; ++k)
            if (!kept[k] && !units[k].prose && (k < first || k > last) && !gone[k]) gone[k] = classified[k] = true;
    }

    if (diag.keeps_notes()) {
        for (std::size_t k = 0; k < n; ++k) {
            poll_deadline();
            if (own[k].empty()) continue;
            Diagnostic d;
            d.pass = "html-clean";
            d.action = "removed";
            d.first_line = units[k].source.first;
            d.last_line = units[k].source.last;
            d.reason = own[k];
            d.excerpt = excerpt(unit_text(doc, units[k]).text);
            diag.note(std::move(d));
        }
        // the classifier's notes, back on the page's lines; those it was not followed in say so
        for (Diagnostic d : verdicts.items()) {
            poll_deadline();
            if (d.first_line >= 1 && d.first_line <= n) {
                std::size_t k = d.first_line - 1;
                if (d.action == "removed" && !classified[k]) {
                    if (gone[k]) continue;  // reported above
                    d.action = "kept";
                    d.reason = (units[k].prose ? "running prose" : "inside the page's content") +
                               std::string(", overruling: ") + d.reason;
                }
                d.first_line = units[k].source.first;
                d.last_line = units[k].source.last;
            }
            diag.note(std::move(d));
        }
    }
    drop(doc, units, gone);
    repair_structure(doc, diag);
    if (had_text && doc.blocks.empty())
        diag.warn("clean", "nothing was kept: every line looked like page furniture (--no-clean keeps the text)");
}

}  // namespace dconv::html
