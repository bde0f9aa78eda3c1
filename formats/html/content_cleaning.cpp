#include "html/content_cleaning.hpp"

#include <algorithm>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "clean/cues.hpp"
#include "clean/rules.hpp"
#include "clean/table_notes.hpp"
#include "clean/thresholds.hpp"
#include "clean/units.hpp"
#include "core/text.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"
#include "html/explanation.hpp"
#include "html/html_tree.hpp"
#include "html/image_source.hpp"

namespace dconv::html {

namespace {

using clean::Rule;
using clean::rule_on;

struct ProseMeasure {
    double chars = 0, link_chars = 0;
    int marks = 0;  // commas and sentence ends
};

void measure(std::string_view s, bool link, ProseMeasure& m) {
    double chars = 0;
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = text::next(s, i);
        chars += text::is_cjk(c) ? 3 : 1;
        if (text::is_comma(c) || text::is_sentence_end(c)) ++m.marks;
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
    bool media = false;  // a figure, a table, or a paragraph of images only (is_media)
    bool kept = false;   // the user's (--keep-selector): content, whatever the rules say
};

// Images, alone or linked, and nothing else but white space.
bool shows_images_only(const Inlines& inlines) {
    bool image = false;
    for (const Inline& in : inlines) {
        if (std::holds_alternative<Image>(in)) {
            image = true;
        } else if (const auto* link = std::get_if<Link>(&in)) {
            if (!shows_images_only(link->children)) return false;
            image = true;
        } else if (const auto* t = std::get_if<Text>(&in)) {
            if (!text::trim(t->text).empty()) return false;
        } else if (!std::holds_alternative<LineBreak>(in)) {
            return false;
        }
    }
    return image;
}

// A footnote's reference, its note read into it (footnotes.hpp): the author's text.
bool holds_note(const Inlines& inlines) {
    for (const Inline& in : inlines) {
        if (const auto* note = std::get_if<Note>(&in)) {
            if (!note->content.empty()) return true;
        } else if (const Inlines* children = inline_children(in); children && holds_note(*children)) {
            return true;
        }
    }
    return false;
}

// What the page shows rather than says: a figure, a data table (the reader made tables
// of data tables only), or a paragraph of images. Their words (alt text, numbers, cell
// links) say nothing about whether they are furniture, so the filters and the
// classifier do not read them: they go with their neighbours (kept_by_neighbours).
bool is_media(const Block& b) {
    if (std::holds_alternative<Figure>(b.node) || std::holds_alternative<Table>(b.node)) return true;
    const auto* p = std::get_if<Paragraph>(&b.node);
    return p && shows_images_only(p->content);
}

// Removes images, and the containers (links, paragraphs, list items, lists, quotes)
// they leave empty: the text as the page reads without its pictures.
void strip_images(Inlines& inlines) {
    std::erase_if(inlines, [](Inline& in) {
        if (std::holds_alternative<Image>(in)) return true;
        Inlines* children = inline_children(in);
        if (!children) return false;
        bool had = !children->empty();
        strip_images(*children);
        return had && children->empty();
    });
}

void strip_images(Blocks& blocks);

// Removes the images of one block; true when it is left empty (and goes).
bool strip_images(Block& b) {
    if (Inlines* in = inline_content(b)) {
        bool had = !in->empty();
        strip_images(*in);
        return had && in->empty();
    }
    if (auto* list = std::get_if<List>(&b.node)) {
        std::vector<bool> empty(list->items.size(), false);
        for (std::size_t k = 0; k < list->items.size(); ++k) {
            bool had = !list->items[k].empty();
            strip_images(list->items[k]);
            empty[k] = had && list->items[k].empty();
        }
        remove_list_items(*list, empty);
        return list->items.empty();
    }
    if (auto* quote = std::get_if<BlockQuote>(&b.node)) {
        strip_images(quote->children);
        return quote->children.empty();
    }
    if (auto* definitions = std::get_if<DefinitionList>(&b.node)) {
        for (DefinitionItem& item : definitions->items) {
            for (Inlines& term : item.terms) strip_images(term);
            for (Blocks& definition : item.definitions) strip_images(definition);
        }
        return false;  // its terms stay
    }
    return false;
}

void strip_images(Blocks& blocks) {
    std::erase_if(blocks, [](Block& b) { return strip_images(b); });
}

// A block that shows and says nothing: images, lists or quotes of images.
bool shows_only(const Block& b) {
    if (is_media(b)) return !std::holds_alternative<Table>(b.node);
    auto all = [](const Blocks& blocks) {
        return !blocks.empty() && std::all_of(blocks.begin(), blocks.end(), shows_only);
    };
    if (const auto* list = std::get_if<List>(&b.node))
        return std::all_of(list->items.begin(), list->items.end(), all);
    if (const auto* quote = std::get_if<BlockQuote>(&b.node)) return all(quote->children);
    return false;
}

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
        } else if (shows_only(b)) {
            continue;  // pictures beside the prose change nothing about it
        } else {
            return false;
        }
    }
    return true;
}

