#include "plain/line_breaker.hpp"

#include <unicode/locid.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"

namespace dconv::plain_detail {

namespace {

std::string_view trim_spaces(std::string_view s) {
    std::size_t begin = s.find_first_not_of(' ');
    if (begin == std::string_view::npos) return {};
    return s.substr(begin, s.find_last_not_of(' ') - begin + 1);
}

// The window ICU sees around a line's overflow point (see last_break): bytes before
// the end of the overflowing character, bytes after it, and how far from the window's
// start an answer must be to be trusted.
constexpr std::size_t kBreakContextBytes = 32;
constexpr std::size_t kLookaheadBytes = 8;
constexpr std::size_t kContextMarginBytes = 8;

// True when every byte of `s` is printable ASCII (0x20-0x7E), tested 8 at a time.
bool printable_ascii(std::string_view s) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        std::uint64_t below_space = (w - 0x20 * kOnes) & ~w & kHigh;
        std::uint64_t x = w ^ (0x7F * kOnes);
        std::uint64_t del = (x - kOnes) & ~x & kHigh;
        if ((w & kHigh) | below_space | del) return false;
    }
    for (; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c >= 0x7F) return false;
    }
    return true;
}

bool is_ascii_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_opening_bracket(char c) { return c == '(' || c == '[' || c == '{'; }

icu::Locale locale_for(const std::string& language) {
    if (language.empty()) return icu::Locale::getRoot();
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale locale = icu::Locale::forLanguageTag(language, status);
    if (U_FAILURE(status) || locale.isBogus()) return icu::Locale::getRoot();
    return locale;
}

}  // namespace

LineBreaker::LineBreaker(const std::string& language) {
    UErrorCode status = U_ZERO_ERROR;
    iterator_.reset(icu::BreakIterator::createLineInstance(locale_for(language), status));
    if (U_FAILURE(status) || !iterator_)
        throw Error(ErrorKind::internal, "", 0,
                    std::string("ICU line break iterator unavailable: ") + u_errorName(status));
}

LineBreaker::~LineBreaker() { utext_close(&utext_); }

void LineBreaker::wrap(std::string_view text, std::size_t width,
                       std::vector<std::string_view>& lines) {
    for (std::size_t start = 0;;) {
        std::size_t newline = text.find('\n', start);
        std::string_view segment = text.substr(start, newline == std::string_view::npos
                                                          ? std::string_view::npos
                                                          : newline - start);
        wrap_segment(trim_spaces(segment), width, lines);
        if (newline == std::string_view::npos) break;
        start = newline + 1;
    }
}

void LineBreaker::set_text(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    // A UText over the UTF-8 bytes: no UTF-16 copy, and the iterator's offsets are byte
    // offsets into `text`.
    utext_openUTF8(&utext_, text.data(), static_cast<int64_t>(text.size()), &status);
    iterator_->setText(&utext_, status);
    if (U_FAILURE(status))
        throw Error(ErrorKind::internal, "", 0,
                    std::string("ICU line breaking failed: ") + u_errorName(status));
}

