// recall_guard.hpp: a warning when cleaning lost the page's text, not its furniture.
//
// The cleaner's mistakes are not symmetric: a nav line kept costs a reader a glance, an
// article removed costs the article, and nothing in the output says so. The guard takes
// stock of a page's prose before cleaning (units of running text: long, sentence-shaped,
// few links, as the cleaner measures them) and checks what of it is still there after
// each pass. It warns when
//  - under kMinKeptShare of the prose characters were kept, on a page with at least
//    kMinPageProse of them (a page of two sentences is too little to judge), or
//  - the page's first kLeadParagraphs long paragraphs (kLongParagraph and over) were all
//    removed, on a page that has that many (its first long paragraphs are where an
//    article starts), and under kLeadLostMaxKeptShare of the prose was kept (customer
//    reviews or a comment thread above the text go, and most of the prose stays);
// and says why: the figures, and the first long paragraph removed, its line and the pass
// that removed it. The guard itself never changes the document: its callers fall back
// to a more inclusive result when collapsed() says the page's prose was lost (the HTML
// reader and clean_document both to the page's prose units; trafilatura's
// fallback cascade), and say so. Prose that the
// cleaner's vocabulary calls furniture (cookie and privacy notices, copyright lines) is
// not counted, losing it being the cleaner's job, unless it was nearly all of the page's
// prose and went, and did not speak to the reader as a notice does
// (kMinFurnitureProseUnits, kMaxReaderAddressShare: an article about privacy that those
// rules took whole, not a consent wall); markup left in a dump is never counted.
//
// A unit counts as kept while its head or its tail (kProbeBytes of its text) is found in
// the document's text, each occurrence vouching for one unit: joining lines, stripping a
// watermark off a line's end or moving a paragraph keeps it; removing it does not. The
// pass named is the first after which the unit was no longer a block of its own: the
// checkpoints between passes look blocks up in tables, and only the end searches the
// text (on the 60 dev pages it adds about 12 % to the CPU time of text dumps, 0.3 ms a
// page, and 2 % to that of HTML pages). Matching text rather than line numbers also
// serves HTML, where a minified page has all its blocks on one line.
//
// Private to formats/ (the cleaner's pipeline and the HTML reader call it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv::clean {

// A unit this long (Latin-equivalent characters, features.hpp), at most this much of it
// link text, with a sentence end or two commas, is prose. The shape of running prose
// (thresholds.hpp's kProseLength, kProseLinkDensity, which the HTML cleaner protects),
// shorter and with more links on purpose: the guard counts what a reader would call
// text, and news paragraphs of two lines are text.
inline constexpr double kGuardProseLength = 80;
inline constexpr double kGuardProseLinkDensity = 0.5;
// Under this share of the page's prose characters kept, the page has collapsed. Good
// extractions keep most of the prose: a page's furniture is short lines, not prose.
inline constexpr double kMinKeptShare = 0.20;
// Less prose than this (about four lines of text) is too little to call a collapse.
inline constexpr double kMinPageProse = 600;
// The first this many paragraphs of at least kLongParagraph characters all removed is a
// lost article start, even when the share kept looks fine (a long comment thread kept).
inline constexpr std::size_t kLeadParagraphs = 3;
inline constexpr double kLongParagraph = 200;
inline constexpr double kLeadLostMaxKeptShare = 0.5;
// The fallback (the callers' of collapsed()) acts only on a result holding less text
// than this (bytes of its blocks' text, about one long paragraph): "almost nothing".
// A collapsed share of the prose with more text kept than this is, on WCXB's pages, more
// often a right choice (a thread of short posts, a listing's cards, an article among
// long teasers) than the more inclusive result is.
inline constexpr std::size_t kFallbackMaxText = 200;
// The text fallback keeps a copy of the page's prose blocks while the passes run; over
// this much prose (characters) it does not, so that a page of megabytes does not hold
// its text twice for a fallback that is for pages that lost what little they had.
inline constexpr double kMaxFallbackProse = 256 * 1024;
// Sentence-shaped prose in the words of a privacy notice or a legal line (cues.hpp)
// counts only when at least this many such units, of at least kMinFurnitureProse
// characters in all, were removed, and they were at least 1 - kMinKeptShare of all the
// page's prose: an article about privacy or copyright that rules privacy-notice and
// legal-line took whole. A cookie banner or a consent box (about a thousand characters
// in three or four paragraphs, the longest ones) and a copyright footer stay uncounted.
inline constexpr std::size_t kMinFurnitureProseUnits = 5;
inline constexpr double kMinFurnitureProse = 1000;
// ... and only when at most this share of those units speak to the reader ("you",
// "your"; French "vous", "votre": addresses_reader in recall_guard.cpp): a notice
// addresses the reader in each of its paragraphs ("we use cookies to ...", "you can
// withdraw your consent"), an article about privacy reports in the third person. A
// consent wall lists five to ten purposes, each paragraph as long as an article's, so
// the count alone does not tell them apart. (Pages in other languages: no paragraph
// found speaking to the reader, those units count as before.)
inline constexpr double kMaxReaderAddressShare = 0.5;
// A unit where more than this share of the bytes are < > { } = is markup, not prose.
inline constexpr double kMaxMarkupShare = 0.02;
// Bytes of a unit's head and tail looked for in the cleaned text.
inline constexpr std::size_t kProbeBytes = 40;