bool is_running_prose(std::span<const Block> blocks, std::string_view lang, std::unordered_set<std::string>& seen) {
    if (!rule_on(Rule::protected_prose)) return false;
    ProseMeasure m;
    std::string text;
    if (!gather_paragraphs(blocks, m, text)) return false;
    if (m.chars < clean::kProseLength || m.link_chars > clean::kProseLinkDensity * m.chars || m.marks < 2)
        return false;
    if (clean::is_legal_line(text) || clean::is_privacy_notice(text, lang)) return false;
    // the same paragraph twice is a widget shown twice: the classifier decides
    return seen.insert(text::squeeze_spaces(text)).second;
}

std::vector<Unit> units_of(const Document& doc, std::string_view lang,
                           const std::unordered_set<std::string>* keep = nullptr) {
    std::vector<Unit> units;
    std::unordered_set<std::string> seen;
    // a kept unit is protected as running prose is: no rule and no classifier removes it
    auto keep_unit = [keep](Unit& u, std::span<const Block> blocks) {
        if (!keep || !keep->contains(unit_key(blocks))) return;
        u.kept = true;
        u.prose = !u.media;
    };
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
                keep_unit(u, list->items[i]);
                units.push_back(u);
            }
            continue;
        }
        Unit u{b, -1, block.source};
        u.media = is_media(block);
        u.prose = !u.media && is_running_prose(std::span<const Block>(&block, 1), lang, seen);
        // a paragraph carrying a footnote is no furniture, however short ("Note¹")
        if (const auto* p = std::get_if<Paragraph>(&block.node); p && !u.media && rule_on(Rule::protected_prose))
            u.prose = u.prose || holds_note(p->content);
        keep_unit(u, std::span<const Block>(&block, 1));
        units.push_back(u);
    }
    return units;
}


