#include "clean/units.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "dconv/clean.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"

namespace dconv::clean {

namespace {

// The number of units a document will give: one per block, one per top-level list item.
std::size_t count_units(const Document& doc) {
    std::size_t n = 0;
    for (const Block& b : doc.blocks) {
        poll_deadline();
        auto* list = std::get_if<List>(&b.node);
        n += list ? list->items.size() : 1;
    }
    return n;
}

// An item's text and lines, nested lists included: a menu is often one short item
// ("About us") over a nested list of links, and the item is judged by all it holds.
// `whole`: the text of its other blocks too (make_units' whole_items).
void gather_item(const Blocks& item, Inlines* all, SourceRange& source, bool whole) {
    for (const Block& child : item) {
        poll_deadline();
        if (auto* nested = std::get_if<List>(&child.node)) {
            for (const Blocks& sub : nested->items) gather_item(sub, all, source, whole);
            continue;
        }
        if (const Inlines* in = all ? inline_content(child) : nullptr) {
            if (!all->empty()) all->push_back(Text{" "});
            all->insert(all->end(), in->begin(), in->end());
        } else if (all && whole) {
            if (std::string text = plain_text(child); !text.empty()) {
                std::replace(text.begin(), text.end(), '\n', ' ');  // a Text holds no line break
                if (!all->empty()) all->push_back(Text{" "});
                all->push_back(Text{std::move(text)});
            }
        }
        if (!child.source.known()) continue;
        if (!source.known()) source = child.source;
        else source.last = std::max(source.last, child.source.last);
    }
}

}  // namespace

namespace {

// Each unit of `doc`, in order, to `emit` (make_units' arguments: the units it returns).
// `total`: count_units(doc). `fold_only`: the units' features hold their text and fold
// only (measure_fold), for unit_keys.
template <class Emit>
void visit_units(const Document& doc, std::size_t total, std::string_view lang, std::size_t head, std::size_t tail,
                 bool whole_items, bool borrow_text, Emit&& emit, bool fold_only = false) {
    auto measured = [&](const Inlines& content, bool borrow) {
        return fold_only ? measure_fold(content, borrow) : measure(content, lang, borrow);
    };
    auto measured_text = [&](std::string_view text) {
        return fold_only ? measure_text_fold(text) : measure_text(text, lang);
    };
    std::size_t k = 0;  // the units emitted so far
    auto wanted = [&] { return k < head || k + tail >= total; };
    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
        poll_deadline();
        const Block& block = doc.blocks[b];
        if (auto* list = std::get_if<List>(&block.node)) {
            for (std::size_t i = 0; i < list->items.size(); ++i) {
                Unit u;
                u.block = b;
                u.item = static_cast<int>(i);
                u.list_items = static_cast<int>(list->items.size());
                u.kind = UnitKind::item;
                u.measured = wanted();
                Inlines all;
                gather_item(list->items[i], u.measured ? &all : nullptr, u.source, whole_items);
                if (!u.source.known()) u.source = block.source;
                if (u.measured) u.f = measured(all, false);
                emit(std::move(u));
                ++k;
            }
            continue;
        }
        Unit u;
        u.block = b;
        u.source = block.source;
        u.measured = wanted();
        if (auto* h = std::get_if<Heading>(&block.node)) {
            u.heading = true;
            u.kind = UnitKind::heading;
            u.heading_level = h->level;
            if (u.measured) u.f = measured(h->content, borrow_text);
        } else if (auto* p = std::get_if<Paragraph>(&block.node)) {
            if (u.measured) u.f = measured(p->content, borrow_text);
        } else if (auto* c = std::get_if<CodeBlock>(&block.node)) {
            u.code = true;
            u.kind = UnitKind::code;
            if (u.measured) u.f = measured_text(c->text);
        } else if (std::holds_alternative<ThematicBreak>(block.node)) {
            u.rule = true;
            u.kind = UnitKind::rule;
        } else {
            u.kind = std::holds_alternative<BlockQuote>(block.node) ? UnitKind::quote
                     : std::holds_alternative<Table>(block.node)    ? UnitKind::table
                     : std::holds_alternative<Figure>(block.node)   ? UnitKind::figure
                                                                    : UnitKind::paragraph;
            if (u.measured) u.f = measured_text(plain_text(block));
        }
        emit(std::move(u));
        ++k;
    }
}

}  // namespace