std::size_t LineBreaker::last_break(std::string_view segment, std::size_t start,
                                    std::size_t overflow_end) {
    auto continuation = [&](std::size_t i) {
        return (static_cast<unsigned char>(segment[i]) & 0xC0) == 0x80;
    };
    // The common case in Latin text, answered without ICU: the line overflows inside a
    // word of ASCII letters and digits that follows spaces. UAX #14 allows no break
    // inside such a word (LB23, LB25, LB28) and allows one after the spaces (LB18)
    // unless they follow an opening bracket (LB14); nothing else applies to these
    // classes, in any locale's tailoring.
    std::size_t word = overflow_end;
    while (word > start && is_ascii_alnum(segment[word - 1])) --word;
    if (word < overflow_end && word > start && segment[word - 1] == ' ') {
        std::size_t spaces = word - 1;
        while (spaces > start && segment[spaces - 1] == ' ') --spaces;
        if (spaces > start && !is_opening_bracket(segment[spaces - 1])) return word;
    }
    // ICU's cost grows with the text it looks at (it backs up to a safe point, then runs
    // its rules forward), so it sees a window: the overflowing word, the spaces and the
    // word before it, a little lookahead. Line breaking rules look only a few characters
    // around a boundary, so an answer far enough from the window's cut start is the one
    // the whole text would give.
    std::size_t window_start = start;
    if (overflow_end - start > kBreakContextBytes) {
        window_start = overflow_end - kBreakContextBytes;
        while (window_start > start && continuation(window_start)) --window_start;
    }
    std::size_t window_end = std::min(segment.size(), overflow_end + kLookaheadBytes);
    while (window_end < segment.size() && continuation(window_end)) ++window_end;
    set_text(segment.substr(window_start, window_end - window_start));
    int32_t found = iterator_->preceding(static_cast<int32_t>(overflow_end - window_start));
    if (found != icu::BreakIterator::DONE) {
        std::size_t at = window_start + static_cast<std::size_t>(found);
        if (at > start && (window_start == start || at >= window_start + kContextMarginBytes))
            return at;
    }
    if (window_start == start) return std::string_view::npos;
    // Nothing trustworthy in the window (a long word): ask about the whole segment.
    set_text(segment);
    found = iterator_->preceding(static_cast<int32_t>(overflow_end));
    if (found == icu::BreakIterator::DONE || static_cast<std::size_t>(found) <= start)
        return std::string_view::npos;
    return static_cast<std::size_t>(found);
}

void LineBreaker::wrap_segment(std::string_view segment, std::size_t width,
                               std::vector<std::string_view>& lines) {
    if (width == 0) {
        lines.push_back(segment);
        return;
    }
    // Greedy fill, asking ICU only where a line overflows: scan the line's characters
    // until the first visible one that does not fit, then break at the last opportunity
    // at or before it (ICU's preceding()). Each line costs the iterator a word or so of
    // work instead of a call per word (per ideograph in CJK text). Spaces before the
    // break hang off the line's end and are not counted.
    std::size_t start = 0;
    while (start < segment.size()) {
        // A character takes at most as many columns as it has bytes (wide ones are 3 or
        // 4 bytes long), so a rest no longer than the width in bytes fits.
        if (segment.size() - start <= width) {
            lines.push_back(trim_spaces(segment.substr(start)));
            return;
        }
        std::size_t columns = 0, visible_end = start;
        std::size_t overflow = std::string_view::npos, overflow_end = 0;
        std::size_t i = start;
        if (printable_ascii(segment.substr(start, width + 1))) {
            // Each byte one column: the line is full after `width` bytes, and the first
            // non-space after that overflows.
            i = start + width;
            while (i < segment.size() && segment[i] == ' ') ++i;
            if (i == segment.size()) {
                lines.push_back(trim_spaces(segment.substr(start)));
                return;
            }
            visible_end = start + 1;  // the line holds something: start is not a space
            columns = width;
        }
        while (i < segment.size()) {
            std::size_t at = i;
            auto byte = static_cast<unsigned char>(segment[i]);
            int w;
            if (byte < 0x80) {
                w = byte >= 0x20 && byte != 0x7F;
                ++i;
            } else {
                w = text::width(text::next(segment, i));
            }
            if (byte != ' ') {
                if (columns + static_cast<std::size_t>(w) > width && visible_end > start) {
                    overflow = at;
                    overflow_end = i;
                    break;
                }
                visible_end = i;
            }
            columns += static_cast<std::size_t>(w);
        }
        if (overflow == std::string_view::npos) {
            lines.push_back(segment.substr(start, visible_end - start));
            return;
        }
        std::size_t end = last_break(segment, start, overflow_end);
        if (end == std::string_view::npos) {
            // No opportunity on the line: the unbreakable run overflows, whole.
            set_text(segment);
            int32_t next = iterator_->following(static_cast<int32_t>(overflow));
            end = next == icu::BreakIterator::DONE ? segment.size() : static_cast<std::size_t>(next);
        }
        lines.push_back(trim_spaces(segment.substr(start, end - start)));
        start = end;
        while (start < segment.size() && segment[start] == ' ') ++start;
    }
}

}  // namespace dconv::plain_detail
