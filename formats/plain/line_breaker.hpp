// line_breaker.hpp: greedy line wrapping by display columns at the break opportunities
// of ICU's line break iterator (UAX #14): between words, between CJK ideographs, never
// before closing punctuation (、。，」） ...) nor after opening brackets.
//
// Private to formats/plain for now; the Markdown writer could share it (one wrapping
// code for both, as cmark's renderers share render.c).
#pragma once

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dconv::plain_detail {

class LineBreaker {
public:
    // One ICU line break iterator for `language` (BCP 47; empty or unknown: root), made
    // once and reused for every paragraph of a document.
    explicit LineBreaker(const std::string& language);
    ~LineBreaker();
    LineBreaker(const LineBreaker&) = delete;
    LineBreaker& operator=(const LineBreaker&) = delete;

    // Splits `text` into lines of at most `width` display columns and appends them to
    // `lines` (views into `text`, without leading or trailing spaces). '\n' in `text` is
    // a forced break. Width 0: no wrapping, one line per '\n'-separated segment. A run
    // with no break opportunity that is wider than `width` (a long word, a URL) is put on
    // a line of its own and overflows: cutting it would change the text.
    void wrap(std::string_view text, std::size_t width, std::vector<std::string_view>& lines);

private:
    void wrap_segment(std::string_view segment, std::size_t width,
                      std::vector<std::string_view>& lines);
    // The last break opportunity after `start` and at or before the character that ends
    // at `overflow_end`; npos when there is none.
    std::size_t last_break(std::string_view segment, std::size_t start, std::size_t overflow_end);
    void set_text(std::string_view text);

    std::unique_ptr<icu::BreakIterator> iterator_;
    UText utext_ = UTEXT_INITIALIZER;
};

}  // namespace dconv::plain_detail
