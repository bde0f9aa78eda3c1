#include "html/footnotes.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "dconv/limits.hpp"

namespace dconv::html {

namespace {

bool contains_word(std::string_view value, std::string_view word) {
    return text::lower_ascii(value).find(word) != std::string::npos;
}

bool is_reference(const Page& page, std::uint32_t a) {
    const GumboNode* node = page[a].node;
    if (contains_word(attribute(node, "role"), "doc-noteref") || contains_word(attribute(node, "epub:type"), "noteref"))
        return true;
    std::string_view cls = attribute(node, "class");
    if (contains_word(cls, "footnote") || contains_word(cls, "fnref") || contains_word(cls, "noteref")) return true;
    std::uint32_t parent = page[a].parent;
    if (parent != kNoElement && page[parent].tag == GUMBO_TAG_SUP) return true;
    for (std::uint32_t k = a + 1; k < page[a].end; k = page[k].end)
        if (page[k].tag == GUMBO_TAG_SUP) return true;
    return false;
}

// A link's text that is a mark, not a word: no letter or digit ("^", "↑", "↩").
bool is_mark(std::string_view s) {
    for (std::size_t i = 0; i < s.size();)
        if (text::is_alnum(text::next(s, i))) return false;
    return true;
}

bool says_note(const GumboNode* node) {
    std::string_view role = attribute(node, "role");
    std::string_view type = attribute(node, "epub:type");
    return contains_word(role, "doc-footnote") || contains_word(role, "doc-endnote") ||
           contains_word(type, "footnote") || contains_word(type, "endnote") || contains_word(type, "rearnote");
}

bool says_notes_box(const GumboNode* node) {
    if (says_note(node) || contains_word(attribute(node, "role"), "doc-endnotes")) return true;
    for (const char* name : {"class", "id"}) {
        std::string_view v = attribute(node, name);
        if (contains_word(v, "footnote") || contains_word(v, "endnote") || contains_word(v, "notes") ||
            contains_word(v, "references"))
            return true;
    }
    return false;
}

// Whether element `r` stands for reference `a`: the link itself, an element inside it,
// or an inline element around it (the <sup> that carries the id).
bool stands_for_reference(const Page& page, std::uint32_t r, std::uint32_t a) {
    if (page.contains(a, r)) return true;
    return page.contains(r, a) && !page[r].block;
}

// The elements an unmarked note's in-page links lead to, its first kMaxNoteLinksBack
// ("#fnref1": the reference's id), read once per block however many references point
// at it: a block of 100,000 empty links is walked once, not once per reference.
using LinksBack = std::unordered_map<std::uint32_t, std::vector<std::uint32_t>>;

const std::vector<std::uint32_t>& links_back(const Page& page, std::uint32_t note,
                                             const std::unordered_map<std::string_view, std::uint32_t>& ids,
                                             LinksBack& cache) {
    auto [at, added] = cache.try_emplace(note);
    if (!added) return at->second;
    for (std::uint32_t k = note; k < page[note].end && at->second.size() < kMaxNoteLinksBack; ++k) {
        poll_deadline();
        if (page[k].tag != GUMBO_TAG_A || page[k].skipped) continue;
        std::string_view href = text::trim(attribute(page[k].node, "href"));
        if (href.size() < 2 || href[0] != '#') continue;
        if (auto it = ids.find(href.substr(1)); it != ids.end()) at->second.push_back(it->second);
    }
    return at->second;
}

// The block a note target stands for: itself, or its nearest block ancestor when it is
// an inline anchor; kNoElement when it is no note. A block is a note when it is a list
// item, an <aside> or marked as a note; or, unmarked (an old blog's <p id="fn1">, a
// <div class="footnote"> around <a id="footnote-1">), when it is short and links back to
// reference `a`: a passage the text points to and that points back is the reference's.
std::uint32_t note_block(const Page& page, std::uint32_t t, std::uint32_t a,
                         const std::unordered_map<std::string_view, std::uint32_t>& ids,
                         const std::vector<bool>& taken, LinksBack& cache) {
    std::uint32_t block = t;
    while (block != kNoElement && !page[block].block) block = page[block].parent;
    if (block == kNoElement) return kNoElement;
    const Element& e = page[block];
    if (e.tag == GUMBO_TAG_LI || e.tag == GUMBO_TAG_ASIDE || says_note(e.node)) return block;
    if (e.tag == GUMBO_TAG_BODY || e.all.chars > kMaxUnmarkedNoteChars) return kNoElement;
    if (block <= a || page.contains(block, a)) return kNoElement;
    if (taken[block]) return block;  // a later reference: the note links back to the first
    for (std::uint32_t r : links_back(page, block, ids, cache))
        if (stands_for_reference(page, r, a)) return block;
    return kNoElement;
}

// The note's own number before its text ("<sup>1</sup> Town records..."), the text of
// its reference again: the writers number the note. kNoElement when it has none.
std::uint32_t leading_number(const Page& page, std::uint32_t note, std::uint32_t a) {
    std::string number = page.text_of(a, kMaxBackLinkChars * 4);
    if (number.empty()) return kNoElement;
    for (std::uint32_t k = note + 1; k < page[note].end; ++k) {
        if (page[k].skipped || page[k].all.chars == 0) continue;
        if (page[k].block) continue;  // the first paragraph of the note: look inside it
        if (page.text_of(k, number.size() + 1) != number) return kNoElement;
        // the first text of the note, not a word further on that reads as the number
        std::string start = page.text_of(note, number.size());
        return start == number ? k : kNoElement;
    }
    return kNoElement;
}

// The rank of the heading element `i` is, or holds with at most kMaxHeadingToolsChars of
// other text (<div class="mw-heading"><h2>Notes</h2><span>[edit]</span></div>); 0 for an
// element that is no heading. The walk stops once the text passed on the way to a
// heading exceeds kMaxHeadingToolsChars: all of it is other text than the heading's.
int heading_box_rank(const Page& page, std::uint32_t i) {
    if (int rank = heading_level(page[i].tag)) return rank;
    if (!page[i].block_children) return 0;
    float passed = page[i].direct.chars;  // its own text, wherever it stands, is other text
    for (std::uint32_t k = i + 1; k < page[i].end && passed <= kMaxHeadingToolsChars; ++k) {
        if (int rank = heading_level(page[k].tag))
            return page[i].all.chars - page[k].all.chars <= kMaxHeadingToolsChars ? rank : 0;
        passed += page[k].direct.chars;
    }
    return 0;
}

// Whether element `i` shows nothing of the text once the notes have left it.
bool shows_nothing(const Page& page, const NoteIndex& index, std::uint32_t i) {
    return page[i].skipped || index.hidden[i] || page[i].all.chars == 0;
}

// The headings whose sections held only notes, found with one walk over each parent's
// children however many boxes of notes and headings it holds (a page of 16,000 sections
// of a heading and a list of notes took 14 s when each box read its siblings again).
// A child that shows nothing never shows again (hiding only grows), so each parent
// keeps, per child, where the nearest child that may show lies before and after it: a
// run of children that show nothing is walked once (a union-find's path halving).
class EmptiedHeadings {
public:
    EmptiedHeadings(const Page& page, NoteIndex& index) : page_(page), index_(index) {}

