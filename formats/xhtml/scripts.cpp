// scripts.cpp: script runs and directions (scripts.hpp).
#include "xhtml/scripts.hpp"

#include <algorithm>
#include <string>

#include "core/text.hpp"

namespace dconv::xhtml {

namespace {

// BCP 47: a subtag is at most 8 characters; a primary language subtag at least 2.
constexpr std::size_t kMaxSubtag = 8;
constexpr std::size_t kMinPrimarySubtag = 2;

bool is_kana(char32_t c) { return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF); }
bool is_hangul(char32_t c) { return (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF); }

// Punctuation and symbols of CJK text: they belong to the run they sit in.
bool is_cjk_mark(char32_t c) {
    return text::is_cjk_punct(c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
           c == 0x30FB || c == 0x30FC;
}

// What may sit between two CJK characters of one run: it joins them unless a letter of
// another script follows.
bool is_run_glue(char32_t c) {
    return c == ' ' || (c < 0x80 && !text::is_letter(c) && c >= 0x20) || c == 0x00A0;
}

bool is_rtl_char(char32_t c) {
    return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
           (c >= 0xFE70 && c <= 0xFEFF) || (c >= 0x10800 && c <= 0x10FFF) ||
           (c >= 0x1E800 && c <= 0x1EFFF);
}

// UTF-8 of U+1100 and above starts with a byte of at least 0xE1: text without one has
// no CJK character and needs no scan.
bool may_hold_cjk(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xE1; });
}

}  // namespace

void split_by_script(std::string_view s, std::string_view page_language, std::vector<ScriptRun>& out) {
    out.clear();
    if (!may_hold_cjk(s)) {
        out.push_back({s, {}});
        return;
    }
    std::string page = primary_language(page_language);
    std::size_t unmarked = 0;  // start of the text not yet emitted
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t start = i;
        char32_t c = text::next(s, i);
        if (!text::is_cjk(c)) continue;
        bool kana = is_kana(c), hangul = is_hangul(c);
        std::size_t end = i;  // after the run's last CJK character or mark
        for (std::size_t j = i; j < s.size();) {
            char32_t d = text::next(s, j);
            if (text::is_cjk(d)) {
                kana |= is_kana(d);
                hangul |= is_hangul(d);
                end = j;
            } else if (is_cjk_mark(d) && text::is_sentence_end(d)) {
                end = j;  // a sentence of one language may follow one of another
                break;
            } else if (is_cjk_mark(d)) {
                end = j;
            } else if (!is_run_glue(d)) {
                break;
            }
        }
        std::string_view language = kana ? "ja" : hangul ? "ko" : "zh";
        bool native = language == page || (language == "zh" && (page == "ja" || page == "ko"));
        if (!native) {
            if (start > unmarked) out.push_back({s.substr(unmarked, start - unmarked), {}});
            out.push_back({s.substr(start, end - start), language});
            unmarked = end;
        }
        i = end;
    }
    if (unmarked < s.size() || out.empty()) out.push_back({s.substr(unmarked), {}});
}

Direction first_strong_direction(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = text::next(s, i);
        if (is_rtl_char(c) && text::is_letter(c)) return Direction::rtl;
        if (text::is_letter(c)) return Direction::ltr;
    }
    return Direction::neutral;
}

std::string_view well_formed_language(std::string_view tag) {
    if (tag.empty()) return {};
    std::size_t start = 0;
    bool first = true;
    while (true) {
        std::size_t end = tag.find('-', start);
        std::string_view sub = tag.substr(start, end == std::string_view::npos ? tag.size() - start : end - start);
        if (sub.empty() || sub.size() > kMaxSubtag) return {};
        for (char c : sub) {
            bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
            bool digit = c >= '0' && c <= '9';
            if (!(letter || (digit && !first))) return {};
        }
        if (first && sub.size() < kMinPrimarySubtag) return {};
        first = false;
        if (end == std::string_view::npos) return tag;
        start = end + 1;
    }
}

std::string primary_language(std::string_view tag) {
    return text::lower_ascii(tag.substr(0, tag.find('-')));
}

}  // namespace dconv::xhtml
