#include "clean/recall_guard.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <functional>
#include <limits>
#include <utility>
#include <unordered_map>

#include "clean/cues.hpp"
#include "clean/features.hpp"
#include "clean/hash_table.hpp"
#include "clean/mapped_array.hpp"
#include "clean/rules.hpp"
#include "clean/units.hpp"
#include "core/text.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"

namespace dconv::clean {

namespace {

// `text` with its white space squeezed (text::squeeze_spaces): most texts are squeezed
// already and are read in place; the others are squeezed into `storage`.
std::string_view squeezed_view(std::string_view text, std::string& storage) {
    if (text::is_squeezed(text)) return text;
    storage = text::squeeze_spaces(text);
    return storage;
}

// Markup left in a dump ("<div class=...>", a style sheet) has commas and length but is
// no one's text: its brackets, braces and equals signs give it away.
bool looks_like_markup(std::string_view text) {
    std::size_t marks = 0;
    for (char c : text) marks += c == '<' || c == '>' || c == '{' || c == '}' || c == '=';
    return static_cast<double>(marks) > kMaxMarkupShare * static_cast<double>(text.size());
}

enum class ProseKind : unsigned char { none, prose, furniture_words };

ProseKind prose_kind(const Features& f, std::string_view lang) {
    if (f.length < kGuardProseLength || f.link_density() > kGuardProseLinkDensity ||
        (f.sentence_ends < 1 && f.commas < 2) || looks_like_markup(f.text))
        return ProseKind::none;
    // A cookie policy or a copyright notice is written in sentences, but it is the
    // page's furniture by the cleaner's own vocabulary: removing it loses nothing,
    // unless those rules took nearly all of the page's prose (kMinFurnitureProseUnits).
    if (!is_privacy_notice(f, lang) && !is_legal_line(f)) return ProseKind::prose;
    return f.ends_sentence && f.sentence_ends >= 1 ? ProseKind::furniture_words : ProseKind::none;
}

// Whether `text` speaks to its reader: a word "you", "your", "yours", "yourself",
// "vous", "votre" or "vos", in any case (kMaxReaderAddressShare).
bool addresses_reader(std::string_view text) {
    static constexpr std::string_view kSecondPerson[] = {"you", "your", "yours", "yourself", "vous", "votre", "vos"};
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    for (std::size_t at = 0; at < text.size();) {
        if (!letter(text[at])) {
            ++at;
            continue;
        }
        std::size_t end = at;
        while (end < text.size() && letter(text[end])) ++end;
        // a word of ASCII letters only: "vous" in "vous-même", not in "sérieusement"
        const bool whole = (at == 0 || static_cast<unsigned char>(text[at - 1]) < 0x80) &&
                           (end == text.size() || static_cast<unsigned char>(text[end]) < 0x80);
        if (whole && end - at <= 8)
            for (std::string_view w : kSecondPerson)
                if (end - at == w.size() && text::starts_with_ci(text.substr(at), w)) return true;
        at = end;
    }
    return false;
}

// The first (or last) `bytes` of `s`, cut on a character boundary.
std::string_view head_of(std::string_view s, std::size_t bytes) {
    if (s.size() <= bytes) return s;
    std::size_t cut = bytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut);
}

std::string_view tail_of(std::string_view s, std::size_t bytes) {
    if (s.size() <= bytes) return s;
    std::size_t cut = s.size() - bytes;
    while (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) ++cut;
    return s.substr(cut);
}

// The document's visible text, white space squeezed as the units' texts are, blocks
// apart so that no probe matches across two of them. The title and subtitle count: the
// metadata pass moves them there, it does not lose them. As long as the page's text, and
// its length unknown before: grown in place (mapped_array.hpp), not by doubling a string.
void document_text(const Document& doc, MappedArray<char>& out) {
    auto add = [&out](std::string_view s) {
        out.append(s.data(), s.size());
        out.push_back('\n');
    };
    add(doc.meta.title);
    add(doc.meta.subtitle);
    for (const Block& b : doc.blocks) {
        poll_deadline();
        add(text::squeeze_spaces(plain_text(b)));
    }
}

std::string percent(double share) { return std::to_string(static_cast<int>(std::lround(share * 100))) + " %"; }

std::string chars(double length) { return std::to_string(static_cast<long long>(std::lround(length))); }

}  // namespace