    // The heading over `box` (a list of notes, or the box that held it, now hidden) when
    // the section it heads held nothing but notes: the last sibling before the box with
    // text is a heading (or a box of one), and after the box comes no text until a
    // heading of its rank or higher, or the end of their parent. kNoElement otherwise.
    std::uint32_t over(std::uint32_t box) {
        // a wrapper that held nothing else (<div class="reflist">) went with the notes
        std::uint32_t parent = page_[box].parent;
        while (parent != kNoElement && page_[parent].tag != GUMBO_TAG_BODY) {
            if (children(parent).showing != (shows(box) ? 1u : 0u)) break;
            box = parent;
            parent = page_[box].parent;
        }
        if (parent == kNoElement) return kNoElement;
        Children& c = children(parent);
        const std::ptrdiff_t at = std::lower_bound(c.list.begin(), c.list.end(), box) - c.list.begin();
        const std::ptrdiff_t before = showing_at_or_before(c, at - 1);
        if (before < 0) return kNoElement;
        const int rank = rank_of(c.list[before]);
        if (rank == 0) return kNoElement;
        const std::ptrdiff_t after = showing_at_or_after(c, at + 1);
        if (after == std::ssize(c.list)) return c.list[before];
        const int next = rank_of(c.list[after]);
        return next != 0 && next <= rank ? c.list[before] : kNoElement;
    }

