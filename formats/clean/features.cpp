#include "clean/features.hpp"

#include <array>
#include <cstdint>
#include <type_traits>
#include <unicode/uchar.h>

#include "clean/language.hpp"
#include "core/text.hpp"
#include "dconv/model.hpp"
#include "dconv/limits.hpp"

namespace dconv::clean {

namespace {

// The length of the URL starting at s[at] ("http://", "https://" or "www." up to the
// next space), or 0 when none starts there.
std::size_t url_at(std::string_view s, std::size_t at) {
    std::string_view rest = s.substr(at);
    bool url = rest.substr(0, 7) == "http://" || rest.substr(0, 8) == "https://" || rest.substr(0, 4) == "www.";
    if (!url) return 0;
    std::size_t end = rest.find(' ');
    return end == std::string_view::npos ? rest.size() : end;
}

// html2text writes links whose target has spaces ("[](mailto:?subject=A title)"), which
// CommonMark leaves as text: such "[...](...)" spans still count as links.
void count_broken_links(std::string_view s, Features& f) {
    // a link whose text spans lines leaves a bare "](target)" on a line of its own
    std::size_t pos = 0;
    // A link's '[' is looked for back to the end of the link before it, no further: an
    // unbounded search made "![![![... a](u)](u)](u)" quadratic (100,000 deep: minutes).
    std::size_t previous_end = 0;
    while ((pos = s.find(']', pos)) != std::string_view::npos) {
        if (pos + 1 >= s.size() || s[pos + 1] != '(') {
            ++pos;
            continue;
        }
        std::size_t open = s.substr(previous_end, pos - previous_end).rfind('[');
        open = open == std::string_view::npos ? previous_end : previous_end + open;
        std::size_t close = s.find(')', pos);
        if (close == std::string_view::npos) close = s.size() - 1;
        ++f.links;
        f.link_length += static_cast<double>(close + 1 - open);
        pos = close + 1;
        previous_end = pos;
    }
}

void collect(const Inlines& inlines, bool in_link, Features& f, std::string& text) {
    for (const Inline& in : inlines) {
        poll_deadline();
        if (auto* t = std::get_if<Text>(&in)) {
            std::size_t before = text.size();
            text += t->text;
            if (in_link) f.link_length += static_cast<double>(text.size() - before);  // bytes; fixed below
            else count_broken_links(t->text, f);
        } else if (auto* c = std::get_if<Code>(&in)) {
            std::size_t before = text.size();
            text += c->text;
            if (in_link) f.link_length += static_cast<double>(text.size() - before);
        } else if (std::holds_alternative<LineBreak>(in)) {
            text += ' ';
        } else if (auto* l = std::get_if<Link>(&in)) {
            ++f.links;
            collect(l->children, true, f, text);
        } else if (const Inlines* children = inline_children(in)) {
            collect(*children, in_link, f, text);
        } else if (auto* image = std::get_if<Image>(&in)) {
            text += image->alt;
        }
    }
}

bool is_comma(char32_t c) { return text::is_comma(c) || c == ';' || c == 0xFF1B; }

// Thai and Lao write no sentence marks: a space ends a sentence or a clause, and words
// are written together. A run of the script's characters this long before a space,
// counting letters but not the vowel signs and tone marks above and below them, is a
// sentence's, not a word's: menu labels and headings in those scripts are words or
// compounds of up to about 18 letters ("privacy policy" is 18), clauses 20 to 80.
constexpr int kMinUnmarkedSentenceChars = 20;

bool is_closing(char32_t c) {
    return c == '"' || c == '\'' || c == ')' || c == 0x201D || c == 0x2019 || c == 0x300D ||
           c == 0x300F || c == 0xFF09 || c == 0x300B || c == ']' || c == 0x00BB;
}

// Two texts are taken for the same when their folds agree on this many characters and
// on their length: hashing all of a long paragraph would add nothing but time.
constexpr std::size_t kMaxFoldBytes = 256;
// Stop-word density is read from this many bytes at most.
constexpr std::size_t kStopSampleBytes = 200;

// Character classes of ASCII, for shape()'s fast path.
enum : std::uint8_t { kSpace = 1, kLower = 2, kUpper = 4, kDigit = 8, kComma = 16, kEnd = 32, kJoiner = 64 };
constexpr auto kAscii = [] {
    std::array<std::uint8_t, 128> t{};
    for (char c : std::string_view(" \t\n\r\f\v")) t[static_cast<unsigned char>(c)] = kSpace;
    for (int c = 'a'; c <= 'z'; ++c) t[c] = kLower;
    for (int c = 'A'; c <= 'Z'; ++c) t[c] = kUpper;
    for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
    t[','] = t[';'] = kComma;
    t['.'] = t['!'] = t['?'] = kEnd;
    t['\''] = t['-'] = kJoiner;  // keep a word going: don't, well-known
    return t;
}();

void shape(Features& f, std::string_view lang) {
    // Counters live in locals, not in `f`: `f` holds the text being read, and writes
    // into it would make the compiler reload the text after each one.
    const std::string_view s = f.text;
    std::size_t visible = 0, cjk = 0, letters = 0, digits = 0, words = 0;
    std::size_t commas = 0, sentence_ends = 0, url_bytes = 0, url_end = 0;
    bool in_word = false;
    char32_t last_visible = 0, before_last = 0;
    // scripts without sentence marks (text::in_script_without_sentence_marks): their
    // characters, the current run of them, and the long runs a space ends before another
    std::size_t unmarked = 0, unmarked_breaks = 0;
    int unmarked_run = 0;
    bool unmarked_break_pending = false;
    auto unmarked_space = [&] {
        unmarked_break_pending = unmarked_run >= kMinUnmarkedSentenceChars;
        unmarked_run = 0;
    };
    std::uint64_t fold = 1469598103934665603ull;  // the fold's hash, computed on the way
    std::size_t folded = 0;                       // characters folded
    auto sentence_end_at = [&](std::size_t i, char32_t c) {
        // a sentence end is followed by space, a closing mark or the end
        std::size_t k = i;
        char32_t n = k < s.size() ? text::next(s, k) : 0;
        return n == 0 || text::is_space(n) || is_closing(n) || text::is_cjk(n) || c >= 0x3000;
    };
    auto fold_bytes = [&](std::size_t from, std::size_t to) {
        if (++folded < kMaxFoldBytes)
            for (std::size_t k = from; k < to; ++k) fold = (fold ^ static_cast<unsigned char>(s[k])) * 1099511628211ull;
    };
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {  // ASCII: one table look-up decides
            ++i;
            std::uint8_t k = kAscii[b];
            if (k == kLower && in_word) {
                // Inside a word, a run of lower-case letters (most of any Latin text):
                // counted at once, each letter as the steps below would count it (no URL
                // starts inside a word, and letters are no commas or sentence ends).
                std::size_t end = i;
                while (end < s.size()) {  // kAscii has ASCII only: a UTF-8 byte ends the run
                    auto c = static_cast<unsigned char>(s[end]);
                    if (c >= 0x80 || kAscii[c] != kLower) break;
                    ++end;
                }
                unmarked_run = 0;
                unmarked_break_pending = false;
                const std::size_t run = end - (i - 1);
                std::size_t at = i - 1;
                for (; at < end && folded + 1 < kMaxFoldBytes; ++at) {
                    ++folded;
                    fold = (fold ^ static_cast<unsigned char>(s[at])) * 1099511628211ull;
                }
                folded += end - at;  // past the fold's head: counted, not hashed
                visible += run;
                letters += run;
                before_last = run >= 2 ? static_cast<unsigned char>(s[end - 2]) : last_visible;
                last_visible = static_cast<unsigned char>(s[end - 1]);
                i = end;
                continue;
            }
            if (k & kSpace) {
                in_word = false;
                if (unmarked_run) unmarked_space();
                continue;
            }
            unmarked_run = 0;
            unmarked_break_pending = false;
            ++visible;
            if ((b == 'h' || b == 'w') && !in_word && i - 1 >= url_end) {
                std::size_t n = url_at(s, i - 1);
                url_bytes += n;
                url_end = i - 1 + n;  // "www." inside "http://www." is the same URL
            }
            if (k & (kLower | kUpper | kDigit)) {
                if (++folded < kMaxFoldBytes)
                    fold = (fold ^ static_cast<unsigned char>(k & kUpper ? b - 'A' + 'a' : b)) * 1099511628211ull;
                digits += (k & kDigit) != 0;
                letters += (k & kDigit) == 0;
                words += !in_word;
                in_word = true;
            } else if (!(k & kJoiner)) {
                in_word = false;
            }
            commas += (k & kComma) != 0;
            if ((k & kEnd) && sentence_end_at(i, b)) ++sentence_ends;
            before_last = last_visible;
            last_visible = b;
            continue;
        }
        std::size_t start = i;
        char32_t c = text::next(s, i);
        if (text::is_space(c)) {
            in_word = false;
            if (unmarked_run) unmarked_space();
            continue;
        }
        if (text::in_script_without_sentence_marks(c)) {
            ++unmarked;
            if (u_charType(static_cast<UChar32>(c)) != U_NON_SPACING_MARK) ++unmarked_run;  // letters only
            unmarked_breaks += unmarked_break_pending;
        } else {
            unmarked_run = 0;
        }
        unmarked_break_pending = false;
        if (text::is_cjk(c)) {
            fold_bytes(start, i);
            ++cjk;
            ++letters;
            ++words;
            in_word = false;
        } else {
            ++visible;
            if (text::is_alnum(c)) {
                fold_bytes(start, i);
                if (text::is_digit(c)) ++digits;
                else ++letters;
                words += !in_word;
                in_word = true;
            } else {
                if (c != 0x2019) in_word = false;
                // letters are no commas or sentence ends
                if (is_comma(c)) ++commas;
                if (text::is_sentence_end(c) && sentence_end_at(i, c)) ++sentence_ends;
            }
        }
        // emoji after a sentence ("...these parts. 🐃") do not unfinish it
        if (c >= 0x1F000 || (c >= 0x2600 && c <= 0x27BF) || c == 0xFE0F || c == 0x200D) continue;
        before_last = last_visible;
        last_visible = c;
    }
    // A line mostly in a script without sentence marks, with a space inside its running
    // text, ends a sentence at each long run a space ends, and at its own end after one.
    const bool unmarked_sentence = unmarked_breaks > 0 && 2 * unmarked > letters + cjk;
    const bool unmarked_end = unmarked_sentence && unmarked_run >= kMinUnmarkedSentenceChars;
    if (unmarked_sentence) sentence_ends += unmarked_breaks + unmarked_end;
    f.length = double(visible) + kCjkWeight * double(cjk);
    f.cjk = static_cast<int>(cjk);
    f.letters = static_cast<int>(letters);
    f.digits = static_cast<int>(digits);
    f.words = static_cast<int>(words);
    f.commas = static_cast<int>(commas);
    f.sentence_ends = static_cast<int>(sentence_ends);
    fold = (fold ^ folded) * 1099511628211ull;  // the head of a long text, and its length
    f.fold = folded ? (fold ? fold : 1) : 0;
    f.ends_sentence = text::is_sentence_end(last_visible) ||
                      (is_closing(last_visible) && text::is_sentence_end(before_last)) || unmarked_end;
    f.has_url_text = url_bytes > 0;
    f.url_share = s.empty() ? 0 : std::min(1.0, double(url_bytes) / double(s.size()));
    // the share of function words in a paragraph shows in its first sentences already
    std::string_view sample = s;
    if (sample.size() > kStopSampleBytes) {
        std::size_t cut = sample.find(' ', kStopSampleBytes);  // end on a word boundary
        if (cut == std::string_view::npos || cut > kStopSampleBytes + 64) {
            cut = kStopSampleBytes;  // no space near (CJK): end on a character boundary
            while (cut > 0 && (static_cast<unsigned char>(sample[cut]) & 0xC0) == 0x80) --cut;
        }
        sample = sample.substr(0, cut);
    }
    f.stop_density = stopword_density(sample, lang);
}

// shape()'s fold of `s` and nothing else: the same characters (ASCII letters and digits
// in lower case, the bytes of other letters, digits and CJK characters), the same head
// of kMaxFoldBytes characters and the same count. measure_fold's tests hold it to
// shape()'s on every kind of text.
std::uint64_t fold_of(std::string_view s) {
    constexpr std::uint8_t kFolded = kLower | kUpper | kDigit;
    auto folds = [](char32_t c) { return !text::is_space(c) && (text::is_cjk(c) || text::is_alnum(c)); };
    std::uint64_t fold = 1469598103934665603ull;
    std::size_t folded = 0;
    std::size_t i = 0;
    // the head: each character that counts is hashed
    while (i < s.size() && folded + 1 < kMaxFoldBytes) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            const std::uint8_t k = kAscii[b];
            if (k & kFolded) {
                ++folded;
                fold = (fold ^ static_cast<unsigned char>(k & kUpper ? b - 'A' + 'a' : b)) * 1099511628211ull;
            }
            continue;
        }
        const std::size_t start = i;
        if (!folds(text::next(s, i))) continue;
        ++folded;
        for (std::size_t k = start; k < i; ++k) fold = (fold ^ static_cast<unsigned char>(s[k])) * 1099511628211ull;
    }
    // the rest is only counted
    while (i < s.size()) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            folded += (kAscii[b] & kFolded) != 0;
            continue;
        }
        folded += folds(text::next(s, i));
    }
    fold = (fold ^ folded) * 1099511628211ull;
    return folded ? (fold ? fold : 1) : 0;
}

}  // namespace