// The document with each unit's source range replaced by its number (1-based), as the
// classifier reads it: without images, whose alt text the page does not show.
// `table_rows`: per block of the copy, the number (from 1) of the table it is a row of,
// or 0 (CleanOptions::table_rows).
Document numbered_copy(const Document& doc, const std::vector<Unit>& units, std::vector<std::uint32_t>& table_rows) {
    // A media unit's table is not copied (a stand-in keeps its place and takes its
    // number): its rows become lines of text below, read from `doc`. A page of tables
    // would otherwise be held twice over while the classifier runs (issue 16's memory
    // bound).
    auto media_table = [&](std::size_t k, std::size_t b) {
        return k < units.size() && units[k].block == b && units[k].media &&
               std::holds_alternative<Table>(doc.blocks[b].node);
    };
    Document copy;
    copy.meta = doc.meta;
    copy.resources = doc.resources;
    copy.blocks.reserve(doc.blocks.size());
    for (std::size_t k = 0, b = 0; b < doc.blocks.size(); ++b) {
        while (k < units.size() && units[k].block < b) ++k;
        if (media_table(k, b)) copy.blocks.push_back(Block{ThematicBreak{}, doc.blocks[b].source});
        else copy.blocks.push_back(doc.blocks[b]);
    }
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
    // media is not the classifier's to judge (is_media), but a table's rows are read as
    // the lines of text they look like, which tell it where the content runs
    Blocks text;
    text.reserve(copy.blocks.size());
    table_rows.clear();
    table_rows.reserve(copy.blocks.size());
    std::uint32_t tables = 0;
    for (std::size_t k = 0, b = 0; b < copy.blocks.size(); ++b) {
        while (k < units.size() && units[k].block < b) ++k;
        if (k < units.size() && units[k].block == b && units[k].media) {
            if (media_table(k, b)) {
                const auto* table = std::get_if<Table>(&doc.blocks[b].node);
                SourceRange line = copy.blocks[b].source;
                ++tables;
                for (const auto* rows : {&table->head, &table->body})
                    for (const TableRow& row : *rows) {
                        std::string cells;
                        for (const TableCell& cell : row.cells) {
                            std::string t;
                            for (const Block& cb : cell.content) t += text::squeeze_spaces(plain_text(cb)) + ' ';
                            t = std::string(text::trim(t));
                            if (t.empty()) continue;
                            if (!cells.empty()) cells += " | ";
                            cells += t;
                        }
                        if (cells.empty()) continue;
                        text.push_back(make_paragraph(std::move(cells), line));
                        table_rows.push_back(tables);
                    }
            }
            continue;
        }
        text.push_back(std::move(copy.blocks[b]));
        table_rows.push_back(0);
    }
    // without images, a block left empty goes, and its entry in table_rows with it
    std::size_t kept = 0;
    for (std::size_t b = 0; b < text.size(); ++b) {
        if (strip_images(text[b])) continue;
        if (kept != b) {
            text[kept] = std::move(text[b]);
            table_rows[kept] = table_rows[b];
        }
        ++kept;
    }
    text.erase(text.begin() + static_cast<std::ptrdiff_t>(kept), text.end());
    table_rows.resize(kept);
    copy.blocks = std::move(text);
    return copy;
}

// A figure or image goes only when the text on both sides of it went (or there is no
// text on that side, and the other side went): it stands in a run of furniture (a
// teaser's picture, a banner), not in the article. A data table stays: the page's
// structure put it in the content, and numbers or links make it no less so.
void kept_by_neighbours(const Document& doc, const std::vector<Unit>& units, std::vector<bool>& gone,
                        std::vector<std::string>& why, std::vector<Rule>& rules) {
    const std::size_t n = units.size();
    std::vector<int> before(n, -1);  // gone-ness of the nearest text unit before: -1 none
    for (std::size_t k = 0, last = SIZE_MAX; k < n; ++k) {
        if (last != SIZE_MAX) before[k] = gone[last] ? 1 : 0;
        if (!units[k].media) last = k;
    }
    bool any_text = false;
    for (const Unit& u : units) any_text = any_text || !u.media;
    int after = -1;
    for (std::size_t k = n; k-- > 0;) {
        if (!units[k].media) {
            after = gone[k] ? 1 : 0;
            continue;
        }
        bool goes = !units[k].kept && any_text && before[k] != 0 && after != 0 && (before[k] == 1 || after == 1) &&
                    !std::holds_alternative<Table>(doc.blocks[units[k].block].node) &&
                    rule_on(Rule::media_neighbours);
        gone[k] = goes;
        if (goes) {
            why[k] = "a figure or image among page furniture (the text on both sides of it went)";
            rules[k] = Rule::media_neighbours;
        }
    }
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
    clean::DroppedUnits dropped(doc);
    for (std::size_t k = 0; k < units.size(); ++k) {
        poll_deadline();
        if (gone[k]) dropped.mark(doc, units[k].block, units[k].item);
    }
    clean::remove_dropped(doc, dropped);
}

// ------------------------------------------------------------------ the block filter

struct UnitText {
    std::string text;
    ProseMeasure m;
    int letters = 0, digits = 0;
    bool heading = false, code = false, rule = false;
    int heading_level = 0;
    mutable clean::CueMemo cues;  // legal_prose_units' verdicts, which the rules read again
};