    // Hides a heading over() found, a child that showed.
    void hide(std::uint32_t heading) {
        index_.hidden[heading] = true;
        --children(page_[heading].parent).showing;
    }

private:
    struct Children {
        std::vector<std::uint32_t> list;  // in document order
        // per child: itself while it may show, else a position nearer the end it is
        // looked from where one may (-1 and list.size(): none)
        std::vector<std::ptrdiff_t> back, forward;
        std::uint32_t showing = 0;  // children that show
    };

    bool shows(std::uint32_t i) const { return !shows_nothing(page_, index_, i); }

    Children& children(std::uint32_t parent) {
        auto [at, added] = children_.try_emplace(parent);
        Children& c = at->second;
        if (added) {
            for (std::uint32_t k = parent + 1; k < page_[parent].end; k = page_[k].end) {
                poll_deadline();
                c.list.push_back(k);
                if (shows(k)) ++c.showing;
            }
            c.back.resize(c.list.size());
            c.forward.resize(c.list.size());
            for (std::size_t p = 0; p < c.list.size(); ++p) c.back[p] = c.forward[p] = std::ptrdiff_t(p);
        }
        return c;
    }

    // The position of the last child at or before `p` that shows, -1 if none.
    std::ptrdiff_t showing_at_or_before(Children& c, std::ptrdiff_t p) {
        while (p >= 0) {
            if (c.back[p] == p) {
                if (shows(c.list[p])) return p;
                c.back[p] = p - 1;
            }
            std::ptrdiff_t next = c.back[p];
            if (next >= 0) c.back[p] = c.back[next];  // path halving
            p = next;
        }
        return -1;
    }

    // The position of the first child at or after `p` that shows, list.size() if none.
    std::ptrdiff_t showing_at_or_after(Children& c, std::ptrdiff_t p) {
        const std::ptrdiff_t end = std::ssize(c.list);
        while (p < end) {
            if (c.forward[p] == p) {
                if (shows(c.list[p])) return p;
                c.forward[p] = p + 1;
            }
            std::ptrdiff_t next = c.forward[p];
            if (next < end) c.forward[p] = c.forward[next];  // path halving
            p = next;
        }
        return end;
    }

    // heading_box_rank, once per element: a box's neighbour may be asked about again
    int rank_of(std::uint32_t i) {
        auto [at, added] = ranks_.try_emplace(i, 0);
        if (added) at->second = heading_box_rank(page_, i);
        return at->second;
    }