RecallGuard::RecallGuard(const Document& page) { add(page.blocks, page.meta.language); }

void RecallGuard::add(const Blocks& blocks, const std::string& lang) {
    // The units make_units would give (a top-level block, or an item of a top-level
    // list), measured only when they have the bytes to be prose: a page's many short
    // lines cost nothing. No language for the measures (the guard reads lengths and
    // sentence shape, not stop words); the privacy notice terms of the page's language,
    // when it is known already.
    auto consider = [&](SourceRange source, const Features& f) {
        const ProseKind kind = prose_kind(f, lang);
        if (kind == ProseKind::none) return;
        std::string copy;
        const std::string_view squeezed = squeezed_view(f.text, copy);
        Prose p;
        p.source = source;
        p.length = f.length;
        p.long_paragraph = f.length >= kLongParagraph;
        p.furniture_words = kind == ProseKind::furniture_words;
        p.addresses_reader = p.furniture_words && addresses_reader(f.text);
        const std::string_view head = head_of(squeezed, kProbeBytes), tail = tail_of(squeezed, kProbeBytes);
        std::memcpy(p.head_text, head.data(), head.size());
        p.head_bytes = static_cast<unsigned char>(head.size());
        std::memcpy(p.tail_text, tail.data(), tail.size());
        p.tail_bytes = static_cast<unsigned char>(tail.size());
        (p.furniture_words ? furniture_total_ : total_) += p.length;
        prose_.push_back(std::move(p));
    };
    // A unit under this many bytes is under kGuardProseLength: no character weighs more
    // than the bytes it takes (CJK: three of each).
    auto too_short = [](const Inlines& content) {
        const Text* only = content.size() == 1 ? std::get_if<Text>(&content.front()) : nullptr;
        return (only ? only->text.size() : plain_text(content).size()) < kGuardProseLength;
    };
    for (const Block& block : blocks) {
        poll_deadline();
        const std::size_t prose_before = prose_.size();
        const double total_before = total_;
        if (const auto* list = std::get_if<List>(&block.node)) {
            for (const Blocks& item : list->items) {
                Inlines all;
                SourceRange source;
                for (const Block& child : item) {
                    if (const Inlines* in = inline_content(child)) {
                        if (!all.empty()) all.push_back(Text{" "});
                        all.insert(all.end(), in->begin(), in->end());
                    }
                    if (child.source.known() && !source.known()) source = child.source;
                }
                if (!source.known()) source = block.source;
                if (!too_short(all)) consider(source, measure(all, ""));
            }
        } else if (const auto* paragraph = std::get_if<Paragraph>(&block.node)) {
            if (!too_short(paragraph->content)) consider(block.source, measure(paragraph->content, ""));
        } else if (std::holds_alternative<BlockQuote>(block.node) ||
                   std::holds_alternative<DefinitionList>(block.node)) {
            std::string text = plain_text(block);
            if (text.size() >= kGuardProseLength) consider(block.source, measure_text(text, ""));
        }  // headings, code and rules are not prose
        if (!keep_blocks_ || prose_.size() == prose_before) continue;
        if (total_ + furniture_total_ > kMaxFallbackProse) {  // too much to hold twice: no fallback material
            keep_blocks_ = false;
            Blocks().swap(prose_blocks_);
            std::vector<bool>().swap(furniture_blocks_);
            continue;
        }
        prose_blocks_.push_back(block);
        furniture_blocks_.push_back(total_ == total_before);  // furniture words' prose alone
    }
}