Features measure_fold(const Inlines& content, bool borrow) {
    Features f;
    if (content.size() == 1) {
        if (auto* t = std::get_if<Text>(&content.front())) {  // as measure() takes it
            if (borrow) f.text.borrow(t->text);
            else f.text = t->text;
            f.fold = fold_of(f.text);
            return f;
        }
    }
    std::string raw;
    Features counted;  // collect() counts links too: not wanted here
    collect(content, false, counted, raw);
    f.text = text::squeeze_spaces(raw);
    f.fold = fold_of(f.text);
    return f;
}

Features measure_text_fold(std::string_view s) {
    Features f;
    f.text = text::squeeze_spaces(s);
    f.fold = fold_of(f.text);
    return f;
}

Features measure(const Inlines& content, std::string_view lang, bool borrow) {
    Features f;
    if (content.size() == 1) {
        if (auto* t = std::get_if<Text>(&content.front())) {  // most lines: one plain text
            count_broken_links(t->text, f);
            double link_bytes = f.link_length;
            // the segmenter trimmed the line; runs of spaces inside it count as one in
            // every measure, so the copy is taken as it is
            if (borrow) f.text.borrow(t->text);
            else f.text = t->text;
            shape(f, lang);
            f.link_length = t->text.empty() ? 0 : f.length * std::min(1.0, link_bytes / double(t->text.size()));
            return f;
        }
    }
    std::string raw;
    collect(content, false, f, raw);
    // link_length was counted in bytes of raw text; convert to the weighted length by
    // measuring the link share of bytes (close enough: links rarely mix scripts).
    double link_bytes = f.link_length;
    f.text = text::squeeze_spaces(raw);
    shape(f, lang);
    f.link_length = raw.empty() ? 0 : f.length * std::min(1.0, link_bytes / double(raw.size()));
    return f;
}