    const Page& page_;
    NoteIndex& index_;
    std::unordered_map<std::uint32_t, Children> children_;
    std::unordered_map<std::uint32_t, int> ranks_;
};

}  // namespace

NoteIndex find_notes(const Page& page) {
    NoteIndex index;
    const std::uint32_t n = page.size();
    // links marked as references first: most pages have none, and need no id table
    std::vector<std::uint32_t> references;
    for (std::uint32_t a = 0; a < n; ++a) {
        if (page[a].tag != GUMBO_TAG_A || page[a].skipped) continue;
        std::string_view href = text::trim(attribute(page[a].node, "href"));
        if (href.size() >= 2 && href[0] == '#' && is_reference(page, a)) references.push_back(a);
    }
    if (references.empty()) return index;
    std::unordered_map<std::string_view, std::uint32_t> ids;
    for (std::uint32_t i = 0; i < n; ++i) {
        std::string_view id = attribute(page[i].node, "id");
        if (!id.empty()) ids.emplace(id, i);
    }
    // each note taken by its first reference; a later one refers to it again
    std::vector<bool> taken(n, false);
    LinksBack links_cache;
    std::vector<std::uint32_t> notes, first_references;
    for (std::uint32_t a : references) {
        std::string_view href = text::trim(attribute(page[a].node, "href"));
        auto it = ids.find(href.substr(1));
        if (it == ids.end() || it->second <= a) continue;
        std::uint32_t note = note_block(page, it->second, a, ids, taken, links_cache);
        if (note == kNoElement || note <= a || page.contains(note, a)) continue;
        if (page[note].all.chars == 0) continue;
        if (taken[note]) {
            index.label.try_emplace(note, href.substr(1));
        } else {
            taken[note] = true;
            notes.push_back(note);
            first_references.push_back(a);
        }
        // the <sup> around the link, when it holds nothing else, goes with it
        std::uint32_t at = a;
        std::uint32_t parent = page[a].parent;
        if (parent != kNoElement && page[parent].tag == GUMBO_TAG_SUP && page[parent].all.chars == page[a].all.chars)
            at = parent;
        index.target_at.emplace(at, note);
    }
    if (notes.empty()) return index;
    index.hidden.assign(n, false);
    index.left_out.assign(n, false);
    for (std::size_t j = 0; j < notes.size(); ++j) {
        std::uint32_t note = notes[j];
        index.hidden[note] = true;
        std::uint32_t number = leading_number(page, note, first_references[j]);
        if (number != kNoElement) index.left_out[number] = true;
        // links back: to "#id" of an element before the note, short as a mark
        for (std::uint32_t k = note + 1; k < page[note].end; ++k) {
            if (page[k].tag != GUMBO_TAG_A) continue;
            std::string_view href = text::trim(attribute(page[k].node, "href"));
            bool back = contains_word(attribute(page[k].node, "role"), "doc-backlink");
            if (!back && href.size() >= 2 && href[0] == '#' && page[k].all.chars <= kMaxBackLinkChars) {
                // to an element before the note, or to none when the link is a mark, not
                // a word (Wikipedia's "^" for a reference without an id: it leads
                // nowhere); a short word linking to no id ("T2", "§4") is the note's text
                auto it = ids.find(href.substr(1));
                back = it != ids.end() ? it->second < note : is_mark(page.text_of(k, 16));
            }
            if (back) {
                index.left_out[k] = true;
                index.with_back_links.insert(note);
            }
        }
    }
    // a list of notes only, and the box that says it holds them, leave the text
    std::vector<std::uint32_t> boxes;  // the outermost element each list of notes left
    // each list judged once, not once per note in it: 10,000 notes in a list that also
    // holds an item of text were 10,000 walks over its items
    std::unordered_set<std::uint32_t> judged;
    for (std::uint32_t note : notes) {
        std::uint32_t list = page[note].parent;
        if (list == kNoElement || (page[list].tag != GUMBO_TAG_OL && page[list].tag != GUMBO_TAG_UL)) continue;
        if (index.hidden[list] || !judged.insert(list).second) continue;
        bool all = true;
        for (std::uint32_t k = list + 1; k < page[list].end && all; k = page[k].end)
            if (page[k].tag == GUMBO_TAG_LI && !page[k].skipped && page[k].all.chars > 0) all = index.hidden[k];
        if (!all) continue;
        index.hidden[list] = true;
        std::uint32_t box = list, top = list;
        for (int up = 0; up < 2; ++up) {  // the list, a wrapper, the box
            std::uint32_t parent = page[box].parent;
            if (parent == kNoElement || page[parent].tag == GUMBO_TAG_BODY) break;
            if (page[parent].all.chars - page[list].all.chars > kMaxNoteBoxExtraChars) break;
            box = parent;
            if (says_notes_box(page[box].node) || says_notes_box(page[list].node)) index.hidden[top = box] = true;
        }
        boxes.push_back(top);
    }
    // ...and so does a heading whose section held only notes: it would head nothing at the
    // end of the text. The last section first, and the headings above one that went
    // again, so that a section whose subsections each held only notes goes too.
    std::sort(boxes.begin(), boxes.end());
    EmptiedHeadings emptied(page, index);
    for (auto it = boxes.rbegin(); it != boxes.rend(); ++it)
        for (std::uint32_t heading; (heading = emptied.over(*it)) != kNoElement;) emptied.hide(heading);
    return index;
}

}  // namespace dconv::html