// Whether `doc` holds less than kFallbackMaxText of text: almost nothing.
bool holds_almost_nothing(const Document& doc);

class RecallGuard {
public:
    // Takes stock of the prose of `page`, the document as read, before any pass.
    explicit RecallGuard(const Document& page);
    // The same a piece at a time, for a reader that never holds the whole document as
    // read (the HTML reader, issue 16's memory bound): an empty guard, then add() with
    // the document's top-level blocks in order, in pieces; `language` as in Meta.
    RecallGuard() = default;
    void add(const Blocks& blocks, const std::string& language);

    // After a pass: the prose units whose source lines no block of `doc` covers any
    // more were removed by `pass`. Cheap: line ranges only, no text. `pass` is kept as a
    // view: a name that outlives the guard (a literal, a cleaning_passes() id).
    void checkpoint(const Document& doc, std::string_view pass);

    // After the last pass: settles which prose `result` still holds (searching its text
    // for what was joined or moved) and warns in `diag` when the page's prose collapsed.
    // Returns whether it warned.
    bool report(const Document& result, Diagnostics& diag);

    // After the last pass: whether `result` kept under kMinKeptShare of the page's prose
    // (on a page with kMinPageProse of it), the collapse a fallback answers; settles, as
    // report() does, without warning.
    bool collapsed(const Document& result);

    // After report() or collapsed(): the source ranges of the prose units removed.
    std::vector<SourceRange> lost() const;
    // The source ranges of the page's prose units, in document order, those in furniture
    // words too (lost() says which count).
    std::vector<SourceRange> prose_sources() const;

    // The prose counted before any pass (furniture words' prose aside).
    double prose_length() const { return total_; }
    double kept_length() const;  // after report()

    // The fallback's warning (rule recall-fallback): `result` now holds `back` prose
    // paragraphs more than the `kept_before` characters of prose the passes had kept;
    // `alternative` names the option that keeps the first choice. Settles again.
    void report_fallback(const Document& result, double kept_before, std::size_t back,
                         std::string_view alternative, Diagnostics& diag);

    // From now on, add() keeps a copy of each top-level block that holds prose, while
    // the page's prose stays under kMaxFallbackProse: the fallback's material, for a
    // reader that cannot read the page again (the HTML reader frees its tree).
    // After collapsed(): the blocks kept, less those holding only prose in furniture
    // words when it does not count.
    void keep_prose_blocks() { keep_blocks_ = true; }
    Blocks take_prose_blocks();

private:
    bool keep_blocks_ = false;
    Blocks prose_blocks_;
    std::vector<bool> furniture_blocks_;  // of prose_blocks_: holding furniture words' prose alone
    // One a prose unit: on a long page of prose, as many as its paragraphs, kept from
    // the first pass to the last. Its probes are held in place, not as two strings of
    // their own on the heap (a third of a forum page's cleaning memory was the guard's).
    struct Prose {
        SourceRange source;
        double length = 0;
        std::string_view missing_since;  // the first checkpoint it was not found at
        std::string_view removed_by;     // settled: the pass it went in; empty if kept
        bool long_paragraph = false;
        bool furniture_words = false;  // a privacy notice's or a legal line's (prose_kind)
        bool addresses_reader = false;  // of furniture words: says "you" (kMaxReaderAddressShare)
        unsigned char head_bytes = 0, tail_bytes = 0;
        char head_text[kProbeBytes], tail_text[kProbeBytes];
        // kProbeBytes of the start and end of its text
        std::string_view head() const { return {head_text, head_bytes}; }
        std::string_view tail() const { return {tail_text, tail_bytes}; }
    };
    void settle(const Document& result);
    // The prose characters counted: furniture words' too when settle() found they count.
    double total() const;
    bool counted(const Prose& p) const { return !p.furniture_words || count_furniture_words_; }

    std::vector<Prose> prose_;
    double total_ = 0;            // prose characters, furniture words' prose aside
    double furniture_total_ = 0;  // of the prose in furniture words
    bool count_furniture_words_ = false;  // settled
    std::string_view last_pass_;
};

}  // namespace dconv::clean
