// fragments.cpp: the strip-fragments pass. Text glued into many lines of one page (a
// watermark or source stamp such as a site name plus URL at every paragraph's end) and
// labels glued to a line in another script ("摘要Full Text: ...") are cut out of the text.
#include <string.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "clean/units.hpp"
#include "core/text.hpp"
#include "dconv/clean.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"

namespace dconv {

namespace {

constexpr std::size_t kMinStampChars = 8;    // shorter shared endings are ordinary words
constexpr std::size_t kMaxStampChars = 80;   // longer shared endings are repeated lines
constexpr std::size_t kMinStampLines = 3;    // a stamp is glued to at least this many lines
constexpr std::size_t kMaxLabelChars = 4;    // a glued label is a word or two ("摘要")
// A stamp glued to many lines shows in the first ones: the search reads this many lines
// (its cost grows with each), the stripping then covers the whole document.
constexpr std::size_t kMaxStampSample = 1000;

// The last Text node of inline content, where a glued stamp sits.
Text* last_text(Inlines& content) {
    if (content.empty()) return nullptr;
    return std::get_if<Text>(&content.back());
}

// Calls fn(start, hash) for the endings of `s` from kMinStampChars bytes up to
// kMaxStampChars characters, starting on character boundaries, shortest first; the
// hash grows from the end one byte at a time, so all endings cost one pass.
template <class Fn>
void for_each_ending(std::string_view s, Fn&& fn) {
    std::uint64_t h = 1469598103934665603ull;
    std::size_t chars = 0;
    for (std::size_t i = s.size(); i-- > 1;) {  // i > 0: the whole text is no ending
        auto byte = static_cast<unsigned char>(s[i]);
        h = (h ^ byte) * 1099511628211ull;
        if ((byte & 0xC0) == 0x80) continue;  // inside a character
        if (++chars > kMaxStampChars) break;
        if (s.size() - i >= kMinStampChars) fn(i, h);
    }
}

bool looks_like_stamp(std::string_view stamp, std::string_view before) {
    bool has_url = stamp.find("http") != std::string_view::npos ||
                   stamp.find("www.") != std::string_view::npos;
    if (has_url) return true;
    // glued across a change of script ("...Pandemic文章源自"): CJK text has no spaces, so
    // a shared CJK ending alone is just a common word ("しまいました")
    if (before.empty()) return false;
    std::size_t i = before.size();
    char32_t last = text::prev(before, i);
    std::size_t k = 0;
    char32_t first = text::next(stamp, k);
    return text::is_cjk(last) != text::is_cjk(first) && text::is_letter(last) && text::is_letter(first);
}

std::string find_stamp(std::vector<Block>& blocks) {
    // every ending's hash, sorted: a run of equal hashes is an ending shared by lines
    std::vector<std::uint64_t> endings;
    std::vector<std::string_view> texts;
    for (Block& b : blocks) {
        poll_deadline();
        if (texts.size() >= kMaxStampSample) break;
        Inlines* in = inline_content(b);
        Text* t = in ? last_text(*in) : nullptr;
        if (!t) continue;
        texts.push_back(t->text);
        for_each_ending(t->text, [&](std::size_t, std::uint64_t h) { endings.push_back(h); });
    }
    std::sort(endings.begin(), endings.end());
    // the hashes of the endings enough lines share, once each: few or none on most pages,
    // where looking every ending up among all of them was most of this pass
    std::vector<std::uint64_t> shared;
    for (std::size_t i = 0; i < endings.size();) {
        std::size_t next = i + 1;
        while (next < endings.size() && endings[next] == endings[i]) ++next;
        if (next - i >= kMinStampLines) shared.push_back(endings[i]);
        i = next;
    }
    // the longest ending shared by enough lines, glued to them
    std::string best;
    for (std::string_view s : texts) {
        if (shared.empty()) break;
        poll_deadline();
        for_each_ending(s, [&](std::size_t start, std::uint64_t h) {
            std::string_view suffix = s.substr(start);
            if (suffix.size() <= best.size()) return;
            if (!std::binary_search(shared.begin(), shared.end(), h)) return;
            if (!looks_like_stamp(suffix, s.substr(0, start))) return;
            if (text::trim(suffix).size() < kMinStampChars) return;
            best = std::string(suffix);
        });
    }
    // the lines' own closing punctuation is shared too: it stays with the text
    std::size_t lead = 0;
    while (lead < best.size()) {
        std::size_t k = lead;
        char32_t c = text::next(best, k);
        if (text::is_alnum(c) || text::is_cjk(c)) break;
        lead = k;
    }
    best.erase(0, lead);
    if (best.size() < kMinStampChars) best.clear();
    return best;
}

// Cuts the stamp, or a truncated copy of it, from the end of the text.
bool cut_stamp(std::string& s, const std::string& stamp) {
    if (s.size() > stamp.size() && s.compare(s.size() - stamp.size(), stamp.size(), stamp) == 0) {
        s.resize(s.size() - stamp.size());
        return true;
    }
    // a truncated copy begins with the stamp's head: look for that once before trying lengths
    const std::size_t head = kMinStampChars * 2;
    if (stamp.size() <= head || s.find(std::string_view(stamp).substr(0, head)) == std::string::npos) return false;
    for (std::size_t len = std::min(stamp.size() - 1, s.size()); len >= head; --len) {
        if (s.compare(s.size() - len, len, stamp, 0, len) == 0) {
            s.resize(s.size() - len);
            return true;
        }
    }
    return false;
}

void strip_stamp(Blocks& blocks, const std::string& stamp, Diagnostics& diag) {
    for (Block& b : blocks) {
        poll_deadline();
        if (auto* list = std::get_if<List>(&b.node)) {
            for (Blocks& item : list->items) strip_stamp(item, stamp, diag);
            continue;
        }
        Inlines* in = inline_content(b);
        if (!in) continue;
        bool changed = false;
        for (Inline& node : *in) {
            poll_deadline();
            auto* t = std::get_if<Text>(&node);
            if (!t) continue;
            while (void* hit = ::memmem(t->text.data(), t->text.size(), stamp.data(), stamp.size())) {
                t->text.erase(static_cast<std::size_t>(static_cast<char*>(hit) - t->text.data()), stamp.size());
                changed = true;
            }
        }
        if (Text* t = last_text(*in)) changed |= cut_stamp(t->text, stamp);
        if (changed) {
            if (Text* t = last_text(*in)) t->text = std::string(text::trim(t->text)) ;
            normalize(*in);
            Diagnostic d;
            d.pass = "strip-fragments";
            d.action = "rewritten";
            d.first_line = b.source.first;
            d.last_line = b.source.last;
            d.reason = "watermark glued to the text: \"" + clean::excerpt(stamp) + "\"";
            diag.note(std::move(d));
        }
    }
}

// "摘要Full Text: ..." → "Full Text: ...": a short CJK label glued to a line that is
// otherwise in another script.
void strip_glued_labels(Blocks& blocks, Diagnostics& diag) {
    for (Block& b : blocks) {
        poll_deadline();
        Inlines* in = inline_content(b);
        if (!in || in->empty()) continue;
        auto* t = std::get_if<Text>(&in->front());
        if (!t) continue;
        std::string_view s = t->text;
        std::size_t i = 0, cjk = 0;
        while (i < s.size()) {
            std::size_t k = i;
            if (!text::is_cjk(text::next(s, k))) break;
            i = k;
            ++cjk;
        }
        if (cjk == 0 || cjk > kMaxLabelChars || i >= s.size()) continue;
        std::size_t k = i;
        char32_t next = text::next(s, k);
        if (!(next < 0x80 && std::isalpha(static_cast<int>(next)))) continue;
        std::string rest = plain_text(*in).substr(i);
        // the rest must be a phrase in its own right: a capital and a few words
        if (!text::is_upper(next) || std::count(rest.begin(), rest.end(), ' ') < 3) continue;
        bool other_cjk = false;
        for (std::size_t j = 0; j < rest.size() && !other_cjk;) other_cjk = text::is_cjk(text::next(rest, j));
        if (other_cjk) continue;
        Diagnostic d;
        d.pass = "strip-fragments";
        d.action = "rewritten";
        d.first_line = b.source.first;
        d.last_line = b.source.last;
        d.reason = "label glued to a line in another script: \"" + std::string(s.substr(0, i)) + "\"";
        diag.note(std::move(d));
        t->text.erase(0, i);
    }
}

}  // namespace

void strip_fragments(Document& doc, Diagnostics& diag) {
    std::string stamp = find_stamp(doc.blocks);
    if (!stamp.empty()) strip_stamp(doc.blocks, stamp, diag);
    strip_glued_labels(doc.blocks, diag);
}

}  // namespace dconv