std::vector<Unit> make_units(const Document& doc, std::string_view lang, std::size_t head, std::size_t tail,
                             bool whole_items, bool borrow_text) {
    std::vector<Unit> units;
    const std::size_t total = count_units(doc);
    units.reserve(total);
    visit_units(doc, total, lang, head, tail, whole_items, borrow_text, [&](Unit&& u) { units.push_back(std::move(u)); });
    return units;
}

std::vector<UnitKey> unit_keys(const Document& doc) {
    std::vector<UnitKey> keys;
    const std::size_t total = count_units(doc);
    keys.reserve(total);
    visit_units(
        doc, total, "", SIZE_MAX, 0, false, true,
        [&](Unit&& u) { keys.push_back({u.f.fold, u.f.text.size(), u.block, u.item}); }, true);
    return keys;
}

bool closes_clause(char32_t c) {
    return text::is_sentence_end(c) || c == ':' || c == ';' || c == 0xFF1A || c == 0xFF1B ||
           c == '"' || c == 0x201D || c == 0x300D || c == 0x300F || c == ')' || c == 0xFF09;
}

LineWrap line_wrap(char32_t end, char32_t start) {
    if (closes_clause(end)) return LineWrap::none;
    if (text::is_lower(start) && !text::is_cjk(end)) return LineWrap::spaced;
    if (!text::is_cjk(start)) return LineWrap::none;
    if (end == 0xFF0C || end == 0x3001) return LineWrap::cjk;
    return text::is_cjk(end) ? LineWrap::cjk_if_long : LineWrap::none;
}

std::vector<bool> continued_lines(const std::vector<Unit>& units) {
    std::vector<bool> continued(units.size(), false);
    auto line = [](const Unit& u) {
        return u.kind == UnitKind::paragraph && u.item < 0 && u.measured && !u.f.text.empty() && u.source.known();
    };
    double paragraph = 0;  // the length of the paragraph so far (its lines' lengths)
    for (std::size_t k = 0; k < units.size(); ++k) {
        const Unit& u = units[k];
        if (k == 0 || !continued[k - 1]) paragraph = 0;
        if (k > 0) {
            const Unit& above = units[k - 1];
            if (line(above) && line(u) && u.source.first > above.source.last &&
                u.source.first - above.source.last <= kMaxJoinGap) {
                const std::string_view a = above.f.text, b = u.f.text;
                std::size_t end = a.size(), start = 0;
                const char32_t last = text::prev(a, end), first = text::next(b, start);
                const LineWrap wrap = line_wrap(last, first);
                continued[k] = wrap == LineWrap::spaced || wrap == LineWrap::cjk ||
                               (wrap == LineWrap::cjk_if_long && paragraph + above.f.length >= kMinWrappedCjkLength);
            }
            if (continued[k]) paragraph += above.f.length;
            else paragraph = 0;
        }
    }
    return continued;
}

std::vector<std::size_t> settle_wrapped_paragraphs(const std::vector<Unit>& units, const std::vector<bool>& continued,
                                                   std::vector<bool>& drop, const std::vector<bool>& fixed) {
    const std::size_t n = units.size();
    std::vector<std::size_t> donor(n, n);
    auto held = [&](std::size_t k) { return k < fixed.size() && fixed[k]; };
    for (std::size_t first = 0; first < n;) {
        if (held(first)) {  // removed on its own content: no line of any paragraph
            ++first;
            continue;
        }
        std::size_t end = first + 1;
        while (end < n && continued[end] && !held(end)) ++end;
        double kept = 0, removed = 0;
        std::size_t longest_kept = n, longest_removed = n;
        for (std::size_t k = first; k < end; ++k) {
            std::size_t& longest = drop[k] ? longest_removed : longest_kept;
            (drop[k] ? removed : kept) += units[k].f.length;
            if (longest == n || units[k].f.length > units[longest].f.length) longest = k;
        }
        if (kept > 0 && removed > 0) {
            const bool keep = kept >= removed;
            for (std::size_t k = first; k < end; ++k) {
                if (drop[k] == !keep) continue;
                donor[k] = keep ? longest_kept : longest_removed;
                drop[k] = !keep;
            }
        }
        first = end;
    }
    return donor;
}

std::string excerpt(std::string_view s) {
    constexpr std::size_t kExcerptBytes = 60;
    if (s.size() <= kExcerptBytes) return std::string(s);
    std::size_t cut = kExcerptBytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return std::string(s.substr(0, cut)) + "…";
}

