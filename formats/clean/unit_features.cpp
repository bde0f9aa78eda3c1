#include "clean/unit_features.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <unordered_map>

#include "clean/cues.hpp"
#include "clean/hash_table.hpp"
#include "clean/mapped_array.hpp"
#include "clean/thresholds.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"

namespace dconv::clean {

namespace {

// The densest run of prose: a unit of prose adds its length, any other unit takes this
// share of its length away (a heading or a caption between paragraphs costs little, a
// menu a lot).
constexpr double kRunPenalty = 0.5;
// Neighbours averaged on each side.
constexpr std::size_t kWindow = 3;

// ---- words as hashes: what "the stage kept this unit's words" compares ----

constexpr std::uint64_t kFnvBasis = 1469598103934665603ull, kFnvPrime = 1099511628211ull;

bool is_cjk(char32_t c) {
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xF900 && c <= 0xFAFF);
}

// The words of `s`, hashed: runs of letters and digits, lower case (ASCII); every CJK
// character a word of its own. `Limited`: only its first `limit` words (fewer if it has
// fewer), and no more of `s` read than they take.
template <bool Limited = false>
void word_hashes(std::string_view s, std::vector<std::uint64_t>& out, std::size_t limit = SIZE_MAX) {
    const std::size_t start = out.size();
    std::uint64_t h = kFnvBasis;
    bool open = false;
    auto close = [&] {
        if (open) out.push_back(h);
        h = kFnvBasis;
        open = false;
    };
    for (std::size_t i = 0; i < s.size();) {
        unsigned char b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) {
                h = (h ^ static_cast<unsigned char>(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b)) * kFnvPrime;
                open = true;
            } else {
                close();
                if constexpr (Limited)
                    if (out.size() - start >= limit) return;
            }
            ++i;
            continue;
        }
        std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        len = std::min(len, s.size() - i);
        char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        for (std::size_t k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        bool space = c == 0xA0 || (c >= 0x2000 && c <= 0x206F) || c == 0x3000 || (c >= 0x3001 && c <= 0x3003) ||
                     (c >= 0xFF01 && c <= 0xFF0F);
        if (space) {
            close();
        } else if (is_cjk(c)) {
            close();
            for (std::size_t k = 0; k < len; ++k) h = (h ^ static_cast<unsigned char>(s[i + k])) * kFnvPrime;
            open = true;
            close();
        } else {
            for (std::size_t k = 0; k < len; ++k) h = (h ^ static_cast<unsigned char>(s[i + k])) * kFnvPrime;
            open = true;
        }
        i += len;
        if constexpr (Limited)
            if (out.size() - start >= limit) return;
    }
    close();
}

std::uint64_t gram(const std::uint64_t* w, std::size_t n) {
    std::uint64_t h = kFnvBasis ^ n;
    for (std::size_t k = 0; k < n; ++k) h = (h ^ w[k]) * kFnvPrime + (h >> 29);
    return h;
}

// Sorts 64-bit hashes as std::sort does, by their bits from the top (in-place most-
// significant-digit radix sort, American flag sort): a range is dealt into buckets by
// its next digit (8 bits, 256 buckets), then each bucket by the digit after, until a
// bucket is small enough for std::sort, in the cache. Each dealing of a range larger
// than the caches writes to 256 places at a time, which the first-level cache and its
// page table entries hold; with 2,048 buckets (11 bits) a long page's million hashes
// (8 MB) were written to 2,048 pages at once, and every write missed (the swaps took 9
// times as long as on a page of 2 MB), and std::sort over the whole vector missed the
// cache at every step of its first levels. A range that the caches hold (kMaxWideDealt
// hashes, 64 KB) is dealt by a digit as wide as leaves about kDealtPerBucket hashes a
// bucket (up to 11 bits): the buckets std::sort finishes then hold a handful of hashes
// however long the page (with 8-bit digits a long page's second dealing left 16 a
// bucket where a page of 2 MB left 4, and std::sort's partitions on them took 20 times
// as long for 4 times the hashes). The depth is the bits it takes to tell a bucket's
// hashes apart: two dealings for a million, eight at most for equal ones.
void sort_hashes_from(std::uint64_t* first, std::uint64_t* last, int top);