namespace {

// Sets each count of `probes` to the number of times its probe occurs in `text`, not
// overlapping itself (as repeated std::string::find after each match would count). One
// pass over `text` per distinct probe length, with a rolling hash (Rabin-Karp): the
// work is the text's length times the number of lengths, whatever the number of probes.
void count_occurrences(std::string_view text, std::unordered_map<std::string_view, int>& probes) {
    constexpr std::uint64_t kBase = 1099511628211ull;  // odd, so its powers never vanish mod 2^64
    std::unordered_map<std::size_t, std::vector<std::pair<std::string_view, int*>>> by_length;
    for (auto& [probe, count] : probes)
        if (!probe.empty() && probe.size() <= text.size()) by_length[probe.size()].emplace_back(probe, &count);
    auto hash_of = [&](std::string_view s) {
        std::uint64_t h = 0;
        for (unsigned char c : s) h = h * kBase + c;
        return h;
    };
    for (auto& [length, group] : by_length) {
        poll_deadline();
        // The group's probes by hash: (hash, index) pairs sorted, and a flat table from a
        // hash to its first pair (a node per hash, and a division per look-up, made the
        // look-ups most of this pass's time on a long page).
        std::vector<std::pair<std::uint64_t, std::uint32_t>> by_hash;
        by_hash.reserve(group.size());
        for (std::size_t g = 0; g < group.size(); ++g)
            by_hash.emplace_back(hash_of(group[g].first), static_cast<std::uint32_t>(g));
        std::sort(by_hash.begin(), by_hash.end());
        HashTable<std::uint32_t> first_with;
        for (std::size_t i = 0; i < by_hash.size(); ++i)
            if (i == 0 || by_hash[i].first != by_hash[i - 1].first)
                first_with.try_emplace(by_hash[i].first, static_cast<std::uint32_t>(i));
        // Two bits per hash wanted, in one 64-bit word of the filter (a blocked Bloom
        // filter), about 16 bits per probe: most windows of the text are told apart by
        // one word read, not a look-up (a cache miss each); with one bit a window in 16
        // of a long page was looked up for nothing, with two about one in 70.
        std::size_t filter_bits = std::size_t(1) << 12;
        while (filter_bits < 16 * group.size() && filter_bits < (std::size_t(1) << 26)) filter_bits <<= 1;
        const int word_bits = std::countr_zero(filter_bits / 64);
        struct FilterPlace {
            std::size_t word;
            std::uint64_t bits;
        };
        auto filter_place = [word_bits](std::uint64_t hash) {
            const std::uint64_t mixed = hash * 0x9E3779B97F4A7C15ull;
            const std::size_t word = word_bits ? static_cast<std::size_t>(mixed >> (64 - word_bits)) : 0;
            const std::uint64_t bits = (std::uint64_t(1) << ((mixed >> (58 - word_bits)) & 63)) |
                                       (std::uint64_t(1) << ((mixed >> (52 - word_bits)) & 63));
            return FilterPlace{word, bits};
        };
        std::vector<std::uint64_t> filter(filter_bits / 64, 0);
        for (const auto& entry : by_hash) {
            const FilterPlace place = filter_place(entry.first);
            filter[place.word] |= place.bits;
        }
        std::vector<std::size_t> next_allowed(group.size(), 0);  // no overlap with its last match
        std::uint64_t top = 1;  // kBase^(length-1): the weight of the byte leaving the window
        for (std::size_t k = 1; k < length; ++k) top *= kBase;
        std::uint64_t h = hash_of(text.substr(0, length));
        for (std::size_t at = 0;; ++at) {  // the deadline: every 16 K windows, below
            const FilterPlace place = filter_place(h);
            if ((filter[place.word] & place.bits) != place.bits) {
                // no probe has this hash
            } else if (const std::uint32_t* first = first_with.find(h)) {
                std::string_view window = text.substr(at, length);
                for (std::size_t i = *first; i < by_hash.size() && by_hash[i].first == h; ++i) {
                    const std::size_t g = by_hash[i].second;
                    if (at >= next_allowed[g] && group[g].first == window) {
                        ++*group[g].second;
                        next_allowed[g] = at + length;
                    }
                }
            }
            if (at + length >= text.size()) break;
            if ((at & 0x3FFF) == 0) check_deadline();
            h = (h - static_cast<unsigned char>(text[at]) * top) * kBase +
                static_cast<unsigned char>(text[at + length]);
        }
    }
}

// Which of `prose` are still in `doc`. Most prose is still a block (or list item) of its
// own after a pass, or trimmed at one end: found in tables of the blocks' heads and
// tails at no cost. The rest (joined to other lines, moved) is searched for in the
// document's text, all at once (count_occurrences). Each occurrence of a probe vouches for one unit only: eight
// entries of a log ending alike ("... noted in the log.") are not all kept by one.
std::uint64_t probe_key(std::string_view probe) { return std::hash<std::string_view>{}(probe); }
// a head and a tail together (the text between them aside)
std::uint64_t probe_pair_key(std::string_view head, std::string_view tail) {
    return probe_key(head) * 0x9E3779B97F4A7C15ull + probe_key(tail);
}

template <class Prose>
std::vector<bool> find_prose(const Document& doc, const std::vector<Prose*>& prose) {
    // The probes are keyed by a 64-bit hash, as the classifier's repetitions are: a node
    // holding a copy of each probe (and of each head and tail joined) per block was most
    // of this pass's memory and time on a long page. Flat tables, grown with the distinct
    // probes (hash_table.hpp).
    HashTable<int> whole, heads, tails;
    auto add_piece = [&](std::string_view text) {
        if (text.size() < kGuardProseLength) return;  // too short to be a prose unit
        std::string copy;
        const std::string_view squeezed = squeezed_view(text, copy);
        std::string_view head = head_of(squeezed, kProbeBytes), tail = tail_of(squeezed, kProbeBytes);
        ++whole[probe_pair_key(head, tail)];
        ++heads[probe_key(head)];
        ++tails[probe_key(tail)];
    };
    add_piece(doc.meta.title);
    add_piece(doc.meta.subtitle);
    for (const Block& b : doc.blocks) {
        poll_deadline();
        const auto* list = std::get_if<List>(&b.node);
        if (!list) {
            // most blocks of a page are a line of plain text: no copy to measure it
            const Inlines* content = inline_content(b);
            const Text* only = content && content->size() == 1 ? std::get_if<Text>(&content->front()) : nullptr;
            if (only) add_piece(only->text);
            else add_piece(plain_text(b));
            continue;
        }
        for (const Blocks& item : list->items) {  // as the constructor reads an item
            std::string text;
            for (const Block& child : item) {
                if (const Inlines* in = inline_content(child)) {
                    if (!text.empty()) text += ' ';
                    text += plain_text(*in);
                }
            }
            add_piece(text);
        }
    }
    auto take_from = [](HashTable<int>& table, std::uint64_t key) {
        int* count = table.find(key);
        if (!count || *count <= 0) return false;
        --*count;
        return true;
    };
    std::vector<bool> found(prose.size(), false);
    HashTable<int> claimed;  // probes vouching for a unit found, by probe_key
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < prose.size(); ++i) {  // whole blocks first, then trimmed ones
        const Prose& p = *prose[i];
        if (!take_from(whole, probe_pair_key(p.head(), p.tail()))) continue;
        take_from(heads, probe_key(p.head()));
        take_from(tails, probe_key(p.tail()));
        ++claimed[probe_key(p.head())];
        ++claimed[probe_key(p.tail())];
        found[i] = true;
    }
    for (std::size_t i = 0; i < prose.size(); ++i) {
        poll_deadline();
        if (found[i]) continue;
        const Prose& p = *prose[i];
        if (take_from(heads, probe_key(p.head())) || take_from(tails, probe_key(p.tail()))) {
            ++claimed[probe_key(p.head())];
            ++claimed[probe_key(p.tail())];
            found[i] = true;
        } else {
            pending.push_back(i);
        }
    }
    if (pending.empty()) return found;