void drop_units(Document& doc, const std::vector<Unit>& units, const std::vector<bool>& drop,
                const std::vector<std::string>& reasons, const std::vector<double>& scores,
                const char* pass, Diagnostics& diag, const std::vector<std::string_view>& rules,
                RemovedUnits* removed) {
    DroppedUnits dropped(doc);
    for (std::size_t k = 0; k < units.size(); ++k) {
        poll_deadline();
        if (!drop[k]) continue;
        const Unit& u = units[k];
        Diagnostic d;
        d.pass = pass;
        d.action = "removed";
        d.first_line = u.source.first;
        d.last_line = u.source.last;
        d.score = scores.empty() ? 0.0 : scores[k];
        d.reason = reasons[k];
        if (k < rules.size()) d.rule = rules[k];
        d.excerpt = excerpt(u.f.text);
        diag.note(std::move(d));
        dropped.mark(doc, u.block, u.item);
    }
    remove_dropped(doc, dropped, removed);
}

void DroppedUnits::mark(const Document& doc, std::size_t block, int item) {
    if (item < 0) {
        blocks[block] = true;
        return;
    }
    auto& marks = items[block];
    if (marks.empty()) marks.assign(std::get<List>(doc.blocks[block].node).items.size(), false);
    marks[static_cast<std::size_t>(item)] = true;
}

void remove_dropped(Document& doc, const DroppedUnits& dropped, RemovedUnits* removed) {
    using State = RemovedUnits::State;
    if (removed) {
        removed->states.assign(doc.blocks.size(), State::kept);
        removed->blocks.clear();
        // as many as go aside, no more: a vector grown by doubling held up to twice that
        std::size_t aside = 0;
        for (std::size_t b = 0; b < doc.blocks.size(); ++b) aside += dropped.blocks[b] || !dropped.items[b].empty();
        removed->blocks.reserve(aside);
    }
    // compact in place: a second vector of blocks would double the peak memory
    std::size_t out = 0;
    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
        poll_deadline();
        Block& block = doc.blocks[b];
        if (dropped.blocks[b]) {
            if (removed) {
                removed->states[b] = State::removed;
                removed->blocks.push_back(std::move(block));
            }
            continue;
        }
        if (!dropped.items[b].empty()) {
            if (removed) {
                removed->states[b] = State::list_changed;
                removed->blocks.push_back(block);
            }
            auto& list = std::get<List>(block.node);
            remove_list_items(list, dropped.items[b]);
            if (list.items.empty()) {
                if (removed) removed->states[b] = State::list_removed;
                continue;
            }
        }
        if (out != b) doc.blocks[out] = std::move(block);
        ++out;
    }
    doc.blocks.resize(out);
}

void restore_removed(Document& doc, RemovedUnits&& removed) {
    using State = RemovedUnits::State;
    std::size_t kept = 0, taken = 0;  // how many blocks of `doc` and of `removed` go back
    for (State state : removed.states) {
        kept += state == State::kept || state == State::list_changed;
        taken += state != State::kept;
    }
    if (kept != doc.blocks.size() || taken != removed.blocks.size())
        throw Error(ErrorKind::internal, "", 0, "cleaning: the document changed after its units were removed");
    // From the back, in place: `doc`'s blocks grow back to the page's count (within the
    // storage they had, which the removal kept), and each block goes to its place from
    // the end of what is left; a block not yet moved is never below where it goes, so
    // none is overwritten before it is moved. A second vector of the page's blocks was
    // a twentieth of a long page's cleaning memory.
    doc.blocks.resize(removed.states.size());
    for (std::size_t b = removed.states.size(); b-- > 0;) {
        poll_deadline();
        const State state = removed.states[b];
        if (state == State::kept) {
            if (--kept != b) doc.blocks[b] = std::move(doc.blocks[kept]);
            continue;
        }
        if (state == State::list_changed) --kept;  // the list less its items: as it was instead
        doc.blocks[b] = std::move(removed.blocks[--taken]);
    }
    std::vector<State>().swap(removed.states);
    Blocks().swap(removed.blocks);
}

std::string document_language(const Document& doc) {
    if (!doc.meta.language.empty()) return doc.meta.language;
    std::string sample;
    for (const Block& b : doc.blocks) {
        poll_deadline();
        sample += plain_text(b);
        sample += '\n';
        if (sample.size() > 200000) break;
    }
    return guess_language(sample);
}

}  // namespace dconv::clean