// One dealing of sort_hashes_from by the `bits` below the `top` bits already dealt by, a
// function of its own so that its bucket tables (2^Max_bits + 1 entries twice) are on
// the stack only while a range is dealt: GCC inlined the recursion into one frame of 16
// KB, which every page's first sort touched, four page faults of a fresh stack for a
// page of a few hundred hashes (the wide tables, 16 KB, only a long page's dealings use).
template <int MaxBits>
[[gnu::noinline]] void deal_hashes(std::uint64_t* first, std::uint64_t* last, int top, int bits) {
    constexpr std::size_t kMaxBuckets = std::size_t(1) << MaxBits;
    constexpr std::size_t kPrefetchAhead = 16;  // hashes: two cache lines
    const std::size_t buckets = std::size_t(1) << bits;
    auto bucket = [top, bits](std::uint64_t h) { return static_cast<std::size_t>((h << top) >> (64 - bits)); };
    const auto count = static_cast<std::size_t>(last - first);
    std::array<std::uint32_t, kMaxBuckets + 1> start;  // counts below 2^32: kMaxInputBytes
    std::fill(start.begin(), start.begin() + buckets + 1, 0);
    for (const std::uint64_t* p = first; p != last; ++p) ++start[bucket(*p) + 1];
    for (std::size_t b = 0; b < buckets; ++b) start[b + 1] += start[b];
    std::array<std::uint32_t, kMaxBuckets> next;
    std::copy(start.begin(), start.begin() + buckets, next.begin());
    for (std::size_t b = 0; b < buckets; ++b) {
        while (next[b] < start[b + 1]) {
            std::uint64_t h = first[next[b]];
            for (std::size_t to = bucket(h); to != b; to = bucket(h)) {
                // the bucket's next cache line, for its later swaps: a hash's place
                // depends on the hash swapped out before it, so a miss would stall
                // each swap in turn (the 8 MB page's million hashes are not in the cache)
                // (indexes compared first: no pointer is formed past the array's end)
                if (next[to] + kPrefetchAhead < count) __builtin_prefetch(first + next[to] + kPrefetchAhead, 1);
                std::swap(h, first[next[to]++]);
            }
            first[next[b]++] = h;
        }
    }
    for (std::size_t b = 0; b < buckets; ++b)
        if (start[b + 1] - start[b] > 1) sort_hashes_from(first + start[b], first + start[b + 1], top + bits);
}

void sort_hashes_from(std::uint64_t* first, std::uint64_t* last, int top) {
    constexpr std::size_t kMinDealt = 256;        // fewer: std::sort alone (a deal costs as much)
    constexpr std::size_t kMaxWideDealt = 8192;   // more: 8-bit digits (see above)
    constexpr std::size_t kDealtPerBucket = 4;
    constexpr int kDigit = 8, kMaxWideDigit = 11;
    const auto count = static_cast<std::size_t>(last - first);
    if (count < kMinDealt || top >= 64) {
        std::sort(first, last);
        return;
    }
    const int bits = std::min(64 - top, count > kMaxWideDealt ? kDigit
                                        : std::clamp(static_cast<int>(std::bit_width((count - 1) / kDealtPerBucket)),
                                                     kDigit, kMaxWideDigit));
    if (bits > kDigit) deal_hashes<kMaxWideDigit>(first, last, top, bits);
    else deal_hashes<kDigit>(first, last, top, bits);
}

}  // namespace

void sort_hashes(std::uint64_t* first, std::uint64_t* last) { sort_hashes_from(first, last, 0); }

