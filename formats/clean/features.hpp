// features.hpp: the measurements the cleaning passes decide by, computed once per unit
// of text (a line-block or a list item). All are general signals: lengths, link density,
// stop-word density, sentence shape, character classes. None names a site.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dconv/document.hpp"

namespace dconv::clean {

// One Han/kana/Hangul character carries about as much text as this many Latin letters;
// lengths are compared in these "Latin-equivalent" units so one threshold serves both.
inline constexpr double kCjkWeight = 3.0;

// A unit's visible text: held here, or, for a unit of one plain text measured with
// `borrow` (measure()), a view of the document's own Text, which must then outlive it
// and stay where it is (moving its block or the vector of its inlines keeps it). The
// units of a long page held a copy of all its text beside the document.
class UnitText {
public:
    UnitText() = default;
    UnitText(std::string text) : owned_(std::move(text)) {}
    UnitText& operator=(std::string text) {
        owned_ = std::move(text);
        borrowed_ = {};
        return *this;
    }
    void borrow(const std::string& text) {
        owned_.clear();
        borrowed_ = std::string_view(text);
        if (borrowed_.data() == nullptr) borrowed_ = std::string_view("", 0);
    }
    std::string_view view() const { return borrowed_.data() ? borrowed_ : std::string_view(owned_); }
    operator std::string_view() const { return view(); }
    std::size_t size() const { return view().size(); }
    bool empty() const { return view().empty(); }
    const char* data() const { return view().data(); }
    auto begin() const { return view().begin(); }
    auto end() const { return view().end(); }
    char front() const { return view().front(); }
    char back() const { return view().back(); }
    char operator[](std::size_t k) const { return view()[k]; }
    std::size_t find(std::string_view s, std::size_t from = 0) const { return view().find(s, from); }
    std::size_t find(char c, std::size_t from = 0) const { return view().find(c, from); }
    friend bool operator==(const UnitText& a, std::string_view b) { return a.view() == b; }

private:
    std::string owned_;
    std::string_view borrowed_;  // data() nullptr: owned
};

// The verdicts of cues.hpp's is_legal_line and is_privacy_notice on one unit's text,
// kept on first use (cues.hpp's overloads taking a CueMemo): the rules legal-line and
// privacy-notice, legal_prose_units and the unit model's features ask them of the same
// units, and each verdict reads the whole text (asking twice was 2.7 % of the
// instructions of converting the 60 dev text dumps).
// One byte, in the padding after Features' counts: a Features per unit, hundreds of
// thousands of units on a long page (scaling_test's cleaned-text memory bound).
struct CueMemo {
    std::uint8_t legal : 2 = 0;   // 0: not asked yet, 1: no, 2: yes
    std::uint8_t notice : 2 = 0;  // the same
    // Which of the languages is_privacy_notice reads terms of `notice` was asked in (1:
    // another; the verdict depends on the language only so far); 0: not asked yet.
    std::uint8_t notice_lang : 3 = 0;
};

struct Features {
    UnitText text;             // visible text, white space squeezed
    double length = 0;         // Latin-equivalent letters, digits and punctuation
    double link_length = 0;    // the part of `length` inside links
    int links = 0;             // number of links (an empty [](url) link counts)
    int words = 0;             // Latin words; CJK characters count one word each
    int cjk = 0;               // CJK characters
    int letters = 0;           // letters of any script (CJK included)
    int digits = 0;
    int sentence_ends = 0;     // . ! ? 。！？ followed by space, quote or end
    int commas = 0;            // , ， 、 ; ；
    mutable CueMemo cues;      // see widget_share_memo below
    bool ends_sentence = false;  // last visible character closes a sentence
    bool has_url_text = false;   // visible text contains http:// or www.
    double stop_density = 0;   // stop words per word (language aware)
    double url_share = 0;        // share of the visible bytes in URLs (http://…, www.…)
    std::uint64_t fold = 0;      // a hash of fold(text)'s head and length: equal for texts
                                 // equal but for case, spacing and punctuation; 0 for
                                 // text without letters
    // The cue checks' verdicts on `text` (cues.hpp's overloads taking Features), kept on
    // first use: the rules and the unit model's features ask them of the same units, and
    // asking cost some 8 percent of a long page's cleaning. -1: not asked yet. (The
    // legal line and privacy notice verdicts sit in the padding above, `cues`.)
    mutable double widget_share_memo = -1;

    double link_density() const { return length > 0 ? link_length / length : (links ? 1.0 : 0.0); }
};

// `borrow`: a content of one Text is viewed, not copied (UnitText): the caller keeps
// the content alive and in place while the Features are read.
Features measure(const Inlines& content, std::string_view lang, bool borrow = false);
// Whether measure(content, ...).length > bound, read only as far as it takes: a long
// paragraph is known longer than a heading after a heading's length of it.
bool length_exceeds(const Inlines& content, double bound);
Features measure_text(std::string_view text, std::string_view lang);
// measure(content, ...) and measure_text(text, ...) with only `text` and `fold` set, as
// those set them, for matching units by their keys (unit_keys): a third of the work.
Features measure_fold(const Inlines& content, bool borrow = false);
Features measure_text_fold(std::string_view text);

// A numbered section heading: "4.Developing global partnerships", "2. Methods", "一、总体要求".
bool numbered_heading_shape(const Features& f);

// A text's fold for comparisons: lower case, white space and punctuation removed.
std::string fold(std::string_view text);
// fold(text) when it is at most `max_bytes` long; else a fold of text's head longer than
// `max_bytes` (enough to tell that the whole is longer), without reading the rest.
std::string fold(std::string_view text, std::size_t max_bytes);

}  // namespace dconv::clean