// The words of inlines without their images' alt text, which the page does not show.
void words_without_alt(const Inlines& inlines, std::string& out) {
    for (const Inline& in : inlines) {
        if (const auto* t = std::get_if<Text>(&in)) out += t->text;
        else if (const auto* c = std::get_if<Code>(&in)) out += c->text;
        else if (const Inlines* children = inline_children(in)) words_without_alt(*children, out);
        else if (std::holds_alternative<LineBreak>(in)) out += ' ';
    }
}

UnitText unit_text(const Document& doc, const Unit& u) {
    UnitText t;
    auto add_block = [&](const Block& b) {
        if (const Inlines* in = inline_content(b)) {
            measure(*in, false, t.m);
            if (!t.text.empty()) t.text += ' ';
            words_without_alt(*in, t.text);
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
        } else if (std::holds_alternative<List>(b.node) || std::holds_alternative<BlockQuote>(b.node) ||
                   std::holds_alternative<DefinitionList>(b.node)) {
            Blocks words{b};  // its text without the alt text of its images
            strip_images(words);
            std::string all = words.empty() ? std::string() : plain_text(words.front());
            measure(all, false, t.m);
            t.text += all;
        } else if (const auto* figure = std::get_if<Figure>(&b.node)) {
            measure(figure->caption, false, t.m);
            if (!t.text.empty()) t.text += ' ';
            words_without_alt(figure->caption, t.text);
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

// The block filter's own thresholds. Lengths as above (a CJK character counts three).
// Those the text classifier applies too (link density, widget words, legal lines, the
// short line...) are defined once, in clean/thresholds.hpp.
using clean::kBadLinkDensity;
using clean::kMaxLegalLength;
using clean::kMaxSectionOpener;
using clean::kMaxTemplateLength;
using clean::kMaxWidgetLength;
using clean::kMinNoticeLength;
using clean::kMinRepeatedParagraph;
using clean::kSentenceLinkDensity;
using clean::kShortLength;
using clean::kWidgetShare;
constexpr double kMaxNumbersLine = 40;     // numbers and dates only: a date line, a counter
constexpr double kMaxLabel = 60;           // a label repeated...
constexpr int kLabelRepeats = 3;           // ...this often on the page is furniture

// What the page's own words say a unit is: the reason it is furniture, or empty.
// `rules` gets the id of the rule behind each reason.
std::vector<std::string> filter_units(const Document& doc, const std::vector<Unit>& units, std::string_view lang,
                                      std::vector<Rule>& rules) {
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
    std::vector<bool> legal_prose;  // rules legal-line and privacy-notice spare prose by its shape and place
    {
        std::vector<clean::CueUnit> cue_units(n);
        for (std::size_t k = 0; k < n; ++k) cue_units[k] = {texts[k].text, &texts[k].cues, texts[k].heading};
        legal_prose = clean::legal_prose_units(cue_units, lang, true);
    }
    std::vector<std::string> why(n);
    rules.assign(n, Rule::count);
    auto judge = [&](std::size_t k, Rule rule, const char* reason) {
        why[k] = reason;
        rules[k] = rule;
    };
    for (std::size_t k = 0; k < n; ++k) {
        poll_deadline();
        const UnitText& t = texts[k];
        if (units[k].prose || units[k].media || t.code || t.rule) continue;
        double chars = t.m.chars, ld = chars > 0 ? t.m.link_chars / chars : 0;
        bool sentence = ends_sentence(t.text) && chars >= kShortLength;
        if (t.letters < 2 && rule_on(Rule::no_text)) judge(k, Rule::no_text, "no words");
        else if (chars < kMaxNumbersLine && clean::numbers_only(t.letters, t.digits) && rule_on(Rule::numbers_only))
            judge(k, Rule::numbers_only, "numbers and dates only");
        else if (ld > (sentence ? kSentenceLinkDensity : kBadLinkDensity) && rule_on(Rule::link_density))
            judge(k, Rule::link_density, "link density");
        else if (chars < kMaxWidgetLength && rule_on(Rule::widget_words) &&
                 clean::widget_share(t.text) >= kWidgetShare)
            judge(k, Rule::widget_words, "widget words");
        else if (chars < kMaxLegalLength && !legal_prose[k] && rule_on(Rule::legal_line) &&
                 clean::is_legal_line(t.text, t.cues))
            judge(k, Rule::legal_line, "copyright or legal line");
        else if (chars >= kMinNoticeLength && !legal_prose[k] && rule_on(Rule::privacy_notice) &&
                 clean::is_privacy_notice(t.text, lang, t.cues))
            judge(k, Rule::privacy_notice, "cookie or privacy notice");
        else if (!t.heading && chars < kMaxLabel && !ends_sentence(t.text) &&
                 repeats[folded_key(t.text)] >= kLabelRepeats && rule_on(Rule::repeated_line))
            judge(k, Rule::repeated_line, "a label repeated on the page");
    }
    // a paragraph shown twice (an author's box above and below the article) is kept once
    std::unordered_set<std::string> seen;
    for (std::size_t k = 0; k < n; ++k) {
        poll_deadline();
        const UnitText& t = texts[k];
        if (t.m.chars < kMinRepeatedParagraph || t.code || units[k].media) continue;
        if (!seen.insert(folded_key(t.text)).second && why[k].empty() && rule_on(Rule::duplicate_paragraph))
            judge(k, Rule::duplicate_paragraph, "the same paragraph again");
    }
    // a furniture section ("Related articles", "Comments") runs to the next heading of
    // its rank, or to running prose
    bool in_section = false;
    int section_level = 0;
    for (std::size_t k = 0; k < n; ++k) {
        poll_deadline();
        const UnitText& t = texts[k];
        if (units[k].media) continue;  // judged by its neighbours
        if ((t.heading || t.m.chars < kMaxSectionOpener) && !units[k].prose &&
            rule_on(Rule::furniture_section) && clean::opens_furniture_section(t.text)) {
            judge(k, Rule::furniture_section, "opens a section of page furniture");
            in_section = true;
            section_level = t.heading ? t.heading_level : 7;
            continue;
        }
        if (!in_section) continue;
        if ((t.heading && t.heading_level <= section_level) || units[k].prose) {
            in_section = false;
            continue;
        }
        if (why[k].empty()) judge(k, Rule::furniture_section, "inside a section of page furniture");
    }
    // short lines between furniture are furniture; a heading needs content after it
    auto dropped = [&](std::size_t j) { return !why[j].empty(); };
    for (std::size_t k = 0; k < n; ++k) {
        poll_deadline();
        if (!why[k].empty() || units[k].prose || units[k].media) continue;
        const UnitText& t = texts[k];
        bool before = k == 0 || dropped(k - 1);
        bool after = k + 1 == n || dropped(k + 1);
        if (t.heading) {
            if (after && rule_on(Rule::heading_without_content))
                judge(k, Rule::heading_without_content, "heading not followed by content");
        } else if (t.m.chars < kShortLength && before && after && !ends_sentence(t.text) &&
                   rule_on(Rule::short_line_between)) {
            judge(k, Rule::short_line_between, "a short line between furniture");
        }
    }
    return why;
}

// A file's name given as alt text ("image.png", "IMG_2041.JPG") describes nothing.
bool is_file_name(std::string_view alt) {
    alt = text::trim(alt);
    if (alt.find(' ') != std::string_view::npos) return false;
    std::string lower = text::lower_ascii(alt);
    for (std::string_view ext : {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", ".bmp"})
        if (lower.find(ext) != std::string::npos) return true;
    return false;
}

// An image whose alt text was emptied: where it stands, and its source.
struct EmptiedAlt {
    SourceRange lines;
    std::string src;
    std::string alt;  // the text removed
};

void empty_alt_found_in(Inlines& inlines, const std::string& context, const std::string& article,
                        SourceRange lines, std::vector<EmptiedAlt>& emptied) {
    for (Inline& in : inlines) {
        if (auto* image = std::get_if<Image>(&in)) {
            std::string key = folded_key(image->alt);
            if (key.empty()) continue;
            if (!is_file_name(image->alt) && context.find(key) == std::string::npos &&
                article.find(key) == std::string::npos)
                continue;
            if (image->title == image->alt) image->title.clear();
            emptied.push_back({lines, image->src, std::move(image->alt)});
            image->alt.clear();
        } else if (Inlines* children = inline_children(in)) {
            empty_alt_found_in(*children, context, article, lines, emptied);
        }
    }
}

// Alt text that repeats the text beside its image (the caption, the blocks around it),
// or the title or any text of an article of at most kMaxAltSearchedText, says nothing a
// reader does not already see (WCAG calls it redundant) and would print the words twice
// where the image cannot be shown; a file's name says nothing at all. Both are emptied.
constexpr std::size_t kMaxAltSearchedText = 64 * 1024;
constexpr std::size_t kAltContextBlocks = 2;

// The words of blocks without alt text, lists and quotes too, up to `limit` bytes.
void words_of(std::span<const Block> blocks, std::string& out, std::size_t limit) {
    for (const Block& b : blocks) {
        if (out.size() > limit) return;
        if (const Inlines* in = inline_content(b)) words_without_alt(*in, out);
        else if (const auto* list = std::get_if<List>(&b.node))
            for (const Blocks& item : list->items) words_of(item, out, limit);
        else if (const auto* quote = std::get_if<BlockQuote>(&b.node)) words_of(quote->children, out, limit);
        else if (const auto* definitions = std::get_if<DefinitionList>(&b.node))
            for (const DefinitionItem& item : definitions->items) {
                for (const Inlines& term : item.terms) words_without_alt(term, out);
                for (const Blocks& definition : item.definitions) words_of(definition, out, limit);
            }
        out += ' ';
    }
}

// Empties the redundant alt text of the images in `blocks`, and in the lists and
// quotes inside them, each judged against the blocks around it in its own container.
void empty_redundant_alt_text(Blocks& blocks, const std::string& article, std::vector<EmptiedAlt>& emptied) {
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        Inlines* images = nullptr;
        std::string context;
        Block& block = blocks[b];
        if (auto* f = std::get_if<Figure>(&block.node)) {
            words_without_alt(f->caption, context);
            for (Block& inner : f->content)
                if (auto* p = std::get_if<Paragraph>(&inner.node)) images = &p->content;
        } else if (auto* p = std::get_if<Paragraph>(&block.node)) {
            images = &p->content;
            words_without_alt(p->content, context);
        } else if (auto* list = std::get_if<List>(&block.node)) {
            for (Blocks& item : list->items) empty_redundant_alt_text(item, article, emptied);
        } else if (auto* quote = std::get_if<BlockQuote>(&block.node)) {
            empty_redundant_alt_text(quote->children, article, emptied);
        } else if (auto* definitions = std::get_if<DefinitionList>(&block.node)) {
            for (DefinitionItem& item : definitions->items)
                for (Blocks& definition : item.definitions) empty_redundant_alt_text(definition, article, emptied);
        }
        if (!images) continue;
        std::size_t from = b >= kAltContextBlocks ? b - kAltContextBlocks : 0;
        std::size_t to = std::min(blocks.size(), b + kAltContextBlocks + 1);
        for (std::size_t n = from; n < to; ++n)
            if (n != b) words_of(std::span<const Block>(&blocks[n], 1), context, kMaxAltSearchedText);
        empty_alt_found_in(*images, folded_key(context), article, block.source, emptied);
    }
}

void empty_redundant_alt_text(Document& doc, Diagnostics& diag) {
    std::vector<EmptiedAlt> emptied;
    std::string article = doc.meta.title + ' ';
    words_of(doc.blocks, article, kMaxAltSearchedText);
    article = article.size() > kMaxAltSearchedText ? folded_key(doc.meta.title) : folded_key(article);
    empty_redundant_alt_text(doc.blocks, article, emptied);
    if (!diag.keeps_notes()) return;
    // each named: the words a reader will miss (the excerpt), and which image's they were
    for (const EmptiedAlt& image : emptied)
        diag.note(explanation("html-images", "changed", image.lines,
                              "alt text of " + excerpt(image.src) +
                                  " emptied: it repeats the text beside the image, or is a file's name",
                              {}, excerpt(image.alt)));
}

// An image on this many pages of a batch (a batch of at least as many) is the site's:
// its logo, an author's portrait, a banner.
constexpr std::size_t kMinTemplateImagePages = 3;

// Removes the images of `inlines` the batch shows on many pages; counts them.
void drop_site_images(Inlines& inlines, const BatchProfile& batch, std::vector<std::string>& dropped) {
    std::erase_if(inlines, [&](Inline& in) {
        if (const auto* image = std::get_if<Image>(&in)) {
            if (batch.pages_with(template_image_line(image->src)) < kMinTemplateImagePages) return false;
            dropped.push_back(image->src);
            return true;
        }
        if (Inlines* children = inline_children(in)) {
            bool had = !children->empty();
            drop_site_images(*children, batch, dropped);
            return had && children->empty();
        }
        return false;
    });
}

void drop_site_images(Blocks& blocks, const BatchProfile& batch, std::vector<std::string>& dropped) {
    std::erase_if(blocks, [&](Block& b) {
        if (Inlines* in = inline_content(b)) {
            bool had = !in->empty();
            drop_site_images(*in, batch, dropped);
            return had && in->empty();
        }
        if (auto* list = std::get_if<List>(&b.node)) {
            std::vector<bool> empty(list->items.size(), false);
            for (std::size_t k = 0; k < list->items.size(); ++k) {
                bool had = !list->items[k].empty();
                drop_site_images(list->items[k], batch, dropped);
                empty[k] = had && list->items[k].empty();
            }
            remove_list_items(*list, empty);
            return list->items.empty();
        }
        if (auto* quote = std::get_if<BlockQuote>(&b.node)) {
            drop_site_images(quote->children, batch, dropped);
            return quote->children.empty();
        }
        if (auto* definitions = std::get_if<DefinitionList>(&b.node)) {
            for (DefinitionItem& item : definitions->items)
                for (Blocks& definition : item.definitions) drop_site_images(definition, batch, dropped);
            return false;  // its terms stay
        }
        if (auto* figure = std::get_if<Figure>(&b.node)) {
            drop_site_images(figure->content, batch, dropped);
            return figure->content.empty();  // the site's picture: its caption goes with it
        }
        return false;
    });
}

// Images the batch shows on many of its pages go (kMinTemplateImagePages).
void drop_site_images(Document& doc, const CleanOptions& options, Diagnostics& diag) {
    if (!options.batch || options.batch->pages() < kMinTemplateImagePages || !rule_on(Rule::site_image)) return;
    std::vector<std::string> dropped;
    drop_site_images(doc.blocks, *options.batch, dropped);
    if (dropped.empty() || !diag.keeps_notes()) return;
    for (const std::string& src : dropped) {
        diag.note(explanation("html-images", "removed", {},
                              "image on " + std::to_string(options.batch->pages_with(template_image_line(src))) +
                                  " pages of the batch: the site's, not the article's",
                              clean::rule_id(Rule::site_image), excerpt(src)));
    }
}

}  // namespace

std::string unit_key(std::span<const Block> blocks) {
    std::string key;
    for (const Block& b : blocks) {
        std::string text = text::squeeze_spaces(plain_text(b));
        if (text.empty()) continue;
        if (!key.empty()) key += ' ';
        key += text;
    }
    return key;
}

void drop_site_template(Document& doc, const CleanOptions& options, Diagnostics& diag) {
    if (!options.batch || options.batch->pages() < kTemplateMinPages || !rule_on(Rule::site_template)) return;
    const std::vector<Unit> units = units_of(doc, doc.meta.language, options.keep_units);
    const std::size_t n = units.size();
    // The content runs from its first sentence to its last: a unit of prose, or a line that
    // ends a sentence (a short article's closing paragraph bounds it as its prose does, so
    // a heading the site gives every article stays where a sentence follows it).
    std::vector<std::string> texts(n);
    std::size_t first = n, last = 0;
    for (std::size_t k = 0; k < n; ++k) {
        poll_deadline();
        texts[k] = text::squeeze_spaces(unit_text(doc, units[k]).text);
        if (units[k].prose || (!units[k].media && ends_sentence(texts[k]))) {
            first = std::min(first, k);
            last = k;
        }
    }
    if (first == n) return;
    std::vector<bool> gone(n, false);
    bool any = false;
    for (std::size_t k = 0; k < n; ++k) {
        if ((k >= first && k <= last) || units[k].media || units[k].kept) continue;
        const std::string& text = texts[k];
        if (text.empty() || double(text.size()) >= kMaxTemplateLength || ends_sentence(text)) continue;
        const std::size_t pages = options.batch->pages_with(text);
        if (pages < kTemplateMinPages) continue;
        gone[k] = any = true;
        if (diag.keeps_notes()) {
            diag.note(explanation("html-template", "removed", units[k].source,
                                  "site template: on " + std::to_string(pages) + " pages of the batch, at the content's edge",
                                  clean::rule_id(Rule::site_template), excerpt(text)));
        }
    }
    if (any) drop(doc, units, gone);
}

void clean_content(Document& doc, const CleanOptions& options, bool records, Diagnostics& diag) {
    const bool had_text = !doc.blocks.empty();
    strip_fragments(doc, diag);
    std::uint32_t title_line = extract_metadata(doc, diag);
    const std::string lang = doc.meta.language;
    const std::vector<Unit> units = units_of(doc, lang, options.keep_units);
    const std::size_t n = units.size();

    // what the page's own words say about each unit
    std::vector<Rule> rules;
    std::vector<std::string> own = filter_units(doc, units, lang, rules);
    std::vector<bool> gone(n, false);
    for (std::size_t k = 0; k < n; ++k) gone[k] = !own[k].empty();

    // the classifier, on a numbered copy; what it removes before the first block of
    // running prose or after the last goes too (the edges of the content: a player's
    // controls, a lead-in of labels), never what lies between
    Diagnostics verdicts(diag.keeps_notes());
    std::vector<bool> classified(n, false);
    if (!records && rule_on(Rule::classifier_edge)) {
        std::vector<std::uint32_t> table_rows;
        Document copy = numbered_copy(doc, units, table_rows);
        CleanOptions classify = options;
        classify.table_rows = &table_rows;
        classify.numbered_units = true;
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
            if (!kept[k] && !units[k].prose && !units[k].media && (k < first || k > last) && !gone[k])
                gone[k] = classified[k] = true;
    }
    kept_by_neighbours(doc, units, gone, own, rules);

    if (diag.keeps_notes()) {
        for (std::size_t k = 0; k < n; ++k) {
            poll_deadline();
            if (own[k].empty()) continue;
            diag.note(explanation("html-clean", "removed", units[k].source, own[k],
                                  rules[k] != Rule::count ? clean::rule_id(rules[k]) : std::string_view(),
                                  excerpt(unit_text(doc, units[k]).text)));
        }
        // the classifier's notes, back on the page's lines; those it was not followed in say so
        // A table's rows are the classifier's lines but one unit here: its notes on them
        // are one note (clean::TableRowNotes).
        clean::TableRowNotes table_notes(diag);
        for (Diagnostic d : verdicts.items()) {
            poll_deadline();
            std::size_t k = n;
            if (d.first_line >= 1 && d.first_line <= n) {
                k = d.first_line - 1;
                if (d.action == "removed" && !classified[k]) {
                    if (gone[k]) continue;  // reported above
                    d.action = "kept";
                    d.reason = (units[k].prose ? "running prose" : "inside the page's content") +
                               std::string(", overruling: ") + d.reason;
                    d.rule = units[k].prose ? clean::rule_id(Rule::protected_prose) : std::string_view();
                }
                d.first_line = units[k].source.first;
                d.last_line = units[k].source.last;
            }
            if (k < n && units[k].media) {
                table_notes.add(k + 1, std::move(d));
                continue;
            }
            table_notes.flush();
            diag.note(std::move(d));
        }
        table_notes.flush();
    }
    drop(doc, units, gone);
    drop_site_images(doc, options, diag);
    empty_redundant_alt_text(doc, diag);
    repair_structure(doc, diag);
    if (had_text && doc.blocks.empty())
        diag.warn("clean", "nothing was kept: every line looked like page furniture (--no-clean keeps the text)");
}

}  // namespace dconv::html