    // Each distinct probe's occurrences in the text, counted in one pass over the text
    // per probe length (kProbeBytes less a cut character at most: a handful of passes),
    // so that the search stays linear however many units are pending.
    MappedArray<char> text;
    document_text(doc, text);
    std::unordered_map<std::string_view, int> left;
    for (std::size_t i : pending) {
        poll_deadline();
        left.try_emplace(prose[i]->head(), 0);
        left.try_emplace(prose[i]->tail(), 0);
    }
    count_occurrences(view_of(text), left);
    for (auto& [probe, count] : left)
        if (const int* c = claimed.find(probe_key(probe))) count -= *c;
    auto take = [&](std::string_view probe) {
        auto it = left.find(probe);
        if (it == left.end() || it->second <= 0) return false;
        --it->second;
        return true;
    };
    for (std::size_t i : pending) {
        poll_deadline();
        const Prose& p = *prose[i];
        if (take(p.head())) {
            take(p.tail());  // the same block holds its tail: not another unit's
            found[i] = true;
        } else {
            found[i] = take(p.tail());
        }
    }
    return found;
}

}  // namespace

void RecallGuard::checkpoint(const Document& doc, std::string_view pass) {
    last_pass_ = pass;
    // A page with less prose than this cannot collapse (nor hold three long paragraphs):
    // nothing to follow.
    if (total_ + furniture_total_ < kMinPageProse) return;
    // The source lines still under a block (or a list item's block). A prose unit whose
    // lines no block covers any more went in this pass; one joined to others or trimmed
    // is still covered, and the end (settle) finds it or not by its text. Line ranges
    // only: checkpoints run after every pass of every page, and measuring text there
    // cost a fifth of a page's cleaning.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> covered;
    auto cover = [&covered](const SourceRange& r) {
        if (r.known()) covered.emplace_back(r.first, std::max(r.first, r.last));
    };
    for (const Block& b : doc.blocks) {
        poll_deadline();
        const auto* list = std::get_if<List>(&b.node);
        if (!list) {
            cover(b.source);
            continue;
        }
        for (const Blocks& item : list->items)
            for (const Block& child : item) cover(child.source);
    }
    std::sort(covered.begin(), covered.end());
    // the furthest line reached by the ranges up to each one: an overlap test by search
    std::vector<std::uint32_t> reach(covered.size());
    for (std::size_t i = 0; i < covered.size(); ++i)
        reach[i] = std::max(covered[i].second, i ? reach[i - 1] : 0u);
    auto is_covered = [&](const SourceRange& r) {
        // the last range starting at or before r.last must reach r.first
        auto it = std::upper_bound(covered.begin(), covered.end(),
                                   std::make_pair(r.last, std::numeric_limits<std::uint32_t>::max()));
        if (it == covered.begin()) return false;
        return reach[static_cast<std::size_t>(it - covered.begin()) - 1] >= r.first;
    };
    for (Prose& p : prose_)
        if (p.missing_since.empty() && p.source.known() && !is_covered(p.source))
            p.missing_since = pass;
}