namespace {

// The three-word sequences of a document's text, and the one- and two-word ones among
// `short_texts` (the units of one or two words, which are looked for whole): a sorted
// array, built and searched without a node per sequence (a hash set spent most of its
// time on those), and without the page's every one- and two-word sequence, which would
// triple its size and its sort for the few units that ask for them.
class WordGrams {
public:
    WordGrams(const Document& doc, const std::vector<std::uint64_t>& short_texts) {
        std::vector<std::uint64_t> words;
        for (const Block& b : doc.blocks) {
            poll_deadline();
            words.clear();
            word_hashes(plain_text(b), words);
            for (std::size_t i = 0; i < words.size(); ++i) {
                if (i + 3 <= words.size()) grams_.push_back(gram(&words[i], 3));
                if (short_texts.empty()) continue;
                for (std::size_t n = 1; n <= 2 && i + n <= words.size(); ++n) {
                    std::uint64_t g = gram(&words[i], n);
                    if (std::binary_search(short_texts.begin(), short_texts.end(), g)) grams_.push_back(g);
                }
            }
        }
        sort_hashes(grams_.begin(), grams_.end());
        grams_.shrink_to(static_cast<std::size_t>(std::unique(grams_.begin(), grams_.end()) - grams_.begin()));
        // buckets by the hashes' top bits, about kPerBucket grams each
        const std::size_t n = grams_.size();
        while (bits_ < kMaxBucketBits && (std::size_t(1) << (bits_ + 1)) * kPerBucket <= n) ++bits_;
        start_.assign((std::size_t(1) << bits_) + 1, 0);
        std::size_t k = 0;
        for (std::size_t b = 0; b < (std::size_t(1) << bits_); ++b) {
            start_[b] = static_cast<std::uint32_t>(k);
            while (k < n && bucket(grams_[k]) == b) ++k;
        }
        start_.back() = static_cast<std::uint32_t>(n);
    }
    // The one- or two-word sequence a unit of `count` words (1 or 2) is looked for as.
    static std::uint64_t whole(const std::uint64_t* words, std::size_t count) { return gram(words, count); }
    // The share of the unit's three-word sequences found (a unit of one or two words:
    // whether it is found whole, which `short_texts` must have listed); -1 for a unit
    // without words.
    float share(const std::uint64_t* words, std::size_t count) const {
        if (count == 0) return -1;
        if (count < 3) return has(gram(words, count)) ? 1.0f : 0.0f;
        // The look-ups of a long unit's sequences, prefetched ahead in two steps: the
        // bucket's start kFar sequences ahead, the bucket's grams kNear ahead (its start
        // read by then). On a long page the grams are past the second-level cache, and a
        // look-up waited for two misses in turn; a ring of the coming hashes keeps each
        // computed once.
        constexpr std::size_t kFar = 16, kNear = 8, kRing = 32;  // kRing: a power of two, over kFar
        const std::size_t grams = count - 2;
        std::array<std::uint64_t, kRing> ring;
        for (std::size_t i = 0; i < std::min(grams, kFar); ++i) ring[i] = gram(&words[i], 3);
        std::size_t found = 0;
        for (std::size_t i = 0; i < grams; ++i) {
            if (i + kFar < grams) {
                const std::uint64_t g = gram(&words[i + kFar], 3);
                ring[(i + kFar) & (kRing - 1)] = g;
                __builtin_prefetch(&start_[bucket(g)]);
            }
            if (i + kNear < grams) __builtin_prefetch(grams_.begin() + start_[bucket(ring[(i + kNear) & (kRing - 1)])]);
            found += has(ring[i & (kRing - 1)]);
        }
        return static_cast<float>(found) / static_cast<float>(grams);
    }

private:
    // A search reads where the gram's bucket starts, then the bucket's few grams (a cache
    // line or two): the hashes are spread evenly, so their top bits say where in the
    // sorted array a gram would be. A binary search (through every 64th gram, then
    // through the 64 it points to) took some 20 unpredictable steps and four or five
    // cache misses a look-up, on a long page's million grams (8 MB) spread over memory
    // that no cache holds; the look-ups were the share of the work that grew fastest
    // with the page.
    static constexpr std::size_t kPerBucket = 8;       // one cache line of grams
    static constexpr unsigned kMaxBucketBits = 28;    // 1 GiB of text has fewer words
    static_assert(kMaxInputBytes < (std::uint64_t(1) << 32), "bucket starts are 32-bit");
    std::size_t bucket(std::uint64_t g) const { return bits_ ? static_cast<std::size_t>(g >> (64 - bits_)) : 0; }
    // (a binary search within the bucket: the hashes are not keyed, so a crafted page can
    // crowd its grams into one bucket; it then costs a logarithm, not the bucket's length)
    bool has(std::uint64_t g) const {
        const std::size_t b = bucket(g);
        const std::uint64_t* end = grams_.begin() + start_[b + 1];
        const std::uint64_t* p = std::lower_bound(grams_.begin() + start_[b], end, g);
        return p != end && *p == g;
    }
    MappedArray<std::uint64_t> grams_;  // grown in place (mapped_array.hpp)
    unsigned bits_ = 0;                 // 2^bits_ buckets
    std::vector<std::uint32_t> start_;  // where each bucket starts in grams_, and the end
};

// The words of each unit's text, hashed (word_hashes), in one vector: unit k's are
// words[first[k], first[k + 1]).
struct UnitWords {
    std::vector<std::uint64_t> words;
    std::vector<std::size_t> first{0};
    void add(std::string_view text) {
        word_hashes(text, words);
        first.push_back(words.size());
    }
    const std::uint64_t* of(std::size_t k) const { return words.data() + first[k]; }
    std::size_t count(std::size_t k) const { return first[k + 1] - first[k]; }
};

// The sorted one- and two-word sequences the units of one or two words are looked for as.
std::vector<std::uint64_t> short_texts(const UnitWords& words, std::size_t units) {
    std::vector<std::uint64_t> out;
    for (std::size_t k = 0; k < units; ++k)
        if (std::size_t c = words.count(k); c > 0 && c < 3) out.push_back(WordGrams::whole(words.of(k), c));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

float log1(double x) { return static_cast<float>(std::log1p(std::max(0.0, x))); }

bool is_prose(const Features& f) {
    return f.length >= kProseLength && f.link_density() < kProseLinkDensity && f.commas + f.sentence_ends >= 2;
}

}  // namespace

float UnitFeatureRows::length_log(const Features& f) { return log1(f.length); }

float UnitFeatureRows::cjk_share(const Features& f) {
    return static_cast<float>(f.letters ? double(f.cjk) / f.letters : 0);
}

UnitFeatureRows::UnitFeatureRows(const std::vector<Unit>& units, const UnitPage& context)
    : units_(units), context_(context) {
    const std::size_t n = units.size();
    if (n == 0) return;

    // What each stage kept of each unit (the sequences are gone by the end). A unit's
    // words are hashed when its shares are taken, not kept for all units at once (8
    // bytes a word: as much as the sequences of a long page the rules kept whole); only
    // the first three words of each are hashed before, to find the units of one or two.
    kept_.resize(n);
    {
        std::vector<std::uint64_t> words;
        std::vector<std::uint64_t> wanted;  // the one- and two-word units, as short_texts() gives them
        for (const Unit& u : units) {
            words.clear();
            word_hashes<true>(u.f.text, words, 3);
            if (!words.empty() && words.size() < 3) wanted.push_back(WordGrams::whole(words.data(), words.size()));
        }
        std::sort(wanted.begin(), wanted.end());
        wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
        std::array<std::optional<WordGrams>, kRuleStages> grams;
        for (std::size_t s = 0; s < kRuleStages; ++s)
            if (context.stages[s]) grams[s].emplace(*context.stages[s], wanted);
        for (std::size_t k = 0; k < n; ++k) {
            words.clear();
            word_hashes(units[k].f.text, words);
            for (std::size_t s = 0; s < kRuleStages; ++s)
                kept_[k][s] = grams[s] ? grams[s]->share(words.data(), words.size()) : -1;
        }
    }
    context_.stages = {};  // read above only: the stages need not outlive the constructor

    prose_.resize(n);
    before_.assign(n + 1, 0.0);
    for (std::size_t k = 0; k < n; ++k) {
        const Features& f = units[k].f;
        prose_[k] = is_prose(f);
        before_[k + 1] = before_[k] + f.length;
        link_chars_ += f.link_length;
        items_ += units[k].kind == UnitKind::item;
        headings_ += units[k].kind == UnitKind::heading;
    }
    // How often each unit's text occurs on the page, counted once for all the rows (a row
    // looked its text up in a table of the page's texts, a cache miss a row on a long
    // page, which no other work of the row overlapped).
    repeats_ = occurrence_counts(n, [&](std::size_t k) { return units[k].f.fold; }, [](std::size_t, std::size_t) {});
    total_ = before_[n];

    // the densest run of prose (Kadane's maximum-sum run)
    {
        double best = -1, sum = 0;
        std::size_t start = 0;
        for (std::size_t k = 0; k < n; ++k) {
            double v = prose_[k] ? units[k].f.length : -kRunPenalty * units[k].f.length;
            if (sum <= 0) {
                sum = 0;
                start = k;
            }
            sum += v;
            if (sum > best) {
                best = sum;
                run_first_ = start;
                run_last_ = k;
            }
        }
        if (best <= 0) run_first_ = run_last_ = n;  // no prose: no run
    }

    // sections: from a heading to the next; the cleaned share of each
    section_.assign(n, 0);
    section_sum_.assign(1, 0.0);
    section_count_.assign(1, 0.0);
    section_furniture_.assign(1, false);
    for (std::size_t k = 0; k < n; ++k) {
        if (units[k].kind == UnitKind::heading) {
            section_sum_.push_back(0);
            section_count_.push_back(0);
            section_furniture_.push_back(opens_furniture_section(units[k].f.text));
        }
        section_[k] = static_cast<std::uint32_t>(section_sum_.size() - 1);
        float c = share_of(k, RuleStage::cleaned);
        if (c >= 0) {
            section_sum_.back() += c;
            section_count_.back() += 1;
        }
    }

    // runs of units of one kind
    run_length_.assign(n, 1);
    for (std::size_t k = 0; k < n;) {
        std::size_t e = k + 1;
        while (e < n && units[e].kind == units[k].kind) ++e;
        for (std::size_t j = k; j < e; ++j) run_length_[j] = static_cast<std::uint32_t>(e - k);
        k = e;
    }

    for (std::size_t s = 0; s < kRuleStages; ++s) {
        if (!context.stages[s]) {
            page_share_[s] = -1;
            continue;
        }
        double kept_chars = 0;
        for (std::size_t k = 0; k < n; ++k) kept_chars += std::max(0.0f, kept_[k][s]) * units[k].f.length;
        page_share_[s] = total_ > 0 ? kept_chars / total_ : 0;
    }
    for (std::size_t k = 0; k < n; ++k)
        if (prose_[k]) prose_chars_ += units[k].f.length;
    batch_ = context.batch && context.batch->pages() >= kTemplateMinPages;
}

void UnitFeatureRows::row(std::size_t k, float* row) const {
    poll_deadline();
    const std::vector<Unit>& units = units_;
    const std::size_t n = units.size(), m = kUnitFeatures;
    const UnitPage& context = context_;
    const Unit& u = units[k];
    const Features& f = u.f;
    const UnitKind kind = u.kind;
    const double total = total_;
    std::size_t i = 0;
    auto put = [&](double v) { row[i++] = static_cast<float>(v); };
    put(context.html ? 1 : 0);
    put(length_log(f));
    put(f.link_density());
    put(f.stop_density);
    put(log1(f.words));
    put(log1(f.sentence_ends));
    put(log1(f.commas));
    put(f.ends_sentence ? 1 : 0);
    put(f.url_share);
    put(cjk_share(f));
    put(f.letters + f.digits ? double(f.digits) / (f.letters + f.digits) : 0);
    put(log1(f.links));
    put(log1(f.links ? double(f.words) / f.links : f.words));
    put(kind == UnitKind::heading);
    put(u.heading_level);
    put(kind == UnitKind::code);
    put(kind == UnitKind::item);
    put(kind == UnitKind::rule);
    put(kind == UnitKind::quote);
    put(kind == UnitKind::table);
    put(kind == UnitKind::figure);
    put(f.text.empty());
    put(n > 1 ? double(k) / double(n - 1) : 0);
    put(total > 0 ? before_[k] / total : 0);
    put(share_of(k, RuleStage::selected));
    put(share_of(k, RuleStage::landmark_free));
    put(share_of(k, RuleStage::cleaned));
    // where the unit stands from the densest run of prose: 0 inside, negative
    // before, positive after (log-scaled units; characters as a share of the page)
    bool has_run = run_first_ < n;
    bool inside = has_run && k >= run_first_ && k <= run_last_;
    put(inside);
    double d = !has_run || inside ? 0 : k < run_first_ ? -log1(double(run_first_ - k)) : log1(double(k - run_last_));
    put(has_run ? d : -9);
    double dc = !has_run || inside ? 0
                : k < run_first_  ? -(before_[run_first_] - before_[k + 1]) / std::max(1.0, total)
                                  : (before_[k] - before_[run_last_ + 1]) / std::max(1.0, total);
    put(has_run ? dc : -9);
    put(prose_[k]);
    put(log1(f.fold ? int(repeats_[k]) - 1 : 0));
    // On how many other pages of the batch the text occurs: a count, not a share of
    // the batch, and 0 for a page converted alone, so that a page's units measure the
    // same alone and in a batch of other sites' pages (a share was 1/N for every line
    // of the page, and -1 alone: the same page came out differently next to an
    // unrelated file). Texts longer than kMaxTemplateLength are not looked up (the
    // template lines are short).
    double others = 0;
    if (batch_ && !f.text.empty() && double(f.text.size()) < kMaxTemplateLength)
        others = double(context.batch->pages_with(f.text)) - 1;
    put(log1(others));
    // the cue vocabulary is of short lines (a widget's, a footer's): longer text is
    // not searched, which keeps these features' cost linear in short text
    const bool short_text = double(f.text.size()) < kMaxTemplateLength;
    put(short_text ? widget_share(f) : 0.0);
    put(kind == UnitKind::heading && opens_furniture_section(f.text));
    put(short_text && is_legal_line(f));
    put(short_text && is_privacy_notice(f, context.lang));
    put(short_text && !find_byline(f.text, true).empty());
    put(section_furniture_[section_[k]]);
    double sc = section_count_[section_[k]];
    put(sc > 0 ? section_sum_[section_[k]] / sc : -1);
    for (int side : {-1, 1}) {
        bool there = side < 0 ? k > 0 : k + 1 < n;
        std::size_t j = side < 0 ? k - 1 : k + 1;
        put(there ? log1(units[j].f.length) : -1);
        put(there ? units[j].f.link_density() : -1);
        put(there ? share_of(j, RuleStage::cleaned) : -2);
        put(there ? double(prose_[j]) : -1);
    }
    double wl = 0, wc = 0, ws = 0, wp = 0, count = 0;
    for (std::size_t j = k >= kWindow ? k - kWindow : 0; j <= k + kWindow && j < n; ++j) {
        if (j == k) continue;
        wl += units[j].f.link_density();
        wc += share_of(j, RuleStage::cleaned);
        ws += share_of(j, RuleStage::selected);
        wp += prose_[j];
        ++count;
    }
    count = std::max(count, 1.0);
    put(wl / count);
    put(wc / count);
    put(ws / count);
    put(wp / count);
    put(log1(run_length_[k]));
    put(log1(n));
    put(log1(total));
    for (double s : page_share_) put(s);
    put(total > 0 ? prose_chars_ / total : 0);
    put(total > 0 ? link_chars_ / total : 0);
    for (float p : context.type_probability) put(p);
    put(double(items_) / n);
    put(log1(headings_));
    put(u.item >= 0 ? (u.list_items > 1 ? double(u.item) / double(u.list_items - 1) : 0) : -1);
    if (i != kFirstHtmlFeature) std::abort();  // kUnitFeatureNames and this list disagree: a programming error
    while (i < m) put(-1);
}

std::vector<float> unit_features(const std::vector<Unit>& units, const UnitPage& context) {
    const UnitFeatureRows rows(units, context);
    std::vector<float> x(units.size() * kUnitFeatures, 0.0f);
    for (std::size_t k = 0; k < units.size(); ++k) rows.row(k, &x[k * kUnitFeatures]);
    return x;
}

std::vector<bool> kept_in_order(const std::vector<Unit>& units, const std::vector<UnitKey>& held,
                                std::vector<std::size_t>* matched) {
    // A held unit is looked for this far ahead in the page (the rules removed the units
    // between); one not found is skipped (the rules changed its text).
    constexpr std::size_t kMatchLookahead = 400;
    std::vector<bool> kept(units.size(), false);
    if (matched) matched->assign(units.size(), SIZE_MAX);
    std::size_t at = 0;
    for (std::size_t j = 0; j < held.size(); ++j) {
        poll_deadline();
        const UnitKey& h = held[j];
        for (std::size_t k = at; k < units.size() && k < at + kMatchLookahead; ++k) {
            if (units[k].f.fold == h.fold && units[k].f.text.size() == h.text_bytes) {
                kept[k] = true;
                if (matched) (*matched)[k] = j;
                at = k + 1;
                break;
            }
        }
    }
    return kept;
}

std::vector<bool> kept_in_order(const std::vector<Unit>& units, const std::vector<Unit>& held, const Document& stage,
                                bool by_words, std::vector<std::size_t>* matched) {
    std::vector<UnitKey> keys;
    keys.reserve(held.size());
    for (const Unit& h : held) keys.push_back({h.f.fold, h.f.text.size(), h.block, h.item});
    std::vector<bool> kept = kept_in_order(units, keys, matched);
    if (!by_words) return kept;
    HashTable<int> repeats;  // grows with the distinct texts (hash_table.hpp)
    for (const Unit& u : units)
        if (u.f.fold) ++repeats[u.f.fold];
    // the units still to judge, and their words
    std::vector<std::size_t> open;
    UnitWords words;
    for (std::size_t k = 0; k < units.size(); ++k) {
        if (kept[k] || (units[k].f.fold && repeats[units[k].f.fold] > 1)) continue;
        open.push_back(k);
        words.add(units[k].f.text);
    }
    const WordGrams grams(stage, short_texts(words, open.size()));
    for (std::size_t i = 0; i < open.size(); ++i) kept[open[i]] = grams.share(words.of(i), words.count(i)) >= 0.5f;
    return kept;
}

std::vector<std::string> feature_values(const std::vector<std::string_view>& names, const float* row) {
    std::vector<std::string> out;
    for (std::string_view name : names) {
        for (std::size_t i = 0; i < kUnitFeatures; ++i) {
            if (kUnitFeatureNames[i] != name) continue;
            char buf[32];
            std::snprintf(buf, sizeof buf, "=%.3g", static_cast<double>(row[i]));
            out.push_back(std::string(name) + buf);
            break;
        }
    }
    return out;
}

void note_overrules(const std::vector<Unit>& units, const std::vector<bool>& rules, const std::vector<bool>& drop,
                    const std::vector<double>& scores, const std::vector<std::string>& reasons,
                    const std::vector<std::vector<std::string>>& top, std::string_view page_type, Diagnostics& diag) {
    for (std::size_t k = 0; k < units.size(); ++k) {
        if (rules[k] != drop[k]) continue;  // the rules' verdict stood
        Diagnostic d;
        d.pass = "unit-model";
        d.action = drop[k] ? "removed" : "kept";
        d.first_line = units[k].source.first;
        d.last_line = units[k].source.last;
        d.score = scores[k];
        d.reason = reasons[k];
        if (k < top.size()) d.features = top[k];
        d.page_type = std::string(page_type);
        d.excerpt = excerpt(units[k].f.text);
        diag.note(std::move(d));
    }
}

bool unit_features_wanted() {
    static const bool wanted = std::getenv("DCONV_UNIT_FEATURES") != nullptr;
    return wanted;
}

void dump_unit_features(std::string_view source, const std::vector<Unit>& units, const std::vector<float>& features,
                        const std::vector<bool>& rules) {
    std::string out;
    char buf[32];
    for (std::size_t k = 0; k < units.size(); ++k) {
        out += "dconv-unit\t";
        out += source;
        out += '\t' + std::to_string(k);
        for (std::size_t i = 0; i < kUnitFeatures; ++i) {
            std::snprintf(buf, sizeof buf, "\t%.6g", static_cast<double>(features[k * kUnitFeatures + i]));
            out += buf;
        }
        out += rules[k] ? "\t1\t" : "\t0\t";
        for (char c : units[k].f.text) out += c == '\t' || c == '\n' || c == '\r' ? ' ' : c;
        out += '\n';
    }
    std::fputs(out.c_str(), stderr);
}

}  // namespace dconv::clean