bool length_exceeds(const Inlines& content, double bound) {
    const Text* only = content.size() == 1 ? std::get_if<Text>(&content.front()) : nullptr;
    if (only == nullptr) return measure(content, "").length > bound;  // the language weighs nothing in it
    // shape()'s length of the same text: every character but white space, CJK ones
    // weighing kCjkWeight, summed in the same order
    const std::string_view s = only->text;
    double length = 0;
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            if (kAscii[b] & kSpace) continue;
            length += 1;
        } else {
            char32_t c = text::next(s, i);
            if (text::is_space(c)) continue;
            length += text::is_cjk(c) ? kCjkWeight : 1;
        }
        if (length > bound) return true;
    }
    return false;
}

Features measure_text(std::string_view s, std::string_view lang) {
    Features f;
    f.text = text::squeeze_spaces(s);
    shape(f, lang);
    return f;
}

// "4.Developing global partnerships", "2. Methods", "一、总体要求"
bool numbered_heading_shape(const Features& f) {
    std::string_view s = f.text;
    std::size_t i = 0;
    while (i < s.size() && i < 3 && s[i] >= '0' && s[i] <= '9') ++i;
    if (i > 0 && i < s.size() && (s[i] == '.' || s[i] == ')')) {
        std::size_t k = i + 1;
        while (k < s.size() && s[k] == ' ') ++k;
        if (k < s.size() && !(s[k] >= '0' && s[k] <= '9')) return !f.ends_sentence && f.length < 160;
    }
    static constexpr std::string_view kCjkNumbers[] = {"一、", "二、", "三、", "四、", "五、", "六、",
                                                       "七、", "八、", "九、", "十、"};
    for (auto p : kCjkNumbers)
        if (s.rfind(p, 0) == 0) return !f.ends_sentence && f.length < 120;
    return false;
}

std::string fold(std::string_view s) { return fold(s, s.size()); }

std::string fold(std::string_view s, std::size_t max_bytes) {
    // written into a buffer of the text's size (a fold is never longer), not appended
    // to byte by byte
    std::string out(std::min(s.size(), max_bytes + 4), '\0');
    char* to = out.data();
    char* const end = to + std::min(s.size(), max_bytes + 1);
    for (std::size_t i = 0; i < s.size() && to < end;) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            std::uint8_t k = kAscii[b];
            if (k & kUpper) *to++ = static_cast<char>(b - 'A' + 'a');
            else if (k & (kLower | kDigit)) *to++ = static_cast<char>(b);
            continue;
        }
        std::size_t start = i;
        char32_t c = text::next(s, i);
        if (!text::is_alnum(c) && !text::is_cjk(c)) continue;
        for (std::size_t k = start; k < i; ++k) *to++ = s[k];
    }
    out.resize(static_cast<std::size_t>(to - out.data()));
    return out;
}

}  // namespace dconv::clean