void RecallGuard::settle(const Document& result) {
    std::vector<Prose*> all;
    for (Prose& p : prose_) all.push_back(&p);
    std::vector<bool> found = find_prose(result, all);
    for (std::size_t i = 0; i < all.size(); ++i) {
        poll_deadline();
        Prose& p = *all[i];
        p.removed_by = {};
        if (found[i]) continue;
        // the pass that first changed or removed it; or, found after every pass, the last
        p.removed_by = p.missing_since.empty() ? last_pass_ : p.missing_since;
    }
    // The prose in furniture words counts when it was nearly all of the page's prose and
    // went: an article about privacy or copyright that rules privacy-notice and
    // legal-line took whole. A cookie banner or a copyright footer is a paragraph or two;
    // a consent wall, paragraphs enough, speaks to the reader in them.
    std::size_t units = 0, speaking = 0;
    double removed = 0;
    for (const Prose& p : prose_)
        if (p.furniture_words && !p.removed_by.empty()) {
            ++units;
            speaking += p.addresses_reader;
            removed += p.length;
        }
    count_furniture_words_ = units >= kMinFurnitureProseUnits && removed >= kMinFurnitureProse &&
                             removed >= (1 - kMinKeptShare) * (total_ + furniture_total_) &&
                             static_cast<double>(speaking) <= kMaxReaderAddressShare * static_cast<double>(units);
}

double RecallGuard::total() const { return total_ + (count_furniture_words_ ? furniture_total_ : 0); }

double RecallGuard::kept_length() const {
    double kept = 0;
    for (const Prose& p : prose_)
        if (counted(p) && p.removed_by.empty()) kept += p.length;
    return kept;
}

bool RecallGuard::collapsed(const Document& result) {
    settle(result);
    return !prose_.empty() && total() >= kMinPageProse && kept_length() < kMinKeptShare * total();
}

Blocks RecallGuard::take_prose_blocks() {
    Blocks out;
    for (std::size_t k = 0; k < prose_blocks_.size(); ++k)
        if (count_furniture_words_ || !furniture_blocks_[k]) out.push_back(std::move(prose_blocks_[k]));
    Blocks().swap(prose_blocks_);
    furniture_blocks_.clear();
    return out;
}

std::vector<SourceRange> RecallGuard::prose_sources() const {
    std::vector<SourceRange> out;
    for (const Prose& p : prose_) out.push_back(p.source);
    return out;
}

void RecallGuard::report_fallback(const Document& result, double kept_before, std::size_t back,
                                  std::string_view alternative, Diagnostics& diag) {
    collapsed(result);
    Diagnostic d;
    d.pass = "recall";
    d.action = "fallback";
    d.rule = rule_id(Rule::recall_fallback);
    d.score = total() > 0 ? kept_length() / total() : 0;
    d.reason = "the cleaner kept almost nothing (" + std::to_string(static_cast<long>(kept_before)) + " of " +
               std::to_string(static_cast<long>(total())) + " prose characters): kept the page's " +
               std::to_string(back) + " paragraphs of prose instead (" + std::string(alternative) + ")";
    diag.warn(std::move(d));
}

bool holds_almost_nothing(const Document& doc) {
    std::size_t n = 0;
    for (const Block& b : doc.blocks) {
        n += text::squeeze_spaces(plain_text(b)).size();
        if (n >= kFallbackMaxText) return false;
    }
    return true;
}

std::vector<SourceRange> RecallGuard::lost() const {
    std::vector<SourceRange> out;
    for (const Prose& p : prose_)
        if (counted(p) && !p.removed_by.empty()) out.push_back(p.source);
    return out;
}

bool RecallGuard::report(const Document& result, Diagnostics& diag) {
    settle(result);
    if (prose_.empty()) return false;
    const double kept = kept_length(), total_prose = total();
    const bool collapsed = total_prose >= kMinPageProse && kept < kMinKeptShare * total_prose;

    std::size_t leads = 0, leads_removed = 0;
    for (const Prose& p : prose_) {
        poll_deadline();
        if (!p.long_paragraph || !counted(p)) continue;
        leads_removed += !p.removed_by.empty();
        if (++leads == kLeadParagraphs) break;
    }
    const bool lead_lost =
        leads == kLeadParagraphs && leads_removed == leads && kept < kLeadLostMaxKeptShare * total_prose;
    if (!collapsed && !lead_lost) return false;

    // The first long paragraph removed, else the first prose removed: where to look.
    const Prose* first = nullptr;
    for (const Prose& p : prose_)
        if (counted(p) && !p.removed_by.empty() && p.long_paragraph) {
            first = &p;
            break;
        }
    if (!first)
        for (const Prose& p : prose_)
            if (counted(p) && !p.removed_by.empty()) {
                first = &p;
                break;
            }

    Diagnostic d;
    d.pass = "recall";
    d.action = "low recall";
    d.score = total_prose > 0 ? kept / total_prose : 0;
    std::string why = collapsed ? "kept only " + chars(kept) + " of " + chars(total_prose) + " prose characters (" +
                                      percent(kept / total_prose) + ")"
                                : "the first " + std::to_string(leads) + " long paragraphs were all removed (kept " +
                                      chars(kept) + " of " + chars(total_prose) + " prose characters, " +
                                      percent(kept / total_prose) + ")";
    if (first) {
        d.first_line = first->source.first;
        d.last_line = first->source.last;
        why += std::string("; the first ") + (first->long_paragraph ? "long" : "prose") + " paragraph removed" +
               (first->source.known() ? " is at line " + std::to_string(first->source.first) + "," : "") + " by " +
               std::string(first->removed_by);
        d.excerpt = excerpt(first->head());
    }
    d.reason = "cleaning may have lost the page's text: " + why + " (--explain lists every removal, "
               "--no-clean keeps everything)";
    diag.warn(std::move(d));
    return true;
}

}  // namespace dconv::clean
